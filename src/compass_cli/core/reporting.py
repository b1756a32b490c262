"""The report of one evaluation as one typed object: what ``compass report`` shows, as figures.

A :class:`Report` holds the scored evaluation, its action plan, the comparison with an
earlier evaluation (if one is given), the readiness of the supplementary questions, the
evidence log and each benchmark's score beside the earlier one and the national share
(:func:`benchmark_figures`, which the careers page of core/publishing.py shows too). It is
built here once, so every form of the report (Markdown, HTML, PDF and JSON: output/report.py)
is made from the same figures and only puts them into words, and a script gets exactly what
the reader sees (``compass report --format json``, documented in
docs/report-json.md). Pure functions: no I/O, no words beyond the answer file's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any

from compass_cli.core.answers import describe
from compass_cli.core.comparing import Comparison, compare
from compass_cli.core.evaluation import ScoredEvaluation
from compass_cli.core.framework import Framework
from compass_cli.core.kinds import FULL
from compass_cli.core.models import NationalFigures, NationalYear, Note, Result
from compass_cli.core.planning import TOP, Plan, plan
from compass_cli.core.scoring import answer_credit, question_states
from compass_cli.core.terms import next_snapshot


class Readiness(str, Enum):
    """Where a supplementary question stands: it measures readiness, not a benchmark (domain guide, 9.6)."""

    ready = "ready"
    not_yet = "not_yet"
    unanswered = "unanswered"

    @property
    def label(self) -> str:
        return {"ready": "Ready", "not_yet": "Not yet", "unanswered": "Not answered yet"}[self.value]


@dataclass(frozen=True)
class SupplementaryAnswer:
    """One supplementary question asked of this institution, its answer and whether it is ready."""

    question: str
    text: str
    #: the answer as the answer file stores it (None: not answered), and in the questionnaire's words
    answer: Any
    words: str
    readiness: Readiness


@dataclass(frozen=True)
class ReadinessGroup:
    """The supplementary questions about one thing (the work experience guarantee, say)."""

    label: str
    questions: tuple[SupplementaryAnswer, ...]

    @property
    def ready(self) -> int:
        return sum(1 for q in self.questions if q.readiness is Readiness.ready)


@dataclass(frozen=True)
class EvidenceEntry:
    """What the answer file records about one benchmark, criterion or question.

    ``answer`` is a free-text answer ("where is the evidence kept?"): not scored, but what a
    governor or an inspector will ask to see. ``note`` is the file's note, if any.
    """

    ref: str
    about: str
    answer: str | None
    note: Note | None


@dataclass(frozen=True)
class EvidenceGroup:
    """The evidence log of one benchmark."""

    benchmark: str
    title: str
    entries: tuple[EvidenceEntry, ...]


@dataclass(frozen=True)
class BenchmarkFigures:
    """One benchmark's score now and at the previous evaluation, and the national share fully achieving it."""

    id: str
    title: str
    score: float | None
    achieved: bool
    #: the previous evaluation's score of the benchmark with this id (None: no previous, or it has none)
    previous: float | None
    #: the share of institutions fully achieving it nationally, in the year the figures were built with
    national: float | None


@dataclass(frozen=True)
class Report:
    """One evaluation as its report shows it (see the module docstring)."""

    current: ScoredEvaluation
    plan: Plan
    #: this evaluation beside the earlier one, when one is given
    comparison: Comparison | None
    readiness: tuple[ReadinessGroup, ...]
    evidence: tuple[EvidenceGroup, ...]
    #: each benchmark now, at the earlier evaluation and nationally (the latest year with shares per benchmark)
    figures: tuple[BenchmarkFigures, ...]

    @property
    def result(self) -> Result:
        return self.current.result

    @property
    def framework(self) -> Framework:
        return self.current.framework

    @property
    def previous(self) -> Result | None:
        """The earlier evaluation's result, when one is given."""
        return self.comparison.old if self.comparison is not None else None

    @property
    def national(self) -> NationalFigures | None:
        """The national figures that fit this framework (its national.yaml), if any are published."""
        return self.framework.national

    @property
    def next_snapshot(self) -> dt.date:
        """When to evaluate next: the national snapshot after this evaluation's date."""
        return next_snapshot(self.result.date)


def build_report(current: ScoredEvaluation, previous: ScoredEvaluation | None = None, *, top: int = TOP) -> Report:
    """The report of ``current`` (and what changed since ``previous``), with ``top`` actions leading the plan."""
    comparison = (
        compare(previous.result, current.result, previous.answers, current.answers, current.framework)
        if previous is not None else None
    )
    national = current.framework.national
    return Report(
        current=current,
        plan=plan(current.result, current.framework, current.answer_file.notes, top=top),
        comparison=comparison,
        readiness=readiness(current),
        evidence=evidence(current),
        figures=benchmark_figures(current.result, comparison.old if comparison is not None else None,
                                  national.latest_by_benchmark if national is not None else None),
    )


def benchmark_figures(
    result: Result, previous: Result | None, year: NationalYear | None,
) -> tuple[BenchmarkFigures, ...]:
    """Each benchmark now, at the previous evaluation (by benchmark id, as a comparison across editions goes), and
    the national share of ``year``: the one alignment the report and the careers page both show."""
    before = {b.id: b.score for b in previous.benchmarks} if previous is not None else {}
    shares = (year.percent_achieving or {}) if year is not None else {}
    return tuple(
        BenchmarkFigures(id=b.id, title=b.title, score=b.score, achieved=b.achieved, previous=before.get(b.id),
                         national=shares.get(b.id))
        for b in result.benchmarks
    )


def readiness(current: ScoredEvaluation) -> tuple[ReadinessGroup, ...]:
    """The supplementary questions asked of this institution, grouped by what they measure.

    They are asked and reported as readiness, not scored: a question is ready when its
    answer earns full credit by the same rule that scores every other answer.
    """
    fw, answers = current.framework, current.answers
    sixth_form = current.answer_file.institution.sixth_form
    states = question_states(fw, answers, sixth_form)
    groups: dict[str, list[SupplementaryAnswer]] = {}
    for q in fw.questions():
        if not q.supplementary or not states[q.id].shown:
            continue
        value = answers.get(q.id)
        credit = answer_credit(fw, q, value, sixth_form)
        if value is None:
            ready = Readiness.unanswered
        elif credit is not None and credit >= FULL:
            ready = Readiness.ready
        else:
            ready = Readiness.not_yet
        groups.setdefault(q.supplementary, []).append(SupplementaryAnswer(
            question=q.id, text=" ".join(q.text.split()), answer=value, words=describe(fw, q, value), readiness=ready,
        ))
    return tuple(ReadinessGroup(label, tuple(found)) for label, found in groups.items())


def evidence(current: ScoredEvaluation) -> tuple[EvidenceGroup, ...]:
    """Notes and evidence per benchmark, criterion and question, in framework order, with the
    free-text answers; an entry with nothing to show (a note that only marks a changed answer,
    ``changed: true``) and a benchmark with nothing recorded are left out."""
    notes, answers, fw = current.answer_file.notes, current.answers, current.framework
    groups: list[EvidenceGroup] = []
    for b in fw.benchmarks:
        entries: list[EvidenceEntry] = []

        def add(ref: str, about: str, answer: str | None = None, entries: list[EvidenceEntry] = entries) -> None:
            note = notes.get(ref)
            if note is not None and not _recorded(note):
                note = None  # only the audit's mark that the answer changed: nothing for a reader to see
            if note is not None or answer is not None:
                entries.append(EvidenceEntry(ref, " ".join(about.split()), answer, note))

        add(b.id, b.title)
        for c in b.criteria:
            add(c.id, c.text)
            for q in c.questions:
                text_answer = answers.get(q.id) if fw.kind(q).free_text else None
                add(q.id, q.text, str(text_answer) if text_answer else None)
        if entries:
            groups.append(EvidenceGroup(b.id, b.title, tuple(entries)))
    return tuple(groups)


def _recorded(note: Note) -> bool:
    """Whether a note records anything a reader can see: a note, evidence, an owner or a date."""
    return any(value is not None for value in (note.note, note.evidence, note.owner, note.due))
