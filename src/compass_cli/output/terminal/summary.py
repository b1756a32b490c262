"""``compass summary`` on the screen: the hub's figures as tables, and its problem files."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from compass_cli.core.summarising import Figures, Summariser, Summary
from compass_cli.output.summary import identity
from compass_cli.output.terminal.console import console, figure, figures_table, plain, print_error_lines
from compass_cli.output.terminal.fit import fit, left_out_note
from compass_cli.text import percent, quantity


def print_problems(summariser: Summariser) -> None:
    """Every file that is not in the summary, with every reason, and every duplicate, on stderr."""
    for bad in summariser.bad_files:
        print_error_lines(bad.lines or tuple(f"{bad.file}: {reason}" for reason in bad.reasons))
    print_error_lines((dup.describe() for dup in summariser.duplicates), "duplicate: ", "bold yellow")


#: The room a name of an institution or group is given before less useful columns are left out.
NAME_WIDTH = 18


def _headline(result: Summary) -> Table:
    n = result.national
    table = Table(title="The hub beside the national figures" if n else "The hub", title_justify="left")
    table.add_column("")
    table.add_column("This hub", justify="right")
    if n:
        table.add_column(f"National ({n.average_year})", justify="right")
    total = len(result.overall.benchmarks)
    rows = [("Evaluations", str(result.overall.evaluations), ""),
            (f"Average benchmarks fully achieved (of {total})", f"{result.overall.average_achieved:.2f}",
             f"{n.average_achieved:.2f}" if n else ""),
            ("Average score", percent(result.overall.average_score), "not published")]
    for row in rows:
        table.add_row(*(row if n else row[:2]))
    return table


def _benchmarks(result: Summary) -> Table:
    n = result.national
    table = Table(title="Each benchmark", title_justify="left")
    table.add_column("Benchmark")
    table.add_column("Fully achieving", justify="right")
    table.add_column("Average score", justify="right")
    table.add_column("Areas met", justify="right")
    table.add_column("Not started", justify="right")
    shares = n is not None and bool(n.percent_achieving)
    if n and shares:
        table.add_column(f"National fully achieving ({n.benchmark_year})", justify="right")
    for b in result.overall.benchmarks:
        national = "–" if b.national_percent is None else f"{b.national_percent:g}%"
        cells: list[str | Text] = [plain(f"{b.id} {b.title}"), figure(f"{b.percent_achieving:.1f}% ({b.achieving})"),
                                   percent(b.average_score), figure(f"{b.areas_met:,} of {b.areas:,}"),
                                   str(b.not_started)]
        table.add_row(*cells, *([national] if shares else []))
    return table


def _distribution(f: Figures) -> Table:
    table = Table(title="How many benchmarks each institution fully achieves", title_justify="left")
    table.add_column("Benchmarks", justify="right")
    table.add_column("Institutions", justify="right")
    table.add_column("")
    top = max(f.distribution) or 1
    for k, count in enumerate(f.distribution):
        table.add_row(str(k), str(count), Text("█" * round(30 * count / top), style="cyan"))
    return table


def _groups(result: Summary) -> Table:
    assert result.group_by is not None
    heading = result.group_by.heading
    table = figures_table(f"By {heading.lower()} (% fully achieving each benchmark)")
    table.add_column(heading, min_width=NAME_WIDTH)
    table.add_column("Evaluations", justify="right", no_wrap=True)
    table.add_column("Avg achieved", justify="right")
    table.add_column("Avg score", justify="right")
    for bid in result.benchmark_ids:
        table.add_column(bid, justify="right", no_wrap=True)
    for g in result.groups:
        found = [g.benchmark(bid) for bid in result.benchmark_ids]
        cells = ["–" if b is None else f"{b.percent_achieving:.0f}" for b in found]
        table.add_row(plain(g.label), str(g.evaluations), f"{g.average_achieved:.2f}", percent(g.average_score), *cells)
    return table


#: The heading of the institutions' local authority column, shown when any evaluation names one.
LOCAL_AUTHORITY = "Local authority"


def _institutions(result: Summary) -> Table:
    title = "Every evaluation" if result.all_terms else "Each institution (latest evaluation)"
    table = figures_table(title + ", scores in %")
    table.add_column("Institution", min_width=NAME_WIDTH)
    table.add_column(result.identity_heading)
    local = any(r.local_authority for r in result.rows)
    if local:
        table.add_column(LOCAL_AUTHORITY)
    table.add_column("Date", no_wrap=True)
    table.add_column("Term", no_wrap=True)
    table.add_column("Ach", justify="right", no_wrap=True)
    for bid in result.benchmark_ids:
        table.add_column(bid, justify="right", no_wrap=True)
    for r in result.rows:
        cells: list[Any] = []
        for bid in result.benchmark_ids:
            s = r.score_of(bid)
            cells.append(Text(percent(s).rstrip("%"), style="green" if r.achieved_of(bid) else ""))
        name = r.name + (f" ({r.site})" if r.site else "")
        achieved = f"{r.benchmarks_achieved}/{len(r.framework.benchmarks)}"
        where = [plain(r.local_authority or "")] if local else []
        table.add_row(plain(name), plain(identity(r)), *where, r.date.isoformat(), r.term, achieved, *cells)
    return table


def _print(out: Console, table: Table, drop: tuple[str, ...] = (), note: str = "") -> None:
    """A table made to fit the screen; the columns left out to fit it are named below it."""
    left_out = fit(table, out, drop)
    out.print(table)
    notes = [note] if note else []
    if left_out:
        notes.append(left_out_note(left_out, "--format csv"))
    if notes:
        out.print(Text(" ".join(notes), style="dim"))


def print_summary(result: Summary, out: Console | None = None) -> None:
    out = out or console()
    frameworks = ", ".join(f.id for f in result.frameworks)
    counted = "every evaluation" if result.all_terms else "the latest evaluation of each institution"
    out.print(Text(f"Summary of {result.overall.evaluations} evaluations", style="bold")
              + plain(f" ({counted}; {result.files_read} files read; {frameworks})"))
    if result.older_not_counted:
        older = result.older_not_counted
        out.print(f"[dim]{quantity(older, 'earlier evaluation')} not counted; "
                  "--all-terms counts them.[/dim]")
    _print(out, _headline(result))
    n = result.national
    not_started = "Not started: nothing of the benchmark in place yet (0%, no area even in progress)."
    _print(out, _benchmarks(result), note=not_started + (" " + n.years_sentence if n and not n.one_year else ""))
    _print(out, _distribution(result.overall))
    weakest = ", ".join(f"{b.id} {b.title} ({b.percent_achieving:.0f}% fully achieving)" for b in result.weakest)
    out.print(Text("Weakest benchmarks: ", style="bold") + plain(weakest))
    several = len(result.frameworks) > 1
    for info, criteria in result.weakest_criteria_by_framework:
        # each framework's criteria in its own words: B6.1 of a college is not B6.1 of a school
        title = "Criteria most often not yet achieved (where support would help most)"
        if several:
            title = (f"Criteria most often not yet achieved: {info.title} "
                     f"({quantity(result.evaluations_of(info.id), 'evaluation')})")
        crit = Table(title=title, title_justify="left")
        crit.add_column("Criterion", no_wrap=True)
        crit.add_column("Not yet achieved", justify="right")
        crit.add_column("of which not started", justify="right")
        crit.add_column("What it asks", ratio=1)
        for c in criteria:
            crit.add_row(plain(c.id), figure(f"{c.not_yet} of {c.scored} ({c.percent_not_yet:.0f}%)"),
                         str(c.not_achieved), plain(c.text))
        _print(out, crit)
    if result.groups:
        _print(out, _groups(result), drop=("Avg achieved",))
    _print(out, _institutions(result), drop=("Term", "Date", result.identity_heading, LOCAL_AUTHORITY),
           note="Ach: benchmarks fully achieved. Green: a benchmark achieved.")
    if n:
        per_benchmark = f"; per benchmark {n.benchmark_year}, {n.benchmark_source}" if n.percent_achieving else ""
        out.print(Text(f"National figures ({n.framework}): average {n.average_year}, {n.average_source}"
                       f"{per_benchmark}. {n.note}", style="dim"))
    else:
        out.print(Text("No national figures are published for these frameworks, so none are shown.", style="dim"))
