"""Golden files: two whole pages, the report's JSON, and the figures of every case.

The reports must be stable (same files in, same report out, no timestamp), so any change
shows up here as a diff to review, and each kind of change in as few files as can show it:

* ``riverside-high.md`` and ``riverside-high.html``: the only whole pages, so a change of the
  templates' wording is one diff per format. Riverside beside the term before is the case
  that shows every part of the report (what changed, the previous column of the chart,
  readiness, evidence, national figures, owners and dates from the notes, a plan shorter
  than --top). The HTML is kept without its stylesheet, which every report shares and is
  kept once, in report.css.
* ``riverside-high.json``: the same report as ``compass report --format json`` writes it, the
  documented form (docs/report-json.md) pinned whole.
* ``figures.txt``: for every case, the figures only (scores, statuses, the plan's order,
  readiness, the evidence log's references, what changed), as ids and numbers, so neither
  the templates' nor the questionnaire's wording touches it.
* every case's pages are checked against its JSON, part by part: the headline, every
  benchmark's score, every action in the plan's order, every gap, the readiness questions,
  the evidence log and what changed appear, escaped as the format needs. The words around
  them are left to the whole pages.

After a deliberate change, regenerate the golden files with

    COMPASS_UPDATE_GOLDEN=1 python -m pytest tests/report/test_report_golden.py

and read the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.text import markdown, percent

from ..conftest import split_stylesheet
from .conftest import GOLDEN, ROOT, evaluate, report

UPDATE = os.environ.get("COMPASS_UPDATE_GOLDEN") == "1"

#: Each case: the answer file and the one before it (paths from the repository root, as the JSON names them).
CASES = {
    "oakfield-academy": ("examples/oakfield-academy.yaml", None),
    "riverside-high": ("examples/riverside-high.yaml", "examples/riverside-high-last-term.yaml"),
    "st-marys-catholic-college": ("examples/st-marys-catholic-college.yaml", None),
    "brookfield": ("tests/report/fixtures/brookfield.yaml", "tests/report/fixtures/brookfield-summer.yaml"),
}
WHOLE_PAGES = ["riverside-high"]
#: How each format shows a piece of the answer file's or the questionnaire's text.
SHOWN: dict[str, Callable[[str], str]] = {"md": markdown, "html": lambda s: str(escape(" ".join(s.split())))}


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


#: Markup, left out when checking what an HTML page says.
TAG = re.compile(r"<[^>]+>")


def page(name: str, fmt: str) -> str:
    current, previous = CASES[name]
    return report(evaluate(ROOT / current), fmt, evaluate(ROOT / previous) if previous else None)


@pytest.fixture(scope="module")
def written() -> dict[str, str]:
    """Each case's JSON as the command writes it to the screen."""
    found = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)  # the JSON names the answer files as given: relative, the same on every machine
        for name, (current, previous) in CASES.items():
            result = CliRunner().invoke(app, ["report", current, "--format", "json",
                                              *(["--previous", previous] if previous else [])])
            assert result.exit_code == 0, result.stderr
            found[name] = result.stdout
    return found


@pytest.fixture(scope="module")
def figures(written: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {name: json.loads(text) for name, text in written.items()}


def test_json_golden(written):
    check(GOLDEN / "riverside-high.json", written["riverside-high"])


def test_figures_golden(figures):
    """Every case's figures, one line each, in one file."""
    lines = []
    for name in sorted(CASES):
        lines.append(f"{name}:")
        lines += [f"  {part}: {json.dumps(value)}" for part, value in the_figures(figures[name]).items()]
    check(GOLDEN / "figures.txt", "\n".join(lines) + "\n")


def the_figures(data: dict[str, Any]) -> dict[str, Any]:
    """What a report says, as ids, numbers and statuses: no sentence of ours or of the questionnaire."""
    result, plan, comparison = data["result"], data["plan"], data["comparison"]
    found: dict[str, Any] = {
        "headline": [result["benchmarks_achieved"], result["average_score"], result["complete"]],
        "benchmarks": [[b["id"], b["score"], b["status"], b["areas_met"], b["areas"]] for b in result["benchmarks"]],
        "criteria": [[c["id"], c["status"], len(c["gaps"]), c["unanswered"]]
                     for b in result["benchmarks"] for c in b["criteria"]],
        "unanswered_criteria": plan["unanswered_criteria"],
    }
    found |= {f"action {a['rank']}": [a["band"], a["criterion"], a["question"], a["effort"], len(a["gaps"]),
                                      a["owner"], a["due"]] for a in plan["actions"]}
    found["readiness"] = [[q["question"], q["readiness"]] for g in data["readiness"] for q in g["questions"]]
    found["evidence"] = [e["ref"] for g in data["evidence"] for e in g["entries"]]
    if comparison is not None:
        found["comparison"] = {
            "same": [comparison["same_framework"], comparison["same_institution"]],
            "changes": [comparison["achieved_change"], comparison["average_score_change"]],
            "improved": [c["id"] for c in comparison["improved"]],
            "fell_back": [c["id"] for c in comparison["fell_back"]],
            "answers_changed": [a["question"] for a in comparison["answers_changed"]],
        }
    found["next_snapshot"] = data["next_snapshot"]
    return found


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("name", WHOLE_PAGES)
def test_whole_page_golden(name, fmt):
    text = page(name, fmt)
    if fmt == "html":
        text, stylesheet = split_stylesheet(text)
        check(GOLDEN / "report.css", stylesheet)
    check(GOLDEN / f"{name}.{fmt}", text)


def in_order(text: str, pieces: list[str], what: str) -> None:
    """Every piece is in the text, each after the one before."""
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        assert found >= 0, f"{what}: {piece!r} is missing, or out of order"
        at = found + len(piece)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_part_shows_its_figures(figures, name, fmt):
    data, text, shown = figures[name], page(name, fmt), SHOWN[fmt]
    if fmt == "html":
        assert (f'id="action-{len(data["plan"]["actions"])}"' in text) == bool(data["plan"]["actions"]), "a row each"
        text = TAG.sub("", text)
    result = data["result"]
    achieved = f"{result['benchmarks_achieved']} of {len(result['benchmarks'])}"
    assert achieved in text and percent(result["average_score"]) in text, "the headline"
    for b in result["benchmarks"]:
        score = "–" if b["score_rounded"] is None else f"{b['score_rounded']}%"
        assert shown(b["title"]) in text and score in text, b["id"]
    actions = data["plan"]["actions"]
    in_order(text, [shown(a["action"]) for a in actions], "the plan, in its order")
    gaps = [g["text"] for b in result["benchmarks"] for c in b["criteria"] for g in c["gaps"]]
    for gap in gaps:
        assert shown(gap) in text, gap
    for group in data["readiness"]:
        in_order(text, [shown(q["text"]) for q in group["questions"]], "readiness")
    entries = [e for group in data["evidence"] for e in group["entries"]]
    in_order(text, [shown(x) for e in entries for x in (e["note"], e["evidence"], e["answer"]) if x], "evidence")
    comparison = data["comparison"]
    if comparison is not None:
        for c in comparison["improved"] + comparison["fell_back"]:
            assert shown(c["text"]) in text, c["id"]
        moved = [b for b in comparison["benchmarks"] if b["change"] or b["old_status"] != b["new_status"]]
        in_order(text, [shown(b["title"]) for b in moved], "the benchmarks that moved")
        in_order(text, [shown(x) for a in comparison["answers_changed"] for x in (a["text"], a["old_words"],
                                                                                   a["new_words"])],
                 "the answers changed, then and now")


def test_the_cases_show_every_part_of_the_report(figures):
    """Between them the cases show what each part of the report can: a plan longer and shorter than
    --top, an empty one, a comparison, readiness, evidence and owners and dates from the notes."""
    plans = [len(figures[n]["plan"]["actions"]) for n in CASES]
    assert 0 in plans and any(0 < n <= 10 for n in plans) and any(n > 10 for n in plans)
    assert all(figures[n]["comparison"] is not None for n in ("riverside-high", "brookfield"))
    assert all(figures[n]["readiness"] and figures[n]["evidence"] for n in WHOLE_PAGES)
    assert any(a["owner"] and a["due"] for a in figures["riverside-high"]["plan"]["actions"])


def test_report_is_stable():
    assert page("riverside-high", "html") == page("riverside-high", "html")
