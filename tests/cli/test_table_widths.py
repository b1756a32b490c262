"""Terminal tables at 80 and 120 columns: every name and every figure whole (output/terminal/fit.py).

Each table is drawn through the CLI at both widths; the figures expected are read from the
same command's JSON, so the test knows nothing of the layout but this: a name may wrap
between its words, a row's figures stay on one line in their order, nothing is cut to "…",
and no line is wider than the terminal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.text import percent

from ..conftest import EXAMPLES
from ..records.conftest import ACTIVITIES, PUPILS
from ..summary.conftest import HUB

WIDTHS = [80, 120]
RIVERSIDE = EXAMPLES / "riverside-high.yaml"
LAST_TERM = EXAMPLES / "riverside-high-last-term.yaml"
EVERY_EXAMPLE = sorted(EXAMPLES.glob("*.yaml"))
GAP = r"[\s│┃]+"  # between two cells of a row: spaces, or a table's lines


def invoke(columns: int, *args: object) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})
    assert result.exit_code in (0, 1), result.output  # 1: the hub's broken file, listed on stderr
    for line in result.stdout.splitlines():
        assert len(line) <= columns, line
    return result.stdout


def data(*args: object) -> Any:
    result = CliRunner().invoke(app, [*map(str, args), "--format", "json"])
    return json.loads(result.stdout)


def tokens(out: str) -> set[str]:
    return set(re.split(r"[\s│┃]+", out))


def assert_whole(name: str, out: str) -> None:
    """Every word of a name is in the output as a word (it may wrap between words, never inside one)."""
    found = tokens(out)
    for word in name.split():
        assert word in found, f"{word!r} of {name!r} is not whole"


def assert_row(out: str, *cells: str) -> None:
    """The figures of one row, on one line, in this order, each whole."""
    pattern = GAP.join(re.escape(c) for c in cells)
    assert re.search(rf"(^|[\s│┃]){pattern}($|[\s│┃])", out, re.M), f"no line with {' '.join(cells)}"


def score_figure(value: float | None) -> str:
    return percent(value).rstrip("%")


# --------------------------------------------------------------------------- score


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("path", EVERY_EXAMPLE, ids=lambda p: p.stem)
def test_score_one_file(columns: int, path: Path) -> None:
    out = invoke(columns, "score", path)
    (result,) = data("score", path)
    assert_whole(result["institution"]["name"], out)
    for b in result["benchmarks"]:
        areas = f"{b['areas_met']}/{b['areas']}" if b["score"] is not None else "–"
        assert_row(out, percent(b["score"]), areas)
        assert_whole(b["title"], out)
    assert "…" not in out


@pytest.mark.parametrize("columns", WIDTHS)
def test_score_many_files(columns: int) -> None:
    out = invoke(columns, "score", *EVERY_EXAMPLE)
    for r in data("score", *EVERY_EXAMPLE):
        assert_whole(r["institution"]["name"], out)
        figures = [score_figure(b["score"]) for b in r["benchmarks"]]
        assert_row(out, f"{r['benchmarks_achieved']}/{len(r['benchmarks'])}", score_figure(r["average_score"]),
                   *figures)
    assert "…" not in out


# --------------------------------------------------------------------------- summary


GROUPINGS = [[], ["--group-by", "la"], ["--group-by", "type"], ["--group-by", "term", "--all-terms"]]


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("grouping", GROUPINGS, ids=lambda g: " ".join(g) or "no groups")
def test_summary_every_table(columns: int, grouping: list[str]) -> None:
    out = invoke(columns, "summary", HUB, *grouping)
    doc = data("summary", HUB, *grouping)
    overall = doc["overall"]
    # the headline
    assert_row(out, "Evaluations", str(doc["evaluations"]))
    assert_row(out, f"{overall['average_achieved']:.2f}")
    assert_row(out, "Average score", percent(overall["average_score"]))
    # each benchmark
    for b in overall["benchmarks"]:
        assert_whole(b["title"], out)
        assert_row(out, f"{b['percent_achieving']:.1f}% ({b['achieving']})", percent(b["average_score"]),
                   f"{b['areas_met']:,} of {b['areas']:,}")
    # the criteria most often not yet achieved: each framework's ten, in its own table
    shown: dict[str, int] = {}
    for c in doc["criteria"]:
        not_yet = c["scored"] - c["achieved"]
        if not_yet and shown.get(c["framework"], 0) < 10:
            shown[c["framework"]] = shown.get(c["framework"], 0) + 1
            assert_row(out, c["id"], f"{not_yet} of {c['scored']} ({c['percent_not_yet_achieved']:.0f}%)")
            assert_whole(c["text"], out)  # issue 21: wrapped, never cut at 90 characters
    # the groups
    ids = [b["id"] for b in overall["benchmarks"]]
    for g in doc["groups"] if grouping else []:
        assert_whole(g["label"], out)
        found = {b["id"]: b for b in g["benchmarks"]}
        shares = [f"{found[i]['percent_achieving']:.0f}" if i in found else "–" for i in ids]
        assert_row(out, percent(g["average_score"]), *shares)
        assert re.search(rf"(^|\s){g['evaluations']}\s", out, re.M)
    # one row per institution (per evaluation with --all-terms), with its local authority
    for r in doc["institutions"]:
        assert_whole(r["name"], out)
        assert_whole(r["local_authority"] or "", out)
        scores = [score_figure(s) for s in r["scores"].values()]
        assert_row(out, f"{r['benchmarks_achieved']}/{len(r['scores'])}", *scores)
    assert "…" not in out  # nothing cut short, the criteria's words included


@pytest.mark.parametrize("columns", WIDTHS)
def test_summary_names_are_never_cut(columns: int) -> None:
    """The issue as it was seen: every name and score as "…" at 80 columns, names cut to "Riversi…" at 110."""
    out = invoke(columns, "summary", HUB, "--group-by", "type")
    institutions = out[out.index("Each institution"):out.index("National figures (")]
    assert "…" not in institutions
    for r in data("summary", HUB)["institutions"]:
        assert_whole(r["name"], institutions)


def test_summary_at_120_columns_keeps_every_column() -> None:
    out = invoke(120, "summary", HUB)
    institutions = out[out.index("Each institution"):]
    assert "URN" in institutions and "Date" in institutions and "Term" in institutions
    assert "not shown at this width" not in out
    # issue 21: the local authority of each institution, as --group-by la groups them
    header = next(line for line in institutions.splitlines()[1:] if "Institution" in line)
    assert "Local authority" in header
    for r in data("summary", HUB)["institutions"]:
        figures = GAP.join(re.escape(score_figure(x)) for x in r["scores"].values())
        line = next(line for line in institutions.splitlines() if re.search(figures, line))
        assert r["local_authority"].split()[0] in line.split(), line


def test_summary_at_80_columns_says_which_columns_it_left_out() -> None:
    out = invoke(80, "summary", HUB, "--group-by", "la")
    institutions = out[out.index("Each institution"):]
    header = next(line for line in institutions.splitlines()[1:] if "Institution" in line)  # a heading may wrap
    assert "Institution" in header and "Term" not in header
    assert "not shown at this width; --format csv has them." in " ".join(institutions.split())


# --------------------------------------------------------------------------- compare, questions, frameworks, records


@pytest.mark.parametrize("columns", WIDTHS)
def test_compare(columns: int) -> None:
    out = invoke(columns, "compare", LAST_TERM, RIVERSIDE)
    (old,), (new,) = data("score", LAST_TERM), data("score", RIVERSIDE)
    assert_whole(new["institution"]["name"], out)
    for before, after in zip(old["benchmarks"], new["benchmarks"], strict=True):
        assert_whole(after["title"], out)
        assert_row(out, percent(before["score"]), percent(after["score"]))
    # issue 21: nothing cut, the criteria's words and the questions and answers that changed included
    assert "…" not in out
    comparison = data("compare", LAST_TERM, RIVERSIDE)
    for criterion in comparison["improved"] + comparison["fell_back"]:
        assert_whole(criterion["text"], out)
    for answer in comparison["answers_changed"]:
        assert_whole(answer["text"], out)
        assert_whole(answer["old_words"], out)
        assert_whole(answer["new_words"], out)


@pytest.mark.parametrize("columns", WIDTHS)
def test_questions(columns: int) -> None:
    out = invoke(columns, "questions", "-b", "B3")
    doc = data("questions", "-b", "B3")
    for c in doc["benchmarks"][0]["criteria"]:
        for q in c["questions"]:
            assert_row(out, q["id"])
            assert re.search(rf"{re.escape(q['id'])}{GAP}.*{GAP}{q['kind']}{GAP}", out), q["id"]


@pytest.mark.parametrize("columns", WIDTHS)
def test_frameworks(columns: int) -> None:
    out = invoke(columns, "frameworks")
    for f in data("frameworks"):
        assert_row(out, f["id"])
        assert re.search(rf"{re.escape(f['id'])}{GAP}.*{GAP}{f['benchmarks']}{GAP}{f['questions']}{GAP}", out)
    assert "…" not in out


@pytest.mark.parametrize("columns", WIDTHS)
def test_records_coverage(columns: int) -> None:
    args = ["records", "coverage", PUPILS, *ACTIVITIES, "--year", "2025/26"]
    out = invoke(columns, *args)
    doc = data(*args)
    for e in doc["entitlements"]:
        if not e["measurable"]:
            continue
        for cell in e["groups"]:
            if cell["pupils"] == 0:
                continue
            if cell["suppressed"]:
                have = "<5" if cell["pupils"] is None else f"<5/{cell['pupils']}"
                assert_row(out, cell["group"], have)
            else:
                assert_row(out, cell["group"], f"{cell['have']}/{cell['pupils']}", f"{cell['percent']}%")
    for flag in doc["flags"]:
        assert_whole(flag["label"], out)
    assert "…" not in out


@pytest.mark.parametrize("columns", WIDTHS)
def test_the_audits_lines_of_what_changed_keep_each_title_whole(columns: int) -> None:
    """The audit's end screen after --from cut a benchmark's title at 40 characters ("Learning from career and
    labour market inf"); it wraps now, like every other table on the screen (issue 21)."""
    from rich.console import Console

    from compass_cli.core.comparing import compare
    from compass_cli.core.evaluation import evaluate
    from compass_cli.output.comparison import benchmark_changes
    from compass_cli.output.terminal.comparison import print_changes

    old, new = evaluate(EXAMPLES / "st-marys-catholic-college.yaml"), evaluate(RIVERSIDE)
    comparison = compare(old.result, new.result)
    out = Console(width=columns, record=True, force_terminal=False)
    print_changes(out, comparison)
    shown = out.export_text()
    assert all(len(line) <= columns for line in shown.splitlines())
    moved = [b for b in benchmark_changes(comparison) if b.points]
    assert any(len(b.title) > 40 for b in moved)
    for b in moved:
        assert_whole(f"{b.id} {b.title}", shown)
