"""The bundled examples are complete evaluations and show what their headers say."""

from __future__ import annotations

import pytest

from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.scoring import score

from .conftest import EXAMPLES

EXPECTED_ACHIEVED = {
    "oakfield-academy.yaml": 8,            # 11-18, achieves all eight
    "riverside-high.yaml": 6,              # 11-16, a typical school
    "riverside-high-last-term.yaml": 4,    # the same school a term earlier
    "st-marys-catholic-college.yaml": 1,   # 11-18, early in its journey
}


@pytest.mark.parametrize("name", sorted(EXPECTED_ACHIEVED))
def test_example(name):
    loaded = load_evaluation(EXAMPLES / name)
    result = score(loaded)
    assert result.complete and not result.ignored
    assert result.benchmarks_achieved == EXPECTED_ACHIEVED[name]


def test_examples_cover_sixth_form_and_not():
    flags = {load_evaluation(EXAMPLES / n).answer_file.institution.sixth_form for n in EXPECTED_ACHIEVED}
    assert flags == {True, False}
