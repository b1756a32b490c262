"""A benchmark's status agrees with its score, in every output (issue 21).

A reviewer's school had every B7 answer at "Disagree": 0%, no area met, and yet "◐ In
progress" on the screen, in the report and in the JSON. Now a benchmark at 0% is "not
achieved" when some area is in progress, and "not started" when nothing is in place at all
(docs/scoring.md, part 3). Checked here on the bundled schools' framework with B7 answered
at its weakest but one (every agreement "Disagree") and at its weakest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compass_cli.cli import app
from compass_cli.core.framework import Framework
from compass_cli.core.models import Question, QuestionKind
from compass_cli.core.scoring import applicable_groups

from .best_answers import best_answers
from .conftest import answer_doc, write_yaml


def weakest(fw: Framework, q: Question, some_credit: bool) -> Any:
    """The weakest answer to ``q``: with some credit short of full ("Disagree", one item ticked, "a few"),
    where the question has such an answer, or with none."""
    if q.kind is QuestionKind.checklist:
        return [q.items[0].id] if some_credit else []
    if q.kind is QuestionKind.number:
        return 1 if some_credit else 0
    options = sorted(fw.options(q), key=lambda o: o.credit)
    chosen = next((o for o in options if 0 < o.credit < 1), options[0]) if some_credit else options[0]
    if q.kind is QuestionKind.share:
        return {g: chosen.value for g in applicable_groups(fw, q, False)}
    return chosen.value


def evaluation_with(fw: Framework, benchmark: str, some_credit: bool, urn: str) -> dict[str, Any]:
    """An otherwise exemplary school whose every scored answer in ``benchmark`` is at its weakest."""
    answers = best_answers(fw, False)
    for q in fw.questions():
        if q.id.startswith(benchmark + ".") and q.is_scored and q.id in answers:
            answers[q.id] = weakest(fw, q, some_credit)
    doc = answer_doc(fw.id, answers)
    doc["institution"].update(urn=urn, name=f"School {urn}")
    return doc


@pytest.fixture
def disagree(schools, tmp_path) -> Path:
    doc = evaluation_with(schools, "B7", some_credit=True, urn="100001")
    assert doc["answers"]["B7.1.5"] == "disagree"
    return write_yaml(tmp_path / "disagree.yaml", doc)


@pytest.fixture
def nothing(schools, tmp_path) -> Path:
    return write_yaml(tmp_path / "nothing.yaml", evaluation_with(schools, "B7", some_credit=False, urn="100002"))


def b7(runner, path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return next(b for b in json.loads(result.stdout)[0]["benchmarks"] if b["id"] == "B7")


def screen_row(runner, path: Path) -> str:
    result = runner.invoke(app, ["score", str(path)], env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if "B7 Encounters" in line)


def test_all_disagree_is_0_and_not_achieved(runner, disagree):
    found = b7(runner, disagree)
    assert (found["score"], found["areas_met"]) == (0, 0) and found["areas_in_progress"] > 0
    assert found["status"] == "not_achieved"
    row = screen_row(runner, disagree)
    assert "✗ Not achieved" in row and "In progress" not in row


def test_nothing_in_place_is_0_and_not_started(runner, nothing):
    found = b7(runner, nothing)
    assert (found["score"], found["areas_met"], found["areas_in_progress"]) == (0, 0, 0)
    assert found["status"] == "not_started"
    assert "○ Not started" in screen_row(runner, nothing)


@pytest.mark.parametrize(("fixture", "words", "badge"), [
    ("disagree", "0%, not achieved", "badge-not_achieved"),
    ("nothing", "0%, not started", "badge-not_started"),
])
def test_the_report_says_the_same(runner, request, fixture, words, badge):
    path = request.getfixturevalue(fixture)
    md = runner.invoke(app, ["report", str(path), "--format", "md"])
    assert md.exit_code == 0, md.stderr
    assert f"### B7 Encounters with further and higher education: {words}" in md.stdout
    html = runner.invoke(app, ["report", str(path), "--format", "html"]).stdout
    head = html[html.index('id="B7-h"'):]
    assert f'class="badge {badge}"' in head[:600] and "In progress" not in head[:600]


def test_the_summary_counts_the_institutions_not_started(runner, disagree, nothing, tmp_path):
    result = runner.invoke(app, ["summary", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    figures = {b["id"]: b for b in json.loads(result.stdout)["overall"]["benchmarks"]}
    assert figures["B7"]["not_started"] == 1 and figures["B1"]["not_started"] == 0
    md = runner.invoke(app, ["summary", str(tmp_path), "--format", "md"]).stdout
    assert "| B7 Encounters with further and higher education | 0.0% (0) | 0% | 0 of 16 | 1 |" in md
