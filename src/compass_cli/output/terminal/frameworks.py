"""``compass frameworks`` and ``compass questions`` as tables."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from compass_cli.core.framework import Framework
from compass_cli.core.models import Benchmark
from compass_cli.output.terminal.console import console, plain
from compass_cli.output.terminal.fit import fit


def print_frameworks(rows: list[dict[str, Any]]) -> None:
    """The frameworks found (output.frameworks.framework_facts), each with where it came from."""
    table = Table(title="Frameworks", title_justify="left")
    table.add_column("Id", no_wrap=True)
    table.add_column("For")
    for col in ("Benchmarks", "Questions"):
        table.add_column(col, justify="right")
    table.add_column("From", overflow="fold")
    for f in rows:
        where = "bundled" if f["origin"] == "bundled" else f"{f['origin']} {f['folder']}"
        if f["hidden_by"]:
            where += f" (hidden by {f['hidden_by']})"
        if "problem" in f:
            table.add_row(plain(f["id"]), plain("cannot be loaded: " + f["problem"], "red"), "", "", plain(where))
            continue
        kinds = ", ".join(f["types"].values())
        until = f" (until {f['applies_until']})" if f["applies_until"] else ""
        table.add_row(plain(f["id"]), plain(f"{kinds}; {f['edition']} edition{until}"),
                      str(f["benchmarks"]), str(f["questions"]), plain(where))
    out = console()
    fit(table, out)
    out.print(table)


def print_questions(fw: Framework, benchmarks: list[Benchmark]) -> None:
    """Every question of the given benchmarks under its criterion, with its kind and what an answer looks like."""
    out = console()
    for b in benchmarks:
        out.print(plain(f"{b.id} {b.title}", "bold"))
        table = Table(show_lines=False, expand=True)
        table.add_column("Id", no_wrap=True)
        table.add_column("Question", ratio=3)
        table.add_column("Kind", no_wrap=True)
        table.add_column("Answer", ratio=2)
        for c in b.criteria:
            table.add_row(plain(c.id, "bold"), plain(f"{c.text} [{c.source}]", "italic"), "", "")
            for q in c.questions:
                text = q.text + ("  (conditional)" if q.when else "")
                table.add_row(plain(q.id), plain(text), q.kind.value, plain(fw.kind(q).answer_hint(fw, q)))
        fit(table, out)
        out.print(table)
    total = sum(len(b.questions()) for b in benchmarks)
    out.print(f"{total} questions.")
