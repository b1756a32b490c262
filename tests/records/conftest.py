"""Fixtures for the records tests: the committed cohort, the rules, and a way to run the command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.core.records.coverage import Coverage, PupilEntitlements, measure
from compass_cli.core.records.rules import Rules, load_rules
from compass_cli.core.records.spreadsheets import Mapping, load_mapping

from ..conftest import EXAMPLES, ROOT

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
PUPILS = FIXTURES / "pupils.csv"
ACTIVITIES = [FIXTURES / "activities.csv", FIXTURES / "activities-excel.csv"]
#: The fixtures describe 2025/26; --year 2025/26 measures as of its last day.
END_OF_YEAR = dt.date(2026, 8, 31)

__all__ = ["ACTIVITIES", "END_OF_YEAR", "EXAMPLES", "FIXTURES", "PUPILS", "ROOT", "cells", "records", "run"]


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


@pytest.fixture(scope="session")
def measured(rules: Rules) -> tuple[Coverage, PupilEntitlements]:
    return measure(rules, PUPILS, ACTIVITIES, Mapping(), END_OF_YEAR)


@pytest.fixture(scope="session")
def fixture_coverage(measured: tuple[Coverage, PupilEntitlements]) -> Coverage:
    return measured[0]


def cells(coverage: Coverage, entitlement: str) -> dict[str, tuple[int, int]]:
    """{year group: (have, pupils)} for one entitlement."""
    item = next(e for e in coverage.entitlements if e.entitlement.id == entitlement)
    return {c.group: (c.have, c.pupils) for c in item.cells}


def records(rules: Rules, pupils: Path, activities: list[Path], as_of: dt.date = END_OF_YEAR,
            mapping: Path | None = None) -> Coverage:
    return measure(rules, pupils, activities, load_mapping(mapping, rules), as_of)[0]


def run(*args: Any) -> Any:
    return CliRunner().invoke(app, ["records", *[str(a) for a in args]])
