"""A loaded framework, and the index of it that scoring and every output look things up in.

A framework is read from its folder once per process (frameworks.py) and never changes
after that, so every table derived from it (questions by id, the credit of each option,
the assessment areas of each criterion, the groups a share question asks with and without
a sixth form ...) is worked out once, when it is built, into a typed :class:`FrameworkIndex`.
A hub summary scores thousands of answer files against one framework; none of them
rebuilds a list or a lookup.

No I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from compass_cli.core.kinds import KINDS, Kind
from compass_cli.core.models import (
    Benchmark,
    Criterion,
    FrameworkFile,
    Group,
    NationalFigures,
    Option,
    Question,
)

if TYPE_CHECKING:
    from compass_cli.core.compiled import CompiledFramework


@dataclass(frozen=True)
class FrameworkIndex:
    """Everything looked up in a framework, built once from its benchmarks.

    Built before the framework's cross-checks run (checks.py reads it too), so a reference
    that does not resolve (an unknown scale or group) is left out here rather than failing;
    the checks then report it, and a framework with problems is never used.
    """

    #: every question and criterion, in framework order
    questions: tuple[Question, ...]
    criteria: tuple[Criterion, ...]
    by_id: Mapping[str, Question]
    #: every question, criterion and benchmark id: what a note in an answer file may be attached to
    known_ids: frozenset[str]
    groups: Mapping[str, Group]
    #: question id -> the rules of its kind (kinds.KINDS)
    kinds: Mapping[str, Kind]
    #: question id -> its answer options (a scale's, or its own); empty for kinds without options
    options: Mapping[str, tuple[Option, ...]]
    #: question id -> option value -> credit (the first option of a value wins, as a search would)
    credits: Mapping[str, Mapping[str, float]]
    #: criterion id -> its assessment areas (the questions that are scored)
    scored: Mapping[str, tuple[Question, ...]]
    #: (question id, has a sixth form) -> the groups a share question asks about
    groups_asked: Mapping[tuple[str, bool], tuple[str, ...]]
    #: questions about groups that are all sixth-form groups: not asked of an institution without one
    sixth_form_only: frozenset[str]

    @classmethod
    def of(cls, meta: FrameworkFile, benchmarks: list[Benchmark]) -> FrameworkIndex:
        criteria = tuple(c for b in benchmarks for c in b.criteria)
        questions = tuple(q for c in criteria for q in c.questions)
        groups = {g.id: g for g in meta.groups}
        options: dict[str, tuple[Option, ...]] = {}
        credits: dict[str, dict[str, float]] = {}
        groups_asked: dict[tuple[str, bool], tuple[str, ...]] = {}
        for q in questions:
            options[q.id] = tuple(_options(meta, q))
            table: dict[str, float] = {}
            for o in options[q.id]:
                table.setdefault(o.value, o.credit)
            credits[q.id] = table
            if q.groups:
                asked = tuple(g for g in q.groups if not (g in groups and groups[g].sixth_form))
                groups_asked[q.id, True] = tuple(q.groups)
                groups_asked[q.id, False] = asked
        return cls(
            questions=questions,
            criteria=criteria,
            by_id={q.id: q for q in questions},
            known_ids=frozenset([q.id for q in questions] + [c.id for c in criteria] + [b.id for b in benchmarks]),
            groups=groups,
            kinds={q.id: KINDS[q.kind] for q in questions},
            options=options,
            credits=credits,
            scored={c.id: tuple(q for q in c.questions if q.is_scored) for c in criteria},
            groups_asked=groups_asked,
            sixth_form_only=frozenset(qid for (qid, sixth_form), asked in groups_asked.items()
                                      if not sixth_form and not asked),
        )


def _options(meta: FrameworkFile, q: Question) -> list[Option]:
    if q.options is not None:
        return q.options
    name = q.scale_name()
    scale = meta.scales.get(name) if name else None
    return scale.options if scale is not None else []


@dataclass(frozen=True, eq=False)
class Framework:
    """A whole questionnaire: the framework file, its benchmarks in order, the national
    figures that fit it (None when none are published for this edition and type), the
    folder it was loaded from (where its migrations/ live), the files it was read from, its
    index, and its compiled form (compiled.py: what checking and scoring ask of it)."""

    meta: FrameworkFile
    benchmarks: list[Benchmark]
    national: NationalFigures | None = None
    folder: Path | None = None
    #: every file of the folder it was read from (its name in the folder) -> a digest of the text
    #: read (frameworks.text_digest): what the cache between commands is fingerprinted by
    sources: Mapping[str, str] = field(default_factory=dict, repr=False)
    index: FrameworkIndex = field(init=False, repr=False)
    compiled: CompiledFramework = field(init=False, repr=False)

    def __post_init__(self) -> None:
        from compass_cli.core.compiled import CompiledFramework  # it scores with scoring.py, which needs this module

        object.__setattr__(self, "index", FrameworkIndex.of(self.meta, self.benchmarks))
        object.__setattr__(self, "compiled", CompiledFramework.of(self))

    @property
    def id(self) -> str:
        return self.meta.id

    def questions(self) -> list[Question]:
        return list(self.index.questions)

    def criteria(self) -> list[Criterion]:
        return list(self.index.criteria)

    def question(self, qid: str) -> Question:
        return self.index.by_id[qid]

    def questions_by_id(self) -> Mapping[str, Question]:
        return self.index.by_id

    def has_question(self, qid: str) -> bool:
        return qid in self.index.by_id

    def known_ids(self) -> frozenset[str]:
        """Every question, criterion and benchmark id: what a note in an answer file may be attached to."""
        return self.index.known_ids

    def group(self, gid: str) -> Group:
        return self.index.groups[gid]

    def kind(self, q: Question) -> Kind:
        """The rules of a question's kind: how it reads, scores and describes an answer."""
        return self.index.kinds[q.id]

    def credits(self, q: Question) -> Mapping[str, float]:
        """Option value -> credit for a question with a closed set of answers (one of this framework's)."""
        return self.index.credits[q.id]

    def options(self, q: Question) -> list[Option]:
        """The answer options of a question with a closed set of answers (else [])."""
        return list(self.index.options[q.id])
