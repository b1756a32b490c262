"""The ``compass report`` command: flags in, report out. The work is done in reporting.py.

Registered in cli.py (wrapped in its ``handle_errors``), so errors become one clear
message and exit code 2 for the user's mistakes, like every other command.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from compass_cli.cli_options import FrameworksOption, frameworks_search, partial_credit_value
from compass_cli.errors import UsageError
from compass_cli.text import terminal


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    pdf = "pdf"


#: The file endings -o understands without --format.
ENDINGS = {".md": ReportFormat.md, ".markdown": ReportFormat.md, ".html": ReportFormat.html,
           ".htm": ReportFormat.html, ".pdf": ReportFormat.pdf}


def _format_for(output: Path | None, fmt: ReportFormat | None) -> ReportFormat:
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
    found = ENDINGS.get(output.suffix.lower())
    if found is None:
        ending = f"the ending '{output.suffix}'" if output.suffix else "no ending"
        raise UsageError(f"cannot tell the report format from {output.name} ({ending}); use a name ending in "
                         ".md, .html or .pdf, or add --format md, html or pdf")
    return found


def report(
    answers: Annotated[
        Path, typer.Argument(help="The answer file (YAML or JSON) of this evaluation.", show_default=False)
    ],
    previous: Annotated[Path | None, typer.Option(
        "--previous", "-p",
        help="An earlier answer file of the same school (last term, say), to show what changed.",
    )] = None,
    format: Annotated[ReportFormat | None, typer.Option(
        "--format", show_default=False,
        help="md (Markdown), html or pdf (printed by Chromium, Chrome or Edge, if installed). "
        "Default: from the --output file's ending (.md, .html, .pdf); md on the screen.",
    )] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the report here instead of to the screen (- is the screen).",
    )] = None,
    templates: Annotated[Path | None, typer.Option(
        "--templates",
        help="A folder of your own templates; any file in it replaces the bundled one of the same name.",
    )] = None,
    top: Annotated[int, typer.Option(
        "--top", min=1, help="How many actions lead the plan; the rest follow as later actions.",
    )] = 10,
    search: FrameworksOption = None,
    partial_credit: Annotated[float, typer.Option(
        "--partial-credit", callback=partial_credit_value,
        help="Credit (0 up to 1) an assessment area 'in progress' earns towards its benchmark's score. Default 0, "
        "as Compass.",
    )] = 0.0,
) -> None:
    """Turn an evaluation into an action plan for leaders and governors.

    The headline beside last time and the national figures, a chart, each
    benchmark with what is missing, a prioritised action plan (quick wins
    that complete a benchmark first) with owner, achieve-by date, success
    measure and status, the evidence log, and what changed. The HTML is one
    file with no scripts and nothing to fetch: email, publish or print it.

    For a PDF (-o plan.pdf) the report is printed by the Chromium, Chrome or
    Edge installed on this computer (or the one COMPASS_CHROMIUM names), offline.

    Examples: compass report answers.yaml -o plan.html ·
    compass report answers.yaml --previous last-term.yaml -o plan.md ·
    compass report answers.yaml -o plan.pdf
    """
    from compass_cli.core.loading import load_answers
    from compass_cli.core.scoring import score
    from compass_cli.files import check_output, write_atomic
    from compass_cli.output import browser
    from compass_cli.output.report import ScoredEvaluation, build_context, render

    output = check_output(output, [answers] + ([previous] if previous is not None else []))
    fmt = _format_for(output, format)
    printer = browser.require_browser() if fmt is ReportFormat.pdf else None  # before any work, so it fails fast

    found = frameworks_search(search)

    def evaluation(path: Path) -> ScoredEvaluation:
        loaded, framework = load_answers(path, frameworks=found)
        result = score(framework, loaded.model, loaded.answers, partial_credit=partial_credit, source=str(path))
        return ScoredEvaluation.from_loaded(result, framework, loaded)

    current = evaluation(answers)
    earlier = evaluation(previous) if previous is not None else None
    context = build_context(current, earlier, top=top)
    changes = context["changes"]
    if changes is not None and not changes["same_framework"]:
        typer.echo(
            f"note: {previous} uses framework '{earlier.result.framework}', not '{current.result.framework}'; "  # type: ignore[union-attr]
            "benchmarks and criteria are compared by id where the ids match, and the report says so.",
            err=True,
        )
    if changes is not None and not changes["same_institution"]:
        typer.echo(
            f"note: {previous} is for '{terminal(changes['previous_institution'])}', which does not look like the same "
            "institution (different URN, UKPRN or name); the report says so.",
            err=True,
        )
    text = render(context, "html" if fmt is ReportFormat.pdf else fmt.value, templates)
    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, browser.print_pdf(text, printer) if printer is not None else text)
    actions = len(context["plan"]["actions"])
    headline = context["headline"]
    typer.echo(
        f"Wrote {output}: {headline['achieved']} of {headline['total']} benchmarks fully achieved, "
        f"{actions} action{'s' if actions != 1 else ''} in the plan.",
        err=True,
    )
