"""Issue 18, items 1, 2, 8 and 9: no side door into an answer file.

A link planted as the lock file never makes compass write to another file; every command
that writes an answer file takes the lock and checks the file on disk before it saves; a
file with several names is never left cut short and taken for whole; a pipe swapped in for
the answer file is refused, not waited on; our own temporary copies left by a save that was
cut off are removed on the next run, never the complete copy the user was told to keep.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli import files
from compass_cli.cli import app
from compass_cli.cli import records as cli_records
from compass_cli.errors import SaveError
from compass_cli.files import Claim, fingerprint, write_atomic

from ..audit.audit_helpers import started, terminal_runner
from ..conftest import EXAMPLES, alarm_after, answer_doc, plain, write_yaml
from ..records.conftest import ACTIVITIES, PUPILS

REAL_WRITE = os.write
posix_only = pytest.mark.skipif(os.name == "nt", reason="links, pipes and kill -9 as POSIX has them")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return terminal_runner(tmp_path, monkeypatch)


def typing_at(monkeypatch: pytest.MonkeyPatch, prompt: str, then: Callable[[], None]) -> None:
    """Do ``then`` when the audit asks ``prompt`` (as someone else would, while the audit waits)."""
    import builtins

    real_input = builtins.input

    def typing(text: str = "") -> str:
        if text.startswith(prompt):
            then()
        return real_input(text)

    monkeypatch.setattr(builtins, "input", typing)


# --------------------------------------------------------------------------- 1. the lock file


def _plant(kind: str) -> None:
    lock = Path(".answers.yaml.lock")
    if kind == "link to another file":
        lock.symlink_to("precious.txt")
    elif kind == "link to the answer file":
        lock.symlink_to("answers.yaml")
    elif kind == "link to a file not there yet":
        lock.symlink_to("made-by-compass.txt")
    elif kind == "hard link to another file":
        os.link("precious.txt", lock)
    elif kind == "named pipe":
        os.mkfifo(lock)
    else:
        lock.mkdir()


@posix_only
@pytest.mark.parametrize("kind", ["link to another file", "link to the answer file", "link to a file not there yet",
                                  "hard link to another file", "named pipe", "folder"])
def test_a_planted_lock_file_is_refused_and_nothing_is_written_through_it(runner: CliRunner, kind: str) -> None:
    path = started(runner)
    Path(".answers.yaml.lock").unlink()  # the audit's own lock file, replaced by someone else's plant
    Path("precious.txt").write_text("Ten years of careers fair bookings\n")
    _plant(kind)
    before = path.read_bytes()
    result = runner.invoke(app, ["audit", "answers.yaml", "--review"], input="q\n")
    assert result.exit_code == 2, result.output
    assert re.search(r"\.answers\.yaml\.lock is (a link|a file with another name too \(a hard link\)|a named pipe"
                     r"|a folder), not the lock file compass keeps beside answers\.yaml; compass will not use it",
                     plain(result.stderr))
    assert "Remove it (rm .answers.yaml.lock) and run the command again" in plain(result.stderr)
    assert path.read_bytes() == before
    assert Path("precious.txt").read_text() == "Ten years of careers fair bookings\n"
    assert not Path("made-by-compass.txt").exists()


@posix_only
def test_a_lock_file_holding_something_else_locks_but_is_left_as_it_is(runner: CliRunner) -> None:
    """A regular file of that name with one name only cannot lead anywhere: it may be used to lock, never written."""
    path = started(runner)
    Path(".answers.yaml.lock").write_text("Shopping: milk, board pens\n")
    result = runner.invoke(app, ["audit", str(path), "--review"], input="q\n")
    assert result.exit_code == 0, result.output
    assert Path(".answers.yaml.lock").read_text() == "Shopping: milk, board pens\n"


@posix_only
def test_only_our_own_words_about_the_holder_are_repeated(runner: CliRunner) -> None:
    started(runner)
    Path(".answers.yaml.lock").write_bytes(b"\0process 1\x1b]0;pwned\x07, since 10:05\n")
    fd = os.open(".answers.yaml.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held by someone whose lock file says something that is not ours
        result = runner.invoke(app, ["audit", "answers.yaml", "--review"], input="q\n")
    finally:
        os.close(fd)
    assert result.exit_code == 2
    assert "answers.yaml is being written by another compass command (another process)" in plain(result.stderr)
    assert "\x1b" not in result.stderr


# --------------------------------------------------------------------------- 2. every writer takes the lock


def _answers(tmp_path: Path) -> Path:
    doc = answer_doc(answers={"B1.1.1": "yes", "B5.1.1": "all"}, sixth_form=True)
    doc["evaluation"]["date"] = "2026-08-31"
    return write_yaml(tmp_path / "answers.yaml", doc)


def _fill(*args: object) -> list[str]:
    return ["records", "fill", *[str(a) for a in args], str(PUPILS), *[str(a) for a in ACTIVITIES]]


def test_records_fill_is_refused_while_an_audit_holds_the_file(tmp_path: Path) -> None:
    path = _answers(tmp_path)
    before = path.read_bytes()
    with Claim(path, fingerprint(path)):  # an audit of the file, waiting at a question
        result = CliRunner().invoke(app, _fill(path))
    assert result.exit_code == 2, result.output
    assert re.search(rf"{re.escape(str(path))} is open in another compass audit \(process {os.getpid()}, since "
                     r"\d\d:\d\d\); close that one first", plain(result.stderr))
    assert path.read_bytes() == before


def test_records_fill_into_another_answer_file_an_audit_holds_is_refused(tmp_path: Path) -> None:
    path = _answers(tmp_path)
    other = write_yaml(tmp_path / "other.yaml", answer_doc())
    before = other.read_bytes()
    with Claim(other, fingerprint(other)):
        result = CliRunner().invoke(app, [*_fill(path), "-o", str(other)])
    assert result.exit_code == 2 and "other.yaml is open in another compass audit" in plain(result.stderr)
    assert other.read_bytes() == before


def test_records_fill_never_writes_back_a_copy_older_than_the_file(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An audit that saved and ended while fill was reading the records: its answer is kept, fill's refused."""
    path = _answers(tmp_path)
    real = cli_records._measure

    def measure_while_an_audit_saves(*args: object, **kwargs: object) -> object:
        path.write_text(path.read_text().replace("B5.1.1: all", "B5.1.1: all\n  B1.1.2: in_training"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli_records, "_measure", measure_while_an_audit_saves)
    result = CliRunner().invoke(app, _fill(path))
    assert result.exit_code == 1, result.output
    assert "answers.yaml changed on disk since compass read it" in plain(result.stderr)
    assert yaml.safe_load(path.read_text())["answers"]["B1.1.2"] == "in_training"


def test_an_audit_is_refused_while_records_fill_writes(runner: CliRunner) -> None:
    path = started(runner)
    with Claim(path, fingerprint(path), "records fill"):
        result = runner.invoke(app, ["audit", str(path), "--review"], input="q\n")
    assert result.exit_code == 2
    assert re.search(rf"answers\.yaml is being written by another compass records fill \(process {os.getpid()}, "
                     r"since \d\d:\d\d\); try again when it has finished", plain(result.stderr))


@pytest.mark.parametrize("command", [
    ["migrate", str(EXAMPLES / "riverside-high-2025-spring-2014-edition.yaml"), "--to", "gatsby-2025-schools",
     "-o", "answers.yaml", "--force"],
    ["template", "-o", "answers.yaml", "--force"],
])
def test_a_forced_write_over_an_answer_file_an_audit_holds_is_refused(runner: CliRunner, command: list[str]) -> None:
    path = started(runner)
    before = path.read_bytes()
    with Claim(path, fingerprint(path)):
        result = runner.invoke(app, command)
    assert result.exit_code == 2, result.output
    assert "answers.yaml is open in another compass audit" in plain(result.stderr)
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- 8. files with several names


def _disk_fills_up(monkeypatch: pytest.MonkeyPatch, path: Path, room: int, *, then_room: bool = False) -> None:
    """Writes to ``path``'s file fail with 'disk full' once ``room`` bytes have been written to it.

    ``then_room``: space comes back after the first failure (what was written can be put
    back); otherwise every later write to the file fails too.
    """
    inode = os.stat(path).st_ino
    real_write = REAL_WRITE
    state = {"left": room, "failed": False}

    def write(fd: int, data: bytes | memoryview) -> int:
        if os.fstat(fd).st_ino != inode or (state["failed"] and then_room):
            return real_write(fd, data)
        if state["left"] <= 0:
            state["failed"] = True
            raise OSError(errno.ENOSPC, "No space left on device")
        done = real_write(fd, bytes(data)[: state["left"]])
        state["left"] -= done
        return done

    monkeypatch.setattr(files.os, "write", write)


@pytest.mark.skipif(not hasattr(os, "link"), reason="hard links")
def test_a_disk_that_fills_during_an_in_place_save_leaves_the_old_file_whole(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    first = tmp_path / "first.yaml"
    first.write_text("notes:\n  B1.1: {note: The governors backed the plan in the spring.}\n")
    os.link(first, tmp_path / "second.yaml")
    before = first.read_bytes()
    _disk_fills_up(monkeypatch, first, 30, then_room=True)
    with pytest.raises(SaveError) as caught:
        write_atomic(first, before.decode() + "  B2.1: {note: Labour market information in every subject.}\n")
    assert caught.value.message.endswith("first.yaml: the disk is full; the previous copy is unchanged")
    assert caught.value.kept is None
    assert (tmp_path / "second.yaml").read_bytes() == before and os.stat(first).st_nlink == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.yaml", "second.yaml"]


@pytest.mark.skipif(not hasattr(os, "link"), reason="hard links")
def test_a_file_that_could_not_be_put_back_is_never_taken_for_whole(runner: CliRunner,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's case: the file cut short but valid YAML, scored, and the audit said to carry on with it."""
    path = started(runner)
    os.link(path, "hub-copy.yaml")
    room = len(path.read_bytes()) // 2
    typing_at(monkeypatch, "B1.1.2", lambda: _disk_fills_up(monkeypatch, path, room))
    result = runner.invoke(app, ["audit", str(path)], input="2\n")
    monkeypatch.setattr(files.os, "write", REAL_WRITE)  # the disk has room again
    assert result.exit_code == 1
    message = plain(result.stderr)
    kept = re.search(r"The complete copy to keep is (\.answers\.yaml\.\w{8}\.tmp): copy it over answers\.yaml "
                     r"\(cp \1 answers\.yaml\), then carry on with: compass audit answers\.yaml$", message)
    assert kept, message
    assert "answers.yaml is incomplete: do not use it" in message and "Answers before this one" not in message
    assert yaml.safe_load(Path(kept.group(1)).read_text())["answers"]["B1.1.2"] == "in_training"

    scored = CliRunner().invoke(app, ["score", "hub-copy.yaml"])
    assert scored.exit_code == 2
    assert f"was cut off while compass was saving it, so it is incomplete. The complete copy to keep is " \
           f"{kept.group(1)}" in plain(scored.stderr)

    Path("answers.yaml").write_bytes(Path(kept.group(1)).read_bytes())  # as the message says
    assert CliRunner().invoke(app, ["score", "hub-copy.yaml"]).exit_code == 0


def test_a_save_cut_off_mid_overwrite_keeps_the_complete_copy(runner: CliRunner) -> None:
    """A kill -9 or power cut part-way through an in-place save: the file is refused, the copy named and kept."""
    path = started(runner)
    whole = path.read_bytes()
    copy = Path(".answers.yaml.k2x9q0ab.tmp")
    copy.write_bytes(whole)
    path.write_bytes(files.INCOMPLETE + whole[1:len(whole) // 2])
    for command in (["score", "answers.yaml"], ["audit", "answers.yaml"]):
        result = runner.invoke(app, command, input="q\n")
        assert result.exit_code == 2
        assert f"The complete copy to keep is {copy}: copy it over the file (cp {copy} answers.yaml)" \
            in plain(result.stderr)
    assert copy.read_bytes() == whole


# --------------------------------------------------------------------------- 9. a pipe, and what kill -9 leaves


class Hung(Exception):
    pass


@pytest.fixture
def watchdog() -> Iterator[None]:
    """A save that waits for ever fails the test instead of hanging the run (not a timing check)."""
    with alarm_after(60, Hung("compass waited on the pipe")):
        yield


@posix_only
def test_an_answer_file_swapped_for_a_pipe_mid_audit_is_refused(runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                                                watchdog: None) -> None:
    path = started(runner)

    def swap() -> None:
        path.unlink()
        os.mkfifo(path)

    typing_at(monkeypatch, "B1.1.2", swap)
    result = runner.invoke(app, ["audit", str(path)], input="2\n")
    assert not isinstance(result.exception, Hung)
    assert result.exit_code == 1, result.output
    assert "cannot write answers.yaml: it is a named pipe, not a regular file; it is unchanged" in plain(result.stderr)


@posix_only
def test_a_fingerprint_of_a_pipe_does_not_wait(tmp_path: Path, watchdog: None) -> None:
    os.mkfifo(tmp_path / "answers.yaml")
    found = fingerprint(tmp_path / "answers.yaml")
    assert found is not None and found.size == -1 and found.sha256 == "a named pipe"


@posix_only
def test_temporaries_left_by_a_killed_save_are_removed_on_the_next_run(runner: CliRunner) -> None:
    path = started(runner)
    before = path.read_bytes()
    killed = subprocess.run([sys.executable, "-c", (
        "import os, signal\n"
        "from compass_cli import files\n"
        "files.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "files.write_atomic('answers.yaml', 'half a save\\n')\n"
    )], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    left = [p.name for p in Path(".").iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and re.fullmatch(r"\.answers\.yaml\.\w{8}\.tmp", left[0])
    Path(".answers.yaml.mine.tmp").write_text("not ours: a name mkstemp never makes\n")
    Path(".other.yaml.k2x9q0ab.tmp").write_text("beside another file\n")

    result = runner.invoke(app, ["audit", str(path), "--review"], input="q\n")
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in Path(".").iterdir() if p.name.endswith(".tmp")) == [
        ".answers.yaml.mine.tmp", ".other.yaml.k2x9q0ab.tmp"]
