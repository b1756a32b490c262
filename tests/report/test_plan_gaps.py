"""Actions only for real gaps: walked over every scored question of every bundled framework.

For each scored question (each checklist item, each share group), an otherwise exemplary
evaluation with just that answer short of full credit must get at least one action, and only
actions tied to that question (or to the follow-ups its answer rules out). An exemplary
evaluation gets none.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from compass_cli.cli import app
from compass_cli.core.answers import normalise
from compass_cli.core.evaluation import Evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import bundled_frameworks, load_framework
from compass_cli.core.kinds import FULL
from compass_cli.core.models import AnswerFile, Question, QuestionKind
from compass_cli.core.planning import closes, plan
from compass_cli.core.scoring import applicable_groups, score

from ..best_answers import best_answers
from ..conftest import EXAMPLES, answer_doc, write_yaml

FRAMEWORKS = {folder.name: load_framework(folder) for folder in bundled_frameworks()}


def _short_values(fw: Framework, q: Question, best: Any, sixth_form: bool) -> list[tuple[str, Any]]:
    """Each way of answering ``q`` just short of full credit, with a label for the test id."""
    kind = q.kind
    if kind is QuestionKind.checklist:
        ids = [i.id for i in q.items or []]
        return [(f"without {item}", [i for i in ids if i != item]) for item in ids]
    if kind is QuestionKind.share:
        below = [o for o in fw.options(q) if o.credit < FULL]
        nearest = max(below, key=lambda o: o.credit).value
        return [(f"{g} {nearest}", dict(best, **{g: nearest})) for g in applicable_groups(fw, q, sixth_form)]
    if kind is QuestionKind.number:
        return [("below target", (q.target or 1) - 1)]
    below = [o for o in fw.options(q) if o.credit < FULL]
    return [(o.value, o.value) for o in below]


def _cases() -> list[Any]:
    cases = []
    for name, fw in FRAMEWORKS.items():
        sixth_form = any(g.sixth_form for g in fw.meta.groups)
        best = best_answers(fw, sixth_form)
        for q in fw.questions():
            if not q.is_scored or q.id not in best:
                continue
            for label, value in _short_values(fw, q, best[q.id], sixth_form):
                cases.append(pytest.param(name, sixth_form, q.id, value, id=f"{name}-{q.id}-{label}"))
    return cases


def _evaluate(fw: Framework, answers: dict[str, Any], sixth_form: bool):
    model = AnswerFile.model_validate(answer_doc(fw.id, answers, sixth_form))
    canonical, problems = normalise(fw, model)
    assert not problems, problems
    result = score(Evaluation(fw, model, canonical))
    return result, plan(result, fw)


@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_an_exemplary_evaluation_gets_no_action(name):
    fw = FRAMEWORKS[name]
    for sixth_form in (True, False):
        result, the_plan = _evaluate(fw, best_answers(fw, sixth_form), sixth_form)
        assert result.benchmarks_achieved == len(fw.benchmarks)
        assert the_plan.actions == [] and the_plan.unanswered_criteria == []


@pytest.mark.parametrize(("name", "sixth_form", "qid", "value"), _cases())
def test_one_answer_short_gets_only_its_own_actions(name, sixth_form, qid, value):
    fw = FRAMEWORKS[name]
    answers = dict(best_answers(fw, sixth_form), **{qid: value})
    result, the_plan = _evaluate(fw, answers, sixth_form)
    gaps = [g for b in result.benchmarks for c in b.criteria for g in c.gaps]
    assert gaps and {g.question for g in gaps if not g.ruled_out_by} == {qid}
    allowed = {qid} | {g.question for g in gaps if qid in g.ruled_out_by}
    assert the_plan.actions, f"no action for {qid}"
    assert {a.question for a in the_plan.actions} <= allowed
    tailored = [a for a in the_plan.actions if not a.generic]
    assert tailored, f"{qid} answered {value!r}: only a generic line, no action in the questionnaire closes it"


@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_every_scored_question_and_item_has_an_action(name):
    fw = FRAMEWORKS[name]
    for crit in fw.criteria():
        addressed = {a.addresses.question for a in crit.actions}
        for q in crit.questions:
            if not q.is_scored:
                continue
            assert q.id in addressed, f"{q.id} has no action"
            assert q.gap, f"{q.id} has no gap sentence"
            for item in q.items or []:
                assert any(
                    a.addresses.question == q.id and (a.addresses.items is None or item.id in a.addresses.items)
                    for a in crit.actions
                ), f"{q.id} item {item.id} has no action"
                assert item.gap, f"{q.id} item {item.id} has no gap sentence"


def test_an_action_closes_only_the_gap_it_names(schools):
    crit = next(c for c in schools.criteria() if any(a.addresses.items for a in c.actions))
    narrowed = next(a for a in crit.actions if a.addresses.items)
    from compass_cli.core.models import Gap

    item = narrowed.addresses.items[0]
    assert closes(narrowed, Gap(question=narrowed.addresses.question, text="x", items=[item]))
    assert not closes(narrowed, Gap(question=narrowed.addresses.question, text="x", items=["no-such-item"]))
    assert not closes(narrowed, Gap(question="B0.0.0", text="x", items=[item]))


# --------------------------------------------------------------------------- an action asks only for what is missing

#: Every action that names several checklist items, with its framework.
COMPOUND = [
    pytest.param(name, action, id=f"{name}-{action.addresses.question}-{'+'.join(action.addresses.items)}")
    for name, fw in FRAMEWORKS.items() for crit in fw.criteria() for action in crit.actions
    if action.addresses.items and len(action.addresses.items) > 1
]


def _planned_for(fw: Framework, question: str, ticked: list[str]) -> list[Any]:
    sixth_form = any(g.sixth_form for g in fw.meta.groups)
    answers = dict(best_answers(fw, sixth_form), **{question: ticked})
    _, the_plan = _evaluate(fw, answers, sixth_form)
    return [a for a in the_plan.actions if a.question == question]


@pytest.mark.parametrize(("name", "action"), COMPOUND)
def test_an_action_for_several_items_is_proposed_only_when_all_are_unticked(name, action):
    """Issue 21: a college with the development plan and the principal's endorsement ticked was asked
    for both, because one action named them with the governors' approval, which was unticked."""
    fw = FRAMEWORKS[name]
    question, items = action.addresses.question, action.addresses.items
    every = [i.id for i in fw.question(question).items or []]
    text = " ".join(action.text.split())
    # all of them unticked: the one action, not one for each
    planned = _planned_for(fw, question, [i for i in every if i not in items])
    assert [a.action for a in planned] == [text]
    # one of them ticked: never the action that asks for it; each unticked item gets an action of its own
    for kept in items:
        planned = _planned_for(fw, question, [i for i in every if i not in items or i == kept])
        assert text not in [a.action for a in planned], f"asks for {kept}, which is ticked"
        assert len(planned) == len(items) - 1 and not any(a.generic for a in planned)


def test_a_college_is_not_asked_for_what_it_has_ticked(runner, tmp_path):
    """The reviewer's college ("Northgate"): B1.1.4 and B1.2.2 each with one item unticked."""
    doc = yaml.safe_load((EXAMPLES / "kelderbeck-college-town-centre.yaml").read_text(encoding="utf-8"))
    doc["answers"]["B1.1.4"].remove("governance_lead")  # the yearly report to governors stays ticked
    doc["answers"]["B1.2.2"].remove("governance_approved")  # the development plan and the endorsement stay ticked
    path = write_yaml(tmp_path / "northgate.yaml", doc)
    result = runner.invoke(app, ["report", str(path), "--format", "md"])
    assert result.exit_code == 0, result.stderr
    plan = " ".join(result.stdout.split())
    assert "Take the written programme to the governing body (or the board) for formal approval." in plan
    assert "name one of its members to lead on careers" in plan
    for ticked in ("careers objective", "endorse", "yearly careers report"):
        assert ticked not in plan, ticked
