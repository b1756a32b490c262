"""Every shipped questionnaire loads, and reads as a serious, complete evaluation."""

from __future__ import annotations

import re

import pytest

from compass_cli.core.evaluation import Evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import bundled_frameworks, load_framework
from compass_cli.core.models import QuestionKind
from compass_cli.core.scoring import score

from .best_answers import best_answers
from .conftest import answer_doc


@pytest.mark.parametrize("folder", bundled_frameworks(), ids=lambda p: p.name)
def test_every_bundled_framework_loads(folder):
    fw = load_framework(folder)
    assert [b.id for b in fw.benchmarks] == [f"B{i}" for i in range(1, 9)]


def test_schools_2025_is_complete(schools: Framework):
    assert 60 <= len(schools.questions()) <= 100
    # every criterion of the domain guide, part 3 (B3.4 is the 2025/26 support question)
    expected = {"B1.1", "B1.2", "B1.3", "B1.4", "B2.1", "B2.2", "B3.1", "B3.2", "B3.3", "B3.4",
                "B4.1", "B4.2", "B5.1", "B6.1", "B6.2", "B7.1", "B7.2", "B8.1", "B8.2"}
    assert {c.id for c in schools.criteria()} == expected
    kinds = {q.kind for q in schools.questions()}
    assert kinds == set(QuestionKind)


def test_every_criterion_cites_its_source_and_has_actions(schools: Framework):
    for crit in schools.criteria():
        assert re.search(r"Benchmark [1-8]", crit.source), crit.id
        # issue 10: each action closes one gap, so a criterion has as many as its gaps need
        assert crit.actions, crit.id
        for action in crit.actions:
            assert action.text.strip() and action.evidence.strip()


def test_every_question_has_help_and_scored_ones_say_what_is_missing(schools: Framework):
    for q in schools.questions():
        assert q.help and len(q.help) > 30, q.id
        if q.is_scored and q.kind is not QuestionKind.checklist:
            assert q.gap, q.id
        if q.kind is QuestionKind.checklist and q.is_scored:
            assert q.gap or all(i.gap for i in q.items or []), q.id


def test_meaningful_checklists_are_asked(schools: Framework):
    sizes = {}
    for q in schools.questions():
        if q.kind is QuestionKind.checklist:
            sizes.setdefault(q.id[:2], []).append(len(q.items or []))
    assert 4 in sizes["B5"]  # four points of a meaningful employer encounter
    assert 7 in sizes["B6"]  # seven points of a meaningful workplace experience
    assert 6 in sizes["B7"]  # six points of a meaningful provider encounter


@pytest.mark.parametrize("sixth_form", [True, False])
def test_a_school_doing_everything_can_achieve_all_eight(schools: Framework, sixth_form: bool):
    answers = best_answers(schools, sixth_form)
    from compass_cli.core.models import AnswerFile

    model = AnswerFile.model_validate(answer_doc(sixth_form=sixth_form))
    result = score(Evaluation(schools, model, answers))
    assert result.benchmarks_achieved == 8, [(b.id, b.score) for b in result.benchmarks]
    assert result.complete


def test_sixth_form_questions_are_asked_only_with_a_sixth_form(schools: Framework):
    from compass_cli.core.scoring import applicable_answers

    with_sf = applicable_answers(schools, best_answers(schools, True), True)
    without = applicable_answers(schools, best_answers(schools, False), False)
    assert sum(with_sf.values()) > sum(without.values())
    assert not any(without[q.id] for c in schools.criteria() if c.when for q in c.questions)


# --------------------------------------------------------------------------- one rule everywhere
# Issue 19: a rule the published criteria set is scored the same way in every bundled framework.

BUNDLED = ["gatsby-2025-schools", "gatsby-2025-special", "gatsby-2025-colleges", "gatsby-2014-schools"]


def _areas(fw_id: str, changes: dict[str, object]) -> dict[str, str]:
    """The status of every assessment area when everything is done but ``changes``."""
    from compass_cli.core.answers import normalise
    from compass_cli.core.models import AnswerFile

    fw = load_framework(fw_id)
    doc = answer_doc(fw_id, best_answers(fw, True) | changes, sixth_form=True)
    doc["institution"]["type"] = next(iter(fw.meta.institution.types))
    model = AnswerFile.model_validate(doc)
    canonical, problems = normalise(fw, model)
    assert not problems, problems
    result = score(Evaluation(fw, model, canonical))
    return {a.question: a.status.value for b in result.benchmarks for c in b.criteria for a in c.areas}


@pytest.mark.parametrize("fw_id", BUNDLED)
@pytest.mark.parametrize(("level", "status"), [
    ("level_6", "met"), ("working_towards", "in_progress"), ("lower_qualification", "in_progress"),
    ("no_qualification", "not_met"),
])
def test_an_adviser_working_towards_level_6_is_in_progress_in_every_framework(fw_id: str, level: str, status: str):
    """"Trained to an appropriate level" is the level 6 qualification held (the CDI register's
    minimum for giving personal guidance); working towards it is progress, not yet met."""
    assert _areas(fw_id, {"B8.1.3": level})["B8.1.3"] == status


@pytest.mark.parametrize("fw_id", BUNDLED)
@pytest.mark.parametrize(("cadence", "met"), [("yearly", True), ("less_often", True), ("not_recently", False)])
def test_an_evaluation_in_the_last_three_years_is_regular_in_every_framework(fw_id: str, cadence: str, met: bool):
    """Every edition's criterion says "regularly"; Compass asks for at least every three years."""
    assert (_areas(fw_id, {"B1.4.1": cadence})["B1.4.1"] == "met") is met
