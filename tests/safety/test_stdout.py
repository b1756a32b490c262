"""Issue 9.9: output with nowhere to go ends quietly with exit code 1, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from ..conftest import EXAMPLES, ROOT

RIVERSIDE = str(EXAMPLES / "riverside-high.yaml")
COMMANDS = [
    ["report", RIVERSIDE, "--format", "md"],
    ["score", RIVERSIDE],
    ["score", RIVERSIDE, "--format", "csv"],
    ["summary", str(ROOT / "tests" / "summary" / "hub" / "leeds"), "--format", "csv"],
    ["template"],
    ["--version"],
]
pytestmark = pytest.mark.skipif(os.name == "nt" or not shutil.which("sh"), reason="POSIX shell and pipes")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:]))
def test_a_closed_stdout(args: list[str]) -> None:
    command = " ".join(["exec", sys.executable, "-m", "compass_cli", *args, ">&-"])
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr == ""


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:]))
def test_a_reader_that_has_gone_away(args: list[str]) -> None:
    """``compass ... | head -1`` where head has already exited: the pipe is broken before the first write."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "compass_cli", *args], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, check=False)
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert done.stderr == ""
