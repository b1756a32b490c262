"""Scores on the screen: one evaluation in full (``compass score FILE``, the audit's end), or many as rows."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from compass_cli.core.models import BenchmarkResult, Result
from compass_cli.output.terminal.console import LEGEND, MARK, console, figures_table, plain, status
from compass_cli.output.terminal.fit import fit, left_out_note
from compass_cli.text import percent, quantity, terminal


def criteria_marks(b: BenchmarkResult) -> Text:
    text = Text()
    for c in b.criteria:
        mark, style = MARK[c.status]
        text.append(f"{c.id.split('.', 1)[1]}{mark} ", style=style)
    return text


def print_result(result: Result, out: Console | None = None) -> None:
    out = out or console()
    inst = result.institution
    name = inst.name or "(institution not named)"
    ident = f"URN {inst.urn}" if inst.urn else (f"UKPRN {inst.ukprn}" if inst.ukprn else "")
    out.print(plain(name, "bold") + plain(f"  {ident}  {result.date.isoformat()}  {result.framework}"))
    table = Table(expand=False)
    table.add_column("Benchmark")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Areas met", justify="right", no_wrap=True)
    table.add_column("Status")
    table.add_column("Criteria")
    for b in result.benchmarks:
        areas = f"{b.areas_met}/{b.areas}" if b.score is not None else "–"
        table.add_row(plain(f"{b.id} {b.title}"), percent(b.score), areas, status(b.status), criteria_marks(b))
    left_out = fit(table, out, drop=("Criteria",))
    out.print(table)
    if left_out:
        out.print(f"[dim]{left_out_note(left_out, '--format json')}[/dim]")
    out.print(
        f"Benchmarks fully achieved: [bold]{result.benchmarks_achieved}/{len(result.benchmarks)}[/bold]   "
        f"Average score: [bold]{percent(result.average_score)}[/bold]"
    )
    if result.unanswered:
        shown = escape(terminal(", ".join(result.unanswered[:8]))) + (" …" if len(result.unanswered) > 8 else "")
        out.print(f"[yellow]{quantity(len(result.unanswered), 'question')} unanswered[/yellow]: {shown}")
    if result.ignored:
        shown = escape(terminal(", ".join(result.ignored[:6]))) + (" …" if len(result.ignored) > 6 else "")
        out.print(
            f"[yellow]{quantity(len(result.ignored), 'answer')} not counted[/yellow] (kept in the file), because the "
            "question or group is not asked now (a follow-up whose condition does not hold, or a group asked only "
            f"of some institutions): {shown}"
        )
    if result.no_longer_asked:
        out.print(
            f"[yellow]{quantity(len(result.no_longer_asked), 'answer')} no longer asked, not counted[/yellow] "
            f"(this edition of the questionnaire has moved or dropped the question; the answer is kept): "
            + escape(terminal(", ".join(result.no_longer_asked)))
        )
    out.print(f"[dim]Criteria: {LEGEND}[/dim]")


def print_results(results: list[Result]) -> None:
    """One evaluation in full; several as one compact row each (fits 80 columns)."""
    out = console()
    if len(results) == 1:
        print_result(results[0], out)
        return
    if not results:
        return
    table = figures_table(f"{len(results)} evaluations (scores in %)")
    table.add_column("Institution")
    table.add_column("Date", no_wrap=True)
    table.add_column("Ach", justify="right", no_wrap=True)
    table.add_column("Avg", justify="right", no_wrap=True)
    for b in results[0].benchmarks:
        table.add_column(b.id, justify="right", no_wrap=True)
    for r in results:
        cells = [Text(percent(b.score).rstrip("%"), style=MARK[b.status][1]) for b in r.benchmarks]
        table.add_row(plain(r.institution.name or r.source or "?"), r.date.isoformat(),
                      f"{r.benchmarks_achieved}/{len(r.benchmarks)}", percent(r.average_score).rstrip("%"), *cells)
    left_out = fit(table, out, drop=("Date",))
    out.print(table)
    if left_out:
        out.print(f"[dim]{left_out_note(left_out, '--format csv')}[/dim]")
    out.print("[dim]Ach: benchmarks fully achieved. Green: achieved; yellow: in progress; "
              "red: not achieved or not started.[/dim]")
