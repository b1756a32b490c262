"""`-o FILE` in every command that writes: the one rule of cli/options.py, through the CLI.

--format wins; without it the file's ending chooses among what the command can write; an
ending it cannot write is refused (exit 2) with the list of those it can; `-o -` is the
screen where the command allows it; the table is for the screen only.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.cli import app

from ..conftest import EXAMPLES
from ..records.conftest import ACTIVITIES, PUPILS

RIVERSIDE = EXAMPLES / "riverside-high.yaml"
LAST_TERM = EXAMPLES / "riverside-high-last-term.yaml"
OAKFIELD = EXAMPLES / "oakfield-academy.yaml"
RECORDS = [str(PUPILS), *map(str, ACTIVITIES), "--year", "2025/26"]

#: Each command that writes a format chosen by -o: its arguments, and the formats a file can hold.
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "score": (["score", str(RIVERSIDE), str(OAKFIELD)], ["json", "csv"]),
    "report": (["report", str(RIVERSIDE)], ["md", "html", "pdf", "json"]),
    "summary": (["summary", str(RIVERSIDE), str(OAKFIELD)], ["json", "csv", "md", "html"]),
    "compare": (["compare", str(LAST_TERM), str(RIVERSIDE)], ["json", "md"]),
    "records coverage": (["records", "coverage", *RECORDS], ["json", "csv", "md", "html"]),
    "records gaps": (["records", "gaps", *RECORDS], ["csv"]),
    "schema": (["schema", "answers"], ["json"]),
    "template": (["template"], ["yaml"]),
}
ENDING = {"json": ".json", "csv": ".csv", "md": ".md", "html": ".html", "pdf": ".pdf", "yaml": ".yaml"}
#: The other endings each format is known by.
ALSO = {".markdown": "md", ".htm": "html", ".yml": "yaml"}


def invoke(*args: object):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "120"})


def holds(fmt: str, text: str) -> bool:
    """The text is a file of this format."""
    if fmt == "json":
        return json.loads(text) is not None
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        return len(rows) > 1 and len(rows[0]) > 3 and not text.startswith(("#", "<", "{", "["))
    if fmt == "md":
        return text.startswith("# ")
    if fmt == "html":
        return text.startswith("<!DOCTYPE html>")
    if fmt == "yaml":
        return isinstance(yaml.safe_load(text), dict) and not text.lstrip().startswith("{")
    raise AssertionError(fmt)


def either(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


WRITES = [(name, fmt) for name, (_, formats) in COMMANDS.items() for fmt in formats if fmt != "pdf"]


@pytest.mark.parametrize(("name", "fmt"), WRITES, ids=[f"{n}-{f}" for n, f in WRITES])
def test_the_ending_chooses_the_format(tmp_path: Path, name: str, fmt: str) -> None:
    args, _ = COMMANDS[name]
    out = tmp_path / f"out{ENDING[fmt]}"
    result = invoke(*args, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert holds(fmt, out.read_text(encoding="utf-8")), out.read_text(encoding="utf-8")[:200]


@pytest.mark.parametrize(("name", "ending"), [("summary", ".markdown"), ("report", ".htm"), ("template", ".yml")])
def test_the_other_endings_of_a_format(tmp_path: Path, name: str, ending: str) -> None:
    out = tmp_path / f"out{ending}"
    result = invoke(*COMMANDS[name][0], "-o", out)
    assert result.exit_code == 0, result.stderr
    assert holds(ALSO[ending], out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("bad", ["out.txt", "out", "out.docx", "out.xlsx"])
def test_an_ending_the_command_cannot_write_is_refused(tmp_path: Path, name: str, bad: str) -> None:
    args, formats = COMMANDS[name]
    out = tmp_path / bad
    result = invoke(*args, "-o", out)
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    expected = f"cannot tell the format from {bad}; use a name ending {either([ENDING[f] for f in formats])}"
    if len(formats) > 1:
        expected += f", or add --format {either(formats)}"
    assert f"error: {expected}" in message
    assert not out.exists()


def test_the_message_of_compare() -> None:
    result = invoke(*COMMANDS["compare"][0], "-o", "cmp.txt")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: cannot tell the format from cmp.txt; use a name ending .json or .md, or add --format json or md")


@pytest.mark.parametrize(("name", "other"), [("score", "md"), ("compare", "csv"), ("compare", "html"),
                                             ("records gaps", "json"), ("schema", "yaml"), ("template", "json"),
                                             ("summary", "pdf"), ("report", "csv")])
def test_a_format_of_another_command_is_refused(tmp_path: Path, name: str, other: str) -> None:
    out = tmp_path / f"out{ENDING[other]}"
    result = invoke(*COMMANDS[name][0], "-o", out)
    assert result.exit_code == 2 and "cannot tell the format from" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(("name", "fmt", "ending"), [("score", "json", ".txt"), ("score", "csv", ".json"),
                                                     ("compare", "md", ".txt"), ("summary", "csv", ".data"),
                                                     ("records coverage", "json", ".out"), ("report", "md", ".txt")])
def test_format_overrides_the_ending(tmp_path: Path, name: str, fmt: str, ending: str) -> None:
    out = tmp_path / f"out{ending}"
    result = invoke(*COMMANDS[name][0], "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert holds(fmt, out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["score", "summary", "compare", "records coverage"])
def test_the_table_is_for_the_screen(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out.json"
    result = invoke(*COMMANDS[name][0], "--format", "table", "-o", out)
    assert result.exit_code == 2 and "the table is for the screen" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(("name", "shows"), [("score", "Ach"), ("summary", "Summary of 2 evaluations"),
                                             ("compare", "Benchmarks fully achieved: 4 → 6"),
                                             ("records coverage", "Entitlement"), ("report", "# Careers programme"),
                                             ("records gaps", "year_group,pupil_id"), ("schema", '"$schema"'),
                                             ("template", "# compass answer file")])
def test_dash_is_the_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, shows: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*COMMANDS[name][0], "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert shows in result.stdout
    assert not (tmp_path / "-").exists()


def test_a_pdf_is_not_for_the_screen() -> None:
    result = invoke("report", RIVERSIDE, "--format", "pdf", "-o", "-")
    assert result.exit_code == 2 and "a PDF cannot be shown on the screen" in result.stderr


@pytest.mark.parametrize("bad", ["new.txt", "-"])
def test_migrate_writes_a_yaml_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.chdir(tmp_path)
    old = EXAMPLES / "riverside-high-2025-spring-2014-edition.yaml"
    result = invoke("migrate", old, "--to", "gatsby-2025-schools", "-o", bad)
    assert result.exit_code == 2
    assert "a name ending .yaml" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_records_fill_writes_a_yaml_file(tmp_path: Path) -> None:
    out = tmp_path / "filled.txt"
    result = invoke("records", "fill", RIVERSIDE, *RECORDS, "-o", out)
    assert result.exit_code == 2
    assert "cannot tell the format from filled.txt; use a name ending .yaml" in result.stderr
    assert not out.exists()
