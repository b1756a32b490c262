"""Keystrokes needed by `compass audit`, counted by typing into the real terminal prompter.

(a) a full evaluation of the 2025 schools questionnaire from a blank start;
(b) a termly re-evaluation with --from in which five answers change.

Every line is the shortest one the real parser accepts for the wanted answer
(prompts.shortest_line, checked through prompts.parse), typed into terminal.TerminalPrompter
with its screen output thrown away; a keystroke is a character or the Enter that ends a line.

Run: python bench/keystrokes.py
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console

from compass_cli.audit.interview import Interview
from compass_cli.audit.prompts import SharePrompt, TextPrompt, shortest_line
from compass_cli.audit.terminal import TerminalPrompter
from compass_cli.core.evaluation import Evaluation, load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import QuestionKind

INSTITUTION = {"name": "Hilltop Academy", "URN": "137245", "local authority": "Leeds", "sixth form": "yes",
               "Y7": 180, "Y8": 178, "Y9": 181, "Y10": 175, "Y11": 172, "Y12": 120, "Y13": 110,
               "completed by": "Jo Bloggs", "role": "Careers leader",
               # what the website shows (compass publish): typed once, kept from term to term
               "careers leader's name": "Jo Bloggs", "careers leader's role": "Careers leader",
               "careers leader's email": "careers@hilltop.example", "careers leader's phone": "01632 960123",
               "careers programme link": "https://hilltop.example/careers",
               "provider access link": "https://hilltop.example/provider-access"}


def typical_answers(fw: Framework) -> dict[str, Any]:
    """A plausible school part-way there: mostly yes, some gaps, bands short of 'all' here and there."""
    plan: dict[str, Any] = {}
    for n, q in enumerate(fw.questions()):
        options = [o.value for o in fw.options(q)]
        if q.kind is QuestionKind.yes_no:
            plan[q.id] = options[0] if n % 4 else options[-1]
        elif q.kind in (QuestionKind.choice, QuestionKind.agreement):
            plan[q.id] = options[n % 2]
        elif q.kind is QuestionKind.checklist:
            items = [i.id for i in q.items or []]
            plan[q.id] = items if n % 3 == 0 else items[: max(1, len(items) - 1 - n % 2)]
        elif q.kind is QuestionKind.share:
            plan[q.id] = {g: options[-1 - (i + n) % 2] for i, g in enumerate(q.groups or [])}
        elif q.kind is QuestionKind.number:
            plan[q.id] = int(q.target or 2)
        else:
            plan[q.id] = "In the careers evidence folder, 2025-26."
    return plan


def five_changes(fw: Framework, plan: dict[str, Any]) -> dict[str, Any]:
    """One change each to a yes/no, choice, checklist, share and number question, none of them
    a condition of another question (so the same questions are asked)."""
    conditions = {qid for q in fw.questions() if q.when for qid in q.when.questions()}
    wanted = [QuestionKind.yes_no, QuestionKind.choice, QuestionKind.checklist, QuestionKind.share,
              QuestionKind.number]
    changes: dict[str, Any] = {}
    for kind in wanted:
        q = next(q for q in fw.questions() if q.kind is kind and q.id not in conditions and q.when is None
                 and (kind is not QuestionKind.share or len(q.groups or []) > 1))
        old = plan[q.id]
        if kind in (QuestionKind.yes_no, QuestionKind.choice):
            changes[q.id] = next(o.value for o in fw.options(q) if o.value != old)
        elif kind is QuestionKind.checklist:
            ids = [i.id for i in q.items or []]
            missing = [i for i in ids if i not in old]
            changes[q.id] = [i for i in ids if i in old or i == missing[0]] if missing else old[:-1]
        elif kind is QuestionKind.share:
            first = (q.groups or [])[0]
            changes[q.id] = {**old, first: "all" if old[first] != "all" else "most"}
        else:
            changes[q.id] = old + 1
    return changes


class Count:
    """Types the planned answer at each prompt and counts the keys."""

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.prompter = TerminalPrompter(Console(file=io.StringIO(), width=80), self.read)
        self.keys = {"institution": 0, "questions": 0, "text": 0}
        self.prompts = {"institution": 0, "questions": 0, "text": 0}

    def read(self, _: str) -> str:
        prompt = self.prompter.on_screen
        assert prompt is not None
        ref = prompt.heading.ref
        value = self.plan[ref]
        if isinstance(prompt, SharePrompt):
            value = {g.value: value[g.value] for g in prompt.groups}
        line = shortest_line(prompt, value)
        part = "institution" if prompt.heading.progress.section_number == 0 else "questions"
        self.keys[part] += len(line) + 1
        self.prompts[part] += 1
        if part == "questions" and isinstance(prompt, TextPrompt):
            self.keys["text"] += len(line) + 1
            self.prompts["text"] += 1
        return line


def run(fw: Framework, path: Path, plan: dict[str, Any], previous: Evaluation | None = None) -> Count:
    count = Count(plan)
    Interview(fw, path, count.prompter, previous=previous, today=dt.date(2025, 12, 1)).run()
    return count


def report(title: str, count: Count) -> None:
    asked = count.prompts["questions"]
    keys = count.keys["questions"]
    total = count.keys["institution"] + keys
    print(title)
    print(f"  institution section: {count.prompts['institution']:>3} prompts, {count.keys['institution']:>4} keys")
    print(f"  questions:           {asked:>3} asked,   {keys:>4} keys ({keys / asked:.2f} per question)")
    text, text_keys = count.prompts["text"], count.keys["text"]
    others = keys - text_keys
    print(f"    of which {text} free-text evidence answers: {text_keys} keys; the other {asked - text}: "
          f"{others} keys ({others / (asked - text):.2f} each)")
    print(f"  total:               {total:>4} keys")


def main() -> None:
    fw = load_framework("gatsby-2025-schools")
    plan = {**INSTITUTION, **typical_answers(fw)}
    with tempfile.TemporaryDirectory() as folder:
        last = Path(folder) / "summer.yaml"
        full = run(fw, last, plan)
        loaded = load_evaluation(last, fw)
        changes = five_changes(fw, plan)
        again = run(fw, Path(folder) / "autumn.yaml", {**plan, **changes},
                    loaded)
        changed = sorted(k for k, n in load_evaluation(Path(folder) / "autumn.yaml", fw).answer_file.notes.items()
                         if n.changed)
    print(f"compass audit keystrokes: {fw.meta.title}, {len(fw.questions())} questions "
          "(a school with a sixth form)\n")
    report("(a) full evaluation from a blank start", full)
    print()
    report(f"(b) termly re-evaluation with --from, {len(changes)} answers changed ({', '.join(changes)})", again)
    extra = again.keys["questions"] - again.prompts["questions"]
    print(f"  = one Enter per question + {extra} keys for the 5 changes. Learner numbers are asked again,")
    print("    with last term's shown: Enter confirms each (typing new ones adds about 4 keys a year group).")
    assert changed == sorted(changes), changed


if __name__ == "__main__":
    main()
