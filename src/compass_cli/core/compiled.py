"""A framework compiled for checking and scoring: what every answer file asks of it, worked out once.

A hub summary checks and scores thousands of answer files against one framework, and each
time asks it the same things: is this question asked of an institution with (or without) a
sixth form, whatever the answers? which of its questions are assessment areas, how does each
earn credit, which criteria make up each benchmark? The compiled form answers them once per
framework and process (and is kept with the framework in the cache between commands,
framework_cache.py), so that scoring one evaluation is a walk over tuples that builds no model:
a :class:`Sheet`. A summary keeps of a sheet only its row; a command that shows a result turns
it into the Result (:meth:`Sheet.result`).

This is the one scorer: scoring.score and scoring.question_states use it. scoring.py words the
rule and holds the pieces it is made of: a ``when`` is decided by scoring.condition_state, an
answer's credit by its kind (kinds.py), a benchmark's status by scoring.benchmark_status; what is
compiled is only where to find them. The tests keep the rule stated step by step
(tests/core/reference_scoring.py) and check that a sheet's Result is exactly its Result, for
random answer files of every bundled framework.

Checking remembers too (:meth:`CompiledFramework.canonical`): the same few hundred answers recur
in every file of a hub, so each answer as written is read by its kind once, and looked up after.

No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from compass_cli.core.kinds import FULL, Kind, gap_text
from compass_cli.core.models import (
    AreaResult,
    AreaStatus,
    BenchmarkResult,
    Condition,
    CriterionResult,
    Gap,
    IfNotAsked,
    Question,
    Result,
    Status,
)
from compass_cli.core.scoring import (
    ASKED,
    NOT_APPLICABLE,
    RULED_OUT,
    WAITING,
    Asked,
    benchmark_status,
    condition_state,
    question_gaps,
    result_of,
)

if TYPE_CHECKING:
    from compass_cli.core.evaluation import Evaluation
    from compass_cli.core.framework import Framework

_ASKED, _WAITING, _NOT_APPLICABLE = Asked(ASKED), Asked(WAITING), Asked(NOT_APPLICABLE)

#: Answers remembered per framework (each as written, with what its kind made of it). A hub's files
#: share a few hundred; the bound only stops a folder of unusual files from growing it without end.
MAX_REMEMBERED = 50_000


class Gate(NamedTuple):
    """A ``when`` of a criterion or a question, with what the institution alone makes of it."""

    when: Condition
    #: the institution alone rules it out: without a sixth form, with one
    institution_out: tuple[bool, bool]
    #: what an answer that rules it out makes of it: ruled out (by these questions), or not applicable
    ruled_out: Asked


class CompiledQuestion(NamedTuple):
    id: str
    question: Question
    kind: Kind
    gate: Gate | None
    #: asked only of an institution with a sixth form (every group it asks about is a sixth-form one)
    sixth_form_only: bool


class CompiledCriterion(NamedTuple):
    id: str
    gate: Gate | None
    questions: tuple[CompiledQuestion, ...]
    #: its assessment areas: the questions that are scored
    scored: tuple[CompiledQuestion, ...]
    #: "all", "any", or the number of areas that must be met
    rule: str | int


class CompiledBenchmark(NamedTuple):
    id: str
    title: str
    #: its criteria: positions in CompiledFramework.criteria
    criteria: range


#: One assessment area of a sheet: its question, status, credit, and the questions that rule it out.
Area = tuple[CompiledQuestion, AreaStatus, float, tuple[str, ...]]


class BenchmarkSheet(NamedTuple):
    """A benchmark's figures (as BenchmarkResult has them)."""

    score: float | None
    achieved: bool
    status: Status
    areas: int
    areas_met: int
    areas_in_progress: int


class Sheet(NamedTuple):
    """One evaluation scored: plain tuples in the framework's order, of which the Result or a summary's row is made."""

    compiled: CompiledFramework
    #: question id -> is it asked of this institution now, and if not why
    states: Mapping[str, Asked]
    #: the answers that count: those to questions asked
    effective: Mapping[str, Any]
    sixth_form: bool
    partial_credit: float
    #: per criterion, in order: its assessment areas and its status
    areas: tuple[tuple[Area, ...], ...]
    criteria: tuple[Status, ...]
    benchmarks: tuple[BenchmarkSheet, ...]
    #: how many questions asked have no answer yet (free text never counts)
    unanswered: int

    @property
    def benchmarks_achieved(self) -> int:
        return sum(1 for b in self.benchmarks if b.achieved)

    @property
    def average_score(self) -> float:
        """The mean of the benchmarks' scores, an unscored one counting 0 (as Result.average_score)."""
        scores = [b.score or 0.0 for b in self.benchmarks]
        return sum(scores) / len(scores) if scores else 0.0

    def result(self, evaluation: Evaluation, gaps: bool = True) -> Result:
        """The evaluation's Result (scoring.score), built from the sheet.

        Its parts are made without checking them again (``model_construct``): they are the
        scorer's own values, and a one-file command then builds no validator for them."""
        framework = self.compiled.framework
        answers, sixth_form = self.effective, self.sixth_form
        benchmarks: list[BenchmarkResult] = []
        for bench, figures in zip(self.compiled.benchmarks, self.benchmarks, strict=True):
            crits: list[CriterionResult] = []
            for n in bench.criteria:
                crit = framework.index.criteria[n]
                areas: list[AreaResult] = []
                unanswered: list[str] = []
                unmet: list[Gap] = []
                for cq, status, credit, by in self.areas[n]:
                    areas.append(AreaResult.model_construct(question=cq.id, status=status, credit=credit,
                                                            ruled_out_by=list(by)))
                    if status is AreaStatus.unanswered:
                        unanswered.append(cq.id)
                    elif gaps and self.states[cq.id].state == RULED_OUT:
                        unmet.append(Gap.model_construct(question=cq.id, text=gap_text(cq.question),
                                                         ruled_out_by=list(by)))
                    elif gaps and status is not AreaStatus.met:
                        unmet += question_gaps(framework, cq.question, answers[cq.id], sixth_form)
                crits.append(CriterionResult.model_construct(
                    id=crit.id, text=crit.text, source=crit.source, status=self.criteria[n], areas=areas,
                    unanswered=unanswered, gaps=unmet))
            benchmarks.append(BenchmarkResult.model_construct(
                id=bench.id, title=bench.title, score=figures.score, achieved=figures.achieved,
                status=figures.status, areas=figures.areas, areas_met=figures.areas_met,
                areas_in_progress=figures.areas_in_progress, criteria=crits))
        return result_of(evaluation, self.partial_credit, self.states, self.effective, benchmarks)


class CompiledFramework:
    """A framework compiled for checking and scoring (see the module's docstring)."""

    def __init__(self, framework: Framework, criteria: tuple[CompiledCriterion, ...],
                 benchmarks: tuple[CompiledBenchmark, ...], questions: tuple[tuple[str, bool], ...]) -> None:
        self.framework = framework
        self.criteria = criteria
        self.benchmarks = benchmarks
        #: every question, in framework order, and whether its answers are free text (never "unanswered")
        self.questions = questions
        #: (question id, the answer as written) -> (the canonical answer, or the error): for this process only
        self._remembered: dict[Any, tuple[Any, str | None]] = {}

    @classmethod
    def of(cls, framework: Framework) -> CompiledFramework:
        """Compile a framework. Built before its cross-checks run, like its index, so nothing here may fail
        on a reference that does not resolve; a framework with problems is never scored."""
        index = framework.index
        not_without = index.sixth_form_only

        def compiled_question(q: Question) -> CompiledQuestion:
            return CompiledQuestion(q.id, q, index.kinds[q.id], _gate(framework, q.when, q.if_not_asked),
                                    q.id in not_without)

        by_id = {q.id: compiled_question(q) for q in index.questions}
        criteria = tuple(
            CompiledCriterion(
                crit.id, _gate(framework, crit.when, crit.if_not_asked),
                tuple(by_id[q.id] for q in crit.questions), tuple(by_id[q.id] for q in index.scored[crit.id]),
                crit.rule if isinstance(crit.rule, str) else crit.rule.at_least,
            )
            for crit in index.criteria
        )
        benchmarks = []
        start = 0
        for bench in framework.benchmarks:
            benchmarks.append(CompiledBenchmark(bench.id, bench.title, range(start, start + len(bench.criteria))))
            start += len(bench.criteria)
        questions = tuple((q.id, index.kinds[q.id].free_text) for q in index.questions)
        return cls(framework, criteria, tuple(benchmarks), questions)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the answers remembered (they belong to this process's files)."""
        return {**self.__dict__, "_remembered": {}}

    # ----------------------------------------------------------------- checking

    def canonical(self, q: Question, raw: Any) -> tuple[Any, str | None]:
        """The canonical form of an answer as written, or the error saying what was expected: what its kind
        says (kinds.py), remembered for the next file that writes the same answer."""
        kind = self.framework.index.kinds[q.id]
        if kind.free_text:  # text is taken as it is; remembering each file's own words would gain nothing
            return kind.canonical(self.framework, q, raw)
        key = _written(q.id, raw)
        if key is None:
            return kind.canonical(self.framework, q, raw)
        found = self._remembered.get(key)
        if found is None:
            found = kind.canonical(self.framework, q, raw)
            if len(self._remembered) < MAX_REMEMBERED:
                self._remembered[key] = found
        value, error = found
        if isinstance(value, dict):  # each evaluation its own copy, so that changing one changes no other
            return dict(value), error
        if isinstance(value, list):
            return list(value), error
        return value, error

    # ----------------------------------------------------------------- scoring

    def asked(self, answers: Mapping[str, Any], sixth_form: bool) -> tuple[dict[str, Asked], dict[str, Any]]:
        """For every question, in order, whether it is asked of this institution given earlier answers
        (scoring.question_states); and the answers that count: those to questions asked."""
        framework = self.framework
        states: dict[str, Asked] = {}
        effective: dict[str, Any] = {}
        hidden: set[str] = set()
        for crit in self.criteria:
            crit_state = _ASKED if crit.gate is None else _decide(crit.gate, effective, hidden, sixth_form, framework)
            for cq in crit.questions:
                state = crit_state
                if state.state == ASKED:
                    if cq.gate is not None:
                        state = _decide(cq.gate, effective, hidden, sixth_form, framework)
                    if cq.sixth_form_only and not sixth_form and state.state == ASKED:
                        state = _NOT_APPLICABLE
                qid = cq.id
                states[qid] = state
                if state.state == ASKED:
                    if qid in answers:
                        effective[qid] = answers[qid]
                elif state.state != WAITING:
                    hidden.add(qid)
        return states, effective

    def sheet(self, answers: Mapping[str, Any], sixth_form: bool, partial_credit: float = 0.0) -> Sheet:
        """Score canonical answers (scoring.score) into a sheet."""
        framework = self.framework
        states, effective = self.asked(answers, sixth_form)
        all_areas: list[tuple[Area, ...]] = []
        statuses: list[Status] = []
        for crit in self.criteria:
            areas: list[Area] = []
            met = unanswered = some_credit = 0
            for cq in crit.scored:
                state = states[cq.id]
                if state.state == NOT_APPLICABLE:
                    continue
                if state.state == RULED_OUT:
                    areas.append((cq, AreaStatus.not_met, 0.0, state.by))
                    continue
                value = effective.get(cq.id)
                credit = None if value is None else cq.kind.credit(framework, cq.question, value, sixth_form, False)
                if credit is None:
                    areas.append((cq, AreaStatus.unanswered, 0.0, ()))
                    unanswered += 1
                elif credit >= FULL:
                    areas.append((cq, AreaStatus.met, credit, ()))
                    met += 1
                    some_credit += 1
                else:
                    areas.append((cq, AreaStatus.in_progress if credit > 0 else AreaStatus.not_met, credit, ()))
                    some_credit += credit > 0
            all_areas.append(tuple(areas))
            statuses.append(_criterion_status(crit.rule, len(areas), met, unanswered, some_credit))
        benchmarks = tuple(_benchmark(bench, all_areas, statuses, partial_credit) for bench in self.benchmarks)
        unanswered_questions = sum(1 for qid, free_text in self.questions
                                   if not free_text and qid not in effective and states[qid].state == ASKED)
        return Sheet(self, states, effective, sixth_form, partial_credit, tuple(all_areas), tuple(statuses),
                     benchmarks, unanswered_questions)


def _gate(framework: Framework, when: Condition | None, if_not_asked: IfNotAsked) -> Gate | None:
    if when is None:
        return None
    out = tuple(condition_state(when, None, sixth_form, framework) is False for sixth_form in (False, True))
    if if_not_asked is IfNotAsked.does_not_apply:
        ruled_out = _NOT_APPLICABLE
    else:
        ruled_out = Asked(RULED_OUT, tuple(dict.fromkeys(when.questions())))
    return Gate(when, (out[0], out[1]), ruled_out)


def _decide(gate: Gate, effective: Mapping[str, Any], hidden: set[str], sixth_form: bool,
            framework: Framework) -> Asked:
    """Whether a gated criterion or question is asked, the institution's part decided beforehand."""
    if gate.institution_out[sixth_form]:
        return _NOT_APPLICABLE
    state = condition_state(gate.when, effective, sixth_form, framework, hidden)
    if state is True:
        return _ASKED
    return _WAITING if state is None else gate.ruled_out


def _criterion_status(rule: str | int, areas: int, met: int, unanswered: int, some_credit: int) -> Status:
    """A criterion's status by its rule, from the counts of its areas."""
    if not areas:
        return Status.not_applicable
    if unanswered == areas:
        return Status.unscored
    if rule == "all":
        achieved = met == areas
    elif rule == "any":
        achieved = met >= 1
    else:
        achieved = met >= min(int(rule), areas)
    if achieved:
        return Status.achieved
    return Status.in_progress if some_credit else Status.not_achieved


def _benchmark(bench: CompiledBenchmark, areas: list[tuple[Area, ...]], statuses: list[Status],
               partial_credit: float) -> BenchmarkSheet:
    """A benchmark's figures, from the areas of its criteria."""
    count = met = in_progress = 0
    for n in bench.criteria:
        for area in areas[n]:
            count += 1
            status = area[1]
            if status is AreaStatus.met:
                met += 1
            elif status is AreaStatus.in_progress:
                in_progress += 1
    if not count:
        return BenchmarkSheet(None, False, Status.not_applicable, 0, 0, 0)
    if not any(statuses[n].counts for n in bench.criteria):
        return BenchmarkSheet(None, False, Status.unscored, count, 0, 0)
    score = (met + partial_credit * in_progress) / count * 100
    achieved = met == count
    return BenchmarkSheet(score, achieved, benchmark_status(achieved, score, in_progress), count, met, in_progress)


def _written(qid: str, raw: Any) -> Any:
    """A key for an answer as written, telling apart what Python holds equal (1, 1.0 and True; "1" and 1);
    None for an answer that cannot be a key (lists or mappings within it)."""
    kind = type(raw)
    parts: Any
    if kind is list:
        parts = tuple((type(item), item) for item in raw)
    elif kind is dict:
        parts = tuple((type(k), k, type(v), v) for k, v in raw.items())
    else:
        parts = raw
    try:
        hash(parts)
    except TypeError:
        return None
    return (qid, kind, parts)
