"""`compass report --format json`: the report's figures for scripts, the same as the other commands give
and as docs/report-json.md describes them."""

from __future__ import annotations

import json
import re

import pytest

from compass_cli.cli import app

from .conftest import EXAMPLES, ROOT

RIVERSIDE = str(EXAMPLES / "riverside-high.yaml")
LAST_TERM = str(EXAMPLES / "riverside-high-last-term.yaml")


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def figures():
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["report", RIVERSIDE, "--previous", LAST_TERM, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_to_the_screen(figures):
    assert figures["kind"] == "report" and figures["json_version"] == 1
    assert figures["result"]["benchmarks_achieved"] == 6 and len(figures["plan"]["actions"]) == 7
    assert figures["comparison"]["same_institution"] is True and figures["next_snapshot"] == "2027-03-31"


def test_to_a_file_from_its_ending(runner, tmp_path, figures):
    out = tmp_path / "plan.json"
    result = run(runner, "report", RIVERSIDE, "--previous", LAST_TERM, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == figures
    assert f"Wrote {out}: 6 of 8 benchmarks fully achieved, 7 actions in the plan." in result.stderr


def test_the_result_is_what_score_gives(runner, figures):
    scored = json.loads(run(runner, "score", RIVERSIDE, "--format", "json").stdout)
    assert figures["result"] == scored[0]


def test_the_comparison_is_what_compare_gives(runner, figures):
    compared = json.loads(run(runner, "compare", LAST_TERM, RIVERSIDE, "--format", "json").stdout)
    assert figures["comparison"] == {**compared, "same_institution": True}


def test_the_plan_is_in_the_order_the_report_shows(runner, figures):
    markdown = run(runner, "report", RIVERSIDE, "--previous", LAST_TERM).stdout
    ranks = [int(n) for n in re.findall(r"^\| (\d+) \| ", markdown, re.M)]
    assert ranks == [a["rank"] for a in figures["plan"]["actions"]] == list(range(1, 8))
    first = figures["plan"]["actions"][0]
    assert (first["band"], first["priority"], first["effort"], first["due"]) == ("nearly_there", 2, "quick_win",
                                                                                 "2027-07-16")


def test_without_previous_or_national_figures_those_are_null(runner, tmp_path):
    # a framework with no national.yaml: a copy of the schools framework without it
    import shutil

    folder = tmp_path / "fw"
    shutil.copytree(ROOT / "questionnaires" / "gatsby-2025-schools", folder)
    (folder / "national.yaml").unlink()
    text = (EXAMPLES / "riverside-high.yaml").read_text().replace("framework: gatsby-2025-schools",
                                                                  f"framework: {folder}")
    answers = tmp_path / "answers.yaml"
    answers.write_text(text)
    result = run(runner, "report", answers, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["comparison"] is None and data["national"] is None


#: Values that are answers as the files store them, or figures by benchmark: their keys are ids (Y9, B1).
DATA = {"answer", "percent_achieving"}


def _keys(value, data=frozenset(DATA)):
    """Every field name in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            if key not in data:
                yield from _keys(item, DATA | {"old", "new"} if key == "answers_changed" else DATA)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item, data)


def test_every_field_is_documented(figures):
    doc = (ROOT / "docs" / "report-json.md").read_text(encoding="utf-8")
    table = doc[doc.index("| field | meaning |"):]
    documented = {word for name in re.findall(r"`([^`]+)`", table) for word in re.findall(r"[a-z_]+", name)}
    own = set(_keys({k: v for k, v in figures.items() if k != "result"}))  # the result's are result-json.md's
    missing = sorted(own - documented)
    assert not missing, f"docs/report-json.md does not describe {missing}"
