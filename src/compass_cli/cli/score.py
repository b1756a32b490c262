"""``compass score``: one or many answer files scored, as a table, JSON or CSV.

A batch goes on past a bad file: every good file is scored, every bad one listed, and the
exit code is then 2. Many files are scored by several processes (``--jobs``, core/parallel.py),
the results kept in the order of the files, so the output is the same as with one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compass_cli.cli.options import (
    FrameworksOption,
    JobsOption,
    PartialCreditOption,
    ScoreFormat,
    format_option,
    frameworks_search,
    jobs_count,
    output_format,
    output_option,
)
from compass_cli.errors import CompassError, InputError, Reported

if TYPE_CHECKING:
    from compass_cli.core.frameworks import Frameworks
    from compass_cli.core.models import Result


def score(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE...", show_default=False, help="Answer files (YAML or JSON), or folders of them.",
    )],
    format: Annotated[ScoreFormat | None, format_option(ScoreFormat, "table")] = None,
    output: Annotated[Path | None, output_option(ScoreFormat)] = None,
    partial_credit: PartialCreditOption = 0.0,
    search: FrameworksOption = None,
    jobs: JobsOption = None,
) -> None:
    """Score one or many answer files against their framework.

    One file is shown in full; several as one row each. Good files are scored even when
    others in the batch are bad: every bad file is reported on stderr, and the exit code is
    then 2. An output file is never written over an answer file.

    Examples:
      compass score answers.yaml
      compass score hub/ -o results.csv
    """
    from compass_cli.core.loading import CompassOutput, answer_files, is_compass_output
    from compass_cli.core.parallel import in_order
    from compass_cli.files import check_output, same_file, write_atomic
    from compass_cli.output import result as rendering

    processes = jobs_count(jobs)
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
    with in_order(Scorer(found, partial_credit), paths, processes) as scored:
        for path, outcome in zip(paths, scored, strict=True):
            if isinstance(outcome, CompassOutput):
                if path in files:  # named on the command line: say what it is
                    failures.append(outcome)
                else:  # found in a folder: compass's own output, not a bad answer file
                    skipped.append(str(path))
            elif isinstance(outcome, CompassError):
                failures.append(outcome)
            else:
                results.append(outcome)
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


@dataclass(frozen=True)
class Scorer:
    """The work of one answer file: its Result, or the error that says why it has none.

    Done in this process or, copied, in a worker (core/parallel.py); both the Result and a
    CompassError (with its problems) travel back whole."""

    frameworks: Frameworks
    partial_credit: float

    def __call__(self, path: Path) -> Result | CompassError:
        from compass_cli.core.evaluation import evaluate

        try:
            return evaluate(path, frameworks=self.frameworks, partial_credit=self.partial_credit).result
        except CompassError as exc:
            return exc
