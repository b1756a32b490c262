"""The 2025 colleges and ITPs framework: complete against domain guide part 4, every gap has
an action, and the bundled example scores as its header says."""

from __future__ import annotations

import re

import pytest

from compass_cli.core.answers import normalise
from compass_cli.core.evaluation import Evaluation, load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import AnswerFile, QuestionKind
from compass_cli.core.scoring import score

from .best_answers import best_answers
from .conftest import EXAMPLES, ROOT

FOLDER = ROOT / "questionnaires" / "gatsby-2025-colleges"
EXAMPLE = EXAMPLES / "kelderbeck-college-town-centre.yaml"

# Every criterion of domain guide part 4 (colleges and ITPs), by the id of the 2025 schools
# criterion whose meaning it shares (part 9.5). Colleges have no B3.4, B6.2 or B7.2.
CRITERIA = {
    "B1.1": "backed by governance roles, leadership and the SMT; trained careers leader",
    "B1.2": "tailored, sequenced, learning outcomes, whole-institution plan, parents and carers",
    "B1.3": "published on the website and communicated",
    "B1.4": "evaluated with feedback",
    "B2.1": "every learner uses careers and labour market information during the programme",
    "B2.2": "parents and carers encouraged and supported",
    "B3.1": "stereotypes challenged, role models, aspirations",
    "B3.2": "records of advice and agreed decisions, joined up with the previous stage",
    "B3.3": "destination data for each learner",
    "B4.1": "every learner experiences how their subjects lead to a wide range of occupations",
    "B4.2": "careers in staff development for subject and support staff",
    "B5.1": "every year two meaningful employer encounters, one through the curriculum area",
    "B6.1": "by the end of the programme one meaningful workplace experience",
    "B7.1": "by the end of the programme a range of next-step providers, staff and learners",
    "B8.1": "at least one guidance meeting, scheduled to learners' needs",
    "B8.2": "information about guidance to learners, parents, carers and others, and the website",
}


@pytest.fixture(scope="module")
def colleges() -> Framework:
    return load_framework(FOLDER)


def test_loads_as_a_college_framework(colleges: Framework):
    assert colleges.id == "gatsby-2025-colleges"
    assert list(colleges.meta.institution.types) == ["college", "itp"]
    assert [b.id for b in colleges.benchmarks] == [f"B{i}" for i in range(1, 9)]
    assert 55 <= len(colleges.questions()) <= 90


def test_every_criterion_of_part_4_is_there_and_cites_its_source(colleges: Framework):
    assert {c.id for c in colleges.criteria()} == set(CRITERIA)
    for crit in colleges.criteria():
        number = crit.id[1:].replace(".", ", criterion ")
        # the criterion it summarises first; what an adaptation rests on may follow
        assert crit.source.startswith(f"Benchmark {number} (2025, colleges and ITPs)"), crit.id
        assert any(q.is_scored for q in crit.questions), crit.id


def test_groups_are_years_of_programme_not_ages(colleges: Framework):
    assert [g.id for g in colleges.meta.groups] == ["P1", "P2", "P3", "FINAL"]
    assert colleges.meta.year_groups == ["P1", "P2", "P3"]
    assert not any(g.sixth_form for g in colleges.meta.groups)
    shares = {c.id: [q.groups for q in c.questions if q.kind is QuestionKind.share] for c in colleges.criteria()}
    for end_of_programme in ("B2.1", "B6.1", "B7.1", "B8.1"):
        assert shares[end_of_programme] == [["FINAL"]], end_of_programme
    # every year: two encounters, and one through the curriculum area
    assert shares["B5.1"] == [["P1", "P2", "P3"], ["P1", "P2", "P3"]]


def test_every_scored_question_and_checklist_item_has_an_action(colleges: Framework):
    for crit in colleges.criteria():
        covered: dict[str, set[str]] = {}
        for action in crit.actions:
            assert action.text.strip() and action.evidence.strip()
            covered.setdefault(action.addresses.question, set()).update(action.addresses.items or ["*"])
        for q in crit.questions:
            if not q.is_scored:
                continue
            assert q.id in covered, f"{q.id} has no action"
            if q.kind is QuestionKind.checklist and "*" not in covered[q.id]:
                assert {i.id for i in q.items or []} <= covered[q.id], q.id


def test_every_question_has_help_and_scored_ones_a_gap(colleges: Framework):
    for q in colleges.questions():
        assert q.help and len(q.help) > 30, q.id
        if q.is_scored:
            assert q.gap or (q.kind is QuestionKind.checklist and all(i.gap for i in q.items or [])), q.id


def test_learners_not_pupils(colleges: Framework):
    for q in colleges.questions():
        words = " ".join([q.text, q.help or "", q.gap or ""] + [i.text for i in q.items or []])
        assert not re.search(r"\bpupils?\b|\bheadteacher\b|\bYear (7|8|9|1[0-3])\b", words), q.id


def test_meaningful_checklists_are_asked(colleges: Framework):
    sizes: dict[str, list[int]] = {}
    for q in colleges.questions():
        if q.kind is QuestionKind.checklist and q.is_scored:
            sizes.setdefault(q.id[:2], []).append(len(q.items or []))
    assert 4 in sizes["B5"]  # four points of a meaningful employer encounter
    assert 7 in sizes["B6"]  # seven points of a meaningful workplace experience
    assert 6 in sizes["B7"]  # six points of a meaningful provider encounter


def test_no_credit_without_learners(colleges: Framework):
    """Quality follow-ups of a share criterion are ruled out when no learner took part."""
    for share_q in ("B5.1.1", "B6.1.1", "B7.1.1", "B8.1.1"):
        crit = share_q.rsplit(".", 1)[0]
        followers = [q for q in colleges.questions()
                     if q.when and q.when.question == share_q and q.when.credit_above == 0]
        assert followers and all(q.id.startswith(crit + ".") for q in followers), share_q


def test_a_college_doing_everything_achieves_all_eight(colleges: Framework):
    model = AnswerFile.model_validate({
        "framework": colleges.id,
        "institution": {"name": "Test College", "ukprn": "10000001", "type": "college"},
        "evaluation": {"date": "2026-11-20"},
    })
    result = score(Evaluation(colleges, model, best_answers(colleges, False)))
    assert result.benchmarks_achieved == 8 and result.complete


def test_example_scores_as_its_header_says():
    loaded = load_evaluation(EXAMPLE)
    fw = loaded.framework
    assert fw.id == "gatsby-2025-colleges"
    result = score(loaded)
    assert result.complete and not result.ignored
    assert result.benchmarks_achieved == 4
    assert [b.id for b in result.benchmarks if b.score == 100] == ["B1", "B2", "B4", "B8"]
    assert loaded.answer_file.institution.site and loaded.answer_file.institution.ukprn


def test_institution_section_asks_a_college_s_fields_and_both_types(colleges):
    section = colleges.meta.institution
    assert [f.field.value for f in section.fields] == [
        "name", "ukprn", "type", "site", "local_authority", "learners", "completed_by", "role",
        # what the website shows; no provider access statement, which is a school's
        "careers_leader_name", "careers_leader_role", "careers_leader_email", "careers_leader_phone",
        "careers_programme_url"]
    assert all(f.text and f.help for f in section.fields)
    assert "{group}" in section.field(section.fields[5].field).text
    assert section.types == {"college": "Further education or sixth-form college",
                             "itp": "Independent training provider"}
    assert section.words.learners == "learners" and section.words.institution == "college"
    # the words compass's own sentences use for a training provider (the ITP wording map)
    itp = colleges.meta.words("itp")
    assert (itp.institution, itp.learner, itp.learners) == ("training provider", "apprentice or trainee",
                                                           "apprentices and trainees")
    assert itp.group == section.words.group  # a word the map leaves out is the framework's
    # ITP wording where it differs in a question is in the same folder: the questions name both
    b1 = " ".join(i.text for q in colleges.benchmarks[0].questions() for i in q.items or [])
    assert "board" in b1 and "governing body" in b1


# --------------------------------------------------------------------------- issue 19


def _result(colleges: Framework, changes: dict[str, object]):
    """Score a college that does everything except ``changes``; answers are checked first."""
    model = AnswerFile.model_validate({
        "framework": colleges.id,
        "institution": {"name": "Test College", "ukprn": "10000001", "type": "college"},
        "evaluation": {"date": "2026-11-20"},
        "answers": best_answers(colleges, False) | changes,
    })
    canonical, problems = normalise(colleges, model)
    assert not problems, problems
    return score(Evaluation(colleges, model, canonical))


def test_two_messages_to_families_a_year_do_not_cost_b2(colleges: Framework):
    """No criterion sets a number of messages to parents: the count is context, as for schools."""
    assert not colleges.question("B2.2.2").is_scored
    assert _result(colleges, {"B2.2.2": 2}).benchmark("B2").achieved


@pytest.mark.parametrize(("destinations", "alumni", "achieved"), [
    ("two_years", "embedded", True), ("three_years", "embedded", True),
    ("sustained", "embedded", False), ("first_destination", "embedded", False),
    ("two_years", "some_planned", False), ("two_years", "occasionally", False),
])
def test_b33_asks_for_sustained_longer_term_destinations_and_alumni(colleges: Framework, destinations: str,
                                                                    alumni: str, achieved: bool):
    """The 2025 criterion: sustained and longer-term destination data, and alumni, as for schools."""
    b3 = _result(colleges, {"B3.3.5": destinations, "B3.3.6": alumni}).benchmark("B3")
    crit = next(c for c in b3.criteria if c.id == "B3.3")
    assert {a.question for a in crit.areas} == {"B3.3.1", "B3.3.2", "B3.3.5", "B3.3.6"}
    assert (crit.status.value == "achieved") is achieved


def test_the_example_names_only_learners_the_framework_covers():
    """Kelderbeck's story and answers agree, and name only 16-18 (or EHC plan) learners:
    no adult Access to HE courses, and the B6 gap is a group completing this year."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "Access to HE" not in text
    loaded = load_evaluation(EXAMPLE)
    assert loaded.answers["B6.1.1"] == {"FINAL": "most"}
    note = loaded.answer_file.notes["B6.1.1"].note
    assert "completing this year" in note and "A level" in note
    # the records gap the story names (third year or later) is the group the answer marks short
    assert loaded.answers["B3.2.1"] == {"P1": "all", "P2": "all", "P3": "most"}
    assert "third year of their programme or later" in " ".join(text.split())
