"""Shared fixtures: the bundled framework, a tiny hand-checkable framework, answer files."""

from __future__ import annotations

import contextlib
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
EXAMPLES = ROOT / "examples"


_STYLE = re.compile(r"<style>\n(.*?)</style>", re.S)


def split_stylesheet(html: str) -> tuple[str, str]:
    """An HTML page with its one <style> block emptied, and that stylesheet.

    Golden files keep the stylesheet once, in a file of its own, rather than in every page,
    so a change to it is one diff to read, and a change to a page is not lost among 280
    lines of CSS.
    """
    found = list(_STYLE.finditer(html))
    assert len(found) == 1, f"expected one <style> block, found {len(found)}"
    block = found[0]
    return html[: block.start(1)] + html[block.end(1):], block.group(1)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests keep frameworks and templates in a cache folder of their own (compass_cli/cache.py),
    never in the user's; commands run in a subprocess inherit it."""
    os.environ["COMPASS_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def schools() -> Framework:
    return load_framework("gatsby-2025-schools")


@pytest.fixture(scope="session")
def mini() -> Framework:
    return load_framework(MINI)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def plain(text: str) -> str:
    """Messages as words, whatever the width they were wrapped at."""
    return " ".join(text.split())


@contextlib.contextmanager
def alarm_after(seconds: int, error: Exception) -> Iterator[None]:
    """Raise ``error`` if the body is still running after ``seconds`` (SIGALRM, POSIX only): code that
    would wait for ever fails its test instead of hanging the run. Not a timing check."""
    def ring(signum: int, frame: object) -> None:
        raise error

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def answer_doc(framework: str = "gatsby-2025-schools", answers: dict[str, Any] | None = None,
               sixth_form: bool = False, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": 1,
        "framework": framework,
        "institution": {"name": "Test School", "urn": "100001", "sixth_form": sixth_form},
        "evaluation": {"date": "2026-11-20", "completed_by": {"name": "A Teacher", "role": "Careers leader"}},
        "answers": answers or {},
    }
    doc.update(extra)
    return doc


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
