"""``compass records`` on the screen: coverage as tables, and what a fill changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from compass_cli.core.records.coverage import Coverage
from compass_cli.core.records.fill import Filled
from compass_cli.core.records.spreadsheets import ProblemLog
from compass_cli.output.records import coverage_context, shown
from compass_cli.output.terminal.console import console, plain
from compass_cli.output.terminal.fit import fit
from compass_cli.text import terminal


def print_coverage(result: Coverage, suppress: bool) -> None:
    """Per entitlement and year group: who has it, the percent and the band; then by group of pupils."""
    ctx = coverage_context(result, suppress)
    words = result.rules.framework.meta.words()
    out = console()
    p, a = ctx["pupils"], ctx["activities"]
    out.print(Text(f"Activity records as of {ctx['as_of_text']} ({ctx['academic_year']})", style="bold")
              + Text(f"  {ctx['framework']}"))
    out.print(f"{p['counted']} {words.learners} counted of {p['in_file']} in the file"
              + (f" ({p['left']} left)" if p["left"] else "")
              + f"; {a['counted']:,} of {a['rows']:,} activity rows counted"
              + (f", {a['after_as_of']:,} after the as-of date" if a["after_as_of"] else ""))
    flags = ctx["flags"]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Entitlement", ratio=1, overflow="fold")
    table.add_column("Year", no_wrap=True)
    table.add_column("Have", justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    table.add_column("Band", no_wrap=True)
    split = Table(title=f"Percent who have it, by group of {words.learners}", title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False)
    split.add_column("Entitlement", overflow="fold")
    split.add_column("Year", no_wrap=True)
    split.add_column("All", justify="right", no_wrap=True)
    for f in flags:
        split.add_column(plain(f["label"]), justify="right")
    hidden = []
    for ent in ctx["entitlements"]:
        if not shown(ent):
            hidden.append(ent)
            continue
        views = [v for v in ent["groups"] if v["pupils"] != 0]
        title = plain(f"{ent['criterion']} ", style="bold") + plain(ent["text"])
        for n, v in enumerate(views):
            last = n == len(views) - 1
            table.add_row(title if n == 0 else "", v["group"], _have(v),
                          "" if v["percent"] is None else f"{v['percent']}%", v["band_label"] or "",
                          end_section=last)
            cells = [_pct(w) for f in ent["flags"] for w in f["groups"] if w["group"] == v["group"]]
            split.add_row(title if n == 0 else "", v["group"], _pct(v), *cells, end_section=last)
    fit(table, out)
    out.print(table)
    if flags:
        fit(split, out)
        out.print(split)
    for ent in hidden:
        why = ent["reason"] or f"no {words.learners} in " + ", ".join(v["group"] for v in ent["groups"])
        out.print(plain(f"Not measured: {ent['criterion']} {ent['text']}: {why}", style="dim"), soft_wrap=True)
    if suppress:
        out.print(f"[dim]<5: fewer than 5 {words.learners}, withheld (add --exact to see them on your own "
                  "screen).[/dim]")


def _have(v: dict[str, Any]) -> str:
    if v["suppressed"]:
        return "<5" if v["pupils"] is None else f"<5/{v['pupils']}"
    return f"{v['have']}/{v['pupils']}"


def _pct(v: dict[str, Any]) -> str:
    if v["pupils"] == 0:
        return ""
    return "<5" if v["percent"] is None else f"{v['percent']}%"


def print_filled(filled: Filled) -> None:
    """Each answer filled, left as it was, or not filled and why."""
    out = console()
    for c in filled.changes:
        out.print(plain(f"{c.question} {c.group}: {c.old_label or '(unanswered)'} → ") + plain(c.new_label, "bold")
                  + plain(f", from {c.evidence}"))
    if filled.unchanged:
        out.print(plain("Unchanged: " + "; ".join(f"{c.question} {c.group} {c.new_label}" for c in filled.unchanged)),
                  soft_wrap=True)
    for s in filled.skipped:
        out.print(plain(f"Not filled: {s.question} {', '.join(s.groups)}: {s.reason}", style="dim"), soft_wrap=True)


def print_fill_saved(filled: Filled, target: Path, written: bool, as_of: dt.date) -> None:
    """What became of the answer file: written, or (a dry run) unchanged."""
    out = console()
    if not written:
        out.print(f"Dry run: {target} is unchanged.")
        return
    n = len(filled.changes)
    out.print(f"Wrote {target}: {n} answer{'s' if n != 1 else ''} changed, notes on "
              f"{', '.join(filled.questions) or 'no questions'} (as of {as_of.isoformat()}). "
              f"Score it with: compass score {target}", soft_wrap=True)


def problem_counts(log: ProblemLog) -> list[str]:
    """Per file, the rows with problems: left out, or kept with a default; then that the rest was counted."""
    lines = []
    for file, rows in log.files.items():
        what = f"{terminal(file)}: {rows.rows:,} row{'s' if rows.rows != 1 else ''} with problems"
        default = "kept with a default (a flag read as no, a date read as blank)"
        if not rows.kept:
            lines.append(f"{what}, left out.")
        elif not rows.left_out:
            lines.append(f"{what}, {default}.")
        else:
            lines.append(f"{what}: {rows.left_out:,} left out, {rows.kept:,} {default}.")
    lines.append("Every other row was counted.")
    return lines
