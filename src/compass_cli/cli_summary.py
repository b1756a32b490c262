"""The ``compass summary`` and ``compass compare`` commands, and their terminal tables.

A thin shell: flags are parsed here and the work is done by summarising.py (the figures),
comparing.py (two evaluations) and summary_output.py (JSON, CSV, Markdown, HTML). Exit
codes of ``summary``: 0 all files summarised; 1 summarised, but some files were bad or
duplicated (each is listed); 2 a usage error, or any problem under ``--strict`` (then
nothing but the problems is printed).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from compass_cli.cli_options import FrameworksOption, frameworks_search
from compass_cli.core.grouping import GroupBy
from compass_cli.errors import UsageError
from compass_cli.files import format_of
from compass_cli.text import terminal

if TYPE_CHECKING:
    from compass_cli.core.summarising import Figures, Summariser, Summary


class SummaryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"


def register(app: typer.Typer) -> None:
    """Add ``summary`` and ``compare`` to the compass app."""
    from compass_cli.cli import PARTIAL_CREDIT_OPTION, handle_errors

    @app.command()
    @handle_errors
    def summary(
        paths: list[Path] = typer.Argument(  # noqa: B008 - typer declares arguments this way
            ..., metavar="DIR...", show_default=False,
            help="Folders of answer files (searched recursively, e.g. one per local authority or term), or files.",
        ),
        group_by: GroupBy = typer.Option(  # noqa: B008
            None, "--group-by", help="Break the figures down by local authority (la), institution type, framework "
            "or term.",
        ),
        all_terms: bool = typer.Option(
            False, "--all-terms", help="Count every evaluation, not only the latest of each institution (for trends)."
        ),
        strict: bool = typer.Option(
            False, "--strict", help="If any file is bad or duplicated, print only the problems and exit 2."
        ),
        format: SummaryFormat = typer.Option(  # noqa: B008
            None, "--format", show_default=False,
            help="table (the default), json, csv (one row per institution), md or html. With -o, the file's ending "
            "chooses.",
        ),
        output: Path = typer.Option(  # noqa: B008
            None, "--output", "-o", help="Write the summary to this file instead of the screen (- is the screen)."
        ),
        partial_credit: float = PARTIAL_CREDIT_OPTION,
        search: FrameworksOption = None,
        templates: Path = typer.Option(  # noqa: B008
            None, "--templates", help="A folder whose summary.md.j2 / summary.html.j2 replace the bundled ones."
        ),
    ) -> None:
        """Many evaluations side by side: hub averages, each benchmark, the national figures, one row per school.

        Only the latest evaluation of each institution (by URN, UKPRN, or name and site)
        counts unless --all-terms is given. Files that cannot be read are listed with their
        reasons and the exit code is 1; the summary covers the rest.

        Examples: compass summary hub/ · compass summary hub/ --group-by la -o hub-summary.html ·
        compass summary autumn/ spring/ --all-terms --group-by term --format csv -o trend.csv
        """
        from compass_cli.core.summarising import collect
        from compass_cli.files import check_output

        output = check_output(output, [p for p in paths if not p.is_dir()])
        fmt = _summary_format(format, output)
        summariser = collect(paths, all_terms=all_terms, partial_credit=partial_credit, output=output,
                             frameworks=frameworks_search(search))
        _print_skipped(summariser)
        if strict and (summariser.bad_files or summariser.duplicates):
            _print_problems(summariser)
            raise typer.Exit(2)
        if not summariser.counted:
            _print_problems(summariser)
            typer.echo("No evaluation could be read, so there is nothing to summarise.", err=True)
            raise typer.Exit(1)
        result = summariser.summary(group_by)
        if fmt is SummaryFormat.table:
            print_summary(result, _console())
        else:
            _emit(_summary_text(result, fmt, templates), output)
        if result.problems:
            _print_problems(summariser)
            typer.echo(_problem_count(result), err=True)
            raise typer.Exit(1)

    @app.command()
    @handle_errors
    def compare(
        old: Path = typer.Argument(..., help="The earlier answer file.", show_default=False),  # noqa: B008
        new: Path = typer.Argument(..., help="The later answer file.", show_default=False),  # noqa: B008
        format: CompareFormat = typer.Option(  # noqa: B008
            CompareFormat.table, "--format", help="table for people; json for scripts; md for a report."
        ),
        output: Path = typer.Option(  # noqa: B008
            None, "--output", "-o", help="Write JSON or Markdown here instead of the screen (- is the screen)."
        ),
        partial_credit: float = PARTIAL_CREDIT_OPTION,
        search: FrameworksOption = None,
    ) -> None:
        """Two evaluations of one school side by side: what improved and what fell back.

        Shows each benchmark's score and status then and now, the criteria that improved or
        fell back, and the answers that changed.

        Evaluations under different editions of the framework are compared by criterion id;
        what cannot be compared is listed.

        Example: compass compare autumn-2025.yaml spring-2026.yaml
        """
        from compass_cli.core.comparing import compare as compare_results
        from compass_cli.core.loading import load_answers
        from compass_cli.core.scoring import score
        from compass_cli.files import check_output
        from compass_cli.output.summary import comparison_json, comparison_markdown, question_texts

        output = check_output(output, [old, new])
        if format is CompareFormat.table and output is not None:
            raise UsageError("--output is for --format json or md; the table is for the screen")
        found = frameworks_search(search)
        old_loaded, old_fw = load_answers(old, frameworks=found)
        new_loaded, new_fw = load_answers(new, frameworks=found)
        old_result = score(old_fw, old_loaded.model, old_loaded.answers, partial_credit=partial_credit, source=str(old))
        new_result = score(new_fw, new_loaded.model, new_loaded.answers, partial_credit=partial_credit, source=str(new))
        comparison = compare_results(old_result, new_result, old_loaded.answers, new_loaded.answers)
        texts = question_texts(new_fw)
        if old_result.date > new_result.date:
            typer.echo(
                f"note: {old} ({old_result.date.isoformat()}) is dated after {new} ({new_result.date.isoformat()}); "
                "the change shown is from the first file to the second.",
                err=True,
            )
        if format is CompareFormat.table:
            print_comparison(comparison, texts, _console())
        elif format is CompareFormat.json:
            _emit(comparison_json(comparison, texts), output)
        else:
            _emit(comparison_markdown(comparison, texts), output)


def _summary_format(format: SummaryFormat | None, output: Path | None) -> SummaryFormat:
    if format is None:
        if output is None:
            return SummaryFormat.table
        found = format_of(output)
        if found is None:
            raise UsageError(f"cannot tell the format from '{output.name}'; add --format json, csv, md or html")
        return SummaryFormat(found)
    if format is SummaryFormat.table and output is not None:
        raise UsageError("--output is for --format json, csv, md or html; the table is for the screen")
    return format


def _summary_text(result: Summary, fmt: SummaryFormat, templates: Path | None) -> str:
    from compass_cli.output import summary as summary_output

    if fmt is SummaryFormat.json:
        return summary_output.summary_json(result)
    if fmt is SummaryFormat.csv:
        return summary_output.summary_csv(result)
    return summary_output.summary_document(result, fmt.value, templates)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from compass_cli.files import write_atomic

    write_atomic(output, text)
    typer.echo(f"Wrote {output}", err=True)


def _console(stderr: bool = False) -> Console:
    from compass_cli.output import tables as ui  # not at start-up: ui brings the core models with it

    return ui.console(stderr)


def _mark(status: Any) -> tuple[str, str]:
    from compass_cli.output import tables as ui

    return ui.MARK[status]


def _print_problems(summariser: Summariser) -> None:
    err = _console(stderr=True)
    for bad in summariser.bad_files:
        for line in bad.lines or tuple(f"{bad.file}: {reason}" for reason in bad.reasons):
            err.print(Text("error: ", style="bold red") + Text(terminal(line)), soft_wrap=True)
    for dup in summariser.duplicates:
        err.print(Text("duplicate: ", style="bold yellow") + Text(terminal(dup.describe())), soft_wrap=True)


def _print_skipped(summariser: Summariser) -> None:
    if summariser.skipped:
        from compass_cli.output import tables as ui

        ui.print_skipped(summariser.skipped)


def _problem_count(result: Summary) -> str:
    return f"{result.problem_sentence}; the summary covers {result.overall.evaluations} evaluations."


# --------------------------------------------------------------------------- terminal tables


def _pct(x: float | None) -> str:
    from compass_cli.text import percent

    return percent(x)


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
            ("Average score", _pct(result.overall.average_score), "not published")]
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
    if n:
        table.add_column(f"National fully achieving ({n.benchmark_year})", justify="right")
    for b in result.overall.benchmarks:
        national = "–" if b.national_percent is None else f"{b.national_percent:g}%"
        cells = [_plain(f"{b.id} {b.title}"), f"{b.percent_achieving:.1f}% ({b.achieving})", _pct(b.average_score),
                 f"{b.areas_met:,} of {b.areas:,}"]
        table.add_row(*cells, *([national] if n else []))
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
    table = Table(title=f"By {heading.lower()} (% fully achieving each benchmark)", title_justify="left")
    table.add_column(heading, no_wrap=True)
    table.add_column("Evaluations", justify="right")
    table.add_column("Avg achieved", justify="right")
    table.add_column("Avg score", justify="right")
    for bid in result.benchmark_ids:
        table.add_column(bid, justify="right")
    for g in result.groups:
        found = [g.benchmark(bid) for bid in result.benchmark_ids]
        cells = ["–" if b is None else f"{b.percent_achieving:.0f}" for b in found]
        table.add_row(_plain(g.label), str(g.evaluations), f"{g.average_achieved:.2f}", _pct(g.average_score), *cells)
    return table


def _institutions(result: Summary) -> Table:
    title = "Every evaluation" if result.all_terms else "Each institution (latest evaluation)"
    table = Table(title=title + ", scores in %", title_justify="left")
    table.add_column("Institution")
    table.add_column("URN", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Term", no_wrap=True)
    table.add_column("Achieved", justify="right")
    for bid in result.benchmark_ids:
        table.add_column(bid, justify="right")
    for r in result.rows:
        cells: list[Any] = []
        for bid in result.benchmark_ids:
            s = r.score_of(bid)
            cells.append(Text(_pct(s).rstrip("%"), style="green" if r.achieved_of(bid) else ""))
        urn = r.urn or (f"UKPRN {r.ukprn}" if r.ukprn else "")
        name = r.name + (f" ({r.site})" if r.site else "")
        achieved = f"{r.benchmarks_achieved}/{len(r.framework.benchmarks)}"
        table.add_row(_plain(name), _plain(urn), r.date.isoformat(), r.term, achieved, *cells)
    return table


def print_summary(result: Summary, out: Console) -> None:
    frameworks = ", ".join(f.id for f in result.frameworks)
    counted = "every evaluation" if result.all_terms else "the latest evaluation of each institution"
    out.print(Text(f"Summary of {result.overall.evaluations} evaluations", style="bold")
              + _plain(f" ({counted}; {result.files_read} files read; {frameworks})"))
    if result.older_not_counted:
        older = result.older_not_counted
        out.print(f"[dim]{older} earlier evaluation{'' if older == 1 else 's'} not counted; "
                  "--all-terms counts them.[/dim]")
    out.print(_headline(result))
    out.print(_benchmarks(result))
    out.print(_distribution(result.overall))
    weakest = ", ".join(f"{b.id} {b.title} ({b.percent_achieving:.0f}% fully achieving)" for b in result.weakest)
    out.print(Text("Weakest benchmarks: ", style="bold") + _plain(weakest))
    crit = Table(title="Criteria most often not yet achieved (where support would help most)", title_justify="left")
    crit.add_column("Criterion", no_wrap=True)
    crit.add_column("Not yet achieved", justify="right")
    crit.add_column("of which not started", justify="right")
    crit.add_column("What it asks", ratio=1)
    for c in result.weakest_criteria:
        crit.add_row(_plain(c.id), f"{c.not_yet} of {c.scored} ({c.percent_not_yet:.0f}%)", str(c.not_achieved),
                     _plain(_shorten(c.text, 90)))
    out.print(crit)
    if result.groups:
        out.print(_groups(result))
    out.print(_institutions(result))
    n = result.national
    if n:
        out.print(Text(f"National figures ({n.framework}): average {n.average_year}, {n.average_source}; per "
                       f"benchmark {n.benchmark_year}, {n.benchmark_source}. {n.note}", style="dim"))
    else:
        out.print(Text("No national figures are published for these frameworks, so none are shown.", style="dim"))


def _plain(value: str, style: str = "") -> Text:
    """A string from a file, shown as typed: never rich markup, never a terminal escape sequence."""
    return Text(terminal(value), style=style)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def print_comparison(c: Any, texts: dict[str, str], out: Console) -> None:
    from compass_cli.output.summary import show_answer
    from compass_cli.text import change

    def status(s: Any) -> Text:
        mark, style = _mark(s)
        return Text(f"{mark} {s.label}", style=style)

    name = c.new.institution.name or "(institution not named)"
    out.print(_plain(name, "bold") + Text(f"  {c.old.date.isoformat()} → {c.new.date.isoformat()}"))
    if not c.same_framework:
        out.print(_plain(f"Different frameworks: {c.old.framework} → {c.new.framework}. Compared by criterion id; "
                         "answers are not compared, as the questions differ.", "yellow"))
    table = Table()
    table.add_column("Benchmark")
    table.add_column("Then", justify="right")
    table.add_column("Now", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("Status then")
    table.add_column("Status now")
    for b in c.benchmarks:
        table.add_row(_plain(f"{b.id} {b.title}"), _pct(b.old_score), _pct(b.new_score),
                      change(b.old_score, b.new_score),
                      status(b.old_status), status(b.new_status))
    out.print(table)
    out.print(f"Benchmarks fully achieved: {c.old.benchmarks_achieved} → [bold]{c.new.benchmarks_achieved}[/bold]   "
              f"Average score: {_pct(c.old.average_score)} → [bold]{_pct(c.new.average_score)}[/bold]")
    for title, items in (("Criteria that improved", c.improved), ("Criteria that fell back", c.fell_back),
                         ("Other changes", c.other_changes)):
        if items:
            out.print(Text(title, style="bold"))
            for x in items:
                out.print(Text("  ") + _plain(x.id + " ") + status(x.old_status) + Text(" → ") + status(x.new_status)
                          + _plain("  " + _shorten(" ".join(x.text.split()), 70), "dim"))
    if not (c.improved or c.fell_back or c.other_changes):
        out.print("No criterion changed status.")
    if c.same_framework:
        if c.answers_changed:
            answers = Table(title=f"{len(c.answers_changed)} answers changed", title_justify="left")
            answers.add_column("Question", no_wrap=True)
            answers.add_column("Then")
            answers.add_column("Now")
            answers.add_column("Asks", ratio=1)
            for a in c.answers_changed:
                asks = _shorten(texts.get(a.question, ""), 60)
                answers.add_row(_plain(a.question), _plain(show_answer(a.old)), _plain(show_answer(a.new)),
                                _plain(asks))
            out.print(answers)
        else:
            out.print("No answer changed.")
    if c.not_comparable:
        out.print(_plain(f"Not comparable (in one evaluation only): {', '.join(c.not_comparable)}", "yellow"))
