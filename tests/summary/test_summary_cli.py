"""`compass summary` end to end: every format, exit codes, --strict, golden Markdown and HTML."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compass_cli.cli import app

from ..conftest import split_stylesheet
from .conftest import GOLDEN, HUB, REGENERATE, evaluation, write_yaml


def run(cli: CliRunner, *args: str):  # noqa: ANN201 - click's Result
    return cli.invoke(app, ["summary", *args], env={"COLUMNS": "200"})


@pytest.fixture
def in_tests_folder(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tests/summary, so that file names in the output are the same on every machine."""
    monkeypatch.chdir(HUB.parent)
    return Path("hub")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get(REGENERATE) == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with {REGENERATE}=1 to write it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file ({REGENERATE}=1 rewrites)"


# --------------------------------------------------------------------------- formats


def test_table(cli: CliRunner) -> None:
    result = run(cli, str(HUB), "--group-by", "la")
    assert result.exit_code == 1  # the broken file
    out = result.stdout
    for text in ("Summary of 12 evaluations", "The hub beside the national figures", "National (2024/25)",
                 "5.96", "Each benchmark", "How many benchmarks", "Weakest benchmarks",
                 "Criteria most often not yet achieved", "By local authority", "North Yorkshire",
                 "Aire Valley Academy", "990101", "2025/26 spring"):
        assert text in out, text
    assert "half-saved.yaml" in result.stderr and "not valid YAML" in result.stderr
    assert "1 file could not be read; the summary covers 12 evaluations." in result.stderr


def test_json(cli: CliRunner) -> None:
    result = run(cli, str(HUB), "--format", "json", "--group-by", "type")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["kind"] == "summary" and doc["evaluations"] == 12 and doc["files_read"] == 22
    assert doc["group_by"] == "type" and [g["label"] for g in doc["groups"]] == [
        "Further education or sixth-form college", "School", "Special school or specialist setting"]
    overall = doc["overall"]
    assert sum(b["percent_achieving"] for b in overall["benchmarks"]) / 100 == pytest.approx(
        overall["average_achieved"], abs=1e-3
    )
    assert doc["national"]["average_achieved"]["year"] == "2024/25"
    assert doc["national"]["percent_achieving"]["values"]["B1"] == 21
    assert len(doc["institutions"]) == 12 and doc["institutions"][0]["scores"].keys() == {f"B{i}" for i in range(1, 9)}
    assert [Path(b["file"]).name for b in doc["bad_files"]] == ["half-saved.yaml"]
    assert doc["weakest_benchmarks"] == ["B4", "B7", "B3"]
    # every criterion of every framework once, its counts adding up, most often not yet achieved first
    criteria = doc["criteria"]
    assert len({(c["framework"], c["id"]) for c in criteria}) == len(criteria) == 54
    for c in criteria:
        assert c["achieved"] + c["in_progress"] + c["not_achieved"] == c["scored"]
        not_yet = 100 * (c["in_progress"] + c["not_achieved"]) / c["scored"] if c["scored"] else 0  # never scored
        assert c["percent_not_yet_achieved"] == pytest.approx(not_yet, abs=1e-4)
    order = [(-c["percent_not_yet_achieved"], -c["not_achieved"]) for c in criteria]
    assert order == sorted(order)
    assert (criteria[0]["framework"], criteria[0]["id"], criteria[0]["not_achieved"]) == ("gatsby-2025-colleges",
                                                                                          "B1.2", 1)


def test_csv_is_one_sortable_row_per_institution(cli: CliRunner) -> None:
    result = run(cli, str(HUB), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 12
    assert list(rows[0])[:11] == ["institution", "urn", "ukprn", "site", "local_authority", "type", "framework",
                                  "date", "term", "benchmarks_achieved", "average_score"]
    by_name = {r["institution"]: r for r in rows}
    assert by_name["Minster View School"]["benchmarks_achieved"] == "8"
    assert by_name["Minster View School"]["B1"] == "100.0" and by_name["Minster View School"]["B1_achieved"] == "yes"
    assert by_name["Harrogate Road College"]["ukprn"] == "10099999"
    float(rows[0]["average_score"])  # plain numbers, so a spreadsheet sorts them


def test_all_terms_and_group_by_term(cli: CliRunner) -> None:
    doc = json.loads(run(cli, str(HUB), "--all-terms", "--group-by", "term", "--format", "json").stdout)
    assert doc["evaluations"] == 21 and doc["all_terms"] is True
    assert [(g["label"], g["evaluations"]) for g in doc["groups"]] == [("2025/26 autumn", 12), ("2025/26 spring", 9)]


def test_markdown_golden(cli: CliRunner, in_tests_folder: Path) -> None:
    result = run(cli, str(in_tests_folder), "--format", "md", "--group-by", "la")
    assert result.exit_code == 1
    check_golden("summary.md", result.stdout)


def test_html_golden_is_self_contained(cli: CliRunner, in_tests_folder: Path) -> None:
    result = run(cli, str(in_tests_folder), "--format", "html", "--group-by", "type")
    assert result.exit_code == 1
    html = result.stdout
    assert "<script" not in html and not re.search(r"(src|href)=", html) and "http" not in html
    assert "@media print" in html and "<style>" in html
    page, stylesheet = split_stylesheet(html)  # the stylesheet is kept once, in its own golden file
    check_golden("summary.html", page)
    check_golden("summary.css", stylesheet)


def test_html_escapes_what_answer_files_say(cli: CliRunner, tmp_path: Path) -> None:
    write_yaml(tmp_path / "a.yaml", evaluation("<script>alert(1)</script> School", "111111", "2026-03-01"))
    html = run(cli, str(tmp_path), "--format", "html").stdout
    assert "<script>" not in html and "&lt;script&gt;" in html


# --------------------------------------------------------------------------- output files


@pytest.mark.parametrize(("name", "start"), [("s.json", "{"), ("s.csv", "institution,"), ("s.md", "# Careers"),
                                              ("s.html", "<!DOCTYPE html>")])
def test_output_format_taken_from_the_file_name(cli: CliRunner, tmp_path: Path, name: str, start: str) -> None:
    result = run(cli, str(HUB), "-o", str(tmp_path / name))
    assert result.exit_code == 1 and result.stdout == ""
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)


def test_output_needs_a_known_ending_or_a_format(cli: CliRunner, tmp_path: Path) -> None:
    result = run(cli, str(HUB), "-o", str(tmp_path / "summary.txt"))
    assert result.exit_code == 2 and "add --format" in result.stderr
    result = run(cli, str(HUB), "--format", "table", "-o", str(tmp_path / "summary.txt"))
    assert result.exit_code == 2 and "for the screen" in result.stderr


# --------------------------------------------------------------------------- exit codes


def test_clean_folder_exits_0(cli: CliRunner, hub_copy: Path) -> None:
    (hub_copy / "york" / "half-saved.yaml").unlink()
    result = run(cli, str(hub_copy), "--format", "json", "--strict")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["bad_files"] == []


def test_strict_prints_nothing_but_the_problems(cli: CliRunner, tmp_path: Path) -> None:
    result = run(cli, str(HUB), "--strict", "--format", "json", "-o", str(tmp_path / "s.json"))
    assert result.exit_code == 2
    assert result.stdout == "" and not (tmp_path / "s.json").exists()
    assert "half-saved.yaml" in result.stderr and "summary covers" not in result.stderr


def test_duplicates_are_reported_and_exit_1(cli: CliRunner, hub_copy: Path) -> None:
    (hub_copy / "york" / "half-saved.yaml").unlink()
    shutil.copy(hub_copy / "leeds" / "kirkgate-high-school-2026-spring.yaml", hub_copy / "leeds" / "copy.yaml")
    result = run(cli, str(hub_copy), "--format", "md")
    assert result.exit_code == 1
    assert "## Duplicate evaluations" in result.stdout and "Kirkgate High School has more than one" in result.stdout
    assert "duplicate: Kirkgate High School" in result.stderr
    assert run(cli, str(hub_copy), "--strict").exit_code == 2


def test_nothing_readable(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- just a list\n", encoding="utf-8")
    result = run(cli, str(tmp_path))
    assert result.exit_code == 1 and "nothing to summarise" in result.stderr and "a.yaml" in result.stderr
    assert run(cli, str(tmp_path), "--strict").exit_code == 2


def test_usage_errors(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hello", encoding="utf-8")
    result = run(cli, str(tmp_path))
    assert result.exit_code == 2 and "no answer files" in result.stderr
    result = run(cli, str(tmp_path / "missing"))
    assert result.exit_code == 2 and "no such file or folder" in result.stderr
    result = run(cli, str(HUB), "--group-by", "region")
    assert result.exit_code == 2


def test_help_documents_the_command(cli: CliRunner) -> None:
    result = cli.invoke(app, ["summary", "--help"])
    assert result.exit_code == 0
    for flag in ("--group-by", "--all-terms", "--strict", "--format", "--output"):
        assert flag in result.stdout


# --------------------------------------------------------------------------- never mixing frameworks or years


def test_a_criterion_is_a_row_of_its_own_framework(cli: CliRunner) -> None:
    """B6.1 of the schools ("by 16") and B6.1 of the colleges ("by the end of the programme") are two rows,
    each with its own wording and count; a college never counts towards a school's criterion."""
    doc = json.loads(run(cli, str(HUB), "--format", "json").stdout)
    b61 = {c["framework"]: c for c in doc["criteria"] if c["id"] == "B6.1"}
    assert set(b61) == {"gatsby-2025-schools", "gatsby-2025-special", "gatsby-2025-colleges"}
    assert b61["gatsby-2025-schools"]["scored"] == 9 and "turn 16" in b61["gatsby-2025-schools"]["text"]
    college = b61["gatsby-2025-colleges"]
    assert college["scored"] == 1 and "end of their programme" in college["text"]
    assert len({(c["framework"], c["id"]) for c in doc["criteria"]}) == len(doc["criteria"])
    for fmt in ("md", "html", "table"):
        out = run(cli, str(HUB), "--format", fmt).stdout
        # each framework's criteria under its own title, with its number of evaluations
        assert "Gatsby Benchmarks (2025) for colleges and independent training providers (1 evaluation)" in out, fmt
        assert "Gatsby Benchmarks (2025) for schools (9 evaluations)" in " ".join(out.split()), fmt
        assert "of 12 (" not in out, fmt  # no criterion counted over all twelve evaluations of three frameworks
    assert "| Institution | URN or UKPRN |" in run(cli, str(HUB), "--format", "md").stdout  # schools and a college


def test_national_figures_of_different_years_are_never_side_by_side_unlabelled(cli: CliRunner) -> None:
    """The latest average (2024/25) and the latest shares per benchmark (2018/19) are each labelled with
    their year, and the shares come with their own year's average, which is what they add up to."""
    doc = json.loads(run(cli, str(HUB), "--format", "json").stdout)
    national = doc["national"]
    assert national["average_achieved"]["year"] == "2024/25" and national["average_achieved"]["value"] == 5.96
    shares = national["percent_achieving"]
    assert shares["year"] == "2018/19" and shares["average_achieved"] == 3.0
    assert abs(sum(shares["values"].values()) / 100 - shares["average_achieved"]) < 0.05  # one year's figures agree
    sentence = ("The national shares per benchmark are from 2018/19, when 3 benchmarks were fully achieved on "
                "average; the national average of 5.96 is from 2024/25, a year with no shares per benchmark "
                "published.")
    assert national["years"] == sentence
    for fmt in ("md", "html", "table"):
        assert sentence in " ".join(run(cli, str(HUB), "--format", fmt).stdout.split()), fmt


def test_only_the_frameworks_counted_are_listed(cli: CliRunner, tmp_path: Path) -> None:
    """An earlier evaluation under the 2014 edition, replaced by a 2025 one, is not counted, so the 2014
    framework is neither listed nor the source of the national figures."""
    old = evaluation("Elm Grove School", "990501", "2025-03-10")
    old["framework"] = "gatsby-2014-schools"
    write_yaml(tmp_path / "elm-2025-spring.yaml", old)
    write_yaml(tmp_path / "elm-2025-autumn.yaml", evaluation("Elm Grove School", "990501", "2025-11-10"))
    doc = json.loads(run(cli, str(tmp_path), "--format", "json").stdout)
    assert doc["older_evaluations_not_counted"] == 1
    assert [f["id"] for f in doc["frameworks"]] == ["gatsby-2025-schools"]
    assert doc["national"]["framework"] == "Gatsby Benchmarks (2025) for schools"
    assert {c["framework"] for c in doc["criteria"]} == {"gatsby-2025-schools"}
    assert "2014" not in run(cli, str(tmp_path), "--format", "md").stdout.split("## The hub")[0]


def test_a_yaml_file_that_is_no_answer_file_gets_one_line(cli: CliRunner, hub_copy: Path) -> None:
    """A records mapping (or any other YAML) beside the answer files is named once, as what it is, not as
    an answer file missing every section and with unknown keys (the examples folder has three)."""
    shutil.copy(Path(__file__).parents[2] / "examples" / "records" / "sims-mapping.yaml", hub_copy / "mapping.yaml")
    result = run(cli, str(hub_copy), "--format", "json")
    lines = [line for line in result.stderr.splitlines() if "mapping.yaml" in line]
    assert result.exit_code == 1
    assert len(lines) == 1 and "is not an answer file" in lines[0], result.stderr
