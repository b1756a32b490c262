"""The ``compass`` command: parse flags, call the core, turn errors into exit codes.

Exit codes: 0 success; 1 a failed check (or a file that could not be saved);
2 the user's mistake (bad flag, bad or missing input file). Errors go to stderr.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from compass_cli import __version__
from compass_cli.cli_options import FrameworkOption, FrameworksOption, frameworks_search, partial_credit_value
from compass_cli.errors import CompassError, InputError, UsageError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="compass",
    help=(
        "Evaluate a careers programme against the Gatsby Benchmarks, offline, and turn the "
        "result into an action plan. Nothing leaves your computer.\n\n"
        "Start with: compass template -o answers.yaml, fill it in, then compass score answers.yaml"
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def handle_errors(func: F) -> F:
    """The one place where errors become messages on stderr and exit codes."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CompassError as exc:
            from compass_cli.output import tables as ui

            ui.print_error(exc)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"compass {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """compass-cli"""


class TableJson(str, Enum):
    table = "table"
    json = "json"


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


PARTIAL_CREDIT_OPTION = typer.Option(
    0.0, "--partial-credit", callback=partial_credit_value,
    help="Credit (0 up to 1) an assessment area 'in progress' earns towards its benchmark's score. Default 0, "
    "as Compass.",
)


@app.command()
@handle_errors
def frameworks(
    format: TableJson = typer.Option(TableJson.table, "--format", help="table for people, json for scripts."),
    search: FrameworksOption = None,
) -> None:
    """List the frameworks compass can use: bundled, and your own found on the search path.

    Each with where it came from; one hidden by an earlier one of the same id is marked.

    Example: compass frameworks --frameworks hub-frameworks/
    """
    from compass_cli.output import tables as ui

    found = frameworks_search(search).found()
    rows = [ui.framework_facts(f, frameworks_search(search)) for f in found]
    if format is TableJson.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        ui.print_frameworks(rows)


@app.command()
@handle_errors
def questions(
    framework: FrameworkOption = None,
    search: FrameworksOption = None,
    benchmark: str = typer.Option(None, "--benchmark", "-b", help="Only this benchmark, e.g. B4."),
    format: TableJson = typer.Option(TableJson.table, "--format", help="table for people, json for scripts."),
) -> None:
    """Show every question: its id, kind, options and the criterion it serves.

    Example: compass questions --benchmark B6 --format json
    """
    from compass_cli.output import tables as ui

    fw = frameworks_search(search).load(framework)
    benches = fw.benchmarks
    if benchmark:
        wanted = benchmark.upper()
        benches = [b for b in fw.benchmarks if b.id == wanted]
        if not benches:
            ids = ", ".join(b.id for b in fw.benchmarks)
            raise UsageError(f"no benchmark '{benchmark}' in {fw.id} (benchmarks: {ids})")
    if format is TableJson.json:
        typer.echo(json.dumps(ui.questions_json(fw, benches), indent=2, ensure_ascii=False))
    else:
        ui.print_questions(fw, benches)


@app.command()
@handle_errors
def template(
    framework: FrameworkOption = None,
    kind: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--type", metavar="TYPE", show_default=False,
        help="The kind of institution (school, special, college, itp): the latest framework for it is used.",
    )] = None,
    search: FrameworksOption = None,
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of to the screen (- is the screen)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Write a blank answer file, with every question and its options in comments.

    Fill it in with any text editor, then score it with 'compass score'.

    Example: compass template -o answers.yaml
    """
    from compass_cli.files import check_output, write_atomic
    from compass_cli.output.blank import blank_answer_file

    output = check_output(output, [])
    found = frameworks_search(search)
    if kind is not None and framework is not None:
        raise UsageError("give --framework or --type, not both")
    fw = found.by_type(kind) if kind is not None else found.load(framework)
    text = blank_answer_file(fw, kind=kind and next(t for t in fw.meta.institution.types if t.startswith(kind)))
    if output is None:
        sys.stdout.write(text)
        return
    if output.exists() and not force:
        raise UsageError(f"{output} exists already; choose another name or add --force to overwrite it")
    write_atomic(output, text)
    typer.echo(f"Wrote {output} ({len(fw.questions())} questions). Fill it in, then: compass score {output}", err=True)


@app.command()
@handle_errors
def score(
    files: list[Path] = typer.Argument(..., help="Answer files (YAML or JSON) or folders of them.", show_default=False),
    format: ScoreFormat = typer.Option(
        ScoreFormat.table, "--format", help="table for people; json or csv for scripts."
    ),
    partial_credit: float = PARTIAL_CREDIT_OPTION,
    output: Path = typer.Option(None, "--output", "-o", help="Write JSON or CSV here instead of to the screen "
                                "(never over an answer file)."),
    search: FrameworksOption = None,
) -> None:
    """Score one or many answer files against their framework.

    Good files are scored even when others in the batch are bad; every bad file is
    reported on stderr and the exit code is then 2.

    Examples: compass score answers.yaml ·
    compass score hub/*.yaml --format csv -o results.csv
    """
    from compass_cli.core.loading import CompassOutput, answer_files, is_compass_output, load_answers
    from compass_cli.core.scoring import score as score_one
    from compass_cli.files import check_output, same_file, write_atomic
    from compass_cli.output import result as rendering
    from compass_cli.output import tables as ui

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
    if format is ScoreFormat.table and output is not None:
        raise UsageError("--output is for --format json or csv; the table is for the screen")
    results = []
    skipped: list[str] = []
    for path in paths:
        try:
            loaded, fw = load_answers(path, frameworks=found)
            results.append(score_one(fw, loaded.model, loaded.answers, partial_credit=partial_credit, source=str(path)))
        except CompassOutput as exc:
            if path in files:  # named on the command line: say what it is
                failures.append(exc)
            else:  # found in a folder: compass's own output, not a bad answer file
                skipped.append(str(path))
        except CompassError as exc:
            failures.append(exc)
    if skipped:
        ui.print_skipped(skipped)
    for exc in failures:
        ui.print_error(exc)
    if format is ScoreFormat.table:
        ui.print_results(results)
    else:
        text = rendering.to_json(results) if format is ScoreFormat.json else rendering.to_csv(results)
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomic(output, text)
    if failures:
        noun = "file" if len(failures) == 1 else "files"
        typer.echo(f"{len(failures)} {noun} could not be scored; {len(results)} scored.", err=True)
        raise typer.Exit(2)


# The commands with a module of their own (audit, report, summary and compare).
from compass_cli import (  # noqa: E402 - they import this module's helpers
    cli_audit,
    cli_frameworks,
    cli_records,
    cli_report,
    cli_summary,
)

app.command("audit")(handle_errors(cli_audit.audit))
app.command("report")(handle_errors(cli_report.report))
cli_summary.register(app)
app.command("validate")(handle_errors(cli_frameworks.validate))
app.command("schema")(handle_errors(cli_frameworks.schema))
app.command("migrate")(handle_errors(cli_frameworks.migrate))
cli_records.register(app)
