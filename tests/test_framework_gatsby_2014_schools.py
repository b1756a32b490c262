"""The bundled 2014-edition schools framework (domain guide, part 5) and its example."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from compass_cli.cli import app
from compass_cli.core.answers import normalise
from compass_cli.core.comparing import compare
from compass_cli.core.evaluation import Evaluation, load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import AnswerFile, NationalFigures, QuestionKind
from compass_cli.core.scoring import score

from .best_answers import best_answers
from .conftest import EXAMPLES, ROOT, answer_doc

FOLDER = ROOT / "questionnaires" / "gatsby-2014-schools"
EXAMPLE = EXAMPLES / "riverside-high-2025-spring-2014-edition.yaml"

# Every criterion of domain guide part 5, under the id of the 2025 schools criterion whose
# meaning it shares (domain guide 9.5):
PART_5 = {
    "B1.1": "stable, structured programme, SMT backing, a named and trained lead",
    "B1.3": "published on the website for pupils, parents, teachers and employers",
    "B1.4": "evaluated regularly with their feedback",
    "B2.1": "by 14, every pupil has used career and labour market information for study decisions",
    "B2.2": "parents encouraged to use it",
    "B3.1": "challenges stereotypes and raises aspirations",
    "B3.2": "systematic records of individual advice and agreed decisions, open to the pupil",
    "B3.3": "destination data kept for at least three years",
    "B4.1": "by 14, every pupil has learned how STEM subjects help people into a wide range of careers",
    "B5.1": "every year from 11, at least one meaningful employer encounter",
    "B6.1": "by 16, at least one workplace experience (part-time jobs excluded)",
    "B6.2": "by 18, one further workplace experience (part-time jobs excluded)",
    "B7.1": "by 16, a meaningful encounter with the full range of providers, meeting staff and pupils",
    "B7.2": "by 18, two university visits for those considering university",
    "B8.1": "a guidance interview with a trained adviser by 16, the opportunity of a further one by 18",
}
NEW_IN_2025 = {"B1.2", "B3.4", "B4.2", "B8.2"}  # 2025 criteria with no 2014 meaning: skipped


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework("gatsby-2014-schools")


def test_it_loads_by_id_and_by_folder(fw: Framework):
    assert fw.meta.edition == "2014" and list(fw.meta.institution.types) == ["school"]
    assert load_framework(FOLDER).id == "gatsby-2014-schools"
    assert [b.id for b in fw.benchmarks] == [f"B{i}" for i in range(1, 9)]


def test_every_criterion_of_part_5_is_there_under_its_2025_id(fw: Framework, schools: Framework):
    ids = {c.id for c in fw.criteria()}
    assert ids == set(PART_5)
    assert ids | NEW_IN_2025 == {c.id for c in schools.criteria()}


def test_every_criterion_cites_its_2014_source_and_has_a_scored_question(fw: Framework):
    for bench in fw.benchmarks:
        for crit in bench.criteria:
            # the criterion it summarises first; what an adaptation rests on may follow
            assert re.match(rf"Benchmark {bench.id[1:]}, criterion \d \(2014\)(\Z|[;:,] )", crit.source), crit.id
            assert any(q.is_scored for q in crit.questions), crit.id


def test_age_18_criteria_apply_only_with_a_sixth_form(fw: Framework):
    with_when = {c.id for c in fw.criteria() if c.when}
    assert with_when == {"B6.2", "B7.2"}


def test_every_scored_question_has_an_action_and_every_item_is_covered(fw: Framework):
    for crit in fw.criteria():
        for q in crit.questions:
            if not q.is_scored:
                continue
            aimed = [a.addresses for a in crit.actions if a.addresses.question == q.id]
            assert aimed, f"{q.id} has no action"
            if q.kind is QuestionKind.checklist and not any(a.items is None for a in aimed):
                named = {i for a in aimed for i in a.items or []}
                assert named == {i.id for i in q.items or []}, f"{q.id}: items without an action"


def test_every_question_has_help_and_scored_ones_say_what_is_missing(fw: Framework):
    for q in fw.questions():
        assert q.help and len(q.help) > 30, q.id
        if q.is_scored:
            assert q.gap, q.id
        if not q.is_scored and q.kind is not QuestionKind.text:
            assert "not scored" in q.help or "does not change the score" in q.help, q.id


def _mapping_comments() -> dict[str, str]:
    """`- id: B5.1.2  # 2025: B5.1.2` -> {2014 id: 2025 id} from the benchmark files."""
    found: dict[str, str] = {}
    for path in sorted(FOLDER.glob("b*.yaml")):
        for m in re.finditer(r"- id: (B\d\.\d\.\d+)\s+# 2025: (B\d\.\d\.\d+)\s*$", path.read_text(), re.M):
            found[m.group(1)] = m.group(2)
    return found


def test_2025_mapping_comments_name_a_question_whose_answers_carry_over(fw: Framework, schools: Framework):
    mapping = _mapping_comments()
    assert len(mapping) >= 20
    for old_id, new_id in mapping.items():
        old, new = fw.question(old_id), schools.question(new_id)
        assert old.kind is new.kind, old_id
        if old.kind is QuestionKind.checklist:
            assert {i.id for i in old.items or []} <= {i.id for i in new.items or []}, old_id
        if old.kind is QuestionKind.share:
            assert set(old.groups or []) <= set(new.groups or []), old_id
        if old.kind in (QuestionKind.choice, QuestionKind.yes_no, QuestionKind.agreement):
            assert {o.value for o in fw.options(old)} <= {o.value for o in schools.options(new)}, old_id


@pytest.mark.parametrize("sixth_form", [True, False])
def test_a_school_doing_everything_can_achieve_all_eight(fw: Framework, sixth_form: bool):
    model = AnswerFile.model_validate(answer_doc("gatsby-2014-schools", sixth_form=sixth_form))
    result = score(Evaluation(fw, model, best_answers(fw, sixth_form)))
    assert result.benchmarks_achieved == 8 and result.complete


def test_the_example_scores_as_its_header_says(fw: Framework):
    loaded = load_evaluation(EXAMPLE)
    used = loaded.framework
    assert used.id == "gatsby-2014-schools"
    assert loaded.answer_file.evaluation.date.isoformat() < "2025-09-01"
    result = score(loaded)
    assert result.complete and not result.ignored
    assert result.benchmarks_achieved == 6
    achieved = {b.id for b in result.benchmarks if b.achieved}
    assert achieved == {"B1", "B2", "B4", "B5", "B7", "B8"}
    b3 = next(b for b in result.benchmarks if b.id == "B3")
    assert [c.id for c in b3.criteria if c.status.value != "achieved"] == ["B3.2", "B3.3"]
    b6 = result.benchmark("B6")  # three areas, as in 2025: only "part-time jobs left out" is met
    assert (b6.areas, b6.areas_met) == (3, 1)


def test_the_example_compares_with_the_same_school_under_2025():
    loaded = load_evaluation(EXAMPLE)
    later = load_evaluation(EXAMPLES / "riverside-high-last-term.yaml")
    assert loaded.answer_file.institution.key == later.answer_file.institution.key
    old = score(loaded)
    new = score(later)
    result = compare(old, new, loaded.answers, later.answers)
    assert not result.same_framework and not result.answers_changed
    assert set(result.not_comparable) == NEW_IN_2025
    assert [b.id for b in result.benchmarks] == [f"B{i}" for i in range(1, 9)]


def test_national_figures_fit_this_edition(fw: Framework):
    doc = yaml.safe_load((FOLDER / "national.yaml").read_text(encoding="utf-8"))
    figures = NationalFigures.model_validate(doc)
    assert figures.edition == fw.meta.edition
    assert figures.latest.year == "2024/25"
    for year in figures.years:
        if year.percent_achieving:
            assert abs(sum(year.percent_achieving.values()) / 100 - year.average_achieved) < 0.05, year.year


def test_institution_section_asks_what_a_school_needs(fw: Framework):
    section = fw.meta.institution
    assert section.title == "About your school" and section.summary
    fields = {f.field.value: f for f in section.fields}
    assert set(fields) == {"name", "urn", "local_authority", "sixth_form", "learners", "completed_by", "role",
                           "careers_leader_name", "careers_leader_role", "careers_leader_email",
                           "careers_leader_phone", "careers_programme_url", "provider_access_url"}
    assert "{group}" in fields["learners"].text
    assert all(f.text and f.help for f in section.fields)
    assert "six digits" in (fields["urn"].help or "").lower()
    assert fw.meta.applies_until is not None and fw.meta.applies_until.isoformat() == "2025-08-31"


def test_the_folder_holds_only_what_the_brief_lists():
    names = sorted(p.name for p in Path(FOLDER).iterdir())
    assert names == sorted(
        ["framework.yaml", "national.yaml"]
        + [f for f in yaml.safe_load((FOLDER / "framework.yaml").read_text())["benchmarks"]]
    )


# --------------------------------------------------------------------------- issue 19


def _result(fw: Framework, changes: dict[str, object], sixth_form: bool = False):
    """Score a school that does everything except ``changes``; answers are checked first."""
    model = AnswerFile.model_validate(answer_doc("gatsby-2014-schools", best_answers(fw, sixth_form) | changes,
                                                 sixth_form=sixth_form))
    canonical, problems = normalise(fw, model)
    assert not problems, problems
    return score(Evaluation(fw, model, canonical))


def _areas(result, bid: str) -> dict[str, str]:
    return {a.question: a.status.value for c in result.benchmark(bid).criteria for a in c.areas}


def test_two_messages_to_parents_a_year_do_not_cost_b2(fw: Framework):
    """The 2014 criterion sets no number of messages: the count is context, as in 2025."""
    assert not fw.question("B2.2.2").is_scored
    assert _result(fw, {"B2.2.2": 2}).benchmark("B2").achieved


@pytest.mark.parametrize(("system", "met"), [
    ("three_years", True), ("running", True), ("being_set_up", False), ("no_system", False),
])
def test_b33_asks_for_a_system_to_collect_three_years_not_three_years_held(fw: Framework, system: str, met: bool):
    """The CEC's clarification: systems in place to collect destinations for three years from the
    end of Year 11, used to improve the programme; not three years of data already held."""
    assert not fw.has_question("B3.3.1") and "B3.3.1" in fw.meta.retired
    crit = next(c for c in _result(fw, {"B3.3.3": system}).benchmark("B3").criteria if c.id == "B3.3")
    assert (crit.status.value == "achieved") is met
    # and the data must be used to evaluate and improve the programme
    assert _areas(_result(fw, {"B3.3.4": "partly"}), "B3")["B3.3.4"] == "in_progress"


def test_an_answer_file_with_years_of_destinations_still_loads(tmp_path: Path, runner):
    """B3.3.1 (years held, target three) is retired: an old answer is kept, not counted."""
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for qid in ("B3.3.3", "B3.3.4"):
        doc["answers"].pop(qid)
    doc["answers"]["B3.3.1"] = 1
    doc["notes"]["B3.3.1"] = doc["notes"].pop("B3.3.3")
    old = tmp_path / "old.yaml"
    old.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["score", str(old), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    [scored] = json.loads(result.stdout)
    assert scored["no_longer_asked"] == ["B3.3.1"] and set(scored["unanswered"]) == {"B3.3.3", "B3.3.4"}
    report = runner.invoke(app, ["report", str(old), "--format", "md"])
    assert report.exit_code == 0 and "Kept, not counted" in report.stdout


@pytest.mark.parametrize(("share", "areas_met", "score_"), [
    ("all", 3, 100), ("most", 2, 200 / 3), ("none", 0, 0),
])
def test_b6_has_the_areas_the_2025_frameworks_give_it(fw: Framework, share: str, areas_met: int, score_: float):
    """A school where most of Year 11 had an experience, and everything else is in place, is
    not at 0%: B6.1 has three areas, as in 2025, and no credit without pupils."""
    b6 = _result(fw, {"B6.1.1": {"Y11": share}}).benchmark("B6")
    assert (b6.areas, b6.areas_met) == (3, areas_met)
    assert b6.score == pytest.approx(score_)


def test_part_time_jobs_are_left_out_by_16_and_by_18(fw: Framework):
    """The 2014 criteria ask for experiences on top of any part-time job."""
    areas = _areas(_result(fw, {"B6.1.5": "counted_alone", "B6.2.2": "counted_alone"}, sixth_form=True), "B6")
    assert areas["B6.1.5"] == areas["B6.2.2"] == "not_met"
    assert set(areas) == {"B6.1.1", "B6.1.5", "B6.1.6", "B6.2.1", "B6.2.2"}
