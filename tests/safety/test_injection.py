"""Issue 9.7: what an answer file says is shown as typed in every output, never run, linked or
calculated: Markdown (report, summary, compare), the terminal, and every CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import QuestionKind
from compass_cli.text import csv_cell, markdown, terminal

from ..conftest import EXAMPLES

TEXT = next(q.id for q in load_framework().questions() if q.kind is QuestionKind.text and q.when is None)

HTML = "<script>alert(1)</script> <img src=x onerror=alert(2)>"
LINK = "[x](javascript:alert(3))"
MARKUP = "[link=https://evil.example]click[/link]"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m\rover"


def hostile(tmp_path: Path, name: str, source: str = "riverside-high.yaml", text: str = HTML + " " + LINK) -> Path:
    doc = yaml.safe_load((EXAMPLES / source).read_text(encoding="utf-8"))
    doc["institution"]["name"] = text
    doc["institution"]["local_authority"] = text
    doc["institution"]["site"] = text
    doc["answers"][TEXT] = text  # a free-text answer
    doc["notes"] = {TEXT: {"note": text, "evidence": text, "owner": text}}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def assert_inert_markdown(text: str) -> None:
    assert not re.search(r"(?<!\\)<(script|img)", text), "raw HTML reaches the Markdown renderer"
    assert "[x](javascript:" not in text, "a live link"
    assert markdown(HTML + " " + LINK) in text  # shown, as typed


@pytest.mark.parametrize("command", [
    ["report", "NEW", "--previous", "OLD", "--format", "md"],
    ["summary", "NEW", "OLD", "--all-terms", "--format", "md", "--group-by", "la"],
    ["compare", "OLD", "NEW", "--format", "md"],
])
def test_every_markdown_output_shows_html_and_links_as_text(runner: CliRunner, tmp_path: Path,
                                                           command: list[str]) -> None:
    files = {"NEW": str(hostile(tmp_path, "new.yaml")),
             "OLD": str(hostile(tmp_path, "old.yaml", "riverside-high-last-term.yaml"))}
    result = runner.invoke(app, [files.get(a, a) for a in command])
    assert result.exit_code == 0, result.output
    assert_inert_markdown(result.stdout)


@pytest.mark.parametrize("command", [
    ["score", "NEW"],
    ["score", "NEW", "OLD"],
    ["summary", "NEW", "--group-by", "la"],
    ["compare", "OLD", "NEW"],
])
def test_terminal_tables_show_markup_and_escape_sequences_as_text(runner: CliRunner, tmp_path: Path,
                                                                  command: list[str]) -> None:
    text = MARKUP + ESCAPES
    files = {"NEW": str(hostile(tmp_path, "new.yaml", text=text)),
             "OLD": str(hostile(tmp_path, "old.yaml", "riverside-high-last-term.yaml", text=text))}
    result = runner.invoke(app, [files.get(a, a) for a in command], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "[link=https://evil" in result.stdout  # shown as typed (perhaps cut short), not made a link
    for control in ("\x1b", "\x07", "\x9b", "\r"):
        assert control not in result.stdout


def test_an_error_message_shows_no_escape_sequence(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text('format: 1\nframework: "\\e]0;pwned\\a[red]x"\ninstitution: {name: X}\n'
                    "evaluation: {date: 2026-11-20}\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


@pytest.mark.parametrize("command", [["score", "A", "--format", "csv"], ["summary", "A", "--format", "csv"]])
def test_every_csv_cell_that_a_spreadsheet_would_run_is_text(runner: CliRunner, tmp_path: Path,
                                                            command: list[str]) -> None:
    doc = yaml.safe_load((EXAMPLES / "riverside-high.yaml").read_text(encoding="utf-8"))
    doc["institution"].update(name='=HYPERLINK("https://evil.example","x")', local_authority="+1+cmd|' /C calc'!A0",
                              site="@SUM(1+1)")
    path = tmp_path / "-2+3.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, [str(path) if a == "A" else a for a in command])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    row = rows[0]
    assert row["institution"] == "'" + doc["institution"]["name"]
    assert row["local_authority"] == "'" + doc["institution"]["local_authority"]
    assert row["site"] == "'@SUM(1+1)"
    assert row["file"] == str(path)
    assert float(row["B1"]) >= 0 and int(row["benchmarks_achieved"]) >= 0  # numbers stay numbers


def test_the_text_helpers() -> None:
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("\t=1") == "'\t=1"
    assert csv_cell("\r+1") == "'+1" and csv_cell("\x1b=1") == "'=1"  # no control character in a cell, still text
    assert csv_cell("-2") == "-2" and csv_cell("+81.5") == "+81.5" and csv_cell(-2) == -2
    assert csv_cell("Riverside") == "Riverside"
    assert terminal("a\x1b[2Jb\x00c\u202ed\te\nf") == "a[2Jbcd e\nf"
    assert markdown("[x](javascript:alert(1))") == r"\[x\](javascript:alert(1))"
