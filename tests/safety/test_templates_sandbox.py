"""Issue 9.1: a shared template folder can change layout and wording, never run code or read files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compass_cli.cli import app

from ..conftest import EXAMPLES, ROOT

RIVERSIDE = EXAMPLES / "riverside-high.yaml"
HUB = ROOT / "tests" / "summary" / "hub"
PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('id').read() }}\n"


def templates(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "shared-templates"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def refused(result, template: Path, line: int, words: str) -> None:  # noqa: ANN001 - click's Result
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{template}:{line}:" in result.stderr, result.stderr
    assert words in result.stderr
    assert "uid=" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("name", "output"), [("report.html.j2", "plan.html"), ("report.md.j2", "plan.md"),
                                              ("partials/header.html.j2", "plan.html")])
def test_the_payload_of_the_issue_does_not_run_in_a_report(runner: CliRunner, tmp_path: Path, name: str,
                                                           output: str) -> None:
    folder = templates(tmp_path, {name: PAYLOAD})
    out = tmp_path / output
    result = runner.invoke(app, ["report", str(RIVERSIDE), "--templates", str(folder), "-o", str(out)])
    refused(result, folder / name, 1, "not allowed in a template")
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_payload_of_the_issue_does_not_run_in_a_summary(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    folder = templates(tmp_path, {f"summary.{fmt}.j2": "Hub\n" + PAYLOAD})
    result = runner.invoke(app, ["summary", str(HUB), "--templates", str(folder), "--format", fmt])
    refused(result, folder / f"summary.{fmt}.j2", 2, "not allowed in a template")


def test_a_template_that_includes_itself(runner: CliRunner, tmp_path: Path) -> None:
    folder = templates(tmp_path, {"report.md.j2": "# Plan\n{% include 'report.md.j2' %}\n"})
    result = runner.invoke(app, ["report", str(RIVERSIDE), "--templates", str(folder), "--format", "md"])
    refused(result, folder / "report.md.j2", 2, "includes or calls itself without end")


def test_a_template_cannot_change_what_it_is_given(runner: CliRunner, tmp_path: Path) -> None:
    folder = templates(tmp_path, {"report.md.j2": "{{ plan['actions'].clear() }}\n"})
    result = runner.invoke(app, ["report", str(RIVERSIDE), "--templates", str(folder), "--format", "md"])
    refused(result, folder / "report.md.j2", 1, "not allowed in a template")


def test_a_template_cannot_build_text_without_end(runner: CliRunner, tmp_path: Path) -> None:
    folder = templates(tmp_path, {"report.md.j2": "{{ 'x' * 10**10 }}\n"})
    result = runner.invoke(app, ["report", str(RIVERSIDE), "--templates", str(folder), "--format", "md"])
    refused(result, folder / "report.md.j2", 1, "would build something over")


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_link_out_of_the_template_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the head's password", encoding="utf-8")
    folder = templates(tmp_path, {"report.md.j2": "{% include 'partials/logo.md.j2' %}\n"})
    (folder / "partials").mkdir()
    (folder / "partials" / "logo.md.j2").symlink_to(secret)
    result = runner.invoke(app, ["report", str(RIVERSIDE), "--templates", str(folder), "--format", "md"])
    assert result.exit_code == 2
    assert "outside the template folder" in result.stderr
    assert "password" not in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_in_the_template_folder_is_refused_not_waited_for(runner: CliRunner, tmp_path: Path) -> None:
    folder = templates(tmp_path, {})
    folder.mkdir()
    os.mkfifo(folder / "report.md.j2")
    result = runner.invoke(app, ["report", str(RIVERSIDE), "--templates", str(folder), "--format", "md"])
    assert result.exit_code == 2
    assert "is a named pipe, not a regular file" in result.stderr


def test_a_shared_folder_still_changes_layout_and_wording(runner: CliRunner, tmp_path: Path) -> None:
    folder = templates(tmp_path, {"report.md.j2": "# {{ institution.name|md }}: {{ headline.achieved }} of "
                                                  "{{ headline.total }} {{ '%s' | format('benchmarks') }}\n"})
    result = runner.invoke(app, ["report", str(RIVERSIDE), "--templates", str(folder), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"# Riverside High School: \d of 8 benchmarks\n", result.stdout)
