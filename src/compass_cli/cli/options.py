"""The options several commands share, declared and worded once, and the one rule for what ``-o`` writes.

Every command declares its parameters as ``Annotated[type, typer.Option(...)] = default``.
An option that more than one command has (``--framework``, ``--frameworks``,
``--partial-credit``, ``--jobs``, ``--format``, ``--output``, ``--previous``, ``--templates``) is declared here: its
names, metavar, checks and help, so it reads the same in every command's ``--help``.

What a command writes (:func:`output_format`): ``--format`` if given; else the ending of the
``-o`` file's name, among the formats the command can write (an ending it cannot write is
refused, with the list of those it can); else the screen's format. The table is for the
screen only, a PDF for a file only.

Nothing here imports the core at start-up, so ``compass --help`` stays quick.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from compass_cli.errors import UsageError
from compass_cli.text import either

if TYPE_CHECKING:
    from compass_cli.core.frameworks import Frameworks

# --------------------------------------------------------------------------- the frameworks


def frameworks_search(folders: list[Path] | None) -> Frameworks:
    """Where this command finds frameworks: --frameworks folders, COMPASS_FRAMEWORKS, then the bundled ones."""
    from compass_cli.core.frameworks import Frameworks

    return Frameworks(folders or ())


#: --frameworks DIR: the search path for a hub's own frameworks (every command that reads answer files or frameworks).
FrameworksOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--frameworks", metavar="DIR", show_default=False,
        help="A folder of your own frameworks (or one framework folder), searched before the bundled ones; "
        "give it more than once for several. COMPASS_FRAMEWORKS (folders separated by "
        f"'{os.pathsep}') does the same for every command.",
    ),
]

#: The framework a command uses when none is named (core.frameworks.DEFAULT_FRAMEWORK, which a test keeps equal).
DEFAULT_FRAMEWORK = "gatsby-2025-schools"


def framework_option(help: str | None = None) -> Any:
    """--framework / -f ID|DIR: a framework by id or folder (``help``: for a command with another default)."""
    return typer.Option(
        "--framework", "-f", metavar="ID|DIR", show_default=DEFAULT_FRAMEWORK if help is None else False,
        help=help or "A framework id (see 'compass frameworks') or a folder holding framework.yaml.",
    )


#: --framework / -f ID|DIR.
FrameworkOption = Annotated[str | None, framework_option()]

# --------------------------------------------------------------------------- scoring


def partial_credit_value(value: float) -> float:
    """--partial-credit: at 1 an area in progress would count as met, and 100% would no longer mean achieved."""
    if not 0 <= value < 1:
        raise typer.BadParameter("give a number from 0 up to, but not including, 1 (for example 0.5)")
    return value


#: --partial-credit X (every command gives it the default 0, as Compass does).
PartialCreditOption = Annotated[float, typer.Option(
    "--partial-credit", metavar="X", callback=partial_credit_value, show_default="0",
    help="The credit (0 up to 1) an assessment area in progress earns towards its benchmark's score; "
    "Compass gives none.",
)]

# --------------------------------------------------------------------------- processes


def jobs_count(value: int | None) -> int:
    """The processes a command uses: --jobs if given, else one per core the machine gives this process.

    Checked here, in the command, so that a wrong value is a UsageError like every other (exit 2)."""
    if value is None:
        from compass_cli.core.parallel import cores

        return cores()
    if value < 1:
        raise UsageError(f"--jobs {value}: give 1 or more processes (1 reads the files one at a time)")
    return value


#: --jobs / -j N (summary, score): the default, None, is one process per core.
JobsOption = Annotated[int | None, typer.Option(
    "--jobs", "-j", metavar="N", show_default=False,
    help="Processes to use (default: one per core; 1 reads files one at a time).",
)]

# --------------------------------------------------------------------------- formats

E = TypeVar("E", bound=Enum)


class TableJson(str, Enum):
    table = "table"
    json = "json"


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    pdf = "pdf"
    json = "json"


class PublishFormat(str, Enum):
    md = "md"
    html = "html"


class SummaryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"


#: ``compass records coverage`` writes the same formats as ``compass summary``.
CoverageFormat = SummaryFormat

#: The format a file's ending names. The first ending of each format is the one messages suggest.
ENDINGS = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
           ".pdf": "pdf", ".yaml": "yaml", ".yml": "yaml"}
#: Formats only the screen shows, and formats only a file can hold.
SCREEN_ONLY = {"table"}
FILE_ONLY = {"pdf"}
#: How the help and messages name what the screen shows.
SHOWN_AS = {"table": "the table", "md": "Markdown"}


def _ending(fmt: str) -> str:
    return next(ending for ending, f in ENDINGS.items() if f == fmt)


def _values(formats: type[Enum] | Sequence[str]) -> list[str]:
    return [f if isinstance(f, str) else str(f.value) for f in formats]


def choose_format(output: Path | None, given: str | None, formats: Sequence[str], screen: str | None) -> str:
    """The one rule for what a command writes (see the module docstring), as format names.

    ``output`` is where to write (None: the screen, as after ``files.check_output``), ``given``
    the --format given (None when the command has none, or it was left out), ``formats`` what
    the command can write, ``screen`` what it shows on the screen without --format (None: it
    writes only files). A refusal is a UsageError (exit 2) naming what would work.
    """
    files = [f for f in formats if f not in SCREEN_ONLY]
    endings = either([_ending(f) for f in files])
    option = f", or add --format {either(files)}" if len(formats) > 1 else ""
    if given is not None:
        if output is None and given in FILE_ONLY:
            raise UsageError(f"a {given.upper()} cannot be shown on the screen; give -o and a name ending "
                             f"{_ending(given)}")
        if output is not None and given in SCREEN_ONLY:
            raise UsageError(f"the {given} is for the screen; to write {output.name}, give --format {either(files)}, "
                             "or leave --format out and let the file's ending choose")
        return given
    if output is None:
        if screen is None:
            raise UsageError(f"this command writes a file, not to the screen; give -o and a name ending {endings}")
        return screen
    found = ENDINGS.get(output.suffix.lower())
    if found not in files:
        raise UsageError(f"cannot tell the format from {output.name}; use a name ending {endings}{option}")
    return found


def output_format(output: Path | None, given: E | None, formats: type[E], screen: E | None) -> E:
    """:func:`choose_format` for a command with --format: the member of ``formats`` to write."""
    value = choose_format(output, None if given is None else str(given.value), _values(formats),
                          None if screen is None else str(screen.value))
    return formats(value)


def file_format(output: Path | None, fmt: str, screen: bool = True) -> None:
    """:func:`choose_format` for a command that writes one format (gaps: CSV): refuses a name of another ending."""
    choose_format(output, None, [fmt], fmt if screen else None)


def format_option(formats: type[Enum], screen: str | None = None) -> Any:
    """--format a|b|c of a command that writes (``screen``: what it shows without -o), or, without ``screen``, of a
    command that only shows (frameworks, questions: its default is shown)."""
    names = _values(formats)
    if screen is None:
        return typer.Option("--format", metavar="|".join(names), help="table for people, json for scripts.")
    return typer.Option(
        "--format", metavar="|".join(names), show_default=False,
        help=f"What to write. Without it, the ending of the -o file chooses; the screen shows {SHOWN_AS[screen]}.",
    )


def output_option(formats: type[Enum] | Sequence[str], help: str | None = None, metavar: str = "FILE") -> Any:
    """--output / -o FILE: where the command writes, in one of ``formats`` (``-`` is the screen, where the command
    allows the screen). ``help`` words it for a command that writes an answer file or a folder."""
    if help is None:
        files = [f for f in _values(formats) if f not in SCREEN_ONLY]
        endings = either([_ending(f) for f in files])
        help = f"Write to {metavar} ({endings}) instead of the screen; - is the screen."
    return typer.Option("--output", "-o", metavar=metavar, show_default=False, help=help)


def previous_option(help: str) -> Any:
    """--previous / -p FILE: an earlier answer file of the same institution (``help``: what the command does)."""
    return typer.Option("--previous", "-p", metavar="FILE", show_default=False, help=help)


def templates_option(names: str) -> Any:
    """--templates DIR: a folder of the user's own templates, each replacing the bundled one of its name."""
    return typer.Option(
        "--templates", metavar="DIR", show_default=False,
        help=f"A folder of your own templates: a file in it replaces the bundled one of the same name ({names}).",
    )


def refuse_existing(path: Path, force: bool) -> None:
    """--force: a command that writes a file a person fills in never overwrites one unless told to."""
    if path.exists() and not force:
        raise UsageError(f"{path} exists already; choose another name or add --force to overwrite it")


def write_or_show(text: str, output: Path | None) -> None:
    """``text`` on the screen (no -o, or -o -) or saved in ``output``, saying so on stderr."""
    if output is None:
        sys.stdout.write(text)
        return
    from compass_cli.files import write_atomic

    write_atomic(output, text)
    typer.echo(f"Wrote {output}", err=True)
