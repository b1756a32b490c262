"""What people see in the terminal: rich tables and error messages.

Only the CLI imports this module; the core never imports rich. A Console is made per
call so that test runners capture what is printed. Every string that comes from a file
(names, titles, answers, file names) is printed as a ``Text`` of text.terminal: rich does
not read ``[link=...]`` in a Text as markup, and terminal() drops escape sequences.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from compass_cli.core.loading import FoundFramework, Frameworks
from compass_cli.core.models import Benchmark, Framework, QuestionKind, Result, Status
from compass_cli.errors import CompassError
from compass_cli.text import percent, terminal

MARK = {
    Status.achieved: ("✓", "green"),
    Status.in_progress: ("◐", "yellow"),
    Status.not_achieved: ("✗", "red"),
    Status.unscored: ("?", "dim"),
    Status.not_applicable: ("–", "dim"),
}
LEGEND = "✓ achieved  ◐ in progress  ✗ not achieved  ? unscored (nothing answered)  – does not apply"


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False)


def print_error(exc: CompassError) -> None:
    err = console(stderr=True)
    for line in exc.lines():
        err.print(Text("error: ", style="bold red") + Text(terminal(line)), soft_wrap=True)


def print_skipped(files: list[str]) -> None:
    """One line naming compass's own outputs found among the answer files and left out."""
    noun = "a file" if len(files) == 1 else f"{len(files)} files"
    console(stderr=True).print(Text(terminal(f"skipped {noun} written by compass (not answer files): "
                                             + ", ".join(files))), soft_wrap=True)


# --------------------------------------------------------------------------- frameworks


def framework_facts(found: FoundFramework, frameworks: Frameworks) -> dict[str, Any]:
    """One framework as ``compass frameworks`` lists it; one that cannot be loaded says why."""
    facts: dict[str, Any] = {
        "id": found.id,
        "folder": str(found.folder),
        "origin": found.origin,
        "hidden_by": str(found.hidden_by) if found.hidden_by else None,
    }
    try:
        fw = frameworks.load(found.folder)
    except CompassError as exc:
        return facts | {"problem": exc.lines()[0]}
    return facts | {
        "title": fw.meta.title,
        "edition": fw.meta.edition,
        "types": dict(fw.meta.institution.types),
        "applies_until": fw.meta.applies_until.isoformat() if fw.meta.applies_until else None,
        "benchmarks": len(fw.benchmarks),
        "criteria": len(fw.criteria()),
        "questions": len(fw.questions()),
        "national_figures": fw.national is not None,
    }


def print_frameworks(rows: list[dict[str, Any]]) -> None:
    table = Table(title="Frameworks", title_justify="left")
    table.add_column("Id", no_wrap=True)
    table.add_column("For")
    for col in ("Benchmarks", "Questions"):
        table.add_column(col, justify="right")
    table.add_column("From")
    for f in rows:
        where = "bundled" if f["origin"] == "bundled" else f"{f['origin']} {f['folder']}"
        if f["hidden_by"]:
            where += f" (hidden by {f['hidden_by']})"
        if "problem" in f:
            table.add_row(Text(terminal(f["id"])), Text(terminal("cannot be loaded: " + f["problem"]), style="red"),
                          "", "", Text(terminal(where)))
            continue
        kinds = ", ".join(f["types"].values())
        until = f" (until {f['applies_until']})" if f["applies_until"] else ""
        table.add_row(Text(terminal(f["id"])), Text(terminal(f"{kinds}; {f['edition']} edition{until}")),
                      str(f["benchmarks"]), str(f["questions"]), Text(terminal(where)))
    console().print(table)


# --------------------------------------------------------------------------- questions


def questions_json(fw: Framework, benchmarks: list[Benchmark]) -> dict[str, Any]:
    def question(q: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": q.id,
            "kind": q.kind.value,
            "text": q.text,
            "help": q.help,
            "scored": q.is_scored,
        }
        options = fw.options(q)
        if options:
            out["options"] = [{"value": o.value, "label": o.label, "credit": o.credit} for o in options]
        if q.groups:
            out["groups"] = q.groups
        if q.items:
            out["items"] = [{"id": i.id, "text": i.text} for i in q.items]
        if q.kind is QuestionKind.number:
            out.update({k: getattr(q, k) for k in ("min", "max", "target", "unit") if getattr(q, k) is not None})
        if q.when:
            out["when"] = q.when.model_dump(by_alias=True, exclude_none=True)
        return out

    return {
        "framework": fw.id,
        "benchmarks": [
            {
                "id": b.id,
                "title": b.title,
                "summary": b.summary,
                "criteria": [
                    {
                        "id": c.id,
                        "source": c.source,
                        "text": c.text,
                        "rule": c.rule if isinstance(c.rule, str) else c.rule.model_dump(),
                        "questions": [question(q) for q in c.questions],
                    }
                    for c in b.criteria
                ],
            }
            for b in benchmarks
        ],
    }


def _answer_hint(fw: Framework, q: Any) -> str:
    if q.kind is QuestionKind.checklist:
        return "tick: " + ", ".join(i.id for i in q.items)
    if q.kind is QuestionKind.share:
        return "per " + ", ".join(q.groups) + ": none … all"
    if q.kind is QuestionKind.number:
        return "number" + (f" (target {q.target:g})" if q.target else "")
    if q.kind is QuestionKind.text:
        return "free text"
    return " / ".join(o.value for o in fw.options(q))


def print_questions(fw: Framework, benchmarks: list[Benchmark]) -> None:
    out = console()
    for b in benchmarks:
        out.print(Text(terminal(f"{b.id} {b.title}"), style="bold"))
        table = Table(show_lines=False, expand=True)
        table.add_column("Id", no_wrap=True)
        table.add_column("Question", ratio=3)
        table.add_column("Kind", no_wrap=True)
        table.add_column("Answer", ratio=2)
        for c in b.criteria:
            table.add_row(Text(terminal(c.id), style="bold"), Text(terminal(f"{c.text} [{c.source}]"), style="italic"),
                          "", "")
            for q in c.questions:
                text = q.text + ("  (conditional)" if q.when else "")
                table.add_row(Text(terminal(q.id)), Text(terminal(text)), q.kind.value,
                              Text(terminal(_answer_hint(fw, q))))
        out.print(table)
    total = sum(len(b.questions()) for b in benchmarks)
    out.print(f"{total} questions.")


# --------------------------------------------------------------------------- results


def criteria_marks(b: Any) -> Text:
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
    out.print(Text(terminal(name), style="bold")
              + Text(terminal(f"  {ident}  {result.date.isoformat()}  {result.framework}")))
    table = Table(expand=False)
    table.add_column("Benchmark")
    table.add_column("Score", justify="right")
    table.add_column("Areas met", justify="right")
    table.add_column("Status")
    table.add_column("Criteria")
    for b in result.benchmarks:
        mark, style = MARK[b.status]
        areas = f"{b.areas_met}/{b.areas}" if b.score is not None else "–"
        table.add_row(
            Text(terminal(f"{b.id} {b.title}")), percent(b.score), areas, Text(f"{mark} {b.status.label}", style=style),
            criteria_marks(b),
        )
    out.print(table)
    out.print(
        f"Benchmarks fully achieved: [bold]{result.benchmarks_achieved}/{len(result.benchmarks)}[/bold]   "
        f"Average score: [bold]{percent(result.average_score)}[/bold]"
    )
    if result.unanswered:
        shown = escape(terminal(", ".join(result.unanswered[:8]))) + (" …" if len(result.unanswered) > 8 else "")
        out.print(f"[yellow]{_count(len(result.unanswered), 'question')} unanswered[/yellow]: {shown}")
    if result.ignored:
        shown = escape(terminal(", ".join(result.ignored[:6]))) + (" …" if len(result.ignored) > 6 else "")
        out.print(
            f"[yellow]{_count(len(result.ignored), 'answer')} not counted[/yellow] (kept in the file), because the "
            "question is not asked of this school now (a follow-up whose condition does not hold, or a sixth-form "
            f"group without a sixth form): {shown}"
        )
    if result.no_longer_asked:
        out.print(
            f"[yellow]{_count(len(result.no_longer_asked), 'answer')} no longer asked, not counted[/yellow] "
            f"(this edition of the questionnaire has moved or dropped the question; the answer is kept): "
            + escape(terminal(", ".join(result.no_longer_asked)))
        )
    out.print(f"[dim]Criteria: {LEGEND}[/dim]")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def print_results(results: list[Result]) -> None:
    """One evaluation in full; several as one compact row each (fits 80 columns)."""
    out = console()
    if len(results) == 1:
        print_result(results[0], out)
        return
    if not results:
        return
    table = Table(title=f"{len(results)} evaluations (scores in %)", title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, padding=0)
    table.add_column("Institution", max_width=22, overflow="ellipsis", no_wrap=True)
    table.add_column("Date", min_width=10, no_wrap=True)
    table.add_column("Ach", justify="right", min_width=3, no_wrap=True)
    table.add_column("Avg", justify="right", min_width=3, no_wrap=True)
    for b in results[0].benchmarks:
        table.add_column(b.id, justify="right", min_width=3, no_wrap=True)
    for r in results:
        cells = [Text(percent(b.score).rstrip("%"), style=MARK[b.status][1]) for b in r.benchmarks]
        table.add_row(Text(terminal(r.institution.name or r.source or "?")), r.date.isoformat(),
                      f"{r.benchmarks_achieved}/{len(r.benchmarks)}", percent(r.average_score).rstrip("%"), *cells)
    out.print(table)
    out.print("[dim]Ach: benchmarks fully achieved. Green: achieved; yellow: in progress; red: not achieved.[/dim]")
