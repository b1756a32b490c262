"""Issue 9.6 and 9.8: one bad file is one clear error about that file (exit 2 for score, listed and
skipped in a summary), never a traceback, a hang or a silent guess."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.core import loading
from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import QuestionKind
from compass_cli.errors import UsageError

from ..conftest import ROOT, answer_doc, write_yaml

HUB = ROOT / "tests" / "summary" / "hub"
#: A number question asked of every school (whatever the questionnaire's edition calls it).
NUMBER = next(q.id for q in load_framework().questions() if q.kind is QuestionKind.number and q.when is None)


def one_line(text: str) -> str:
    return " ".join(text.split())


def scored(runner: CliRunner, path: Path, *words: str) -> None:
    """``compass score`` refuses the file with exit 2, naming it and saying what is wrong."""
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    message = one_line(result.stderr)
    assert str(path) in message
    for w in words:
        assert w in message, message


def summarised(runner: CliRunner, tmp_path: Path, bad: Path, *words: str) -> None:
    """In a hub summary the file is listed with its reasons and the others are still counted."""
    shutil.copytree(HUB, tmp_path / "hub", ignore=shutil.ignore_patterns("half-saved.yaml"))
    shutil.move(bad, tmp_path / "hub" / bad.name)
    result = runner.invoke(app, ["summary", str(tmp_path / "hub"), "--format", "json"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert [Path(b["file"]).name for b in doc["bad_files"]] == [bad.name]
    reasons = " ".join(doc["bad_files"][0]["reasons"])
    for w in words:
        assert w in reasons, reasons
    assert doc["evaluations"] == 12  # the rest of the hub is still counted


@pytest.mark.parametrize(("case", "words"), [
    ("framework of 300 characters", ("framework: expected a framework id", "(300 characters)")),
    ("number of 400 digits", (f"answers.{NUMBER}: expected a number of at most 1,000,000,000", "400 digits")),
    ("number .nan", (f"answers.{NUMBER}: expected a number that could be counted", "got .nan")),
    ("number .inf", (f"answers.{NUMBER}: expected a number that could be counted", "got .inf")),
    ("number -.inf", (f"answers.{NUMBER}: expected a number that could be counted", "got -.inf")),
    ("learners of 400 digits", ("institution.learners.Y7", "more than 100,000, the most it can be")),
    ("URN that is a path", ("institution.urn: a URN is six digits, e.g. 137245; got '../../etc/passwd'",)),
    ("URN of seven digits", ("institution.urn: a URN is six digits",)),
    ("UKPRN of nine digits", ("institution.ukprn: a UKPRN is eight digits starting with 1",)),
    ("date in the future", ("evaluation.date: 2999-01-01 is in the future", "cannot be dated in the future")),
    ("two institution keys", ("the key 'institution' is written twice (lines 3 and 6); keep one",)),
    ("YAML integer of 5,000 digits", ("a number too long to read (5,000 digits)",)),
])
def test_a_hostile_answer_file(runner: CliRunner, tmp_path: Path, case: str, words: tuple[str, ...]) -> None:
    doc = answer_doc()
    path = tmp_path / "answers.yaml"
    if case == "framework of 300 characters":
        doc["framework"] = "x" * 300
    elif case == "number of 400 digits":
        doc["answers"][NUMBER] = int("9" * 400)
    elif case.startswith("number "):
        doc["answers"][NUMBER] = float(case.split()[1].replace(".", ""))
    elif case == "learners of 400 digits":
        doc["institution"]["learners"] = {"Y7": int("9" * 400)}
    elif case == "URN that is a path":
        doc["institution"]["urn"] = "../../etc/passwd"
    elif case == "URN of seven digits":
        doc["institution"]["urn"] = "1234567"
    elif case == "UKPRN of nine digits":
        doc["institution"]["ukprn"] = 123456789
    elif case == "date in the future":
        doc["evaluation"]["date"] = dt.date(2999, 1, 1)
    write_yaml(path, doc)
    if case == "two institution keys":
        path.write_text("format: 1\nframework: gatsby-2025-schools\ninstitution: {name: Real School, urn: 100001}\n"
                        "evaluation: {date: 2026-11-20}\nanswers: {}\ninstitution: {name: Impostor}\n")
    elif case == "YAML integer of 5,000 digits":
        path.write_text(path.read_text() + "extra: " + "9" * 5000 + "\n")
    scored(runner, path, *words)
    if case != "YAML integer of 5,000 digits":  # the summary lists the same problem
        summarised(runner, tmp_path, path, *(w.split(": ", 1)[-1] for w in words))


def test_the_4300_digit_integer_is_not_called_a_date(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 9.9."""
    path = tmp_path / "answers.yaml"
    path.write_text("format: 1\nframework: gatsby-2025-schools\ninstitution: {name: X}\n"
                    "evaluation: {date: 2026-11-20}\nanswers:\n  " + NUMBER + ": " + "9" * 4301 + "\n")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2
    assert f"{path}:6: holds a number too long to read (4,301 digits)" in result.stderr
    assert "date" not in result.stderr


def test_json_duplicates_and_huge_integers(runner: CliRunner, tmp_path: Path) -> None:
    dup = tmp_path / "dup.json"
    dup.write_text('{"format": 1, "framework": "gatsby-2025-schools",\n'
                   ' "institution": {"name": "Real School",\n  "name": "Impostor"},\n'
                   ' "evaluation": {"date": "2026-11-20"}}\n')
    scored(runner, dup, "institution.name: the key 'name' is written twice (lines 2 and 3)")
    big = tmp_path / "big.json"
    big.write_text('{"format": 1, "framework": "gatsby-2025-schools", "answers": {"' + NUMBER + '": '
                   + "9" * 5000 + "}}")
    scored(runner, big, "holds a number too long to read")


def test_an_unreadable_framework_path_is_an_error_about_the_framework() -> None:
    with pytest.raises(UsageError, match="cannot be read"):
        load_framework("x" * 300)  # the file system refuses the name: ENAMETOOLONG, not a traceback


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_not_waited_for(runner: CliRunner, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    scored(runner, tmp_path / "pipe.yaml", "is a named pipe, not a regular file")
    summarised(runner, tmp_path, tmp_path / "pipe.yaml", "is a named pipe")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="POSIX devices")
def test_an_endless_device_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    scored(runner, tmp_path / "zero.yaml", "is a device, not a regular file")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux's /proc")
def test_a_file_whose_size_on_disk_is_wrong_is_still_read_no_further_than_the_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files in /proc say they are 0 bytes long; what is read is counted, not what the file claims."""
    (tmp_path / "a.yaml").symlink_to("/proc/self/status")
    monkeypatch.setattr(loading, "MAX_ANSWER_BYTES", 100)
    with pytest.raises(loading.InputError, match="is over 100 bytes; files over 100 bytes are refused as too large"):
        load_evaluation(tmp_path / "a.yaml")


# --------------------------------------------------------------------------- the walk of a hub folder


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_linked_folder_is_reported_not_skipped(runner: CliRunner, tmp_path: Path) -> None:
    shutil.copytree(HUB, tmp_path / "hub", ignore=shutil.ignore_patterns("half-saved.yaml"))
    shutil.copytree(HUB / "york", tmp_path / "elsewhere", ignore=shutil.ignore_patterns("half-saved.yaml"))
    (tmp_path / "hub" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = runner.invoke(app, ["summary", str(tmp_path / "hub")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'hub' / 'linked'}: is a link to a folder, which is not followed" in one_line(result.stderr)


def test_a_folder_that_disappears_or_cannot_be_read_during_the_walk(runner: CliRunner, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(HUB, tmp_path / "hub", ignore=shutil.ignore_patterns("half-saved.yaml"))
    real_scandir = os.scandir

    def scandir(folder: os.PathLike[str]) -> object:
        if Path(folder).name == "york":
            raise FileNotFoundError(2, "No such file or directory")
        if Path(folder).name == "leeds":
            raise PermissionError(13, "Permission denied")
        return real_scandir(folder)

    monkeypatch.setattr(loading.os, "scandir", scandir)
    result = runner.invoke(app, ["summary", str(tmp_path / "hub"), "--format", "json"])
    assert result.exit_code == 1, result.output
    bad = {Path(b["file"]).name: " ".join(b["reasons"]) for b in json.loads(result.stdout)["bad_files"]}
    assert bad == {"york": "is a folder that disappeared while it was being searched; its answer files are not "
                           "included",
                   "leeds": "is a folder that cannot be read (Permission denied); its answer files are not included"}
    scored_out = runner.invoke(app, ["score", str(tmp_path / "hub")])
    assert scored_out.exit_code == 2 and "york: is a folder that disappeared" in one_line(scored_out.stderr)


def test_a_name_that_is_rich_markup_does_not_break_the_summary_table(runner: CliRunner, tmp_path: Path) -> None:
    doc = answer_doc()
    doc["institution"]["name"] = "[/]"
    write_yaml(tmp_path / "a.yaml", doc)
    result = runner.invoke(app, ["summary", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert any(line.startswith("[/] ") for line in result.stdout.splitlines())  # the first column of a row
