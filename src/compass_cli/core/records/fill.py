"""Filling an answer file's share questions from activity records.

Only what the records can support is written: an entitlement that says which share
question and groups it ``fills``, measurable from these files, for a group that has pupils
and that the question asks of this school. Everything else in the answer file is kept.
Each filled question gets a note saying where the answer came from, with counts only
(small counts withheld, as in every output meant for others), never a pupil id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compass_cli.core.evaluation import Evaluation
from compass_cli.core.models import Note
from compass_cli.core.records.coverage import Coverage, cell_text, cell_view
from compass_cli.core.records.rules import fill_groups
from compass_cli.core.scoring import applicable_answers, applicable_groups
from compass_cli.text import long_date

NOTE_PREFIX = "From activity records"
#: Our own sentence in a note, so that a second fill replaces it instead of adding another.
_OUR_NOTE = re.compile(re.escape(NOTE_PREFIX) + r",[^.]*\.")


@dataclass(frozen=True)
class Change:
    question: str
    group: str
    old: str | None
    new: str
    evidence: str  # "212 of 230 (92%)" or "fewer than 5 of 12"
    old_label: str | None = None  # the answers as the scale words them: "Almost all (91-99%)"
    new_label: str = ""


@dataclass(frozen=True)
class Skipped:
    question: str
    groups: tuple[str, ...]
    reason: str


@dataclass
class Filled:
    """The evaluation with the records' answers written in, and what changed, stayed or was left."""

    evaluation: Evaluation
    changes: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


def fill(coverage: Coverage, evaluation: Evaluation) -> Filled:
    """The answers and notes with every share answer the records support written in."""
    framework, model, answers = evaluation.framework, evaluation.answer_file, evaluation.answers
    rules = coverage.rules
    sixth_form = model.institution.sixth_form
    words = framework.meta.words(model.institution.type)
    asked = applicable_answers(framework, answers, sixth_form)
    new_answers = dict(answers)
    notes = dict(model.notes)
    result = Filled(evaluation)
    evidence: dict[str, list[tuple[str, str]]] = {}
    labels = {b.value: b.label for b in rules.bands}
    for item in coverage.entitlements:
        ent = item.entitlement
        if ent.fills is None:
            continue
        qid = ent.fills.question
        groups = fill_groups(rules, ent)
        if not item.measurable:
            result.skipped.append(Skipped(qid, tuple(groups), f"cannot be measured: {item.reason}"))
            continue
        if not asked.get(qid, False):
            why = f"not asked of this {words.institution} (see its conditions)"
            result.skipped.append(Skipped(qid, tuple(groups), why))
            continue
        q = framework.question(qid)
        open_groups = applicable_groups(framework, q, sixth_form)
        cells = {c.group: c for c in item.cells}
        for g in groups:
            if g not in open_groups:
                why = f"not asked: the answer file says the {words.institution} does not have {words.sixth_form}"
                result.skipped.append(Skipped(qid, (g,), why))
                continue
            cell = cells[g]
            if cell.pupils == 0:
                result.skipped.append(Skipped(qid, (g,), f"no {words.learners} in this {words.group} in the records"))
                continue
            _, band = rules.band(cell.have, cell.pupils)
            old_value = answers.get(qid)
            old = old_value.get(g) if isinstance(old_value, dict) else None
            text = cell_text(cell_view(coverage, cell, suppress=True), words.learners)
            change = Change(qid, g, old, band.value, text, labels.get(old, old) if old else None, band.label)
            (result.unchanged if old == band.value else result.changes).append(change)
            current = dict(new_answers.get(qid) or {})
            current[g] = band.value
            new_answers[qid] = {x: current[x] for x in q.groups or [] if x in current}
            evidence.setdefault(qid, []).append((g, text))
    day = long_date(coverage.as_of)
    for qid, said in evidence.items():
        counts = said[0][1] if len(said) == 1 else "; ".join(f"{g} {text}" for g, text in said)
        sentence = f"{NOTE_PREFIX}, {day}: {_counted(counts, words.learners)}."
        notes[qid] = _with_sentence(notes.get(qid), sentence)
        result.questions.append(qid)
    answer_file = model.model_copy(update={"notes": notes})
    result.evaluation = Evaluation(framework, answer_file, new_answers, evaluation.path)
    return result


def _counted(counts: str, learners: str) -> str:
    """'212 of 230 (92%)' -> '212 of 230 pupils (92%)', the note's wording, in the setting's word."""
    return re.sub(r"of (\d+)(?= \(|;|$)", lambda m: f"of {m[1]} {learners}", counts)


def _with_sentence(note: Note | None, sentence: str) -> Note:
    """The note with our sentence in place of an earlier one of ours, or added at its end."""
    if note is None:
        return Note(note=sentence)
    text = note.note or ""
    if _OUR_NOTE.search(text):
        text = _OUR_NOTE.sub(lambda _: sentence, text, count=1)
    else:
        text = f"{text.rstrip()} {sentence}".strip()
    return note.model_copy(update={"note": text})
