"""Shared by the audit tests: a scripted prompter and a full set of planned answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compass_cli.audit.interview import Section, SectionProgress
from compass_cli.audit.prompts import (
    Heading,
    Invalid,
    Prompt,
    Reply,
    SharePrompt,
    lettered_options,
    parse,
    shortest_line,
)
from compass_cli.cli import app
from compass_cli.cli import audit as cli_audit
from compass_cli.core.framework import Framework
from compass_cli.core.models import BenchmarkResult, QuestionKind
from compass_cli.core.scoring import applicable_answers, applicable_groups

TODAY = dt.date(2025, 11, 25)

INSTITUTION_PLAN: dict[str, Any] = {
    "Evaluation": "",  # which evaluation fits: Enter takes the schools one
    "name": "Hilltop Academy", "URN": "137245", "local authority": "Leeds", "sixth form": "yes",
    "Y7": 180, "Y8": 178, "Y9": 181, "Y10": 175, "Y11": 172, "Y12": 120, "Y13": 110,
    "completed by": "Jo Bloggs", "role": "Careers leader",
    # what the website must show (compass publish), short enough to type within 80 columns; INSTITUTION_LINES
    # leaves them out with Enter
    "careers leader's name": "Ms J. Patel", "careers leader's role": "Careers leader",
    "careers leader's email": "careers@hilltop.example", "careers leader's phone": "01632 960123",
    "careers programme link": "https://h.example/careers",
    "provider access link": "https://h.example/access",
}


INSTITUTION_LINES = ["Hilltop Academy", "137245", "Leeds", "y", "180", "178", "181", "175", "172", "120", "110",
                     "Jo Bloggs", "", "", "", "", "", "", ""]
#: How many steps the institution section of a school with a sixth form takes (INSTITUTION_LINES answers each).
INSTITUTION_STEPS = len(INSTITUTION_LINES)


def planned_answers(fw: Framework) -> dict[str, Any]:
    """One answer for every question, varied by position so every option kind is exercised."""
    plan: dict[str, Any] = {}
    for n, q in enumerate(fw.questions()):
        if q.kind in (QuestionKind.yes_no, QuestionKind.choice, QuestionKind.agreement):
            options = [o.value for o in fw.options(q)]
            plan[q.id] = options[0] if n % 3 else options[-1 if n % 2 else 0]
            if q.kind is QuestionKind.agreement:
                plan[q.id] = options[n % len(options)]
        elif q.kind is QuestionKind.checklist:
            items = [i.id for i in q.items or []]
            plan[q.id] = items[: 1 + n % len(items)] if n % 4 else items
        elif q.kind is QuestionKind.share:
            bands = [o.value for o in fw.options(q)]
            plan[q.id] = {g: bands[-1 - (n + i) % 3] for i, g in enumerate(q.groups or [])}
        elif q.kind is QuestionKind.number:
            plan[q.id] = int(q.target or 2) + n % 2
        else:
            plan[q.id] = f"Evidence for {q.id}: the careers folder, section {n}."
    return plan


def full_plan(fw: Framework) -> dict[str, Any]:
    return {**INSTITUTION_PLAN, **planned_answers(fw)}


def expected(fw: Framework, plan: dict[str, Any], sixth_form: bool = True) -> dict[str, Any]:
    """What a run answering from ``plan`` leaves in the file: the answers of questions asked."""
    answers = {q.id: plan[q.id] for q in fw.questions()}
    shown = applicable_answers(fw, answers, sixth_form)
    out = {}
    for q in fw.questions():
        if shown[q.id]:
            value = answers[q.id]
            if q.kind is QuestionKind.share:
                value = {g: value[g] for g in applicable_groups(fw, q, sixth_form)}
            out[q.id] = value
    return out


def keys_for(fw: Framework, ref: str, value: Any) -> str:
    """The keys typed for ``value`` at an empty prompt (no default), as a person would."""
    if not fw.has_question(ref):
        return {"yes": "y", "no": "n"}.get(value, str(value)) if ref == "sixth form" else str(value)
    q = fw.question(ref)
    if q.kind is QuestionKind.yes_no:
        options = lettered_options([(o.value, o.label) for o in fw.options(q)])
        return next(c.key for c in options if c.value == value)
    if q.kind in (QuestionKind.choice, QuestionKind.agreement):
        return str([o.value for o in fw.options(q)].index(value) + 1)
    if q.kind is QuestionKind.checklist:
        ids = [i.id for i in q.items or []]
        return "".join(str(ids.index(i) + 1) for i in value) or "0"
    if q.kind is QuestionKind.share:
        bands = [o.value for o in fw.options(q)]
        return "".join(str(bands.index(value[g]) + 1) for g in value)
    return str(value)


class Scripted:
    """A prompter that types lines, parsed exactly as the terminal parses them.

    ``script`` is either a list of lines (one per prompt, hints re-ask and take the next
    line) or a function from the prompt on screen to the line to type.
    """

    def __init__(self, script: Iterable[str] | Callable[[Prompt], str], limit: int = 3000) -> None:
        self._fn = script if callable(script) else None
        self._lines = iter(()) if callable(script) else iter(script)
        self.asked: list[str] = []
        self.hints: list[str] = []
        self.messages: list[str] = []
        self.sections: list[str] = []
        self.helped: list[str] = []
        self.progress: list[list[SectionProgress]] = []
        self.prompts: list[Prompt] = []
        self.confirms: list[str] = []
        #: (benchmark id, shown percent, areas met, areas) as each benchmark's last question is left
        self.scores: list[tuple[str, int | None, int, int]] = []
        #: how many prompts had been shown when each score was
        self.scored_after: list[int] = []
        self.limit = limit

    def _line(self, prompt: Prompt | None) -> str:
        if len(self.asked) > self.limit:
            raise AssertionError("the audit is going round in circles")
        if self._fn is not None and prompt is not None:
            return self._fn(prompt)
        try:
            return next(self._lines)
        except StopIteration:
            where = prompt.heading.ref if prompt is not None else "a confirmation"
            raise AssertionError(f"the script ran out at {where}") from None

    def _ask(self, prompt: Prompt) -> Reply:
        self.asked.append(prompt.heading.ref)
        self.prompts.append(prompt)
        while True:
            line = self._line(prompt)
            try:
                return parse(prompt, line)
            except Invalid as exc:
                self.hints.append(exc.hint)

    ask_choice = ask_checklist = ask_share = ask_number = ask_text = _ask

    def show_section(self, section: Section) -> None:
        self.sections.append(section.id)

    def show_help(self, heading: Heading) -> None:
        self.helped.append(heading.ref)

    def show_progress(self, sections: list[SectionProgress]) -> None:
        self.progress.append(sections)

    def show_message(self, text: str) -> None:
        self.messages.append(text)

    def show_benchmark_score(self, benchmark: BenchmarkResult) -> None:
        self.scores.append((benchmark.id, benchmark.rounded, benchmark.areas_met, benchmark.areas))
        self.scored_after.append(len(self.asked))

    def confirm(self, text: str, default: bool) -> bool:
        self.confirms.append(text)
        line = self._line(None) if self._fn is None else ""
        return default if not line else line.lower().startswith("y")


def by_plan(plan: dict[str, Any], extra: dict[str, list[str]] | None = None) -> Callable[[Prompt], str]:
    """A script that answers from ``plan`` with the fewest keys; ``extra`` lines go first, per ref."""
    queued = {ref: list(lines) for ref, lines in (extra or {}).items()}

    def line(prompt: Prompt) -> str:
        ref = prompt.heading.ref
        if queued.get(ref):
            return queued[ref].pop(0)
        if ref not in plan:
            return "s"
        value = plan[ref]
        if isinstance(prompt, SharePrompt):
            value = {g.value: value[g.value] for g in prompt.groups}
        return shortest_line(prompt, value)

    return line


def terminal_runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner working in a fresh folder, where the audit takes CliRunner's input for a terminal."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli_audit, "is_interactive", lambda: True)
    return CliRunner()


def started(runner: CliRunner, name: str = "answers.yaml") -> Path:
    """An answer file with the institution section and B1.1.1 answered."""
    result = runner.invoke(app, ["audit", name], input="\n".join(["", *INSTITUTION_LINES, "y", "q"]) + "\n")
    assert result.exit_code == 0, result.output
    return Path(name)
