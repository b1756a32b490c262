"""The bundled special-school framework (issue 11, point 4): complete, comparable with the
schools framework, adapted where the domain guide (part 2) says, and its example scores as its
header says."""

from __future__ import annotations

import re
from typing import Any

import pytest

from compass_cli.core.answers import normalise
from compass_cli.core.evaluation import Evaluation, load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import AnswerFile, QuestionKind
from compass_cli.core.scoring import applicable_answers, score

from .best_answers import best_answers
from .conftest import EXAMPLES, ROOT, answer_doc

FOLDER = ROOT / "questionnaires" / "gatsby-2025-special"

# Every criterion of the domain guide, part 3 (schools 2025), as the special-school evaluation
# keeps it (part 2: one set of benchmarks for everyone), with what it measures.
CRITERIA = {
    "B1.1": "stable programme backed by governors, head and SLT, led by a trained careers leader",
    "B1.2": "tailored, sequenced plan with outcomes, linked to the development plan, engaging families",
    "B1.3": "published on the website and explained",
    "B1.4": "evaluated regularly with feedback from pupils, families, staff, advisers, employers",
    "B2.1": "every pupil finds and uses careers and labour market information in each key stage",
    "B2.2": "parents and carers encouraged and supported to use it",
    "B3.1": "challenges stereotypes, diverse role models, raises aspirations",
    "B3.2": "systematic individual records of activities, advice and destinations, seen by pupils",
    "B3.3": "sustained and longer-term destinations, alumni",
    "B3.4": "personalised support for disadvantaged, vulnerable, complex-needs and absent pupils",
    "B4.1": "every year, every subject, every pupil links learning to careers",
    "B4.2": "careers in professional development for all staff",
    "B5.1": "a meaningful employer encounter every year",
    "B6.1": "meaningful experiences of workplaces by 16",
    "B6.2": "a further meaningful experience before leaving post-16",
    "B7.1": "meaningful encounters with the full range of providers by 16; provider access duty",
    "B7.2": "two HE visits for those considering HE, before leaving post-16",
    "B8.1": "guidance meetings by 16 and before leaving, scheduled, with a trained adviser",
    "B8.2": "information about guidance to pupils, families and on the website",
}
NEW_IDS = {"B1.2.3", "B2.1.8", "B6.2.5", "B7.1.14"}  # new meanings only (domain guide, 9.5)
GUARANTEE = ["B6.1.1", "B6.1.2", "B6.1.4", "B6.1.6"]


@pytest.fixture(scope="module")
def special() -> Framework:
    return load_framework("gatsby-2025-special")


def _answers(fw: Framework, sixth_form: bool, **changes: Any) -> dict[str, Any]:
    answers = best_answers(fw, sixth_form)
    answers.update(changes)
    return answers


def _score(fw: Framework, answers: dict[str, Any], sixth_form: bool):
    model = AnswerFile.model_validate(answer_doc("gatsby-2025-special", answers, sixth_form))
    canonical, problems = normalise(fw, model)  # a share answer may be one band for every group
    assert not problems, problems
    return score(Evaluation(fw, model, canonical))


def test_loads_as_a_special_school_framework(special: Framework):
    assert list(special.meta.institution.types) == ["special_school"]
    assert special.meta.edition == "2025"
    assert [b.id for b in special.benchmarks] == [f"B{i}" for i in range(1, 9)]


def test_every_criterion_of_the_domain_guide_is_there_with_questions_and_actions(special: Framework):
    assert {c.id for c in special.criteria()} == set(CRITERIA)
    for crit in special.criteria():
        bench = crit.id[1]
        assert re.search(rf"Benchmark {bench}, criterion \d|Benchmark {bench} summary", crit.source), crit.id
        assert any(q.is_scored for q in crit.questions), crit.id
        assert crit.actions, crit.id


def test_every_scored_question_and_checklist_item_has_an_action(special: Framework):
    for crit in special.criteria():
        for q in crit.questions:
            if not q.is_scored:
                continue
            actions = [a for a in crit.actions if a.addresses.question == q.id]
            assert actions, f"no action for {q.id}"
            assert q.help and q.gap or q.kind is QuestionKind.checklist, q.id
            if q.kind is QuestionKind.checklist:
                wide = any(a.addresses.items is None for a in actions)
                named = {i for a in actions for i in a.addresses.items or []}
                missing = [i.id for i in q.items or [] if not wide and i.id not in named]
                assert not missing, f"{q.id}: no action for {missing}"


def test_ids_are_stable_with_the_schools_framework(special: Framework, schools: Framework):
    """A school moving between the two evaluations can compare them id by id."""
    ours = special.questions_by_id()
    theirs = schools.questions_by_id()
    assert set(ours) - set(theirs) == NEW_IDS
    assert set(theirs) - set(ours) == set()
    assert not set(ours) & set(schools.meta.retired)  # a retired id never comes back with a new meaning
    for qid in set(ours) & set(theirs):
        a, b = ours[qid], theirs[qid]
        assert (a.kind, a.is_scored, a.supplementary) == (b.kind, b.is_scored, b.supplementary), qid
    assert special.meta.scales == schools.meta.scales  # same credits, so scores compare


def test_new_ids_are_context_except_the_support_information(special: Framework):
    q = special.questions_by_id()
    assert q["B1.2.3"].kind is QuestionKind.text  # the reporting cohort, as evidence
    assert not q["B6.2.5"].is_scored and not q["B7.1.14"].is_scored
    assert q["B2.1.8"].is_scored  # the extra information the B2 summary asks for (the Local Offer)


def test_the_cohort_and_pupils_with_pmld(special: Framework):
    q = special.questions_by_id()
    assert "cohort" in q["B1.2.3"].text and "profound and multiple" in (q["B1.2.3"].help or "")
    tailored = next(i for i in q["B1.2.2"].items if i.id == "tailored")
    assert "PMLD" in tailored.text
    assert "complex_needs" in [i.id for i in q["B3.4.1"].items]


def test_adaptations_for_the_setting_are_asked(special: Framework):
    q = special.questions_by_id()
    assert "ehc_plan" in [i.id for i in q["B3.2.2"].items]  # records joined with annual reviews
    assert "annual_reviews" in [i.id for i in q["B2.2.1"].items]  # families helped at reviews
    assert "travel" in [i.id for i in q["B6.1.10"].items]  # travel training
    assert "annual review" in next(i.text for i in q["B8.1.5"].items if i.id == "decision_points").lower()
    assert "partners" in next(i.text for i in q["B1.2.2"].items if i.id == "parents_carers")
    assert {i.id for i in q["B6.2.5"].items} >= {"supported_internships", "job_coaches", "travel_training"}


def test_meaningful_keeps_every_point(special: Framework):
    q = special.questions_by_id()
    assert len(q["B5.1.3"].items) == 4
    assert len(q["B6.1.7"].items) == 7
    assert len(q["B7.1.4"].items) == 6


def test_groups_run_beyond_year_13_only_with_post_16(special: Framework):
    groups = {g.id: g for g in special.meta.groups}
    assert {"Y14", "PL", "KS5", "Y12", "Y13"} <= {g for g, v in groups.items() if v.sixth_form}
    assert "Y14" in special.meta.year_groups
    assert "Y14" in special.question("B5.1.1").groups and "Y14" in special.question("B4.1.6").groups
    # "by 18" becomes "before leaving post-16": asked of this year's post-16 leavers
    for qid in ("B6.2.4", "B7.2.1", "B8.1.2"):
        assert special.question(qid).groups == ["PL"], qid
    without = _score(special, _answers(special, False), False)
    assert without.benchmark("B6").criteria[1].status.value == "not_applicable"
    assert without.benchmark("B7").criteria[1].status.value == "not_applicable"
    assert without.benchmarks_achieved == 8


def test_work_experience_guarantee_is_supplementary_not_scored(special: Framework):
    for qid in GUARANTEE:
        q = special.question(qid)
        assert q.supplementary == "Work experience guarantee" and not q.is_scored, qid
    full = _score(special, _answers(special, True), True)
    short = _score(special, _answers(special, True, **{"B6.1.1": 0, "B6.1.2": {"Y9": "none"},
                                                       "B6.1.6": {"Y11": "none"}}), True)
    assert short.benchmark("B6").score == full.benchmark("B6").score == 100


@pytest.mark.parametrize(("headline", "follow_ups"), [
    ("B5.1.1", ["B5.1.3", "B5.1.4", "B5.1.5", "B5.1.6"]),
    ("B6.1.8", ["B6.1.7", "B6.1.10"]),
    ("B6.2.4", ["B6.2.2", "B6.2.3"]),
])
def test_no_credit_without_pupils(special: Framework, headline: str, follow_ups: list[str]):
    for qid in follow_ups:
        assert special.question(qid).when.question == headline
        assert special.question(qid).when.credit_above == 0
    result = _score(special, _answers(special, True, **{headline: "none"}), True)
    bench = result.benchmark(headline[:2])
    ruled = {a.question for c in bench.criteria for a in c.areas if a.ruled_out_by}
    assert set(follow_ups) <= ruled


def test_no_employer_encounters_means_b5_scores_nothing(special: Framework):
    result = _score(special, _answers(special, True, **{"B5.1.1": "none"}), True)
    assert result.benchmark("B5").score == 0


def test_provider_access_duty_only_for_maintained_special_schools_and_academies(special: Framework):
    duty = ["B7.1.11", "B7.1.12", "B7.1.13", "B7.1.8"]
    assert "non-maintained" in special.question("B7.1.10").help
    yes = _score(special, _answers(special, True), True)
    no = _score(special, _answers(special, True, **{"B7.1.10": "no"}), True)
    areas_yes = {a.question for c in yes.benchmark("B7").criteria for a in c.areas}
    areas_no = {a.question for c in no.benchmark("B7").criteria for a in c.areas}
    assert set(duty) <= areas_yes and not set(duty) & areas_no
    assert no.benchmark("B7").score == 100
    assert special.question("B7.1.11").groups == ["Y9"] and special.question("B7.1.12").groups == ["Y11"]


def test_he_visits_do_not_apply_when_no_leaver_considers_higher_education(special: Framework):
    shown = applicable_answers(special, _answers(special, True, **{"B7.1.14": "no"}), True)
    assert not shown["B7.2.1"] and not shown["B7.2.2"]
    result = _score(special, _answers(special, True, **{"B7.1.14": "no"}), True)
    assert result.benchmark("B7").criteria[1].status.value == "not_applicable"
    result = _score(special, _answers(special, True, **{"B7.2.1": {"PL": "none"}}), True)
    assert result.benchmark("B7").criteria[1].status.value == "not_achieved"


def test_header_says_which_adaptations_are_published_and_which_are_ours():
    text = (FOLDER / "framework.yaml").read_text()
    assert "WHICH ADAPTATIONS COME FROM PUBLISHED GUIDANCE" in text
    assert "WHICH ADAPTATIONS ARE OURS" in text
    assert "What-is-Compass-Special-Schools" in text and "SEND Code of Practice" in text
    assert not (FOLDER / "national.yaml").exists()  # no published figures fit (part 8)


def test_the_example_scores_as_its_header_says():
    loaded = load_evaluation(EXAMPLES / "hollins-brook-school.yaml")
    fw = loaded.framework
    assert fw.id == "gatsby-2025-special"
    result = score(loaded)
    assert result.complete and not result.ignored
    assert loaded.answer_file.institution.type == "special_school" and loaded.answer_file.institution.sixth_form
    assert result.benchmarks_achieved == 4
    assert [b.id for b in result.benchmarks if b.achieved] == ["B1", "B2", "B5", "B8"]
    areas = {b.id: (b.areas_met, b.areas) for b in result.benchmarks if not b.achieved}
    assert areas == {"B3": (10, 12), "B4": (5, 7), "B6": (4, 6), "B7": (7, 9)}
    assert result.benchmark("B7").criteria[1].status.value == "not_applicable"  # no leaver considers HE
    header = (EXAMPLES / "hollins-brook-school.yaml").read_text().split("format: 1")[0]
    assert "FOUR of the eight" in header
