"""Scoring: pure functions from (framework, answers) to a Result. No I/O.

The rule (docs/scoring.md has a worked example):

* A question earns a credit from 0 to 1 from its answer; it is *met* at 1.
* A criterion's rule (``all``, ``any``, ``at_least: n``) over its applicable, scored
  questions gives achieved / in progress / not achieved; with no such question answered
  it is unscored. A criterion with unanswered questions cannot be achieved under ``all``.
* A benchmark's score is the credit of its scored criteria over their number, times 100:
  achieved earns 1, in progress earns ``partial_credit`` (default 0), not achieved 0.
  A criterion that applies but is not yet answered counts as 0 once anything else in the
  benchmark is answered. Fully achieved means 100%: every applicable criterion achieved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compass_cli.models import (
    AnswerFile,
    BenchmarkResult,
    Condition,
    Criterion,
    CriterionResult,
    Framework,
    Gap,
    InstitutionSummary,
    Question,
    QuestionKind,
    Result,
    Status,
)

FULL = 1 - 1e-9  # credit at or above this is full credit (guards float sums)


def condition_holds(cond: Condition, answers: Mapping[str, Any], sixth_form: bool) -> bool:
    """Evaluate a ``when`` condition against the answers given so far (closed set of operators)."""
    if cond.question is not None:
        value = answers.get(cond.question)
        if cond.answered is not None:
            return (value is not None) == cond.answered
        if value is None:
            return False
        if cond.equals is not None:
            return value == cond.equals
        if cond.in_ is not None:
            return value in cond.in_
        if cond.includes is not None:
            return isinstance(value, list) and cond.includes in value
        if cond.at_least is not None:
            return isinstance(value, (int, float)) and value >= cond.at_least
        return False
    if cond.sixth_form is not None:
        return sixth_form == cond.sixth_form
    if cond.all is not None:
        return all(condition_holds(c, answers, sixth_form) for c in cond.all)
    if cond.any is not None:
        return any(condition_holds(c, answers, sixth_form) for c in cond.any)
    if cond.not_ is not None:
        return not condition_holds(cond.not_, answers, sixth_form)
    return False  # pragma: no cover - the model allows no other shape


def applicable_groups(framework: Framework, q: Question, sixth_form: bool) -> list[str]:
    """The groups a share question asks about for this institution."""
    table = framework.memo("scoring: applicable groups", dict)
    found = table.get((q.id, sixth_form))
    if found is None:
        found = table[q.id, sixth_form] = [g for g in q.groups or [] if sixth_form or not framework.group(g).sixth_form]
    return list(found)


def applicable_answers(framework: Framework, answers: Mapping[str, Any], sixth_form: bool) -> dict[str, bool]:
    """For every question, in order: is it asked of this institution, given earlier answers?"""
    shown: dict[str, bool] = {}
    effective: dict[str, Any] = {}
    for crit_when, questions in _plan(framework):
        crit_ok = crit_when is None or condition_holds(crit_when, effective, sixth_form)
        for q, when, share in questions:
            ok = crit_ok and (when is None or condition_holds(when, effective, sixth_form))
            if ok and share and not applicable_groups(framework, q, sixth_form):
                ok = False
            qid = q.id
            shown[qid] = ok
            if ok and qid in answers:
                effective[qid] = answers[qid]
    return shown


def _plan(framework: Framework) -> list[tuple[Condition | None, list[tuple[Question, Condition | None, bool]]]]:
    """Each criterion's condition and its questions' conditions, looked up once per framework."""
    return framework.memo("scoring: plan", lambda: [
        (crit.when, [(q, q.when, q.kind is QuestionKind.share) for q in crit.questions])
        for crit in framework.criteria()
    ])


def _scored(framework: Framework, crit: Criterion) -> list[Question]:
    """The questions of a criterion that can earn credit, looked up once per framework."""
    table = framework.memo("scoring: scored questions", dict)
    found = table.get(crit.id)
    if found is None:
        found = table[crit.id] = [q for q in crit.questions if q.is_scored]
    return found


_OPTION_KINDS = (QuestionKind.yes_no, QuestionKind.choice, QuestionKind.agreement)  # a tuple: Enum hashing is slow


def question_credit(framework: Framework, q: Question, value: Any, sixth_form: bool) -> float | None:
    """The credit (0 to 1) an answer earns; None when unanswered (or only partly, for share)."""
    if value is None:
        return None
    kind = q.kind
    if kind in _OPTION_KINDS:
        return framework.credits(q)[value]
    if kind is QuestionKind.share:
        groups = applicable_groups(framework, q, sixth_form)
        if not all(g in value for g in groups):
            return None
        credit = framework.credits(q)
        return sum(credit[value[g]] for g in groups) / len(groups)
    if kind is QuestionKind.checklist:
        items = q.items or []
        return sum(1 for i in items if i.id in value) / len(items)
    if kind is QuestionKind.number:
        if q.target is None:
            return None
        return max(0.0, min(float(value) / q.target, 1.0))
    return None  # text


def score_criterion(
    framework: Framework,
    crit: Criterion,
    answers: Mapping[str, Any],
    shown: Mapping[str, bool],
    sixth_form: bool,
    partial_credit: float,
    gaps: bool = True,
) -> CriterionResult:
    credits: dict[str, float | None] = {}
    answered: list[Question] = []
    unanswered: list[str] = []
    asked = met = 0
    some_credit = False
    for q in _scored(framework, crit):
        if not shown[q.id]:
            continue
        asked += 1
        credit = credits[q.id] = question_credit(framework, q, answers.get(q.id), sixth_form)
        if credit is None:
            unanswered.append(q.id)
            continue
        answered.append(q)
        if credit >= FULL:
            met += 1
        if credit > 0:
            some_credit = True
    if not answered:
        return CriterionResult(
            id=crit.id, text=crit.text, source=crit.source, unanswered=unanswered, status=Status.unscored, credit=None
        )
    rule = crit.rule
    if rule == "all":
        achieved = not unanswered and met == asked
    elif rule == "any":
        achieved = met >= 1
    else:
        achieved = met >= min(rule.at_least, asked)  # type: ignore[union-attr]
    if achieved:
        status, credit = Status.achieved, 1.0
    elif some_credit:
        status, credit = Status.in_progress, partial_credit
    else:
        status, credit = Status.not_achieved, 0.0
    unmet = _gaps(framework, answered, answers, credits, sixth_form) if gaps and not achieved else []
    return CriterionResult(
        id=crit.id, text=crit.text, source=crit.source, unanswered=unanswered, status=status, credit=credit, gaps=unmet
    )


def _gaps(
    framework: Framework,
    answered: list[Question],
    answers: Mapping[str, Any],
    credits: Mapping[str, float | None],
    sixth_form: bool,
) -> list[Gap]:
    """The unmet answers of a criterion, in plain words, for the action plan."""
    gaps: list[Gap] = []
    for q in answered:
        if credits[q.id] is not None and credits[q.id] >= FULL:  # type: ignore[operator]
            continue
        value = answers[q.id]
        if q.kind is QuestionKind.checklist:
            for item in q.items or []:
                if item.id not in value:
                    gaps.append(Gap(question=q.id, text=item.gap or f"Not yet in place: {item.text}"))
            continue
        text = q.gap or f"Not yet met: {q.text}"
        if q.kind is QuestionKind.share:
            labels = {o.value: o.label for o in framework.options(q)}
            short = [
                f"{framework.group(g).label}: {labels[value[g]].split(' (')[0].lower()}"
                for g in applicable_groups(framework, q, sixth_form)
                if value[g] != "all"
            ]
            text += " (" + "; ".join(short) + ")"
        gaps.append(Gap(question=q.id, text=text))
    return gaps


def score(framework: Framework, answer_file: AnswerFile, answers: Mapping[str, Any], *,
          partial_credit: float = 0.0, source: str | None = None, gaps: bool = True) -> Result:
    """Score one evaluation. ``answers`` are the canonical answers (answers.normalise).

    ``gaps=False`` leaves out the plain-words gaps of unmet criteria: an action plan needs
    them, a summary of thousands of evaluations does not, and they are a third of the cost.
    """
    if not 0 <= partial_credit <= 1:
        raise ValueError("partial_credit must be between 0 and 1")
    inst = answer_file.institution
    sixth_form = inst.sixth_form
    shown = applicable_answers(framework, answers, sixth_form)
    effective = {qid: v for qid, v in answers.items() if shown.get(qid)}
    benchmarks: list[BenchmarkResult] = []
    for bench in framework.benchmarks:
        crits = []
        for crit in bench.criteria:
            crits.append(score_criterion(framework, crit, effective, shown, sixth_form, partial_credit, gaps))
        benchmarks.append(_benchmark_result(bench.id, bench.title, crits))
    unanswered = [
        q.id for q in framework.questions() if shown[q.id] and q.kind is not QuestionKind.text and q.id not in effective
    ]
    ignored = [qid for qid in answers if not shown.get(qid)]
    questions = framework.questions_by_id()
    for qid, value in effective.items():
        q = questions[qid]
        if q.kind is QuestionKind.share:
            groups = applicable_groups(framework, q, sixth_form)  # once per answer, not once per group
            ignored += [f"{qid} ({g})" for g in value if g not in groups]
    scores = [b.score or 0.0 for b in benchmarks]
    return Result(
        source=source,
        framework=framework.id,
        framework_title=framework.meta.title,
        edition=framework.meta.edition,
        institution=InstitutionSummary(
            name=inst.name, urn=inst.urn, ukprn=inst.ukprn, type=inst.type.value, site=inst.site,
            local_authority=inst.local_authority, sixth_form=inst.sixth_form,
        ),
        date=answer_file.evaluation.date,
        completed_by=answer_file.evaluation.completed_by.name,
        partial_credit=partial_credit,
        benchmarks=benchmarks,
        benchmarks_achieved=sum(1 for b in benchmarks if b.achieved),
        average_score=sum(scores) / len(scores) if scores else 0.0,
        unanswered=unanswered,
        complete=not unanswered,
        ignored=ignored,
    )


def _benchmark_result(bid: str, title: str, crits: list[CriterionResult]) -> BenchmarkResult:
    """Score a benchmark from its criteria.

    Criteria that do not apply (unscored, nothing to answer) are left out. A criterion that
    applies but has no answer yet counts as not achieved, once anything in the benchmark has
    been answered: so 100% always means every applicable criterion is achieved.
    """
    scored = [c for c in crits if c.status is not Status.unscored]
    if not scored:
        return BenchmarkResult(id=bid, title=title, score=None, achieved=False, status=Status.unscored, criteria=crits)
    counted = [c for c in crits if c.applies]
    score = sum(c.credit or 0.0 for c in counted) / len(counted) * 100
    achieved = all(c.status is Status.achieved for c in counted)
    if achieved:
        status = Status.achieved
    elif score > 0 or any(c.status is Status.in_progress for c in scored):
        status = Status.in_progress
    else:
        status = Status.not_achieved
    return BenchmarkResult(id=bid, title=title, score=score, achieved=achieved, status=status, criteria=crits)
