"""``compass score``: one or many answer files scored, as a table, JSON or CSV.

A batch goes on past a bad file: every good file is scored, every bad one listed, and the
exit code is then 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from compass_cli.cli.options import (
    FrameworksOption,
    PartialCreditOption,
    ScoreFormat,
    format_option,
    frameworks_search,
    output_format,
    output_option,
)
from compass_cli.errors import CompassError, InputError, Reported


def score(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE...", show_default=False, help="Answer files (YAML or JSON), or folders of them.",
    )],
    format: Annotated[ScoreFormat | None, format_option(ScoreFormat, "table")] = None,
    output: Annotated[Path | None, output_option(ScoreFormat)] = None,
    partial_credit: PartialCreditOption = 0.0,
    search: FrameworksOption = None,
) -> None:
    """Score one or many answer files against their framework.

    One file is shown in full; several as one row each. Good files are scored even when
    others in the batch are bad: every bad file is reported on stderr, and the exit code is
    then 2. An output file is never written over an answer file.

    Examples:
      compass score answers.yaml
      compass score hub/ -o results.csv
    """
    from compass_cli.core.evaluation import evaluate
    from compass_cli.core.loading import CompassOutput, answer_files, is_compass_output
    from compass_cli.files import check_output, same_file, write_atomic
    from compass_cli.output import result as rendering

    found = frameworks_search(search)
    failures: list[CompassError] = []
    paths: list[Path] = []
    for arg in files:
        walk_problems: list[InputError] = []
        try:
            paths += answer_files([arg], walk_problems)
        except CompassError as exc:
            failures.append(exc)
        failures += walk_problems
    if output is not None:  # last time's scores in the folder are replaced, an answer file never
        paths = [p for p in paths if not (same_file(p, output) and is_compass_output(p))]
    output = check_output(output, paths)
    fmt = output_format(output, format, ScoreFormat, ScoreFormat.table)
    results = []
    skipped: list[str] = []
    for path in paths:
        try:
            results.append(evaluate(path, frameworks=found, partial_credit=partial_credit).result)
        except CompassOutput as exc:
            if path in files:  # named on the command line: say what it is
                failures.append(exc)
            else:  # found in a folder: compass's own output, not a bad answer file
                skipped.append(str(path))
        except CompassError as exc:
            failures.append(exc)
    if skipped or failures:
        from compass_cli.output.terminal.console import print_error, print_skipped

        if skipped:
            print_skipped(skipped)
        for failure in failures:
            print_error(failure)
    if fmt is ScoreFormat.table:
        from compass_cli.output.terminal.results import print_results

        print_results(results)
    else:
        text = rendering.to_json(results) if fmt is ScoreFormat.json else rendering.to_csv(results)
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomic(output, text)
    if failures:
        noun = "file" if len(failures) == 1 else "files"
        raise Reported(f"{len(failures)} {noun} could not be scored; {len(results)} scored.", 2)
