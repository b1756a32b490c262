"""`--help` reads like a well-kept CLI: metavars, one default each, paragraphs that wrap, an example per command.

The help is written by cli/help.py; these tests walk every command (and the records
commands) through the CLI, as a user at an 80-column terminal sees it.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.cli.help import default_text, first_paragraph
from compass_cli.cli.options import DEFAULT_FRAMEWORK
from compass_cli.core import frameworks

from ..conftest import ROOT

ROOT_COMMAND: Any = typer.main.get_command(app)


def _commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for name, command in group.commands.items():
        found.append(((*path, name), command))
        if hasattr(command, "commands"):
            found += _commands(command, (*path, name))
    return found


COMMANDS = _commands(ROOT_COMMAND)
LEAVES = [(path, command) for path, command in COMMANDS if not hasattr(command, "commands")]
GROUPS = [((), ROOT_COMMAND)] + [(path, command) for path, command in COMMANDS if hasattr(command, "commands")]
#: What typer's own help showed: a type after the metavar, braces around required arguments, ranges, defaults twice.
NEVER = ["<bool>", "<list", "<float", "<path>", "<int>", "<text>", "<table", "<la|", "range", "{", "}",
         "[default: 0.0]", "Default 0", "[required]  ", "…", "╭", "│"]


def help_of(path: tuple[str, ...], columns: int = 80) -> str:
    """The help at a terminal this wide (click's test runner stands for an 80-column terminal unless told)."""
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(columns)}, terminal_width=columns)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_is_walked() -> None:
    names = {" ".join(path) for path, _ in LEAVES}
    assert {"score", "summary", "report", "compare", "records coverage", "records gaps", "records fill",
            "records template", "schema", "migrate", "audit", "template", "questions", "frameworks",
            "validate"} <= names


@pytest.mark.parametrize("path", [p for p, _ in LEAVES], ids=" ".join)
def test_help_at_80_columns(path: tuple[str, ...]) -> None:
    text = help_of(path)
    assert text.startswith(f"Usage: compass {' '.join(path)} ")
    assert "Example" in text and f"    compass {' '.join(path)}" in text  # examples one a line, indented
    for line in text.splitlines():
        assert len(line) <= 80, line
    for wrong in NEVER:
        assert wrong not in text, wrong


@pytest.mark.parametrize("path", [p for p, _ in GROUPS], ids=lambda p: " ".join(p) or "compass")
def test_group_help_at_80_columns(path: tuple[str, ...]) -> None:
    text = help_of(path)
    assert "Commands:" in text and "compass " in text
    for line in text.splitlines():
        assert len(line) <= 80, line
    for wrong in NEVER:
        assert wrong not in text, wrong


@pytest.mark.parametrize("path", [("summary",), ("report",), ("records", "coverage")], ids=" ".join)
def test_paragraphs_wrap_to_the_terminal(path: tuple[str, ...]) -> None:
    """A paragraph of the docstring is rewrapped: no hard line break leaves a short line in the middle of it."""
    for columns in (60, 80, 100):
        text = help_of(path, columns)
        assert max(len(line) for line in text.splitlines()) <= columns
        second = text.split("\n\n")[2]  # the paragraph after the first line of the help
        lines = second.splitlines()
        assert all(len(line) > columns - 20 for line in lines[:-1]), second  # no ragged line inside it
        assert len(lines) > 1 or columns > 80


def test_usage_names_arguments_by_their_metavar() -> None:
    assert help_of(("score",)).startswith("Usage: compass score [OPTIONS] FILE...\n")
    assert help_of(("summary",)).startswith("Usage: compass summary [OPTIONS] DIR...\n")
    assert help_of(("audit",)).startswith("Usage: compass audit [OPTIONS] [FILE]\n")
    assert help_of(("records", "gaps")).startswith("Usage: compass records gaps [OPTIONS] PUPILS ACTIVITIES...\n")
    result = CliRunner().invoke(app, ["score", "--partial-credit", "2", "a.yaml"])
    assert result.exit_code == 2 and "Usage: compass score [OPTIONS] FILE..." in result.stderr
    assert "give a number from 0 up to" in result.stderr


def test_metavars() -> None:
    text = help_of(("report",))
    for term in ("FILE", "-p, --previous FILE", "--format md|html|pdf|json", "-o, --output FILE", "--templates DIR",
                 "--top N", "--partial-credit X", "--frameworks DIR"):
        assert f"  {term} " in text or f"  {term}\n" in text, term
    assert "-f, --framework ID|DIR" in help_of(("questions",))
    assert "--group-by la|type|framework|term" in help_of(("summary",))


@pytest.mark.parametrize("path", [p for p, _ in LEAVES], ids=" ".join)
def test_every_value_has_a_metavar_and_one_default(path: tuple[str, ...]) -> None:
    command = dict(LEAVES)[path]
    for param in command.params:
        if not getattr(param, "is_flag", False):
            assert param.metavar, f"{param.name} has no metavar"
        said = (param.help or "").lower().count("default")
        shown = default_text(param) is not None
        assert said + shown <= 1, f"{param.name}: the default is given {said + shown} times"


def _helps(option: str) -> dict[str, str]:
    helps = {}
    for path, command in LEAVES:
        for param in command.params:
            if option in getattr(param, "opts", []):
                helps[" ".join(path)] = param.help
    return helps


@pytest.mark.parametrize("option", ["--frameworks", "--partial-credit", "--framework"])
def test_shared_options_read_the_same_everywhere(option: str) -> None:
    helps = _helps(option)
    helps.pop("audit", None)  # the audit's framework is that of --from, or asked
    assert len(helps) >= 3 and len(set(helps.values())) == 1, helps


def test_every_command_that_reads_frameworks_has_frameworks() -> None:
    """Issue 11: every command that reads answer files or frameworks has the search path."""
    lacking = [" ".join(path) for path, command in LEAVES
               if not any("--frameworks" in getattr(p, "opts", []) for p in command.params)]
    assert lacking == []


def test_format_and_output_are_worded_once() -> None:
    formats = _helps("--format")
    writing = {k: v for k, v in formats.items() if k not in ("frameworks", "questions")}
    assert all(v.startswith("What to write. Without it, the ending of the -o file chooses; the screen shows ")
               for v in writing.values()), writing
    assert formats["frameworks"] == formats["questions"]
    outputs = _helps("--output")
    standard = {k: v for k, v in outputs.items() if k in ("score", "report", "summary", "compare", "schema",
                                                          "template", "records coverage", "records gaps")}
    assert all(v.startswith("Write to FILE (") and v.endswith(") instead of the screen; - is the screen.")
               for v in standard.values()), standard


def test_the_default_framework_is_the_cores() -> None:
    assert DEFAULT_FRAMEWORK == frameworks.DEFAULT_FRAMEWORK
    assert f"[default: {DEFAULT_FRAMEWORK}]" in help_of(("template",))


def test_the_types_of_institution_come_from_the_frameworks() -> None:
    """--type names no type in code (a hub's own framework may evaluate an academy); the frameworks found list them."""
    text = help_of(("template",))
    assert "--type TYPE" in text
    assert not any(kind in text for kind in ("school|", "special", "itp"))


def test_help_needs_neither_rich_nor_the_core() -> None:
    """`compass --help` and a command's help stay quick: nothing draws with rich, nothing loads the core."""
    code = (
        "import sys\n"
        "from compass_cli.__main__ import main\n"
        "for args in (['--help'], ['summary', '--help'], ['records', '--help']):\n"
        "    sys.argv = ['compass', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'jinja2', 'yaml'}),\n"
        "      sorted(m for m in sys.modules\n"
        "             if m.startswith('compass_cli.core.') and m != 'compass_cli.core.grouping'),\n"
        "      file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage: compass summary" in out.stdout
    assert out.stderr.strip() == "[] []"


def test_only_the_command_run_is_built() -> None:
    """Issue 24: a command imports and builds itself alone, not the other commands (typer spent some 20 ms
    building all fifteen); its help and the list of commands read as before."""
    code = (
        "import sys\n"
        "from compass_cli.__main__ import main\n"
        "sys.argv = ['compass', 'score', 'examples/riverside-high.yaml', '--format', 'json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('compass_cli.cli.')), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert '"json_version": 1' in out.stdout
    assert out.stderr.strip() == str(["compass_cli.cli.handler", "compass_cli.cli.help", "compass_cli.cli.main",
                                      "compass_cli.cli.options", "compass_cli.cli.score"])


def test_every_command_is_listed_and_built() -> None:
    """Each command has its place in the lazily built app (cli/main.py COMMANDS), in the order --help lists
    them: a command module added without one would be missing from both."""
    names = ["frameworks", "questions", "template", "score", "audit", "report", "publish", "summary", "compare",
             "validate", "schema", "migrate", "records"]
    text = help_of(())
    listed = [line.split()[0] for line in text[text.index("Commands:"):].splitlines()[1:]
              if line.startswith("  ") and not line.startswith("   ")]
    assert listed == names
    assert list(ROOT_COMMAND.commands) == names
    for name in names:
        assert ROOT_COMMAND.commands[name].name == name
        assert f"compass {name}" in help_of((name,))


def test_the_list_of_commands_is_each_commands_first_paragraph() -> None:
    """`compass --help` lists the commands without building them; each line is the built command's own."""
    text = help_of(())
    listed: dict[str, str] = {}
    for line in text[text.index("Commands:"):].splitlines()[1:]:
        if line.startswith("  ") and not line.startswith("   "):
            name, _, words = line.strip().partition(" ")
            listed[name] = words
        elif line.strip():
            listed[name] += " " + line
    built = {name: " ".join(first_paragraph(command.help).split()) for name, command in ROOT_COMMAND.commands.items()}
    assert {name: " ".join(words.split()) for name, words in listed.items()} == built


def test_version_answers_without_the_command_line() -> None:
    code = ("import sys\nsys.argv = ['compass', '--version']\nfrom compass_cli.__main__ import main\nmain()\n"
            "print('typer' in sys.modules, file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("compass ") and out.stderr.strip() == "False"
