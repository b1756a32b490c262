"""Scoring, with expectations worked out by hand on the mini framework (tests/fixtures/mini)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compass_cli.core.answers import normalise
from compass_cli.core.evaluation import Evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.models import AnswerFile, Condition, QuestionKind, Status
from compass_cli.core.scoring import condition_state, score

from .best_answers import best_answers
from .conftest import answer_doc


def run(fw: Framework, answers: dict[str, Any], sixth_form: bool = False, partial_credit: float = 0.0):
    model = AnswerFile.model_validate(answer_doc(fw.id, answers, sixth_form))
    canonical, problems = normalise(fw, model)
    assert not problems
    return score(Evaluation(fw, model, canonical), partial_credit=partial_credit)


TYPICAL = {
    "B1.1.1": "yes", "B1.1.2": "partly",        # met; credit 0.5 -> in progress
    "B1.2.1": ["a"], "B1.2.2": "In the folder",  # 1 of 2 items -> in progress; text is not an area
    "B1.3.1": "no", "B1.3.2": "agree",          # not met; met (rule any: B1.3 achieved)
    "B2.1.1": {"Y10": "all", "Y11": "some"},    # Y12 not asked without a sixth form; credit 0.7
    "B2.1.2": 4, "B2.1.3": 12,                  # 4 of target 4 -> met; no target -> not an area
}


def test_hand_worked_typical_school(mini):
    r = run(mini, TYPICAL)
    b1, b2 = r.benchmarks
    assert [c.status for c in b1.criteria] == [Status.in_progress, Status.in_progress, Status.achieved]
    assert (b1.areas, b1.areas_met, b1.areas_in_progress) == (5, 2, 2)
    assert b1.score == pytest.approx(40)  # 2 of 5 assessment areas met
    assert [c.status for c in b2.criteria] == [Status.in_progress, Status.not_applicable]  # B2.2: sixth form only
    assert (b2.areas, b2.areas_met) == (2, 1)  # B2.2.1 does not apply, so it is not an area
    assert b2.score == pytest.approx(50) and b2.status is Status.in_progress and not b2.achieved
    assert r.benchmarks_achieved == 0
    assert r.average_score == pytest.approx((40 + 50) / 2)
    assert r.complete and r.unanswered == []


def test_one_gap_among_n_areas_scores_n_minus_one_over_n(mini):
    answers = dict(TYPICAL, **{"B1.1.2": "trained", "B1.2.1": ["a", "b"], "B1.3.1": "yes"})
    assert run(mini, answers).benchmarks[0].score == 100
    for qid, worse in (("B1.1.2", "none"), ("B1.2.1", ["a"]), ("B1.3.2", "disagree")):
        b1 = run(mini, dict(answers, **{qid: worse})).benchmarks[0]
        assert b1.score == pytest.approx(100 * 4 / 5) and not b1.achieved, qid
        assert [a.question for c in b1.criteria for a in c.areas if not a.met] == [qid]


def test_partial_credit_setting(mini):
    r = run(mini, TYPICAL, partial_credit=0.5)
    b1, b2 = r.benchmarks
    assert b1.score == pytest.approx((2 + 0.5 * 2) / 5 * 100)  # 60
    assert b2.score == pytest.approx((1 + 0.5) / 2 * 100)  # 75
    assert r.benchmarks_achieved == 0  # partial credit never makes a benchmark achieved


def test_an_answer_that_rules_a_question_out_makes_it_not_met(mini):
    answers = dict(TYPICAL, **{"B1.1.1": "no"})  # no leader, so the training question is not asked
    r = run(mini, answers)
    crit = r.benchmarks[0].criteria[0]
    assert crit.status is Status.not_achieved
    assert [(a.question, a.status.value, a.ruled_out_by) for a in crit.areas] == [
        ("B1.1.1", "not_met", []), ("B1.1.2", "not_met", ["B1.1.1"])
    ]
    assert [g.text for g in crit.gaps] == ["There is no leader.", "Not yet met: How trained is the leader?"]
    assert r.benchmarks[0].areas == 5 and r.benchmarks[0].score == pytest.approx(20)  # only B1.3.2 met


def test_gaps_list_unticked_items_and_short_groups(mini):
    r = run(mini, TYPICAL)
    gaps = {g.text: g for c in r.benchmarks[0].criteria for g in c.gaps}
    assert gaps["B is missing."].items == ["b"]
    assert gaps["Not yet met: How trained is the leader?"].option == "partly"
    share_gap = r.benchmarks[1].criteria[0].gaps[0]
    assert "Year 11: Some (26-50%)" in share_gap.text and "Year 10" not in share_gap.text
    assert share_gap.groups == ["Y11"]


def test_sixth_form_criterion_unanswered_counts_against_the_benchmark(mini):
    answers = dict(TYPICAL, **{"B2.1.1": {"Y10": "all", "Y11": "all", "Y12": "all"}})
    r = run(mini, answers, sixth_form=True)
    b2 = r.benchmarks[1]
    assert b2.criteria[1].status is Status.unscored and b2.criteria[1].unanswered == ["B2.2.1"]
    assert b2.areas == 3 and b2.score == pytest.approx(200 / 3) and not b2.achieved  # unanswered is not met
    assert r.unanswered == ["B2.2.1"] and not r.complete
    answers["B2.2.1"] = "yes"
    r = run(mini, answers, sixth_form=True)
    assert r.benchmarks[1].score == 100 and r.benchmarks[1].achieved


def test_nothing_answered_is_unscored(mini):
    r = run(mini, {})
    assert all(b.status is Status.unscored and b.score is None for b in r.benchmarks)
    assert r.average_score == 0 and r.benchmarks_achieved == 0
    assert "B1.1.1" in r.unanswered and "B1.1.2" not in r.unanswered  # follow-up not asked yet


def test_partly_answered_criterion_cannot_be_achieved(mini):
    r = run(mini, {"B1.1.1": "yes"})  # follow-up B1.1.2 unanswered
    assert r.benchmarks[0].criteria[0].status is Status.in_progress
    assert r.benchmarks[0].criteria[0].unanswered == ["B1.1.2"]


def test_a_follow_up_waits_for_the_answer_it_depends_on(mini):
    r = run(mini, {"B1.3.1": "yes"})  # B1.1.1 unanswered: B1.1.2 is neither asked nor ruled out yet
    areas = {a.question: a for c in r.benchmarks[0].criteria for a in c.areas}
    assert areas["B1.1.2"].status.value == "unanswered" and areas["B1.1.2"].ruled_out_by == []


def test_share_with_one_band_for_all_groups(mini):
    r = run(mini, dict(TYPICAL, **{"B2.1.1": "all"}))
    assert r.benchmarks[1].criteria[0].status is Status.achieved


def test_score_rejects_partial_credit_out_of_range(mini):
    for bad in (1.5, 1.0, -0.1):  # at 1 an area in progress would count as met, and 100% would lie
        with pytest.raises(ValueError):
            run(mini, TYPICAL, partial_credit=bad)


# --------------------------------------------------------------------------- properties


def _option_values(fw: Framework, q) -> list[Any]:
    """Every possible answer of a question, from worst credit to best."""
    if q.kind is QuestionKind.checklist:
        ids = [i.id for i in q.items]
        return [ids[:n] for n in range(len(ids) + 1)]
    if q.kind is QuestionKind.share:
        return [o.value for o in sorted(fw.options(q), key=lambda o: o.credit)]
    if q.kind is QuestionKind.number:
        top = q.target or 5
        return [0, top / 2, top]
    if q.kind is QuestionKind.text:
        return ["", "evidence"]
    return [o.value for o in sorted(fw.options(q), key=lambda o: o.credit)]


@st.composite
def evaluations(draw, fw: Framework):
    """A complete set of answers (hidden questions answered too) and a sixth-form flag."""
    sixth_form = draw(st.booleans())
    answers = {}
    for q in fw.questions():
        values = _option_values(fw, q)
        answers[q.id] = values[draw(st.integers(0, len(values) - 1))]
    return sixth_form, answers


def _score(fw: Framework, answers: dict, sixth_form: bool, pc: float):
    model = AnswerFile.model_validate(answer_doc(fw.id, {}, sixth_form))
    canonical = {}
    for qid, raw in answers.items():
        q = fw.question(qid)
        if raw == "" or raw is None:
            continue
        if q.kind is QuestionKind.share and isinstance(raw, str):
            raw = {g: raw for g in q.groups}
        canonical[qid] = raw
    return score(Evaluation(fw, model, canonical), partial_credit=pc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), pc=st.sampled_from([0.0, 0.5]))
def test_improving_one_answer_never_lowers_a_score(schools, data, pc):
    sixth_form, answers = data.draw(evaluations(schools))
    q = data.draw(st.sampled_from([q for q in schools.questions() if q.is_scored]))
    values = _option_values(schools, q)
    i = values.index(answers[q.id])
    if i == len(values) - 1:
        return
    better = dict(answers, **{q.id: values[data.draw(st.integers(i + 1, len(values) - 1))]})
    before, after = _score(schools, answers, sixth_form, pc), _score(schools, better, sixth_form, pc)
    for b0, b1 in zip(before.benchmarks, after.benchmarks, strict=True):
        assert (b1.score or 0) >= (b0.score or 0) - 1e-9, (q.id, b0.id)
    assert after.benchmarks_achieved >= before.benchmarks_achieved


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), pc=st.sampled_from([0.0, 0.5, 0.99]))
def test_score_is_100_exactly_when_every_applicable_area_is_met(schools, data, pc):
    sixth_form, answers = data.draw(evaluations(schools))
    if data.draw(st.booleans()):  # bias towards strong schools, where the edge is
        best = best_answers(schools, sixth_form)
        keep = data.draw(st.sets(st.sampled_from(sorted(best))))
        answers.update({k: best[k] for k in keep})
    result = _score(schools, answers, sixth_form, pc)
    for b in result.benchmarks:
        every = b.areas > 0 and all(a.met for c in b.criteria for a in c.areas)
        assert (b.score == 100) == every == b.achieved, b.id
        assert b.areas_met == sum(a.met for c in b.criteria for a in c.areas)
        assert b.score is None or 0 <= b.score <= 100
    assert result.benchmarks_achieved == sum(b.score == 100 for b in result.benchmarks)


def test_answers_to_questions_not_asked_are_listed_as_ignored(mini):
    answers = dict(TYPICAL, **{"B1.1.1": "no", "B2.1.1": {"Y10": "all", "Y11": "some", "Y12": "all"}})
    r = run(mini, answers)  # no sixth form: Y12 is not asked; B1.1.2 follows a "yes" only
    assert r.ignored == ["B1.1.2", "B2.1.1 (Y12)"]


def test_a_text_left_blank_on_purpose_is_no_answer_to_a_condition(mini):
    """Issue 21: the audit keeps '' for free text left blank on purpose; to ``answered`` it is still no answer, as
    it was when the reader dropped it."""
    assert mini.question("B1.2.2").kind is QuestionKind.text
    answered = Condition.model_validate({"question": "B1.2.2", "answered": True})
    assert condition_state(answered, {"B1.2.2": ""}, False, mini) is False
    assert condition_state(answered, {"B1.2.2": "In the folder"}, False, mini) is True
    assert run(mini, dict(TYPICAL, **{"B1.2.2": ""})) == run(mini, {k: v for k, v in TYPICAL.items() if k != "B1.2.2"})


# --------------------------------------------------------------------------- a benchmark's status


NOTHING_IN_PLACE = {"B1.1.1": "no", "B1.2.1": [], "B1.3.1": "no", "B1.3.2": "disagree"}


def test_a_benchmark_with_nothing_in_place_is_not_started(mini):
    b1 = run(mini, NOTHING_IN_PLACE).benchmarks[0]
    assert (b1.score, b1.areas_met, b1.areas_in_progress) == (0, 0, 0)
    assert b1.status is Status.not_started and b1.status.label == "Not started"
    assert {c.status for c in b1.criteria} == {Status.not_achieved}  # only a benchmark is "not started"


def test_a_benchmark_at_0_with_areas_in_progress_is_not_achieved(mini):
    b1 = run(mini, dict(NOTHING_IN_PLACE, **{"B1.2.1": ["a"]})).benchmarks[0]  # one of two items: in progress
    assert (b1.score, b1.areas_met, b1.areas_in_progress) == (0, 0, 1)
    assert b1.status is Status.not_achieved
    assert b1.criteria[1].status is Status.in_progress  # the criterion has something under way


def test_a_benchmark_above_0_is_in_progress(mini):
    b1 = run(mini, dict(NOTHING_IN_PLACE, **{"B1.1.1": "yes"})).benchmarks[0]  # one area met
    assert b1.areas_met == 1 and b1.status is Status.in_progress
    # partial credit for the area in progress lifts the score above 0, and the status with it
    b1 = run(mini, dict(NOTHING_IN_PLACE, **{"B1.2.1": ["a"]}), partial_credit=0.5).benchmarks[0]
    assert b1.score == pytest.approx(10) and b1.status is Status.in_progress
