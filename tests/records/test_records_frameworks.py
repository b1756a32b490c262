"""`compass records` finds frameworks where every other command does (issue 11): --frameworks DIR,
then COMPASS_FRAMEWORKS, then the bundled ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import ACTIVITIES, EXAMPLES, PUPILS, ROOT, run

FID = "hub-records-2026"
YEAR = ("--year", "2025/26")


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of frameworks holding a copy of the schools framework (entitlements and all) under another id."""
    root = tmp_path_factory.mktemp("hub-frameworks")
    folder = root / "our-schools"
    shutil.copytree(ROOT / "questionnaires" / "gatsby-2025-schools", folder)
    meta = yaml.safe_load((folder / "framework.yaml").read_text())
    meta.update(id=FID, title="Our schools framework")
    (folder / "framework.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    return root


@pytest.fixture(params=["option", "env"])
def how(request: pytest.FixtureRequest, own: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    if request.param == "env":
        monkeypatch.setenv("COMPASS_FRAMEWORKS", str(own))
        return []
    monkeypatch.delenv("COMPASS_FRAMEWORKS", raising=False)
    return ["--frameworks", str(own)]


def test_coverage_and_gaps_find_the_framework(how: list[str]) -> None:
    result = run("coverage", PUPILS, *ACTIVITIES, *YEAR, "-f", FID, *how, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["framework"] == FID
    result = run("gaps", PUPILS, *ACTIVITIES, *YEAR, "-f", FID, *how, "--benchmark", "B5")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("year_group,pupil_id")


def test_template_finds_the_framework(how: list[str], tmp_path: Path) -> None:
    result = run("template", "-o", tmp_path / "records", "-f", FID, *how)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "records" / "pupils.csv").exists()


def test_fill_reads_an_answer_file_of_the_framework(how: list[str], tmp_path: Path) -> None:
    doc = yaml.safe_load((EXAMPLES / "riverside-high.yaml").read_text())
    doc["framework"] = FID
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(doc, sort_keys=False))
    before = answers.read_text()
    result = run("fill", answers, PUPILS, *ACTIVITIES, *YEAR, "--dry-run", *how)
    assert result.exit_code == 0, result.stderr  # the fixtures have no bad rows
    # the framework's own entitlements are counted: the share answers the records support, filled
    assert "B5.1.1 Y8: All (100%) → Almost all (91-99%), from 28 of 30 (93%)" in result.stdout
    assert "B7.1.2 Y11: All (100%) → Many (51-75%), from 16 of 30 (53%)" in result.stdout
    assert f"Dry run: {answers} is unchanged." in " ".join(result.stdout.split()) and answers.read_text() == before


def test_without_the_search_path_the_framework_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPASS_FRAMEWORKS", raising=False)
    result = run("coverage", PUPILS, *ACTIVITIES, *YEAR, "-f", FID)
    assert result.exit_code == 2 and FID in result.stderr
