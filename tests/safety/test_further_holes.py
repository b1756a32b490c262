"""Holes of the same kinds as issue 9's, found while fixing it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.cli import audit as cli_audit

from ..conftest import EXAMPLES, MINI


def test_an_id_in_a_questionnaire_cannot_be_markup(runner: CliRunner, tmp_path: Path) -> None:
    """A questionnaire folder can be named by an answer file; its ids appear unescaped in many places."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    doc = yaml.safe_load((folder / "b1.yaml").read_text())
    doc["criteria"][0]["questions"][0]["id"] = "B1.1.<img src=x onerror=alert(1)>"
    (folder / "b1.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    result = runner.invoke(app, ["questions", "--framework", str(folder)])
    assert result.exit_code == 2
    assert re.search(r"b1.yaml:\d+: criteria\[B1.1\].questions\[.*\].id: String should match pattern", result.stderr)


def test_an_audit_file_name_with_brackets(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rich read '[/]' in the file name as markup and stopped with a MarkupError."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli_audit, "is_interactive", lambda: True)
    Path("term[").mkdir()  # so that the path as typed holds [/], which rich would read as a closing tag
    result = runner.invoke(app, ["audit", "term[/]1.yaml"], input="\nq\n")
    assert result.exit_code == 0, result.output
    assert "Starting term[/]1.yaml" in result.stdout


def test_the_report_note_about_another_institution_strips_escape_sequences(runner: CliRunner, tmp_path: Path) -> None:
    doc = yaml.safe_load((EXAMPLES / "riverside-high-last-term.yaml").read_text())
    doc["institution"]["name"] = "Other\x1b]0;pwned\x07 School"
    doc["institution"]["urn"] = "999999"
    previous = tmp_path / "other.yaml"
    previous.write_text(yaml.safe_dump(doc, sort_keys=False))
    result = runner.invoke(app, ["report", str(EXAMPLES / "riverside-high.yaml"), "--previous", str(previous),
                                 "-o", str(tmp_path / "plan.md")])
    assert result.exit_code == 0, result.output
    assert "is for 'Other]0;pwned School'" in result.stderr and "\x1b" not in result.stderr
