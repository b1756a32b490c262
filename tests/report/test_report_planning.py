"""The action plan's order: quick wins that complete a benchmark first, effort as data."""

from __future__ import annotations

import datetime as dt

from compass_cli.core.models import Effort, Note, Status
from compass_cli.core.planning import EFFORT_ORDER, NEARLY_THERE, Band, closes, plan

from .conftest import evaluate


def test_all_achieved_gives_an_empty_plan(oakfield):
    assert oakfield.result.benchmarks_achieved == 8
    the_plan = plan(oakfield.result, oakfield.framework, oakfield.answer_file.notes)
    assert the_plan.actions == []
    assert the_plan.unanswered_criteria == []


def test_every_action_closes_a_gap_of_its_criterion(st_marys):
    result, fw = st_marys.result, st_marys.framework
    the_plan = plan(result, fw)
    gaps = {c.id: c.gaps for b in result.benchmarks for c in b.criteria}
    definitions = {c.id: c for c in fw.criteria()}
    assert {a.criterion for a in the_plan.actions} == {cid for cid, found in gaps.items() if found}
    for a in the_plan.actions:
        assert a.gaps and set(a.gaps) <= {g.text for g in gaps[a.criterion]}
        if not a.generic:
            action = next(x for x in definitions[a.criterion].actions if " ".join(x.text.split()) == a.action)
            assert any(closes(action, g) for g in gaps[a.criterion] if g.text in a.gaps)
    # every gap not ruled out by another answer is closed by some row of the plan
    planned = {text for a in the_plan.actions for text in a.gaps}
    for found in gaps.values():
        assert {g.text for g in found if not g.ruled_out_by} <= planned
    assert [a.rank for a in the_plan.actions] == list(range(1, len(the_plan.actions) + 1))


def test_top_ten_first_then_later_actions(st_marys):
    the_plan = plan(st_marys.result, st_marys.framework)
    assert len(the_plan.first) == 10 and the_plan.later == the_plan.actions[10:]
    assert len(plan(st_marys.result, st_marys.framework, top=3).first) == 3


def test_order_is_band_then_effort_then_closeness(st_marys):
    actions = plan(st_marys.result, st_marys.framework).actions
    keys = [(a.band.value, EFFORT_ORDER.get(a.effort, 1), a.missing, a.criteria_left) for a in actions]
    assert keys == sorted(keys)


def test_bands_follow_the_two_questions(st_marys, riverside):
    for ev in (st_marys, riverside):
        for a in plan(ev.result, ev.framework).actions:
            completes, near = a.criteria_left == 1, a.missing <= NEARLY_THERE
            expected = {
                (True, True): Band.completes_benchmark,
                (False, True): Band.nearly_there,
                (True, False): Band.last_step,
                (False, False): Band.longer_term,
            }[(completes, near)]
            assert a.band is expected, a


def test_quick_wins_that_complete_a_benchmark_come_first(brookfield):
    actions = plan(brookfield.result, brookfield.framework).actions
    first = actions[0]
    assert first.band is Band.completes_benchmark
    assert first.effort is Effort.quick_win
    # the criterion is the only one left in its benchmark
    bench = brookfield.result.benchmark(first.benchmark)
    assert [c.id for c in bench.criteria if c.status is not Status.achieved and c.status is not Status.unscored] == [
        first.criterion
    ]


def test_riverside_plan_is_the_documented_one(riverside):
    """The example ranked plan quoted in the README."""
    actions = plan(riverside.result, riverside.framework, riverside.answer_file.notes).actions
    top = [(a.rank, a.band, a.criterion, a.effort) for a in actions[:3]]
    assert top == [
        (1, Band.nearly_there, "B3.3", Effort.quick_win),
        (2, Band.nearly_there, "B3.4", Effort.moderate),
        (3, Band.nearly_there, "B3.3", Effort.moderate),
    ]
    assert actions[3].band is Band.last_step and actions[3].criterion == "B6.1"
    assert len(actions) == 7


def test_owner_and_due_preset_from_notes_criterion_first(brookfield):
    fw, result = brookfield.framework, brookfield.result
    notes = {
        "B1.3": Note(owner="Criterion owner"),
        "B1.3.5": Note(owner="Question owner", due=dt.date(2027, 2, 1)),
        "B1": Note(owner="Benchmark owner", due=dt.date(2027, 7, 1)),
        "B8": Note(owner="B8 lead"),
    }
    by_criterion = {a.criterion: a for a in plan(result, fw, notes).actions}
    assert by_criterion["B1.3"].owner == "Criterion owner"  # the criterion's note wins
    assert by_criterion["B1.3"].due == dt.date(2027, 2, 1)  # then the question's
    assert by_criterion["B8.2"].owner == "B8 lead"  # then the benchmark's
    assert by_criterion["B8.2"].due is None
    assert by_criterion["B2.1"].owner is None
    assert all(a.status == "Not started" for a in by_criterion.values())


def test_unanswered_criteria_are_listed_not_planned(tmp_path):
    path = tmp_path / "part.yaml"
    path.write_text(
        "framework: gatsby-2025-schools\n"
        "institution: {name: Half Done School}\n"
        "evaluation: {date: 2026-11-20}\n"
        "answers:\n  B1.1.1: 'no'\n"
    )
    ev = evaluate(path)
    the_plan = plan(ev.result, ev.framework)
    assert {a.criterion for a in the_plan.actions} == {"B1.1"}
    assert "B1.2" in the_plan.unanswered_criteria and "B8.2" in the_plan.unanswered_criteria
    assert "B1.1" not in the_plan.unanswered_criteria


def test_plan_is_stable(st_marys):
    one = plan(st_marys.result, st_marys.framework)
    two = plan(st_marys.result, st_marys.framework)
    assert one == two
