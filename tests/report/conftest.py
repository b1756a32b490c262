"""Fixtures for the report tests: example evaluations, scored, and a way to score any file."""

from __future__ import annotations

from pathlib import Path

import pytest

from compass_cli.core.evaluation import ScoredEvaluation
from compass_cli.core.evaluation import evaluate as evaluate_file
from compass_cli.core.reporting import build_report
from compass_cli.output.report import render_report

from ..conftest import EXAMPLES, ROOT

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"

__all__ = ["EXAMPLES", "FIXTURES", "GOLDEN", "ROOT", "evaluate", "report"]


def evaluate(path: str | Path, partial_credit: float = 0.0) -> ScoredEvaluation:
    """Load and score one answer file, as the command does."""
    return evaluate_file(path, partial_credit=partial_credit)


def report(current: ScoredEvaluation, fmt: str, previous: ScoredEvaluation | None = None) -> str:
    """The whole report of ``current`` (beside ``previous``) as text, as the command writes it."""
    return render_report(build_report(current, previous), fmt)


@pytest.fixture(scope="session")
def riverside() -> ScoredEvaluation:
    return evaluate(EXAMPLES / "riverside-high.yaml")


@pytest.fixture(scope="session")
def riverside_last_term() -> ScoredEvaluation:
    return evaluate(EXAMPLES / "riverside-high-last-term.yaml")


@pytest.fixture(scope="session")
def oakfield() -> ScoredEvaluation:
    return evaluate(EXAMPLES / "oakfield-academy.yaml")


@pytest.fixture(scope="session")
def st_marys() -> ScoredEvaluation:
    return evaluate(EXAMPLES / "st-marys-catholic-college.yaml")


@pytest.fixture(scope="session")
def brookfield() -> ScoredEvaluation:
    return evaluate(FIXTURES / "brookfield.yaml")
