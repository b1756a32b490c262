"""What ``--help`` shows: plain text that wraps to the terminal, the same layout for every command.

typer 0.29 draws help with rich: it writes a type after each metavar (``<list[Path]>``,
``<bool>``, ``<float range> [0.0<=x<=1.0]``), puts required arguments in braces in the usage
line (``{files}``, ``{DIR...}...``) and keeps the hard line breaks of docstrings, so
paragraphs come out ragged. The two classes here are given to typer with ``cls=`` (main.py,
records.py) and write the help themselves, from what each command declares:

* the usage line: ``compass score [OPTIONS] FILE...``, each argument by its metavar, in
  brackets when it may be left out;
* the docstring, each paragraph rewrapped to the terminal (at most 78 columns, as click
  does), except a paragraph whose lines after the first are indented, such as
  ``Examples:``: its lines are kept one a line (a line too long for the terminal goes on
  the next after a `` \\``, as a shell reads it);
* arguments and options, each by its metavar (options.py declares them, so every
  non-flag has one: FILE, DIR, X, N, ID|DIR, table|json|csv), its help as one paragraph
  and its default once, ``[default: X]``, unless the help says it in words.

Plain text, so ``compass --help`` needs neither rich nor the core. Errors in the command
line (an unknown option, a bad value) are printed by click's plain path too, as the app is
made with ``rich_markup_mode=None``.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from enum import Enum
from typing import Any

from typer.core import TyperCommand, TyperGroup

#: An option or argument longer than this starts its help on the next line.
TERM_WIDTH = 24


def metavar(param: Any) -> str:
    """How the help and usage name a parameter's value: its declared metavar (``...`` when it takes many)."""
    name = str(param.metavar or (param.name or "").upper())
    if param.nargs == -1 and not name.endswith("..."):
        name += "..."
    return name


def default_text(param: Any) -> str | None:
    """The default to show, or None: the words of ``show_default=`` if a string; else the value, when there is one
    worth showing (not a flag's False, not an empty list, not None)."""
    show = param.show_default
    if isinstance(show, str):
        return show
    if not show or getattr(param, "is_flag", False):
        return None
    value = param.default
    if value is None or callable(value) or isinstance(value, (list, tuple)):
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _term(param: Any) -> str:
    if param.param_type_name == "argument":
        return metavar(param)
    names = ", ".join(sorted(param.opts, key=len))  # -o, --output
    return names if getattr(param, "is_flag", False) else f"{names} {metavar(param)}"


def _usage(command: Any, ctx: Any) -> list[str]:
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if param.param_type_name == "argument" and not param.hidden:
            name = metavar(param)
            pieces.append(name if param.required else f"[{name}]")
    return pieces


def _wrap(text: str, width: int, indent: str = "", later: str | None = None) -> list[str]:
    lines = textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent if later is None else later,
                          break_on_hyphens=False, break_long_words=False)
    return [line.replace("\u00a0", " ") for line in lines] or [indent.rstrip()]


def _kept(line: str, width: int) -> list[str]:
    """A line kept as written (an example command); one too long for the terminal goes on after `` \\``."""
    indent = line[: len(line) - len(line.lstrip())]
    words = line.split()
    out: list[str] = []
    current = indent
    for word in words:
        if current.strip() and len(current) + 1 + len(word) + 2 > width:
            out.append(current + " \\")
            current = indent + "    " + word
        else:
            current = current + (" " if current.strip() else "") + word
    return [*out, current]


def paragraphs(text: str, width: int, indent: str = "  ") -> list[str]:
    """A docstring as lines: each paragraph rewrapped, a paragraph of indented lines (examples) kept line by line."""
    lines: list[str] = []
    for block in re.split(r"\n\s*\n", inspect.cleandoc(text).strip()):
        first, *rest = block.splitlines()
        if rest and all(line.startswith(" ") for line in rest):
            lines += _wrap(first, width, indent)
            for line in rest:
                lines += _kept(indent + line, width)
        else:
            lines += _wrap(" ".join(block.split()), width, indent)
        lines.append("")
    return lines


def definitions(rows: list[tuple[str, str]], width: int) -> list[str]:
    """Terms and their help in two columns; a term too long for the first column has its help on the next line."""
    column = min(max(len(term) for term, _ in rows), TERM_WIDTH) + 4
    lines: list[str] = []
    for term, text in rows:
        wrapped = _wrap(text, width, " " * column)
        if len(term) + 4 <= column:
            lines.append(f"  {term}".ljust(column) + wrapped[0].lstrip())
            lines += wrapped[1:]
        else:
            lines.append(f"  {term}")
            lines += wrapped
    return lines


def _records(command: Any, ctx: Any, kind: str) -> list[tuple[str, str]]:
    rows = []
    for param in command.get_params(ctx):
        if param.param_type_name != kind or getattr(param, "hidden", False):
            continue
        text = " ".join((param.help or "").split())
        default = default_text(param)
        if default:  # kept on one line: a no-break space, which textwrap does not break at
            text = f"{text} [default:\u00a0{default}]".strip()
        elif kind == "option" and param.required:
            text = f"{text} [required]".strip()
        rows.append((_term(param), text))
    return rows


def first_paragraph(text: str | None) -> str:
    """A command's line in its group's list: the first paragraph of its help, whole."""
    return " ".join(inspect.cleandoc(text or "").split("\n\n")[0].split())


def render(command: Any, ctx: Any, width: int, pieces: list[str], commands: list[tuple[str, str]]) -> str:
    """The whole help of a command or group."""
    usage = f"Usage: {ctx.command_path} " + " ".join(pieces)
    lines = _wrap(usage, width, "", " " * (len("Usage: ") + len(ctx.command_path) + 1))
    lines.append("")
    if command.help:
        lines += paragraphs(command.help, width)
    for title, rows in (("Arguments", _records(command, ctx, "argument")),
                        ("Options", _records(command, ctx, "option")), ("Commands", commands)):
        if rows:
            lines += [f"{title}:", *definitions(rows, width), ""]
    return "\n".join(lines).rstrip() + "\n"


class CompassCommand(TyperCommand):
    """A command whose help and usage line are written by this module."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _usage(self, ctx)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render(self, ctx, formatter.width, _usage(self, ctx), []))


class CompassGroup(TyperGroup):
    """``compass`` and ``compass records``: the same layout, with each command and the first paragraph of its help."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [*_usage(self, ctx), self.subcommand_metavar]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        commands = []
        for name in self.list_commands(ctx):
            line = self.command_line(ctx, name)
            if line is not None:
                commands.append((name, line))
        formatter.write(render(self, ctx, formatter.width, self.collect_usage_pieces(ctx), commands))

    def command_line(self, ctx: Any, name: str) -> str | None:
        """A command's line in the list: the first paragraph of its help (None: the command is hidden)."""
        command = self.get_command(ctx, name)
        return None if command is None or command.hidden else first_paragraph(command.help)
