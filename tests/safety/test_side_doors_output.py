"""Issue 18.7: no escape sequence leaves compass, on the screen or in a file, in any format.

Answer files (names, notes, evidence, owners, free-text answers), activity records and the
words of a framework folder (``--frameworks DIR``: titles, question text and help, option
labels, units) are typed by other people. Control characters in them (ESC [ 2 J clears the
screen, ESC ] 52 writes to the clipboard, the one-character C1 CSI ``\\x9b``, BEL, DEL, a
carriage return that overwrites a line, a bidirectional override) must not reach the
terminal or a file as they are: they are removed (text.printable), or, in JSON and
answer-file YAML, written as escapes so the data stays exactly as it was.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from compass_cli import text
from compass_cli.cli import app
from compass_cli.cli import audit as audit_module
from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import QuestionKind
from compass_cli.core.writing import answer_file_text
from compass_cli.output.terminal.console import console
from compass_cli.resources import bundled

from ..conftest import EXAMPLES, ROOT

#: Clear the screen, write "pwned" to the clipboard (OSC 52, ended by BEL), C1 CSI, BEL, DEL,
#: a C1 NEL, a right-to-left override and a carriage return, between visible marks.
BAD = "«\x1b[2J\x1b]52;c;cHduZWQ=\x07\x9b31m\x07\x7f\x85\u202e\r»"
#: A control character or override anywhere, or a carriage return that does not end a line (CSV lines end CRLF).
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")

SCHOOLS = load_framework()
TEXT = next(q.id for q in SCHOOLS.questions() if q.kind is QuestionKind.text and q.when is None)
#: The framework's words the tests poison, in every file of a copied framework folder.
WORDS = ("title", "summary", "text", "help", "label", "audience", "unit", "evidence")
RECORDS = ROOT / "tests" / "records" / "fixtures"


def raw_controls(found: str) -> list[str]:
    return sorted({repr(c) for c in RAW.findall(found)})


def hostile_answers(folder: Path, name: str, source: str) -> Path:
    doc = yaml.safe_load((EXAMPLES / source).read_text(encoding="utf-8"))
    doc["institution"].update(name="Riverside " + BAD, local_authority=BAD, site=BAD)
    doc["answers"][TEXT] = BAD
    notes = doc.get("notes") or {}
    for key in [*list(notes)[:3], TEXT, "B1", "B3.3"]:  # a benchmark and a criterion with a gap: owners in the plan
        notes[key] = {"note": BAD, "evidence": BAD, "owner": BAD}
    doc["notes"] = notes
    path = folder / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def poisoned(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: v + BAD if k in WORDS and isinstance(v, str) else poisoned(v) for k, v in node.items()}
    if isinstance(node, list):
        return [poisoned(x) for x in node]
    return node


def hostile_framework(folder: Path) -> Path:
    """A copy of the bundled schools framework (same id, so it is used instead) with controls in its words."""
    copy = folder / "frameworks" / "gatsby-2025-schools"
    shutil.copytree(bundled("questionnaires") / "gatsby-2025-schools", copy)
    for path in [copy / "framework.yaml", *copy.glob("b*.yaml")]:
        doc = poisoned(yaml.safe_load(path.read_text(encoding="utf-8")))
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return copy.parent


def hostile_records(folder: Path) -> tuple[Path, Path]:
    """The records fixtures with controls in a pupil id, a year group, a provider and an activity."""
    pupils = list(csv.reader(io.StringIO((RECORDS / "pupils.csv").read_text(encoding="utf-8"))))
    activities = list(csv.reader(io.StringIO((RECORDS / "activities.csv").read_text(encoding="utf-8"))))
    pupils += [[f"P{BAD}99", "Y9", "", "N", "0", "", "", "", ""], ["P0799", f"Y{BAD}", "", "N", "0", "", "", "", ""]]
    activities += [[f"P{BAD}99", "2025-10-05", "employer_encounter", "", "yes", f"Acme {BAD}", ""],
                   ["P0701", "2025-10-05", f"encounter {BAD}", "", "yes", "", ""]]
    paths = folder / "pupils.csv", folder / "activities.csv"
    for path, rows in zip(paths, (pupils, activities), strict=True):
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)  # a cell with a carriage return is quoted
    return paths


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hostile")
    pupils, activities = hostile_records(folder)
    found = {
        "NEW": hostile_answers(folder, "new.yaml", "riverside-high.yaml"),
        "OLD": hostile_answers(folder, "old.yaml", "riverside-high-last-term.yaml"),
        "FW": hostile_framework(folder),
        "PUPILS": pupils,
        "ACTIVITIES": activities,
        "EDITION-2014": EXAMPLES / "riverside-high-2025-spring-2014-edition.yaml",
    }
    return {k: str(v) for k, v in found.items()}


#: Every command that writes text, with the hostile answer files, framework or records.
#: OUT is a file in the test's folder; its ending chooses the format.
COMMANDS = {
    "score table": ["score", "NEW", "OLD"],
    "score csv": ["score", "NEW", "--format", "csv"],
    "score json": ["score", "NEW", "--format", "json"],
    "score -o csv": ["score", "NEW", "-o", "OUT.csv"],
    "score -o json": ["score", "NEW", "-o", "OUT.json"],
    "report md": ["report", "NEW", "--previous", "OLD"],
    "report html": ["report", "NEW", "--previous", "OLD", "--format", "html"],
    "report -o md": ["report", "NEW", "-o", "OUT.md"],
    "report -o html": ["report", "NEW", "-o", "OUT.html"],
    "summary table": ["summary", "NEW", "OLD", "--all-terms", "--group-by", "la"],
    "summary csv": ["summary", "NEW", "OLD", "--all-terms", "--format", "csv"],
    "summary md": ["summary", "NEW", "OLD", "--all-terms", "--group-by", "la", "--format", "md"],
    "summary html": ["summary", "NEW", "--format", "html"],
    "summary json": ["summary", "NEW", "--format", "json"],
    "summary -o md": ["summary", "NEW", "-o", "OUT.md"],
    "compare table": ["compare", "OLD", "NEW"],
    "compare md": ["compare", "OLD", "NEW", "--format", "md"],
    "compare json": ["compare", "OLD", "NEW", "--format", "json"],
    "framework: template": ["template", "--frameworks", "FW"],
    "framework: template -o": ["template", "--frameworks", "FW", "-o", "OUT.yaml"],
    "framework: questions": ["questions", "--frameworks", "FW"],
    "framework: questions json": ["questions", "--frameworks", "FW", "--format", "json"],
    "framework: frameworks": ["frameworks", "--frameworks", "FW"],
    "framework: frameworks json": ["frameworks", "--frameworks", "FW", "--format", "json"],
    "framework: schema": ["schema", "answers", "--frameworks", "FW"],
    "framework: score": ["score", "NEW", "--frameworks", "FW"],
    "framework: score csv": ["score", "NEW", "--frameworks", "FW", "--format", "csv"],
    "framework: report md": ["report", "NEW", "--previous", "OLD", "--frameworks", "FW"],
    "framework: report html": ["report", "NEW", "--frameworks", "FW", "--format", "html"],
    "framework: summary md": ["summary", "NEW", "--frameworks", "FW", "--format", "md"],
    "framework: compare table": ["compare", "OLD", "NEW", "--frameworks", "FW"],
    "framework: compare md": ["compare", "OLD", "NEW", "--frameworks", "FW", "--format", "md"],
    "framework: migrate": ["migrate", "EDITION-2014", "--to", "gatsby-2025-schools", "--frameworks", "FW",
                           "-o", "OUT.yaml"],
    "records coverage table": ["records", "coverage", "PUPILS", "ACTIVITIES", "--year", "2025/26"],
    "records coverage md": ["records", "coverage", "PUPILS", "ACTIVITIES", "--year", "2025/26", "--format", "md",
                            "--frameworks", "FW"],
    "records coverage csv": ["records", "coverage", "PUPILS", "ACTIVITIES", "--year", "2025/26", "--format", "csv"],
    "records coverage json": ["records", "coverage", "PUPILS", "ACTIVITIES", "--year", "2025/26", "--format", "json",
                              "--frameworks", "FW"],
    "records gaps": ["records", "gaps", "PUPILS", "ACTIVITIES", "--year", "2025/26", "-o", "OUT.csv"],
    "records fill": ["records", "fill", "NEW", "PUPILS", "ACTIVITIES", "-o", "OUT.yaml"],
}

#: Commands whose output shows none of the hostile words (counts and ids only); their messages may.
SHOWS_NO_WORDS = {"records coverage table", "records coverage csv", "framework: frameworks"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_control_character_reaches_the_screen_or_a_file(name: str, files: dict[str, str], tmp_path: Path) -> None:
    args = [files.get(a, a) for a in COMMANDS[name]]
    args = [str(tmp_path / a) if a.startswith("OUT.") else a for a in args]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "300"})
    assert result.exit_code in (0, 1), result.output  # 1: the records have bad rows, and say so
    written = [Path(a) for a in args if a.startswith(str(tmp_path))]
    shown = {"the screen": result.stdout, "the error stream": result.stderr}
    shown.update({str(p): p.read_text(encoding="utf-8") for p in written})
    for where, found in shown.items():
        assert raw_controls(found) == [], f"control characters reach {where}"
    output = "".join(found for where, found in shown.items() if where != "the error stream")
    assert ("«" in output) == (name not in SHOWS_NO_WORDS), "the hostile text is not in the output: nothing is proved"


def test_an_error_that_quotes_an_answer_shows_no_control_character(tmp_path: Path) -> None:
    doc = yaml.safe_load((EXAMPLES / "riverside-high.yaml").read_text(encoding="utf-8"))
    yes_no = next(q.id for q in SCHOOLS.questions() if q.kind is QuestionKind.yes_no)
    doc["answers"][yes_no] = BAD
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for command in (["score", str(path)], ["summary", str(path), "--format", "md"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code in (1, 2)
        assert "«" in result.stderr + result.stdout and raw_controls(result.stderr + result.stdout) == []


def test_the_audit_shows_a_frameworks_words_without_control_characters(
    files: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Question text, help (?), progress (o), options, units and the end screen, from a hostile framework."""
    monkeypatch.setattr(audit_module, "is_interactive", lambda: True)
    monkeypatch.chdir(tmp_path)
    institution = ["", "Hilltop", "137245", "Leeds", "y", "180", "178", "181", "175", "172", "120", "110", "Jo", "",
                   *[""] * 6]  # the careers leader and the links the website shows: left out
    typed = "\n".join(institution + ["?", "o", "y", "a", "7", "3", "done"] * 150 + ["n"] * 5) + "\n"
    result = CliRunner().invoke(app, ["audit", "mine.yaml", "--frameworks", files["FW"]], input=typed,
                                env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "«" in result.stdout and "Your results" in result.stdout
    assert raw_controls(result.stdout) == [] and raw_controls(result.stderr) == []
    assert raw_controls(Path("mine.yaml").read_text(encoding="utf-8")) == []


def test_whatever_compass_prints_on_the_screen_loses_its_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    """The last step before the screen, for a string that no one passed through text.terminal."""
    out = console()
    out.print("a string " + BAD, markup=False)
    out.print(Text("a Text " + BAD, style="bold"))
    table = Table("Name")
    table.add_row("a cell " + BAD)
    out.print(table)
    shown = capsys.readouterr().out
    assert shown.count("«") == 3 and raw_controls(shown) == []


# --------------------------------------------------------------------------- faithful where the data is kept


def test_json_keeps_the_text_exactly(files: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["score", files["NEW"], "--format", "json"])
    assert raw_controls(result.stdout) == []
    assert "\\u001b[2J" in result.stdout and "\\u009b31m" in result.stdout and "\\u202e" in result.stdout
    assert json.loads(result.stdout)[0]["institution"]["name"] == "Riverside " + BAD


def test_an_answer_file_written_by_compass_keeps_the_text_exactly(files: dict[str, str]) -> None:
    """The audit, records fill and migrate save with answer_file_text: escaped, and read back as it was."""
    evaluation = load_evaluation(Path(files["NEW"]))
    note = evaluation.answer_file.notes[TEXT].model_copy(update={"note": "line\x85next\u2028and" + BAD})
    evaluation.answer_file.notes[TEXT] = note
    saved = answer_file_text(evaluation)
    assert raw_controls(saved) == []
    again = yaml.safe_load(saved)
    assert again["notes"][TEXT]["note"] == "line\x85next\u2028and" + BAD
    assert again["institution"]["name"] == "Riverside " + BAD


def test_a_line_break_in_a_frameworks_words_stays_in_the_comment(tmp_path: Path) -> None:
    copy = tmp_path / "frameworks" / "gatsby-2025-schools"
    shutil.copytree(bundled("questionnaires") / "gatsby-2025-schools", copy)
    path = copy / "b1-stable-programme.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["title"] += "\nnotes: {injected: true}"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    blank = tmp_path / "blank.yaml"
    result = CliRunner().invoke(app, ["template", "--frameworks", str(copy.parent), "-o", str(blank)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(blank.read_text(encoding="utf-8"))["notes"] == {}


# --------------------------------------------------------------------------- the rule


def test_the_rule() -> None:
    assert text.printable("a\x1b[2Jb\x9bc\x07d\x7fe\u202ef\rg\th\ni") == "a[2Jbcdefg\th\ni"
    assert text.terminal("a\tb\x1b") == "a b"
    assert text.one_line("a\n b\x1b\r\n  c") == "a b c"
    assert text.escape_controls('"a\x9b\x7f\u202e"') == '"a\\u009b\\u007f\\u202e"'
    assert json.loads(text.json_text({"k": BAD})) == {"k": BAD} and raw_controls(text.json_text({"k": BAD})) == []
    assert text.comment_lines("x\ny: 1") == ["  # x y: 1"]
