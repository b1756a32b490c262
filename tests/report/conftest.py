"""Fixtures for the report tests: example evaluations, scored, and a way to score any file."""

from __future__ import annotations

from pathlib import Path

import pytest

from compass_cli.loading import load_answers
from compass_cli.reporting import Evaluation
from compass_cli.scoring import score

from ..conftest import EXAMPLES, ROOT

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"

__all__ = ["EXAMPLES", "FIXTURES", "GOLDEN", "ROOT", "evaluate"]


def evaluate(path: str | Path, partial_credit: float = 0.0) -> Evaluation:
    """Load and score one answer file, as the command does."""
    loaded, framework = load_answers(path)
    result = score(framework, loaded.model, loaded.answers, partial_credit=partial_credit, source=str(path))
    return Evaluation.from_loaded(result, framework, loaded)


@pytest.fixture(scope="session")
def riverside() -> Evaluation:
    return evaluate(EXAMPLES / "riverside-high.yaml")


@pytest.fixture(scope="session")
def riverside_last_term() -> Evaluation:
    return evaluate(EXAMPLES / "riverside-high-last-term.yaml")


@pytest.fixture(scope="session")
def oakfield() -> Evaluation:
    return evaluate(EXAMPLES / "oakfield-academy.yaml")


@pytest.fixture(scope="session")
def st_marys() -> Evaluation:
    return evaluate(EXAMPLES / "st-marys-catholic-college.yaml")


@pytest.fixture(scope="session")
def brookfield() -> Evaluation:
    return evaluate(FIXTURES / "brookfield.yaml")
