"""Issue 15's corrections to Benchmarks 1 to 4 of the 2025 schools questionnaire, one test each.

(That every gap has an action naming it is walked for every framework in
tests/report/test_plan_gaps.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from compass_cli.core.evaluation import Evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.models import AnswerFile, QuestionKind
from compass_cli.core.scoring import applicable_groups, score

from .best_answers import best_answers
from .conftest import answer_doc

MINE = ("B1", "B2", "B3", "B4")


def result_for(fw: Framework, answers: dict[str, Any], sixth_form: bool = True):
    return score(Evaluation(fw, AnswerFile.model_validate(answer_doc(sixth_form=sixth_form)), answers))


def areas(fw: Framework, answers: dict[str, Any], bid: str, sixth_form: bool = True) -> dict[str, bool]:
    bench = result_for(fw, answers, sixth_form).benchmark(bid)
    return {a.question: a.met for c in bench.criteria for a in c.areas}


def test_provider_access_policy_is_asked_once_under_b7(schools: Framework):
    """Domain guide part 3 puts the provider access policy statement under B7 (B7.1.8)."""
    assert not schools.has_question("B1.3.2")
    b135 = schools.question("B1.3.5")
    assert "provider_access" not in [i.id for i in b135.items or []]
    assert b135.when is not None and b135.when.question == "B1.3.1" and b135.when.equals == "yes"
    assert schools.has_question("B7.1.8")
    b1_words = " ".join(q.text + " " + " ".join(i.text for i in q.items or [])
                        for b in schools.benchmarks if b.id == "B1" for q in b.questions())
    assert "provider access" not in b1_words.lower()
    # one missing policy costs B7 only
    answers = best_answers(schools, True) | {"B7.1.8": "no"}
    r = result_for(schools, answers)
    assert r.benchmark("B1").score == 100 and r.benchmark("B7").score < 100


@pytest.mark.parametrize(("answer", "met"), [
    ("three_years", True), ("two_years", True), ("sustained", False), ("first_destination", False),
    ("intended_only", False),
])
def test_two_years_of_sustained_destinations_with_alumni_meet_b33(schools: Framework, answer: str, met: bool):
    """2025: "sustained and longer-term" destinations; three years is common practice, not the rule."""
    assert not schools.has_question("B3.3.1")
    answers = best_answers(schools, True) | {"B3.3.5": answer, "B3.3.4": "embedded"}
    assert areas(schools, answers, "B3")["B3.3.5"] is met
    crit = next(c for c in result_for(schools, answers).benchmark("B3").criteria if c.id == "B3.3")
    assert (crit.status.value == "achieved") is met


def test_b4_asks_about_every_subject(schools: Framework):
    """Every year, in every subject, every pupil (B4.1.6 replaces B4.1.1)."""
    assert not schools.has_question("B4.1.1")
    q = schools.question("B4.1.6")
    assert q.kind is QuestionKind.share and q.groups == ["Y7", "Y8", "Y9", "Y10", "Y11", "Y12", "Y13"]
    assert "every subject" in q.text and q.is_scored


@pytest.mark.parametrize("qid", ["B2.1.6", "B2.1.7", "B3.4.4", "B2.2.2"])
def test_points_no_numbered_criterion_asks_are_asked_but_not_scored(schools: Framework, qid: str):
    q = schools.question(qid)
    assert not q.is_scored and q.help and "not scored" in q.help.lower().replace("\n", " ")
    best = best_answers(schools, True)
    assert qid in best  # asked of every school
    if q.kind is QuestionKind.checklist:
        worst: Any = []
    elif q.kind is QuestionKind.number:
        worst = 0
    else:
        worst = min(schools.options(q), key=lambda o: o.credit).value
    before, after = result_for(schools, best), result_for(schools, best | {qid: worst})
    assert before.benchmark(qid[:2]).score == after.benchmark(qid[:2]).score == 100


def _short_answers(fw: Framework, q, best: Any, sixth_form: bool):
    """(label, answer, narrowing) for each way the question can fall short of full credit."""
    if q.kind is QuestionKind.checklist:
        return [(i.id, [x for x in best if x != i.id], ("items", i.id)) for i in q.items or []]
    if q.kind is QuestionKind.share:
        return [(g, {**best, g: "most"}, ("groups", g)) for g in applicable_groups(fw, q, sixth_form)]
    if q.kind is QuestionKind.number:
        return [("0", 0, None)]
    return [(o.value, o.value, ("options", o.value)) for o in fw.options(q) if o.credit < 1]
