"""``compass report``: one evaluation (and, with ``--previous``, the one before) as an action plan.

The work is output/report.py's (the context, rendered by the templates) and, for a PDF,
output/browser.py's.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from compass_cli.cli.options import (
    FrameworksOption,
    PartialCreditOption,
    ReportFormat,
    format_option,
    frameworks_search,
    output_format,
    output_option,
    templates_option,
)
from compass_cli.text import quantity, terminal


def report(
    answers: Annotated[Path, typer.Argument(
        metavar="FILE", help="The answer file (YAML or JSON) of this evaluation.", show_default=False,
    )],
    previous: Annotated[Path | None, typer.Option(
        "--previous", "-p", metavar="FILE", show_default=False,
        help="An earlier answer file of the same school or college (last term, say), to show what changed.",
    )] = None,
    format: Annotated[ReportFormat | None, format_option(ReportFormat, "md")] = None,
    output: Annotated[Path | None, output_option(ReportFormat)] = None,
    templates: Annotated[Path | None, templates_option("report.md.j2, report.html.j2, partials/...")] = None,
    top: Annotated[int, typer.Option(
        "--top", metavar="N", min=1,
        help="How many actions lead the plan (at least 1); the rest follow as later actions.",
    )] = 10,
    partial_credit: PartialCreditOption = 0.0,
    search: FrameworksOption = None,
) -> None:
    """Turn an evaluation into an action plan for leaders and governors.

    The headline beside last time and the national figures, a chart, each benchmark with
    what is missing, a prioritised action plan (quick wins that complete a benchmark
    first) with owner, achieve-by date, success measure and status, the evidence log, and
    what changed. The HTML is one file with no scripts and nothing to fetch: email,
    publish or print it.

    For a PDF (-o plan.pdf) the report is printed by the Chromium, Chrome or Edge
    installed on this computer (or the one COMPASS_CHROMIUM names), offline.

    Examples:
      compass report answers.yaml -o plan.html
      compass report answers.yaml --previous last-term.yaml -o plan.md
      compass report answers.yaml -o plan.pdf
    """
    from compass_cli.core.evaluation import evaluate
    from compass_cli.files import check_output, write_atomic
    from compass_cli.output import browser
    from compass_cli.output.report import build_context, render

    output = check_output(output, [answers] + ([previous] if previous is not None else []))
    fmt = output_format(output, format, ReportFormat, ReportFormat.md)
    printer = browser.require_browser() if fmt is ReportFormat.pdf else None  # before any work, so it fails fast

    found = frameworks_search(search)
    current = evaluate(answers, frameworks=found, partial_credit=partial_credit)
    earlier = evaluate(previous, frameworks=found, partial_credit=partial_credit) if previous is not None else None
    context = build_context(current, earlier, top=top)
    changes = context["changes"]
    if earlier is not None and not changes["same_framework"]:
        typer.echo(
            f"note: {previous} uses framework '{earlier.result.framework}', not '{current.result.framework}'; "
            "benchmarks and criteria are compared by id where the ids match, and the report says so.",
            err=True,
        )
    if earlier is not None and not changes["same_institution"]:
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
        f"{quantity(actions, 'action')} in the plan.",
        err=True,
    )
