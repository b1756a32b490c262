"""Every command through the public CLI, as a user would run it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
import yaml

from compass_cli import __version__
from compass_cli.cli import app
from compass_cli.cli.main import COMMANDS as COMMAND_TABLE

from ..best_answers import best_answers
from ..conftest import answer_doc, write_yaml

#: Every command, from the table the app builds them from one at a time (cli/main.py).
COMMANDS = list(COMMAND_TABLE)


def test_the_commands_are_all_there():
    """The lists below are the app's: a test over an empty list would pass whatever happened."""
    assert {"frameworks", "questions", "template", "score", "audit", "report", "publish", "summary", "compare",
            "migrate", "validate", "schema", "records"} <= set(COMMANDS)


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"compass {__version__}"


def test_version_fast_path_matches():
    out = subprocess.run([sys.executable, "-m", "compass_cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"compass {__version__}"


def test_help_lists_every_command(runner):
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout and f"compass {command}" in result.stdout


def test_frameworks(runner):
    result = runner.invoke(app, ["frameworks"])
    assert result.exit_code == 0 and "gatsby-2025-schools" in result.stdout
    facts = json.loads(runner.invoke(app, ["frameworks", "--format", "json"]).stdout)
    schools = next(f for f in facts if f["id"] == "gatsby-2025-schools")
    assert schools["benchmarks"] == 8 and schools["edition"] == "2025" and schools["types"] == {"school": "School"}
    assert 60 <= schools["questions"] <= 100 and schools["criteria"] == 19
    assert schools["origin"] == "bundled" and schools["national_figures"] is True
    assert {f["id"] for f in facts} >= {"gatsby-2025-schools", "gatsby-2025-special", "gatsby-2025-colleges",
                                         "gatsby-2014-schools"}


def test_questions_json_for_one_benchmark(runner, schools):
    result = runner.invoke(app, ["questions", "--benchmark", "B6", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [b["id"] for b in data["benchmarks"]] == ["B6"]
    qs = [q for c in data["benchmarks"][0]["criteria"] for q in c["questions"]]
    assert len(qs) == len(schools.benchmarks[5].questions())
    assert all({"id", "kind", "text"} <= set(q) for q in qs)
    assert any(q["kind"] == "checklist" and len(q["items"]) == 7 for q in qs)


def test_questions_table(runner):
    result = runner.invoke(app, ["questions", "-b", "b1"])
    assert result.exit_code == 0 and "B1.1.1" in result.stdout and "B2.1.1" not in result.stdout


def test_template_then_score(runner, tmp_path, schools):
    path = tmp_path / "a.yaml"
    result = runner.invoke(app, ["template", "-o", str(path)])
    assert result.exit_code == 0, result.stderr
    text = path.read_text()
    doc = yaml.safe_load(text)
    assert set(doc["answers"]) == {q.id for q in schools.questions()}  # every question present
    assert "#     link_governor:" in text or "Tick items" in text  # options listed in comments
    scored = runner.invoke(app, ["score", str(path)])
    assert scored.exit_code == 0, scored.stderr
    assert "questions unanswered" in scored.stdout


def test_template_to_stdout(runner):
    result = runner.invoke(app, ["template"])
    assert result.exit_code == 0 and result.stdout.startswith("# yaml-language-server: $schema=")
    assert "# compass answer file for: Gatsby Benchmarks (2025) for schools" in result.stdout


def test_filled_template_scores_all_eight(runner, tmp_path, schools):
    """A person filling in the blank template by hand gets the same result as the library."""
    path = tmp_path / "a.yaml"
    runner.invoke(app, ["template", "-o", str(path)])
    doc = yaml.safe_load(path.read_text())
    doc["institution"].update(name="Hilltop School", urn="123456", sixth_form=True)
    doc["answers"].update(best_answers(schools, True))
    write_yaml(path, doc)
    result = runner.invoke(app, ["score", str(path), "--format", "json"])
    data = json.loads(result.stdout)[0]
    assert data["benchmarks_achieved"] == 8 and data["average_score"] == 100 and data["complete"]


def test_score_json_shape(runner, tmp_path):
    path = write_yaml(tmp_path / "a.yaml", answer_doc(answers={"B1.1.1": "yes", "B1.1.2": "trained"}))
    result = runner.invoke(app, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0
    (data,) = json.loads(result.stdout)
    assert {"framework", "institution", "benchmarks", "benchmarks_achieved", "average_score", "unanswered"} <= set(data)
    b1 = data["benchmarks"][0]
    assert {"id", "title", "score", "achieved", "status", "criteria"} <= set(b1)
    assert b1["id"] == "B1" and b1["criteria"][0]["id"] == "B1.1"
    assert b1["criteria"][0]["status"] in {"achieved", "in_progress", "not_achieved", "unscored"}
    assert data["institution"]["urn"] == "100001"
    assert "B8.1.1" in data["unanswered"]


def test_score_csv_one_row_per_file(runner, tmp_path):
    a = write_yaml(tmp_path / "a.yaml", answer_doc(answers={"B1.1.1": "yes"}))
    b = write_yaml(tmp_path / "b.yaml", answer_doc(answers={"B1.1.1": "no"}))
    result = runner.invoke(app, ["score", str(a), str(b), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2 and [r["file"] for r in rows] == [str(a), str(b)]
    assert {f"B{i}" for i in range(1, 9)} <= set(rows[0])


def test_score_a_folder_and_write_output(runner, tmp_path):
    hub = tmp_path / "hub" / "leeds"
    hub.mkdir(parents=True)
    write_yaml(hub / "a.yaml", answer_doc(answers={"B1.1.1": "yes"}))
    (hub / "README.md").write_text("not an answer file")
    out = tmp_path / "results.csv"
    result = runner.invoke(app, ["score", str(tmp_path / "hub"), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0
    assert len(out.read_text().splitlines()) == 2


def test_partial_credit_flag(runner, tmp_path):
    answers = {"B2.1.1": {"Y9": "all", "Y11": "most"}}  # B2.1 in progress, B2.2 not yet answered
    path = write_yaml(tmp_path / "a.yaml", answer_doc(answers=answers))
    plain = json.loads(runner.invoke(app, ["score", str(path), "--format", "json"]).stdout)[0]
    half = json.loads(runner.invoke(app, ["score", str(path), "--format", "json", "--partial-credit", "0.5"]).stdout)[0]
    b2, b2_half = plain["benchmarks"][1], half["benchmarks"][1]
    assert b2["score"] == 0 and b2_half["areas_in_progress"] == 1 and b2_half["areas_met"] == 0
    assert b2_half["score"] == round(0.5 / b2_half["areas"] * 100, 4)  # one area in progress, the rest not met
    assert half["partial_credit"] == 0.5
    for bad_value in ("2", "1", "-0.5"):
        bad = runner.invoke(app, ["score", str(path), "--partial-credit", bad_value])
        assert bad.exit_code == 2, bad_value


def test_table_for_several_files(runner, tmp_path):
    a = write_yaml(tmp_path / "a.yaml", answer_doc(answers={"B1.1.1": "yes"}))
    b = write_yaml(tmp_path / "b.yaml", answer_doc(answers={"B1.1.1": "no"}))
    result = runner.invoke(app, ["score", str(a), str(b)])
    assert result.exit_code == 0 and "2 evaluations" in result.stdout
