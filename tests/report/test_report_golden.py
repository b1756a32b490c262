"""Golden files: the Markdown and HTML reports of the example evaluations, byte for byte.

The reports must be stable (same files in, same report out, no timestamp), so any change
shows up here as a diff to review. The HTML files are kept without their stylesheet, which
every report shares and is kept once, in report.css. After a deliberate change, regenerate
them with:

    COMPASS_UPDATE_GOLDEN=1 python -m pytest tests/report/test_report_golden.py

and read the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import split_stylesheet
from .conftest import EXAMPLES, FIXTURES, GOLDEN, evaluate, report

UPDATE = os.environ.get("COMPASS_UPDATE_GOLDEN") == "1"

CASES = {
    "oakfield-academy": (EXAMPLES / "oakfield-academy.yaml", None),
    "riverside-high": (EXAMPLES / "riverside-high.yaml", EXAMPLES / "riverside-high-last-term.yaml"),
    "st-marys-catholic-college": (EXAMPLES / "st-marys-catholic-college.yaml", None),
    "brookfield": (FIXTURES / "brookfield.yaml", FIXTURES / "brookfield-summer.yaml"),
}


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name, fmt):
    current, previous = CASES[name]
    text = report(evaluate(current), fmt, evaluate(previous) if previous else None)
    if fmt == "html":
        text, stylesheet = split_stylesheet(text)
        check(GOLDEN / "report.css", stylesheet)
    check(GOLDEN / f"{name}.{fmt}", text)


def check(golden: Path, text: str) -> None:
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}; run with COMPASS_UPDATE_GOLDEN=1 to create it"
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, (
        f"{golden.name} differs from the report; if the change is intended, regenerate with "
        "COMPASS_UPDATE_GOLDEN=1 and review the diff"
    )


def test_report_is_stable():
    current, previous = CASES["riverside-high"]
    one = report(evaluate(current), "html", evaluate(previous))
    two = report(evaluate(current), "html", evaluate(previous))
    assert one == two
