"""The scoring rule stated step by step (core/scoring.py's docstring), as a reference for the compiled scorer.

This is how scoring.py scored before the framework was compiled (core/compiled.py): every
question's ``when`` decided in full each time, each criterion and benchmark made of validated
models. The answers that count are taken in the framework's order, whatever the file's, as the
compiled form takes them (so the parts they are not counted for come in that order). The
library scores with the compiled form only; test_compiled.py checks it gives
exactly this Result for random answer files of every framework. The pieces both share
(conditions, credit, gaps, a benchmark's status, the Result's other parts) are scoring.py's.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from compass_cli.core.evaluation import Evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.kinds import FULL, gap_text
from compass_cli.core.models import (
    AreaResult,
    AreaStatus,
    BenchmarkResult,
    Condition,
    Criterion,
    CriterionResult,
    Gap,
    IfNotAsked,
    Result,
    Status,
)
from compass_cli.core.scoring import (
    ASKED,
    NOT_APPLICABLE,
    RULED_OUT,
    WAITING,
    Asked,
    answer_credit,
    benchmark_status,
    check_partial_credit,
    condition_state,
    question_gaps,
    result_of,
)


def _gate(when: Condition | None, if_not_asked: IfNotAsked, effective: Mapping[str, Any], hidden: Set[str],
          sixth_form: bool, framework: Framework) -> Asked:
    if when is None:
        return Asked(ASKED)
    if condition_state(when, None, sixth_form, framework) is False:
        return Asked(NOT_APPLICABLE)  # the institution alone rules it out
    state = condition_state(when, effective, sixth_form, framework, hidden)
    if state is True:
        return Asked(ASKED)
    if state is None:
        return Asked(WAITING)
    if if_not_asked is IfNotAsked.does_not_apply:
        return Asked(NOT_APPLICABLE)
    return Asked(RULED_OUT, tuple(dict.fromkeys(when.questions())))


def question_states(framework: Framework, answers: Mapping[str, Any], sixth_form: bool) -> dict[str, Asked]:
    """For every question, in order: is it asked of this institution, given earlier answers?"""
    states: dict[str, Asked] = {}
    effective: dict[str, Any] = {}
    hidden: set[str] = set()
    not_asked = frozenset() if sixth_form else framework.index.sixth_form_only
    for crit in framework.index.criteria:
        crit_state = _gate(crit.when, crit.if_not_asked, effective, hidden, sixth_form, framework)
        for q in crit.questions:
            state = crit_state
            if state.shown:
                state = _gate(q.when, q.if_not_asked, effective, hidden, sixth_form, framework)
            if state.shown and q.id in not_asked:
                state = Asked(NOT_APPLICABLE)
            qid = q.id
            states[qid] = state
            if state.shown:
                if qid in answers:
                    effective[qid] = answers[qid]
            elif state.state != WAITING:
                hidden.add(qid)
    return states


def _area_status(credit: float) -> AreaStatus:
    if credit >= FULL:
        return AreaStatus.met
    return AreaStatus.in_progress if credit > 0 else AreaStatus.not_met


def _score_criterion(framework: Framework, crit: Criterion, answers: Mapping[str, Any], states: Mapping[str, Asked],
                     sixth_form: bool, gaps: bool) -> CriterionResult:
    areas: list[AreaResult] = []
    unanswered: list[str] = []
    unmet: list[Gap] = []
    for q in framework.index.scored[crit.id]:
        state = states[q.id]
        if state.state == NOT_APPLICABLE:
            continue
        if state.state == RULED_OUT:
            areas.append(AreaResult(question=q.id, status=AreaStatus.not_met, credit=0.0, ruled_out_by=list(state.by)))
            if gaps:
                unmet.append(Gap(question=q.id, text=gap_text(q), ruled_out_by=list(state.by)))
            continue
        value = answers.get(q.id) if state.shown else None
        credit = answer_credit(framework, q, value, sixth_form)
        if credit is None:
            areas.append(AreaResult(question=q.id, status=AreaStatus.unanswered, credit=0.0))
            unanswered.append(q.id)
            continue
        status = _area_status(credit)
        areas.append(AreaResult(question=q.id, status=status, credit=credit))
        if gaps and status is not AreaStatus.met:
            unmet += question_gaps(framework, q, value, sixth_form)
    return CriterionResult(id=crit.id, text=crit.text, source=crit.source, status=_criterion_status(crit, areas),
                           areas=areas, unanswered=unanswered, gaps=unmet)


def _criterion_status(crit: Criterion, areas: list[AreaResult]) -> Status:
    if not areas:
        return Status.not_applicable
    if all(a.status is AreaStatus.unanswered for a in areas):
        return Status.unscored
    met = sum(1 for a in areas if a.status is AreaStatus.met)
    rule = crit.rule
    if rule == "all":
        achieved = met == len(areas)
    elif rule == "any":
        achieved = met >= 1
    else:
        achieved = met >= min(rule.at_least, len(areas))
    if achieved:
        return Status.achieved
    return Status.in_progress if any(a.credit > 0 for a in areas) else Status.not_achieved


def _benchmark_result(bid: str, title: str, crits: list[CriterionResult], partial_credit: float) -> BenchmarkResult:
    areas = [a for c in crits for a in c.areas]
    if not areas:
        return BenchmarkResult(id=bid, title=title, score=None, achieved=False, status=Status.not_applicable,
                               criteria=crits)
    if not any(c.status.counts for c in crits):
        return BenchmarkResult(id=bid, title=title, score=None, achieved=False, status=Status.unscored,
                               areas=len(areas), criteria=crits)
    met = sum(1 for a in areas if a.status is AreaStatus.met)
    in_progress = sum(1 for a in areas if a.status is AreaStatus.in_progress)
    score = (met + partial_credit * in_progress) / len(areas) * 100
    achieved = met == len(areas)
    return BenchmarkResult(id=bid, title=title, score=score, achieved=achieved,
                           status=benchmark_status(achieved, score, in_progress), areas=len(areas),
                           areas_met=met, areas_in_progress=in_progress, criteria=crits)


def score(evaluation: Evaluation, *, partial_credit: float = 0.0, gaps: bool = True) -> Result:
    """Score one evaluation step by step (what scoring.score gives, by the compiled form)."""
    check_partial_credit(partial_credit)
    framework, answers = evaluation.framework, evaluation.answers
    sixth_form = evaluation.answer_file.institution.sixth_form
    states = question_states(framework, answers, sixth_form)
    effective = {qid: answers[qid] for qid, state in states.items() if state.shown and qid in answers}
    benchmarks: list[BenchmarkResult] = []
    for bench in framework.benchmarks:
        crits = [_score_criterion(framework, crit, effective, states, sixth_form, gaps) for crit in bench.criteria]
        benchmarks.append(_benchmark_result(bench.id, bench.title, crits, partial_credit))
    return result_of(evaluation, partial_credit, states, effective, benchmarks)
