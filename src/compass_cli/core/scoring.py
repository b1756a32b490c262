"""Scoring: pure functions from an evaluation (its framework and answers) to a Result. No I/O.

The rule (docs/scoring.md has a worked example):

* Every scored question that applies to the institution is one **assessment area**. Its
  answer earns a credit from 0 to 1: *met* at 1, *in progress* above 0, *not met* at 0.
* Whether a question is asked follows its ``when`` condition (and its criterion's):
  - false because of the institution (no sixth form): the area does not apply at all;
  - false because of an earlier answer (no careers leader, so no training question): the
    area is *ruled out* and counts as not met, unless the question says
    ``if_not_asked: does_not_apply`` (a follow-up that only matters after a given answer);
  - not yet known because the answers it depends on are missing: the area is unanswered.
* A criterion's status comes from its areas by its rule (``all``, ``any``, ``at_least``):
  achieved; in progress (some credit); not achieved (none); unscored (nothing answered).
* A benchmark's score is (areas met + partial credit x areas in progress) / areas x 100,
  once anything in it is answered; unanswered areas count as not met. It is fully achieved
  only at 100%, when every area that applies is met; in progress above 0%; at 0%, not
  achieved if some area is in progress, else not started.

The rule is applied by the framework's compiled form (compiled.py), which works out once what
each framework asks; this module holds the pieces it is made of (conditions, credit, gaps, a
benchmark's status, the Result's other parts) and the library's ``score``. The rule stated step
by step is kept in the tests (tests/core/reference_scoring.py), which check that the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from compass_cli.core.framework import Framework
from compass_cli.core.kinds import said
from compass_cli.core.models import (
    BenchmarkResult,
    Condition,
    Gap,
    Question,
    Result,
    Status,
)

if TYPE_CHECKING:
    from compass_cli.core.evaluation import Evaluation

# --------------------------------------------------------------------------- conditions


def condition_state(
    cond: Condition,
    answers: Mapping[str, Any] | None,
    sixth_form: bool,
    framework: Framework,
    hidden: Set[str] = frozenset(),
) -> bool | None:
    """A ``when`` condition in three-valued logic: True, False, or None for "not known yet".

    A clause on a question that is not answered yet is unknown; a clause on a question that
    is not asked (``hidden``) is decided as if it had no answer for good. ``answers=None``
    evaluates the institution's part alone, every question clause being unknown: that is how
    "not asked because of the institution" is told apart from "ruled out by an answer".
    The operators are a closed set (models.CONDITION_OPERATORS), resolved here; no eval.
    """
    if cond.question is not None:
        if answers is None:
            return None
        qid = cond.question
        if qid in hidden:
            return cond.answered is False if cond.answered is not None else False
        value: object = said(answers.get(qid))  # a question left blank on purpose says nothing
        if cond.answered is not None:
            return (value is not None) == cond.answered
        if value is None:
            return None
        if cond.equals is not None:
            return value == cond.equals
        if cond.in_ is not None:
            return value in cond.in_
        if cond.includes is not None:
            return isinstance(value, list) and cond.includes in value
        if cond.at_least is not None:
            return isinstance(value, (int, float)) and value >= cond.at_least
        if cond.credit_above is not None:
            credit = answer_credit(framework, framework.question(qid), value, sixth_form, partial=True)
            return None if credit is None else credit > cond.credit_above
        return False  # pragma: no cover - the model allows no other shape
    if cond.sixth_form is not None:
        return sixth_form == cond.sixth_form
    if cond.all is not None:
        states = [condition_state(c, answers, sixth_form, framework, hidden) for c in cond.all]
        return False if False in states else (None if None in states else True)
    if cond.any is not None:
        states = [condition_state(c, answers, sixth_form, framework, hidden) for c in cond.any]
        return True if True in states else (None if None in states else False)
    if cond.not_ is not None:
        state = condition_state(cond.not_, answers, sixth_form, framework, hidden)
        return None if state is None else not state
    return False  # pragma: no cover - the model allows no other shape


@dataclass(frozen=True)
class Asked:
    """Whether one question is asked of this institution now, and if not, why."""

    state: str  # one of ASKED, WAITING, RULED_OUT, NOT_APPLICABLE
    by: tuple[str, ...] = ()  # the questions whose answers rule it out

    @property
    def shown(self) -> bool:
        return self.state == ASKED


ASKED, WAITING, RULED_OUT, NOT_APPLICABLE = "asked", "waiting", "ruled_out", "not_applicable"


def question_states(framework: Framework, answers: Mapping[str, Any], sixth_form: bool) -> dict[str, Asked]:
    """For every question, in order: is it asked of this institution, given earlier answers?
    (Decided by the compiled framework, which knows beforehand what the institution alone rules out.)"""
    return framework.compiled.asked(answers, sixth_form)[0]


def applicable_answers(framework: Framework, answers: Mapping[str, Any], sixth_form: bool) -> dict[str, bool]:
    """For every question, in order: is it asked now (shown to the person answering)?"""
    return {qid: state.shown for qid, state in question_states(framework, answers, sixth_form).items()}


def applicable_groups(framework: Framework, q: Question, sixth_form: bool) -> list[str]:
    """The groups a share question asks about for this institution."""
    return list(framework.index.groups_asked.get((q.id, sixth_form), ()))


# --------------------------------------------------------------------------- credit

def answer_credit(
    framework: Framework, q: Question, value: Any, sixth_form: bool, *, partial: bool = False
) -> float | None:
    """The credit (0 to 1) an answer earns, scored or not; None when unanswered.

    A share answer must cover every group asked, unless ``partial``: then the groups
    answered so far are averaged (what a condition on a half-answered question can see).
    """
    if value is None:
        return None
    return framework.index.kinds[q.id].credit(framework, q, value, sixth_form, partial)


# --------------------------------------------------------------------------- gaps and benchmarks


def question_gaps(framework: Framework, q: Question, value: Any, sixth_form: bool) -> list[Gap]:
    """What falls short in one answered question, in plain words, with the answers that fall short.

    A checklist gives one gap per unticked item; a share question one gap naming the groups
    below full credit; a question with options one gap naming the option chosen (kinds.py).
    """
    return framework.index.kinds[q.id].gaps(framework, q, value, sixth_form)


def benchmark_status(achieved: bool, score: float, areas_in_progress: int) -> Status:
    """A scored benchmark's status, as Compass words it: it agrees with the score beside it.

    Achieved at 100%; in progress above 0%; at 0%, not achieved when some area earns credit
    without being met (a "Disagree", a "most" short of "all"), not started when nothing does.
    So a benchmark built on "Disagree" answers is not shown as in progress at 0%, and one
    with nothing at all in place says so.
    """
    if achieved:
        return Status.achieved
    if score > 0:
        return Status.in_progress
    return Status.not_achieved if areas_in_progress else Status.not_started


# --------------------------------------------------------------------------- an evaluation


def score(evaluation: Evaluation, *, partial_credit: float = 0.0, gaps: bool = True) -> Result:
    """Score one evaluation (its answers are canonical: evaluation.load_evaluation).

    ``gaps=False`` leaves out the plain-words gaps of unmet areas: an action plan needs
    them, a summary of thousands of evaluations does not. ``partial_credit`` (0 up to, not
    including, 1) is what an area in progress earns; at 1 it would earn as much as a met
    one, and "100%" would no longer mean fully achieved.
    """
    return evaluation.sheet(partial_credit).result(evaluation, gaps)


def check_partial_credit(partial_credit: float) -> None:
    """Partial credit is at least 0 and less than 1: at 1 an area in progress would earn as much as a met one."""
    if not 0 <= partial_credit < 1:
        raise ValueError("partial_credit must be at least 0 and less than 1")


def result_of(evaluation: Evaluation, partial_credit: float, states: Mapping[str, Asked],
              effective: Mapping[str, Any], benchmarks: list[BenchmarkResult]) -> Result:
    """The Result of an evaluation whose benchmarks are scored: what is unanswered, ignored or no longer
    asked, and the averages (shared with the compiled scorer, compiled.py).

    Made without checking its parts again (``model_construct``): they are the scorer's own, and a
    one-file command then builds no validator for the whole Result."""
    framework, answer_file, answers = evaluation.framework, evaluation.answer_file, evaluation.answers
    index = framework.index
    inst = answer_file.institution
    unanswered = [
        q.id for q in index.questions
        if states[q.id].shown and not index.kinds[q.id].free_text and q.id not in effective
    ]
    ignored = [qid for qid in answers if qid in states and not states[qid].shown]
    for qid, value in effective.items():
        ignored += index.kinds[qid].not_counted(framework, index.by_id[qid], value, inst.sixth_form)
    scores = [b.score or 0.0 for b in benchmarks]
    default_type = framework.meta.institution.default_type
    return Result.model_construct(
        source=evaluation.source,
        framework=framework.id,
        framework_title=framework.meta.title,
        edition=framework.meta.edition,
        institution=inst if inst.type else inst.model_copy(update={"type": default_type}),
        type_label=framework.meta.type_label(inst.type),
        date=answer_file.evaluation.date,
        completed_by=answer_file.evaluation.completed_by.name,
        partial_credit=partial_credit,
        benchmarks=benchmarks,
        benchmarks_achieved=sum(1 for b in benchmarks if b.achieved),
        average_score=sum(scores) / len(scores) if scores else 0.0,
        unanswered=unanswered,
        complete=not unanswered,
        ignored=ignored,
        no_longer_asked=[qid for qid in answer_file.answers if qid in framework.meta.retired],
    )
