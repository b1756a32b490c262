"""Two evaluations side by side: what improved, what fell back, which answers changed.

Compared by benchmark and criterion id, so evaluations under different editions of the
framework can still be compared where their ids match; ids present in only one of them
are listed as not comparable. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compass_cli.core.framework import Framework
from compass_cli.core.kinds import said
from compass_cli.core.models import Model, Result, Status

_RANK = {Status.not_achieved: 0, Status.in_progress: 1, Status.achieved: 2}


class BenchmarkChange(Model):
    id: str
    title: str
    old_score: float | None
    new_score: float | None
    old_status: Status
    new_status: Status
    old_achieved: bool
    new_achieved: bool

    @property
    def delta(self) -> float | None:
        if self.old_score is None or self.new_score is None:
            return None
        return self.new_score - self.old_score


class CriterionChange(Model):
    id: str
    text: str
    old_status: Status
    new_status: Status


class AnswerChange(Model):
    """One answer that changed: as the files store it, and in the questionnaire's own words."""

    question: str
    old: Any
    new: Any
    #: The question, and each answer in words (option labels, not ids), when the framework is known.
    text: str = ""
    old_words: str = ""
    new_words: str = ""


class Comparison(Model):
    old: Result
    new: Result
    same_framework: bool
    benchmarks: list[BenchmarkChange]
    improved: list[CriterionChange]
    fell_back: list[CriterionChange]
    other_changes: list[CriterionChange]
    answers_changed: list[AnswerChange]
    not_comparable: list[str]

    @property
    def same_institution(self) -> bool:
        """Both evaluations are of one institution, by the one rule the summary counts by
        (models.institution_key: two sites of a college that share a UKPRN are two)."""
        return self.old.institution.key == self.new.institution.key

    @property
    def achieved_delta(self) -> int:
        return self.new.benchmarks_achieved - self.old.benchmarks_achieved

    @property
    def average_delta(self) -> float:
        return self.new.average_score - self.old.average_score


def compare(
    old: Result,
    new: Result,
    old_answers: Mapping[str, Any] | None = None,
    new_answers: Mapping[str, Any] | None = None,
    framework: Framework | None = None,
) -> Comparison:
    """Two evaluations side by side; answers are compared (and put in words, with the framework
    of the newer one) when both use the same framework."""
    old_b = {b.id: b for b in old.benchmarks}
    benchmarks = [
        BenchmarkChange(
            id=b.id, title=b.title, old_score=old_b[b.id].score, new_score=b.score,
            old_status=old_b[b.id].status, new_status=b.status,
            old_achieved=old_b[b.id].achieved, new_achieved=b.achieved,
        )
        for b in new.benchmarks
        if b.id in old_b
    ]
    old_c = {c.id: c for b in old.benchmarks for c in b.criteria}
    new_c = {c.id: c for b in new.benchmarks for c in b.criteria}
    improved: list[CriterionChange] = []
    fell_back: list[CriterionChange] = []
    other: list[CriterionChange] = []
    for cid, nc in new_c.items():
        oc = old_c.get(cid)
        if oc is None or oc.status == nc.status:
            continue
        change = CriterionChange(id=cid, text=nc.text, old_status=oc.status, new_status=nc.status)
        if oc.status in _RANK and nc.status in _RANK:
            (improved if _RANK[nc.status] > _RANK[oc.status] else fell_back).append(change)
        else:
            other.append(change)
    not_comparable = sorted(set(old_c) ^ set(new_c)) + sorted(set(old_b) ^ {b.id for b in new.benchmarks})
    changed: list[AnswerChange] = []
    if old_answers is not None and new_answers is not None and old.framework == new.framework:
        for qid in list(new_answers) + [q for q in old_answers if q not in new_answers]:
            before, after = said(old_answers.get(qid)), said(new_answers.get(qid))  # left blank: no answer
            if before != after:
                changed.append(_answer_change(qid, before, after, framework))
    return Comparison(
        old=old, new=new, same_framework=old.framework == new.framework, benchmarks=benchmarks,
        improved=improved, fell_back=fell_back, other_changes=other, answers_changed=changed,
        not_comparable=not_comparable,
    )


def _answer_change(qid: str, before: Any, after: Any, framework: Framework | None) -> AnswerChange:
    """A changed answer, with words a careers leader reads ("Most (76-90%)", not ``most``)."""
    change = AnswerChange(question=qid, old=before, new=after)
    if framework is None or not framework.has_question(qid):
        return change
    q = framework.question(qid)
    old_words, new_words = framework.kind(q).change_words(framework, q, before, after)
    return change.model_copy(update={"text": " ".join(q.text.split()), "old_words": old_words,
                                     "new_words": new_words})
