"""``compass summary``: many evaluations side by side, for a Careers Hub.

The figures are the core's (summarising.py), the formats output/summary.py's and the tables
output/terminal/summary.py's. Exit codes: 0 all files summarised; 1 summarised, but some
files were bad or duplicated (each is listed); 2 a usage error, or any problem under
``--strict`` (then nothing but the problems is printed).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compass_cli.cli.options import (
    FrameworksOption,
    JobsOption,
    PartialCreditOption,
    SummaryFormat,
    format_option,
    frameworks_search,
    jobs_count,
    output_format,
    output_option,
    templates_option,
    write_or_show,
)
from compass_cli.core.grouping import GroupBy
from compass_cli.errors import Reported

if TYPE_CHECKING:
    from compass_cli.core.summarising import Summariser


def summary(
    paths: Annotated[list[Path], typer.Argument(
        metavar="DIR...", show_default=False,
        help="Folders of answer files (searched recursively, e.g. one per local authority or term), or files.",
    )],
    group_by: Annotated[GroupBy | None, typer.Option(
        "--group-by", metavar="|".join(g.value for g in GroupBy), show_default=False,
        help="Break the figures down by local authority (la), institution type, framework or term.",
    )] = None,
    all_terms: Annotated[bool, typer.Option(
        "--all-terms", help="Count every evaluation, not only the latest of each institution (for trends).",
    )] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="If any file is bad or duplicated, print only the problems and exit 2.",
    )] = False,
    format: Annotated[SummaryFormat | None, format_option(SummaryFormat, "table")] = None,
    output: Annotated[Path | None, output_option(SummaryFormat)] = None,
    templates: Annotated[Path | None, templates_option("summary.md.j2, summary.html.j2")] = None,
    partial_credit: PartialCreditOption = 0.0,
    search: FrameworksOption = None,
    jobs: JobsOption = None,
) -> None:
    """Many evaluations side by side: hub averages, each benchmark, the national figures, one row per school.

    Only the latest evaluation of each institution (by URN, UKPRN, or name and site)
    counts unless --all-terms is given. Files that cannot be read are listed with their
    reasons and the exit code is 1; the summary covers the rest. The CSV has one row per
    institution.

    Examples:
      compass summary hub/
      compass summary hub/ --group-by la -o hub-summary.html
      compass summary autumn/ spring/ --all-terms --group-by term -o trend.csv
    """
    from compass_cli.core.summarising import collect
    from compass_cli.files import check_output

    processes = jobs_count(jobs)
    output = check_output(output, [p for p in paths if not p.is_dir()])
    fmt = output_format(output, format, SummaryFormat, SummaryFormat.table)
    summariser = collect(paths, all_terms=all_terms, partial_credit=partial_credit, output=output,
                         frameworks=frameworks_search(search), jobs=processes)
    if summariser.skipped:
        from compass_cli.output.terminal.console import print_skipped

        print_skipped(summariser.skipped)
    if strict and (summariser.bad_files or summariser.duplicates):
        _print_problems(summariser)
        raise Reported(exit_code=2)
    if not summariser.counted:
        _print_problems(summariser)
        raise Reported("No evaluation could be read, so there is nothing to summarise.", 1)
    result = summariser.summary(group_by)
    if fmt is SummaryFormat.table:
        from compass_cli.output.terminal.summary import print_summary

        print_summary(result)
    else:
        from compass_cli.output import summary as formats

        if fmt is SummaryFormat.json:
            text = formats.summary_json(result)
        elif fmt is SummaryFormat.csv:
            text = formats.summary_csv(result)
        else:
            text = formats.summary_document(result, fmt.value, templates)
        write_or_show(text, output)
    if result.problems:
        _print_problems(summariser)
        raise Reported(f"{result.problem_sentence}; the summary covers {result.overall.evaluations} evaluations.", 1)


def _print_problems(summariser: Summariser) -> None:
    from compass_cli.output.terminal.summary import print_problems

    print_problems(summariser)
