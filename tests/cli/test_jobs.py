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


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or not hasattr(os, "killpg"),
                    reason="needs Linux's /proc to see the workers")
def test_ctrl_c_stops_every_process_without_a_traceback(tmp_path: Path) -> None:
    """Ctrl-C at a terminal sends SIGINT to the whole process group: only the parent answers."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(HUB.rglob("*-20*.yaml"))]
    for n in range(3000):
        (tmp_path / f"{n:04}.yaml").write_text(texts[n % len(texts)], encoding="utf-8")
    command = [sys.executable, "-m", "compass_cli", "summary", str(tmp_path), "--format", "json", "--jobs", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        workers: list[int] = []
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "the workers never started"
        time.sleep(0.2)  # let them get going
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
    deadline = time.monotonic() + 5
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in workers), "a worker outlived the command"
