"""``compass compare``: two evaluations of one school, then and now."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from compass_cli.cli.options import (
    CompareFormat,
    FrameworksOption,
    PartialCreditOption,
    format_option,
    frameworks_search,
    output_format,
    output_option,
    write_or_show,
)


def compare(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The earlier answer file.", show_default=False)],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later answer file.", show_default=False)],
    format: Annotated[CompareFormat | None, format_option(CompareFormat, "table")] = None,
    output: Annotated[Path | None, output_option(CompareFormat)] = None,
    partial_credit: PartialCreditOption = 0.0,
    search: FrameworksOption = None,
) -> None:
    """Two evaluations of one school side by side: what improved and what fell back.

    Shows each benchmark's score and status then and now, the criteria that improved or
    fell back, and the answers that changed.

    Evaluations under different editions of the framework are compared by criterion id;
    what cannot be compared is listed.

    Examples:
      compass compare autumn-2025.yaml spring-2026.yaml
      compass compare autumn-2025.yaml spring-2026.yaml -o changes.md
    """
    from compass_cli.core.comparing import compare as compare_results
    from compass_cli.core.evaluation import evaluate
    from compass_cli.files import check_output
    from compass_cli.output.comparison import comparison_json, comparison_markdown, question_texts

    output = check_output(output, [old, new])
    fmt = output_format(output, format, CompareFormat, CompareFormat.table)
    found = frameworks_search(search)
    before = evaluate(old, frameworks=found, partial_credit=partial_credit)
    after = evaluate(new, frameworks=found, partial_credit=partial_credit)
    comparison = compare_results(before.result, after.result, before.answers, after.answers, after.framework)
    texts = question_texts(after.framework)
    if before.result.date > after.result.date:
        typer.echo(
            f"note: {old} ({before.result.date.isoformat()}) is dated after {new} ({after.result.date.isoformat()}); "
            "the change shown is from the first file to the second.",
            err=True,
        )
    if fmt is CompareFormat.table:
        from compass_cli.output.terminal.comparison import print_comparison

        print_comparison(comparison, texts)
        return
    write_or_show((comparison_json if fmt is CompareFormat.json else comparison_markdown)(comparison, texts), output)
