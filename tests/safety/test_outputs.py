"""Issue 9.2 and 9.5: no command writes over one of its inputs, a device, a pipe or a folder;
saving follows links, keeps hard links and permissions, and flushes the folder."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compass_cli import files
from compass_cli.cli import app
from compass_cli.errors import SaveError, UsageError
from compass_cli.files import write_atomic

from ..conftest import EXAMPLES, ROOT

HUB = ROOT / "tests" / "summary" / "hub"
needs_links = pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two answer files of one school, in a folder of their own."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLES / "riverside-high-last-term.yaml", "a.yaml")
    shutil.copy(EXAMPLES / "riverside-high.yaml", "b.yaml")
    return Path("a.yaml"), Path("b.yaml")


@pytest.mark.parametrize("args", [
    ["score", "a.yaml", "--format", "json", "-o", "a.yaml"],
    ["score", "a.yaml", "b.yaml", "--format", "csv", "-o", "b.yaml"],
    ["score", ".", "--format", "csv", "-o", "b.yaml"],
    ["summary", "a.yaml", "b.yaml", "--format", "json", "-o", "b.yaml"],
    ["summary", ".", "--format", "md", "-o", "a.yaml"],
    ["compare", "b.yaml", "a.yaml", "--format", "json", "-o", "a.yaml"],
    ["compare", "a.yaml", "b.yaml", "--format", "md", "-o", "a.yaml"],
    ["report", "b.yaml", "--previous", "a.yaml", "-o", "a.yaml"],
    ["audit", "--from", "a.yaml", "-o", "a.yaml"],
])
def test_an_output_that_is_an_input_is_refused(runner: CliRunner, two: tuple[Path, Path], args: list[str]) -> None:
    before = {p: p.read_bytes() for p in two}
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "is one of the answer files" in result.stderr
    assert {p: p.read_bytes() for p in two} == before


@needs_links
@pytest.mark.parametrize("command", [["score", "a.yaml", "--format", "json"], ["compare", "b.yaml", "a.yaml",
                                     "--format", "json"], ["report", "a.yaml"], ["summary", "a.yaml", "b.yaml"]])
def test_a_link_to_an_input_is_the_input(runner: CliRunner, two: tuple[Path, Path], command: list[str]) -> None:
    Path("out.json").symlink_to("a.yaml")
    before = Path("a.yaml").read_bytes()
    result = runner.invoke(app, [*command, "-o", "out.json"])
    assert result.exit_code == 2 and "(the same file as a.yaml)" in result.stderr
    assert Path("a.yaml").read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("args", [["score", "a.yaml", "--format", "csv"], ["report", "a.yaml", "--format", "md"],
                                  ["summary", "a.yaml", "--format", "json"], ["template", "--force"],
                                  ["compare", "a.yaml", "b.yaml", "--format", "md"]])
def test_a_special_file_is_never_replaced(runner: CliRunner, two: tuple[Path, Path], args: list[str]) -> None:
    """A named pipe stands in for /dev/stdout or /dev/full here: a test of the bug must not replace a real device."""
    os.mkfifo("special")
    result = runner.invoke(app, [*args, "-o", "special"])
    assert result.exit_code == 2
    assert "special is a named pipe, not a regular file" in result.stderr and "give -" in result.stderr
    assert stat.S_ISFIFO(os.stat("special").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full is Linux's")
def test_a_device_is_refused_before_anything_is_written() -> None:
    with pytest.raises(UsageError, match="/dev/full is a device, not a regular file"):
        files.check_output(Path("/dev/full"), [])
    with pytest.raises(SaveError, match="it is a device, not a regular file"):
        write_atomic("/dev/full", "x")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("args", [["score", "a.yaml", "--format", "json"], ["report", "a.yaml"],
                                  ["summary", "a.yaml", "--format", "json"], ["template"],
                                  ["compare", "a.yaml", "b.yaml", "--format", "json"]])
def test_dash_is_the_screen(runner: CliRunner, two: tuple[Path, Path], args: list[str]) -> None:
    result = runner.invoke(app, [*args, "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() and not Path("-").exists()


def test_a_summary_written_into_the_hub_is_skipped_next_time(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 9.8: the tool's own output is not read back as a bad answer file."""
    hub = tmp_path / "hub"
    shutil.copytree(HUB, hub)
    (hub / "york" / "half-saved.yaml").unlink()  # the fixture hub's one bad file
    first = runner.invoke(app, ["summary", str(hub), "-o", str(hub / "summary.json")])
    assert first.exit_code == 0, first.output
    runner.invoke(app, ["compare", str(next(hub.rglob("*autumn.yaml"))), str(next(hub.rglob("*spring.yaml"))),
                        "--format", "json", "-o", str(hub / "compare.json")])
    again = runner.invoke(app, ["summary", str(hub), "-o", str(hub / "summary.json")])
    assert again.exit_code == 0, again.output
    assert "skipped 2 files written by compass (not answer files)" in " ".join(again.stderr.split())
    written = json.loads((hub / "summary.json").read_text())
    assert written["bad_files"] == [] and written["files_read"] == len(list(hub.rglob("*.yaml")))
    scored = runner.invoke(app, ["score", str(hub / "summary.json")])
    assert scored.exit_code == 2 and "is a hub summary written by compass, not an answer file" in scored.stderr


def test_scores_written_into_the_folder_are_replaced_next_time(runner: CliRunner, tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    shutil.copytree(HUB / "leeds", hub)
    for _ in range(2):
        result = runner.invoke(app, ["score", str(hub), "--format", "json", "-o", str(hub / "scores.json")])
        assert result.exit_code == 0, result.output
    assert len(json.loads((hub / "scores.json").read_text())) == len(list(hub.glob("*.yaml")))
    result = runner.invoke(app, ["score", str(hub), "--format", "csv"])
    assert result.exit_code == 0 and "skipped a file written by compass (not answer files)" in result.stderr


# --------------------------------------------------------------------------- how a file is saved


@needs_links
def test_saving_through_a_link_updates_the_shared_copy(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "real.yaml").write_text("old\n")
    link = tmp_path / "sl.yaml"
    link.symlink_to(shared / "real.yaml")
    write_atomic(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == str(shared / "real.yaml")
    assert (shared / "real.yaml").read_text() == "new\n"
    assert not [p for p in shared.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not hasattr(os, "link"), reason="hard links")
def test_saving_a_file_with_hard_links_updates_every_name(tmp_path: Path) -> None:
    first = tmp_path / "first.yaml"
    first.write_text("old text, longer than the new\n")
    os.link(first, tmp_path / "second.yaml")
    fingerprint = write_atomic(first, "new\n")
    assert (tmp_path / "second.yaml").read_text() == "new\n"
    assert os.stat(first).st_nlink == 2
    assert fingerprint == files.fingerprint(tmp_path / "second.yaml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.yaml", "second.yaml"]


@pytest.mark.skipif(not hasattr(os, "link"), reason="hard links")
def test_a_failed_in_place_update_puts_the_old_text_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old text is put back and the temporary copy removed (test_side_doors_files.py: when it cannot be)."""
    first = tmp_path / "first.yaml"
    first.write_text("old\n")
    os.link(first, tmp_path / "second.yaml")
    real_fsync, calls = os.fsync, []

    def failing_second_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", failing_second_fsync)
    with pytest.raises(SaveError, match="the disk is full; the previous copy is unchanged") as caught:
        write_atomic(first, "new\n")
    assert caught.value.kept is None
    assert (tmp_path / "second.yaml").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.yaml", "second.yaml"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_saving_keeps_the_permissions_and_flushes_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    real_fsync, flushed = os.fsync, []

    def fsync(fd: int) -> None:
        flushed.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)
    write_atomic(path, "new\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert flushed == ["file", "folder"]  # the new text first, then the rename


def test_a_read_only_file_is_refused_before_anything_is_asked(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("x")
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    with pytest.raises(SaveError, match="read-only"):
        files.check_writable(path)
    path.chmod(0o644)
    files.check_writable(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="an administrator can write to a read-only folder")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "answers.yaml").write_text("x")
    folder.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="read-only"):
            files.check_writable(folder / "answers.yaml")
    finally:
        folder.chmod(0o755)
