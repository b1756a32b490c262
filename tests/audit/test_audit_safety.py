"""Issue 9.4 (two audits of one file, a file changed underneath), 9.5 (saving through a link),
9.8 (one URN rule) and 9.9 (the read-only message) for the audit."""

from __future__ import annotations

import builtins
import os
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.audit.interview import Interview
from compass_cli.cli import app
from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.errors import SaveError, UsageError
from compass_cli.files import Claim, fingerprint

from ..conftest import plain
from .audit_helpers import INSTITUTION_LINES, TODAY, Scripted, started, terminal_runner


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return terminal_runner(tmp_path, monkeypatch)


def test_a_second_claim_on_one_file_is_refused_until_the_first_ends(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("x\n")
    with Claim(path, fingerprint(path)):
        with pytest.raises(UsageError) as caught:
            Claim(path, fingerprint(path)).acquire()
        assert re.fullmatch(rf"{re.escape(str(path))} is open in another compass audit \(process {os.getpid()}, "
                            r"since \d\d:\d\d\); close that one first", caught.value.message)
        link = tmp_path / "link.yaml"  # another name for the same file is the same file
        link.symlink_to(path)
        with pytest.raises(UsageError, match="is open in another compass audit"):
            Claim(link, fingerprint(link)).acquire()
    with Claim(path, fingerprint(path)):  # released at the end of the first
        pass


def test_a_change_on_disk_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("as read\n")
    with Claim(path, fingerprint(path)) as claim:
        claim.write(path, "first save\n")
        path.write_text("saved by someone else\n")
        with pytest.raises(SaveError, match="changed on disk since compass read it .* the answer on screen was not "
                                            "saved"):
            claim.write(path, "second save\n")
    assert path.read_text() == "saved by someone else\n"


def test_the_interview_stops_rather_than_overwrite(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"

    def script(prompt: object) -> str:
        ref = prompt.heading.ref  # type: ignore[attr-defined]
        if ref == "B1.1.1":
            path.write_text(path.read_text() + "# an edit made in a text editor meanwhile\n")
            return "y"
        return dict(zip(["name", "URN", "local authority", "sixth form", "Y7", "Y8", "Y9", "Y10", "Y11", "Y12", "Y13",
                         "completed by", "role", "careers leader's name", "careers leader's role",
                         "careers leader's email", "careers leader's phone", "careers programme link",
                         "provider access link"], INSTITUTION_LINES, strict=True))[ref]

    with Claim(path, None) as claim:
        interview = Interview(fw, path, Scripted(script), today=TODAY, writer=claim.write)
        with pytest.raises(SaveError, match="changed on disk"):
            interview.run()
    assert path.read_text().endswith("# an edit made in a text editor meanwhile\n")
    loaded = load_evaluation(path, fw)
    assert loaded.answers == {}


def test_an_audit_stops_when_the_file_changes_underneath(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    path = started(runner)
    real_input = builtins.input

    def typing(prompt: str = "") -> str:
        if prompt.startswith("B1.1.2"):
            path.write_text(path.read_text().replace("Hilltop Academy", "Hilltop Academy Trust"))
        return real_input(prompt)

    monkeypatch.setattr(builtins, "input", typing)
    result = runner.invoke(app, ["audit", str(path)], input="2\n")
    assert result.exit_code == 1
    message = plain(result.stderr)
    assert "answers.yaml changed on disk since compass read it" in message
    assert "the answer on screen was not saved" in message and "carry on with: compass audit answers.yaml" in message
    assert "Hilltop Academy Trust" in path.read_text() and "B1.1.2" not in yaml.safe_load(path.read_text())["answers"]


def test_audit_from_into_a_file_open_elsewhere_is_refused(runner: CliRunner) -> None:
    last = started(runner, "last.yaml")
    Path("this.yaml").write_text(last.read_text())
    with Claim(Path("this.yaml"), fingerprint("this.yaml")):
        result = runner.invoke(app, ["audit", "--from", "last.yaml", "-o", "this.yaml"], input="q\n")
    assert result.exit_code == 2
    assert "this.yaml is open in another compass audit" in plain(result.stderr)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_an_audit_through_a_link_keeps_the_link(runner: CliRunner) -> None:
    Path("shared").mkdir()
    real = started(runner, "shared/real.yaml")
    Path("sl.yaml").symlink_to(real)
    result = runner.invoke(app, ["audit", "sl.yaml"], input="2\nq\n")
    assert result.exit_code == 0, result.output
    assert Path("sl.yaml").is_symlink()
    assert yaml.safe_load(real.read_text())["answers"]["B1.1.2"] == "in_training"
    assert Path("shared/.real.yaml.lock").exists() and not Path(".sl.yaml.lock").exists()


def test_a_read_only_file_says_nothing_was_asked(runner: CliRunner) -> None:
    path = started(runner)
    before = path.read_text()
    path.chmod(0o444)
    result = runner.invoke(app, ["audit"], input="n\n")
    assert result.exit_code == 1
    message = plain(result.stderr)
    assert "read-only" in message and "Nothing was asked or changed" in message
    assert "Answers before this one are saved" not in message
    assert path.read_text() == before


def test_the_urn_prompt_takes_the_answer_file_s_rule(fw: Framework, tmp_path: Path) -> None:
    lines = [INSTITUTION_LINES[0], "1234567", "../../etc/passwd", "137245", *INSTITUTION_LINES[2:], "q"]
    prompter = Scripted(lines)
    Interview(fw, tmp_path / "a.yaml", prompter, today=TODAY).run()
    assert prompter.hints[:2] == ["A URN is six digits, e.g. 137245; got '1234567'.",
                                  "A URN is six digits, e.g. 137245; got '../../etc/passwd'."]
    loaded = load_evaluation(tmp_path / "a.yaml", fw)
    assert loaded.answer_file.institution.urn == "137245"
