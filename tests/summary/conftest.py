"""Fixtures for the summary and compare tests: the fixture hub folder and answer-file helpers."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

HERE = Path(__file__).resolve().parent
HUB = HERE / "hub"
GOLDEN = HERE / "golden"
#: Set to 1 to rewrite the golden files from the current output (then review the diff).
REGENERATE = "COMPASS_REGENERATE_GOLDEN"


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


@pytest.fixture
def hub_copy(tmp_path: Path) -> Path:
    """A copy of the fixture hub that a test may change."""
    target = tmp_path / "hub"
    shutil.copytree(HUB, target)
    return target


def read_yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def evaluation(name: str, urn: str | None, date: str, answers: dict[str, Any] | None = None,
               **institution: Any) -> dict[str, Any]:
    """A small answer file (few answers: most benchmarks unscored)."""
    inst: dict[str, Any] = {"name": name, **institution}
    if urn is not None:
        inst["urn"] = urn
    return {
        "format": 1,
        "framework": "gatsby-2025-schools",
        "institution": inst,
        "evaluation": {"date": date},
        "answers": answers or {"B1.1.1": "yes"},
    }
