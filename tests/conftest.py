"""Shared fixtures: the bundled framework, a tiny hand-checkable framework, answer files."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def schools() -> Framework:
    return load_framework("gatsby-2025-schools")


@pytest.fixture(scope="session")
def mini() -> Framework:
    return load_framework(MINI)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


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
