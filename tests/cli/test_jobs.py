"""`--jobs N`: several processes give, byte for byte, what one process gives; Ctrl-C stops them cleanly.

The fixture hub is copied twice into one folder (so every evaluation is also a duplicate),
with a bad file, compass's own output and a link to a folder added: every list the summary
and the scores keep is exercised. The copy holds more files than core.parallel's threshold,
and each test checks that a pool really was started.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.core import parallel
from compass_cli.core.summarising import collect
from compass_cli.errors import ProcessLost

from ..conftest import alarm_after
from ..summary.conftest import HUB

SUMMARY_FORMATS = ["json", "csv", "md", "html", "table"]
SCORE_FORMATS = ["json", "csv", "table"]


@pytest.fixture
def big_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two copies of the fixture hub side by side, a bad file, a summary compass wrote, a link to a folder.

    The tests run inside ``tmp_path``, so the file names in every output are relative and the same each run.
    """
    hub = tmp_path / "hub"
    shutil.copytree(HUB, hub / "first")
    shutil.copytree(HUB, hub / "second")
    (hub / "second" / "york" / "truncated.yaml").write_text("format: 1\nframework: [gatsby", encoding="utf-8")
    (hub / "elsewhere").mkdir()
    (hub / "first" / "linked").symlink_to(hub / "elsewhere", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["summary", "hub/first", "--format", "json", "--jobs", "1",
                                      "-o", "hub/second/last-summary.json"])
    assert result.exit_code == 1, result.output  # the fixture hub's own bad file
    files = sum(1 for p in hub.rglob("*") if p.suffix in (".yaml", ".json"))
    assert files > parallel.MIN_FILES_FOR_PROCESSES
    return Path("hub")


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The start method of every pool started (none: all was done in this process)."""
    started: list[str] = []
    real = parallel._context

    def counting() -> Any:
        context = real()
        started.append(context.get_start_method())
        return context

    monkeypatch.setattr(parallel, "_context", counting)
    return started


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", SUMMARY_FORMATS)
@pytest.mark.parametrize("extra", [[], ["--all-terms", "--group-by", "la"]])
def test_summary_is_the_same_with_four_processes(big_hub: Path, pools: list[str], fmt: str, extra: list[str]) -> None:
    one = invoke("summary", str(big_hub), "--format", fmt, *extra, "--jobs", "1")
    assert pools == []
    four = invoke("summary", str(big_hub), "--format", fmt, *extra, "--jobs", "4")
    assert len(pools) == 1
    if sys.platform.startswith("linux"):
        assert pools == ["fork"]
    assert four == one
    code, out, err = one
    assert code == 1
    assert "truncated.yaml" in err and "half-saved.yaml" in err  # bad files, listed the same way
    assert "linked" in err  # a link to a folder, not followed
    assert "duplicate" in err
    assert "skipped a file written by compass" in err and "last-summary.json" in err
    assert out


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_summary_files_written_with_four_processes_are_the_same(big_hub: Path, pools: list[str], fmt: str) -> None:
    assert invoke("summary", str(big_hub), "-o", f"one.{fmt}", "-j", "1")[0] == 1
    assert invoke("summary", str(big_hub), "-o", f"four.{fmt}", "-j", "4")[0] == 1
    assert len(pools) == 1
    assert Path(f"four.{fmt}").read_bytes() == Path(f"one.{fmt}").read_bytes()


@pytest.mark.parametrize("fmt", SCORE_FORMATS)
def test_score_is_the_same_with_four_processes(big_hub: Path, pools: list[str], fmt: str) -> None:
    one = invoke("score", str(big_hub), "--format", fmt, "--jobs", "1")
    four = invoke("score", str(big_hub), "--format", fmt, "--jobs", "4")
    assert len(pools) == 1
    assert four == one
    code, out, err = one
    assert code == 2
    assert "truncated.yaml" in err and "half-saved.yaml" in err and "linked" in err
    assert "last-summary.json" in err
    assert "4 files could not be scored; 42 scored." in err


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_score_files_written_with_four_processes_are_the_same(big_hub: Path, pools: list[str], fmt: str) -> None:
    assert invoke("score", str(big_hub), "-o", f"one.{fmt}", "-j", "1")[0] == 2
    assert invoke("score", str(big_hub), "-o", f"four.{fmt}", "-j", "4")[0] == 2
    assert len(pools) == 1
    assert Path(f"four.{fmt}").read_bytes() == Path(f"one.{fmt}").read_bytes()


def test_the_library_gives_the_same_summary(big_hub: Path, pools: list[str]) -> None:
    one, four = collect([big_hub]), collect([big_hub], jobs=4)
    assert len(pools) == 1
    assert four.summary() == one.summary()
    assert (four.bad_files, four.duplicates, four.skipped, four.files_read) == (
        one.bad_files, one.duplicates, one.skipped, one.files_read)
    # the rows of a framework share its one FrameworkInfo, wherever they were read
    rows = four.rows()
    assert len({id(r.framework) for r in rows}) == len({r.framework.id for r in rows}) > 1


def test_a_few_files_are_read_in_this_process(pools: list[str]) -> None:
    code, _, _ = invoke("summary", str(HUB / "york"), "--format", "json", "--jobs", "4")
    assert code == 1
    assert pools == []


@pytest.mark.parametrize("command", ["summary", "score"])
@pytest.mark.parametrize("value", ["0", "-2"])
def test_jobs_below_one_is_refused(command: str, value: str) -> None:
    code, out, err = invoke(command, str(HUB), "--jobs", value)
    assert code == 2
    assert f"--jobs {value}: give 1 or more processes" in err
    assert out == ""


def test_the_default_is_one_process_per_core(monkeypatch: pytest.MonkeyPatch) -> None:
    from compass_cli.cli.options import jobs_count

    assert jobs_count(None) == parallel.cores() >= 1
    assert jobs_count(3) == 3


# --------------------------------------------------------------------------- Ctrl-C


def _hub_of(folder: Path, files: int) -> Path:
    """``files`` answer files in ``folder``, copies of the fixture hub's evaluations."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(HUB.rglob("*-20*.yaml"))]
    for n in range(files):
        (folder / f"{n:04}.yaml").write_text(texts[n % len(texts)], encoding="utf-8")
    return folder


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (FileNotFoundError, ProcessLookupError):
        return True


def _workers_started(proc: subprocess.Popen[bytes]) -> list[int]:
    """The command's worker processes, once at least two have started and had a moment to get going."""
    deadline = time.monotonic() + 20
    workers: list[int] = []
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = _children(proc.pid)
    assert len(workers) >= 2, "the workers never started"
    time.sleep(0.2)  # let them get going
    return workers


def _all_gone(workers: list[int]) -> None:
    """Every worker has ended (a few seconds allowed for it to be reaped, not a timing check)."""
    deadline = time.monotonic() + 5
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in workers), "a worker outlived the command"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or not hasattr(os, "killpg"),
                    reason="needs Linux's /proc to see the workers")
def test_ctrl_c_stops_every_process_without_a_traceback(tmp_path: Path) -> None:
    """Ctrl-C at a terminal sends SIGINT to the whole process group: only the parent answers."""
    _hub_of(tmp_path, 3000)
    command = [sys.executable, "-m", "compass_cli", "summary", str(tmp_path), "--format", "json", "--jobs", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        workers = _workers_started(proc)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = err.decode()
    assert proc.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert text.strip() == "Stopped (Ctrl-C)."
    _all_gone(workers)


# --------------------------------------------------------------------------- a worker killed from outside


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or not hasattr(signal, "SIGKILL"),
                    reason="needs Linux's /proc to see the workers")
@pytest.mark.parametrize("command", ["summary", "score"])
def test_a_worker_killed_from_outside_stops_the_command_with_a_message(tmp_path: Path, command: str) -> None:
    """Issue 18.3: a worker killed (kill -9, the OOM killer) used to leave the command waiting for ever for
    the files it held. Now the others are stopped, nothing is written and the command says what happened."""
    (tmp_path / "hub").mkdir()
    hub = _hub_of(tmp_path / "hub", 3000)
    out = tmp_path / "out.json"
    args = [sys.executable, "-m", "compass_cli", command, str(hub), "--format", "json", "-o", str(out), "--jobs", "2"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        workers = _workers_started(proc)
        os.kill(workers[0], signal.SIGKILL)
        stdout, err = proc.communicate(timeout=60)  # before the fix: waited for ever, so this timed out
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    text = err.decode()
    assert proc.returncode == 1, text
    assert "Traceback" not in text
    assert "stopped from outside" in text and "SIGKILL" in text and "memory" in text
    assert "--jobs 1" in text
    assert stdout == b"" and not out.exists()  # nothing half done is written
    _all_gone(workers)


@pytest.fixture
def no_hang() -> Any:
    """Fail, rather than wait for ever, where a lost worker would once have hung the test."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return
    with alarm_after(60, AssertionError("still waiting after 60 seconds: the lost worker was never noticed")):
        yield


class KillsItself:
    """A task whose worker dies, as if killed from outside, on one item; the others come back doubled."""

    def __init__(self, fatal: int) -> None:
        self.fatal = fatal
        self.parent = os.getpid()

    def __call__(self, item: int) -> int:
        if item == self.fatal and os.getpid() != self.parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return item * 2


class Fails:
    def __call__(self, item: int) -> object:
        if item == 100:
            raise ValueError("item 100 is wrong")
        if item == 200:
            return lambda: None  # cannot be sent back from a worker
        return item


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_the_library_raises_when_a_worker_is_lost(no_hang: None) -> None:
    items = list(range(300))
    got: list[int] = []
    with pytest.raises(ProcessLost) as caught, parallel.in_order(KillsItself(150), items, 2) as answers:
        got.extend(answers)
    assert caught.value.exit_code == 1
    assert "SIGKILL" in caught.value.message
    assert got == [2 * n for n in items[: len(got)]]  # what came back is right, in order, and stops short
    assert len(got) < 150


def test_an_error_in_a_worker_is_raised_at_its_item(no_hang: None) -> None:
    got: list[object] = []
    with pytest.raises(ValueError, match="item 100 is wrong"), parallel.in_order(Fails(), list(range(150)), 3) as a:
        got.extend(a)
    assert got == list(range(100))
    items = list(range(201, 150, -1)) + [200] + list(range(300, 400))
    with pytest.raises(RuntimeError, match="an answer could not be sent back from a worker process"), \
            parallel.in_order(Fails(), items, 2) as answers:
        for _ in answers:
            pass


def test_many_items_come_back_in_order_whatever_the_processes(no_hang: None) -> None:
    items = list(range(1000))
    for jobs in (1, 2, 5):
        with parallel.in_order(KillsItself(-1), items, jobs) as answers:
            assert list(answers) == [2 * n for n in items]
