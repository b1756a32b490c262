"""The options several commands share, declared once, and the formats each command writes.

Every command declares its parameters as ``Annotated[type, typer.Option(...)] = default``.
An option that more than one command has (``--framework``, ``--frameworks``,
``--partial-credit``, ``--format``, ``--output``, ``--templates``) is declared here: its
names, type and checks once. A few commands still word its help their own way, and pass
``help=`` (the words are kept as they were until the commands' help is made one voice).

Nothing here imports the core at start-up, so ``compass --help`` stays quick.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from compass_cli.errors import UsageError
from compass_cli.files import format_of

if TYPE_CHECKING:
    from compass_cli.core.frameworks import Frameworks

# --------------------------------------------------------------------------- the frameworks


def frameworks_search(folders: list[Path] | None) -> Frameworks:
    """Where this command finds frameworks: --frameworks folders, COMPASS_FRAMEWORKS, then the bundled ones."""
    from compass_cli.core.frameworks import Frameworks

    return Frameworks(folders or ())


#: --frameworks: the search path for a hub's own frameworks.
FrameworksOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--frameworks", metavar="DIR", show_default=False,
        help="A folder of your own frameworks (or one framework folder), searched before the bundled ones; "
        "give it more than once for several. COMPASS_FRAMEWORKS (folders separated by "
        f"'{os.pathsep}') does the same for every command.",
    ),
]

FRAMEWORK_HELP = ("A framework id (see 'compass frameworks') or a folder holding framework.yaml. "
                  "Default: gatsby-2025-schools.")


def framework_option(help: str = FRAMEWORK_HELP, metavar: str | None = "ID|DIR") -> Any:
    """--framework / -f: a framework by id or folder."""
    return typer.Option("--framework", "-f", metavar=metavar, show_default=False, help=help)


#: --framework / -f, as most commands word it.
FrameworkOption = Annotated[str | None, framework_option()]

# --------------------------------------------------------------------------- scoring


def partial_credit_value(value: float) -> float:
    """--partial-credit: at 1 an area in progress would count as met, and 100% would no longer mean achieved."""
    if not 0 <= value < 1:
        raise typer.BadParameter("give a number from 0 up to, but not including, 1 (for example 0.5)")
    return value


#: --partial-credit X (default 0, given by each command).
PartialCreditOption = Annotated[float, typer.Option(
    "--partial-credit", callback=partial_credit_value,
    help="Credit (0 up to 1) an assessment area 'in progress' earns towards its benchmark's score. Default 0, "
    "as Compass.",
)]

# --------------------------------------------------------------------------- what is written, and where


def output_option(help: str, metavar: str | None = None) -> Any:
    """--output / -o FILE (``-`` is the screen, where the command allows the screen)."""
    return typer.Option("--output", "-o", metavar=metavar, show_default=False, help=help)


def format_option(help: str, show_default: bool = True) -> Any:
    """--format: one of the command's formats (an Enum below)."""
    return typer.Option("--format", show_default=show_default, help=help)


def templates_option(help: str) -> Any:
    """--templates DIR: a folder of the user's own templates, each replacing the bundled one of its name."""
    return typer.Option("--templates", show_default=False, help=help)


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

#: The file endings ``report -o`` understands without --format.
REPORT_ENDINGS = {".md": ReportFormat.md, ".markdown": ReportFormat.md, ".html": ReportFormat.html,
                  ".htm": ReportFormat.html, ".pdf": ReportFormat.pdf}


def report_format(output: Path | None, fmt: ReportFormat | None) -> ReportFormat:
    """--format wins; else the output file's ending (plan.pdf is PDF); else, on the screen, Markdown.

    An ending that names no report format (plan.docx, plan.txt) is refused rather than
    guessed: a Word user would otherwise get Markdown under a .docx name.
    """
    if fmt is not None:
        if fmt is ReportFormat.pdf and output is None:
            raise UsageError("a PDF cannot be shown on the screen; give -o plan.pdf")
        return fmt
    if output is None:
        return ReportFormat.md
    found = REPORT_ENDINGS.get(output.suffix.lower())
    if found is None:
        ending = f"the ending '{output.suffix}'" if output.suffix else "no ending"
        raise UsageError(f"cannot tell the report format from {output.name} ({ending}); use a name ending in "
                         ".md, .html or .pdf, or add --format md, html or pdf")
    return found


def summary_format(fmt: SummaryFormat | None, output: Path | None) -> SummaryFormat:
    """--format wins (but the table is for the screen); else the output file's ending; else the table."""
    if fmt is None:
        if output is None:
            return SummaryFormat.table
        found = format_of(output)
        if found is None:
            raise UsageError(f"cannot tell the format from '{output.name}'; add --format json, csv, md or html")
        return SummaryFormat(found)
    if fmt is SummaryFormat.table and output is not None:
        raise UsageError("--output is for --format json, csv, md or html; the table is for the screen")
    return fmt


def coverage_format(fmt: CoverageFormat | None, output: Path | None) -> CoverageFormat:
    """--format wins; else the output file's ending; else the table (which is for the screen only)."""
    found = fmt.value if fmt is not None else (format_of(output) if output is not None else None) or "table"
    if output is not None and found == "table":
        raise UsageError("the table is for the screen; for a file choose --format json, csv, md or html "
                         "(or a file name ending .json, .csv, .md or .html)")
    return CoverageFormat(found)


def write_or_show(text: str, output: Path | None) -> None:
    """``text`` on the screen (no -o, or -o -) or saved in ``output``, saying so on stderr."""
    if output is None:
        sys.stdout.write(text)
        return
    from compass_cli.files import write_atomic

    write_atomic(output, text)
    typer.echo(f"Wrote {output}", err=True)


def screen_only_table(table: bool, output: Path | None, formats: str) -> None:
    """``score`` and ``compare``: -o writes a file format; the table is for the screen."""
    if table and output is not None:
        raise UsageError(f"--output is for --format {formats}; the table is for the screen")
