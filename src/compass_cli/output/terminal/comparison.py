"""What changed between two evaluations, on the screen: ``compass compare``'s tables, and the
lines the audit's end screen shows after copying an evaluation forward.

Both are drawn from output.comparison.benchmark_changes, so a change reads the same wherever
it is shown (the figures as shown, and their difference).
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from compass_cli.core.answers import as_stored
from compass_cli.core.comparing import Comparison
from compass_cli.output.comparison import benchmark_changes
from compass_cli.output.terminal.console import console, plain, status
from compass_cli.output.terminal.fit import fit
from compass_cli.text import percent, signed, terminal


def print_comparison(c: Comparison, texts: dict[str, str], out: Console | None = None) -> None:
    """``compass compare``: each benchmark then and now, the criteria that moved, the answers that changed."""
    out = out or console()
    name = c.new.institution.name or "(institution not named)"
    out.print(plain(name, "bold") + Text(f"  {c.old.date.isoformat()} → {c.new.date.isoformat()}"))
    if not c.same_framework:
        out.print(plain(f"Different frameworks: {c.old.framework} → {c.new.framework}. Compared by criterion id; "
                        "answers are not compared, as the questions differ.", "yellow"))
    table = Table()
    table.add_column("Benchmark")
    table.add_column("Then", justify="right", no_wrap=True)
    table.add_column("Now", justify="right", no_wrap=True)
    table.add_column("Change", justify="right", no_wrap=True)
    table.add_column("Status then")
    table.add_column("Status now")
    for b in benchmark_changes(c):
        table.add_row(plain(f"{b.id} {b.title}"), b.old, b.new, b.change, status(b.old_status), status(b.new_status))
    fit(table, out)
    out.print(table)
    out.print(f"Benchmarks fully achieved: {c.old.benchmarks_achieved} → [bold]{c.new.benchmarks_achieved}[/bold]   "
              f"Average score: {percent(c.old.average_score)} → [bold]{percent(c.new.average_score)}[/bold]")
    for title, items in (("Criteria that improved", c.improved), ("Criteria that fell back", c.fell_back),
                         ("Other changes", c.other_changes)):
        if items:
            out.print(Text(title, style="bold"))
            # the criterion's words in full, wrapped beside its change of status, never cut
            moved = Table.grid(padding=(0, 0, 0, 2), pad_edge=True)
            moved.add_column(no_wrap=True)
            moved.add_column(ratio=1)
            for x in items:
                moved.add_row(plain(x.id + " ") + status(x.old_status) + Text(" → ") + status(x.new_status),
                              plain(" ".join(x.text.split()), "dim"))
            out.print(moved)
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
                answers.add_row(plain(a.question), plain(a.old_words or as_stored(a.old)),
                                plain(a.new_words or as_stored(a.new)), plain(texts.get(a.question, "")))
            fit(answers, out)
            out.print(answers)
        else:
            out.print("No answer changed.")
    if c.not_comparable:
        out.print(plain(f"Not comparable (in one evaluation only): {', '.join(c.not_comparable)}", "yellow"))


def print_changes(out: Console, c: Comparison) -> None:
    """The audit's end screen after ``--from``: the benchmarks that moved, and the criteria."""
    out.print()
    out.print(Text(f"Since {c.old.date.isoformat()}:", style="bold"))
    moved = Table.grid(padding=(0, 0, 0, 2), pad_edge=True)  # a long title wraps, never cut
    moved.add_column(ratio=1)
    moved.add_column(justify="right", no_wrap=True)
    moved.add_column(no_wrap=True)
    for b in benchmark_changes(c):
        if b.points:
            moved.add_row(plain(f"{b.id} {b.title}"), Text(terminal(f"{b.old:>5} → {b.new:>5}")),
                          Text(b.change, style="green" if b.points > 0 else "red"))
    if moved.row_count:
        out.print(moved)
    achieved = c.achieved_delta
    out.print(
        f"  Benchmarks fully achieved: {c.old.benchmarks_achieved} → {c.new.benchmarks_achieved}"
        + (f" ({signed(achieved)})" if achieved else "")
        + f"   Answers changed: {len(c.answers_changed)}",
        markup=False,
    )
    for x in c.improved[:8]:
        out.print(Text(f"  ✓ {x.id} now {x.new_status.label.lower()}", style="green"))
    for x in c.fell_back[:8]:
        out.print(Text(f"  ✗ {x.id} now {x.new_status.label.lower()} (was {x.old_status.label.lower()})",
                       style="red"))
