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
    output_option,
    screen_only_table,
    write_or_show,
)


def compare(
    old: Annotated[Path, typer.Argument(help="The earlier answer file.", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The later answer file.", show_default=False)],
    format: Annotated[CompareFormat, format_option(
        "table for people; json for scripts; md for a report.")] = CompareFormat.table,
    output: Annotated[Path | None, output_option(
        "Write JSON or Markdown here instead of the screen (- is the screen).")] = None,
    partial_credit: PartialCreditOption = 0.0,
    search: FrameworksOption = None,
) -> None:
    """Two evaluations of one school side by side: what improved and what fell back.

    Shows each benchmark's score and status then and now, the criteria that improved or
    fell back, and the answers that changed.

    Evaluations under different editions of the framework are compared by criterion id;
    what cannot be compared is listed.

    Example: compass compare autumn-2025.yaml spring-2026.yaml
    """
    from compass_cli.core.comparing import compare as compare_results
    from compass_cli.core.evaluation import evaluate
    from compass_cli.files import check_output
    from compass_cli.output.comparison import comparison_json, comparison_markdown, question_texts

    output = check_output(output, [old, new])
    screen_only_table(format is CompareFormat.table, output, "json or md")
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
    if format is CompareFormat.table:
        from compass_cli.output.terminal.comparison import print_comparison

        print_comparison(comparison, texts)
        return
    if format is CompareFormat.json:
        text = comparison_json(comparison, texts)
    else:
        text = comparison_markdown(comparison, texts)
    write_or_show(text, output)
