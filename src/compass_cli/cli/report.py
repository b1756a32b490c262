"""``compass report``: one evaluation (and, with ``--previous``, the one before) as an action plan.

The figures are core/reporting.py's (one Report); the words output/report.py's (the context,
rendered by the templates), the JSON output/report_json.py's and, for a PDF, output/browser.py's.
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
    previous_option,
    templates_option,
)
from compass_cli.text import quantity, terminal


def report(
    answers: Annotated[Path, typer.Argument(
        metavar="FILE", help="The answer file (YAML or JSON) of this evaluation.", show_default=False,
    )],
    previous: Annotated[Path | None, previous_option(
        "An earlier answer file of the same school or college (last term, say), to show what changed.",
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
    publish or print it. --format json gives the same figures for scripts.

    For a PDF (-o plan.pdf) the report is printed by the Chromium, Chrome or Edge
    installed on this computer (or the one COMPASS_CHROMIUM names), offline.

    Examples:
      compass report answers.yaml -o plan.html
      compass report answers.yaml --previous last-term.yaml -o plan.md
      compass report answers.yaml -o plan.pdf
      compass report answers.yaml --format json
    """
    from compass_cli.core.evaluation import evaluate
    from compass_cli.core.reporting import build_report
    from compass_cli.files import check_output, write_atomic
    from compass_cli.output import browser
    from compass_cli.output.report import institution_named, render_report

    output = check_output(output, [answers] + ([previous] if previous is not None else []))
    fmt = output_format(output, format, ReportFormat, ReportFormat.md)
    printer = browser.require_browser() if fmt is ReportFormat.pdf else None  # before any work, so it fails fast

    found = frameworks_search(search)
    current = evaluate(answers, frameworks=found, partial_credit=partial_credit)
    earlier = evaluate(previous, frameworks=found, partial_credit=partial_credit) if previous is not None else None
    the_report = build_report(current, earlier, top=top)
    comparison = the_report.comparison
    if comparison is not None and not comparison.same_framework:
        typer.echo(
            f"note: {previous} uses framework '{comparison.old.framework}', not '{comparison.new.framework}'; "
            "benchmarks and criteria are compared by id where the ids match, and the report says so.",
            err=True,
        )
    if comparison is not None and not comparison.same_institution:
        typer.echo(
            f"note: {previous} is for '{terminal(institution_named(comparison.old.institution))}', which does not "
            "look like the same institution (different URN, UKPRN, name or site); the report says so.",
            err=True,
        )
    text = render_report(the_report, "html" if fmt is ReportFormat.pdf else fmt.value, templates)
    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, browser.print_pdf(text, printer) if printer is not None else text)
    result = the_report.result
    typer.echo(
        f"Wrote {output}: {result.benchmarks_achieved} of {len(result.benchmarks)} benchmarks fully achieved, "
        f"{quantity(len(the_report.plan.actions), 'action')} in the plan.",
        err=True,
    )

