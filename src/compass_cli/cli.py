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
from typing import Any, TypeVar

import typer

from compass_cli import __version__
from compass_cli.errors import CompassError, UsageError

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
            from compass_cli import ui

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


FRAMEWORK_OPTION = typer.Option(
    None, "--framework", "-f", help="Framework id (see 'compass frameworks') or a folder holding framework.yaml. "
    "Default: gatsby-2025-schools."
)
PARTIAL_CREDIT_OPTION = typer.Option(
    0.0, "--partial-credit", min=0.0, max=1.0,
    help="Credit (0 to 1) a criterion 'in progress' earns towards its benchmark's score. Default 0, as Compass.",
)


@app.command()
@handle_errors
def frameworks(
    format: TableJson = typer.Option(TableJson.table, "--format", help="table for people, json for scripts."),
) -> None:
    """List the bundled frameworks (questionnaires).

    Example: compass frameworks
    """
    from compass_cli import ui
    from compass_cli.loading import bundled_frameworks, load_framework

    loaded = [load_framework(folder) for folder in bundled_frameworks()]
    if format is TableJson.json:
        rows = [ui.framework_facts(fw) for fw in loaded]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        ui.print_frameworks(loaded)


@app.command()
@handle_errors
def questions(
    framework: str = FRAMEWORK_OPTION,
    benchmark: str = typer.Option(None, "--benchmark", "-b", help="Only this benchmark, e.g. B4."),
    format: TableJson = typer.Option(TableJson.table, "--format", help="table for people, json for scripts."),
) -> None:
    """Show every question: its id, kind, options and the criterion it serves.

    Example: compass questions --benchmark B6 --format json
    """
    from compass_cli import ui
    from compass_cli.loading import load_framework

    fw = load_framework(framework)
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
    framework: str = FRAMEWORK_OPTION,
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of to the screen."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Write a blank answer file, with every question and its options in comments.

    Fill it in with any text editor, then score it with 'compass score'.

    Example: compass template -o answers.yaml
    """
    from compass_cli.blank import blank_answer_file
    from compass_cli.files import write_atomic
    from compass_cli.loading import load_framework

    fw = load_framework(framework)
    text = blank_answer_file(fw)
    if output is None:
        typer.echo(text, nl=False)
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
    output: Path = typer.Option(None, "--output", "-o", help="Write JSON or CSV here instead of to the screen."),
) -> None:
    """Score one or many answer files against their framework.

    Good files are scored even when others in the batch are bad; every bad file is
    reported on stderr and the exit code is then 2.

    Examples: compass score answers.yaml ·
    compass score hub/*.yaml --format csv -o results.csv
    """
    from compass_cli import rendering, ui
    from compass_cli.loading import answer_files, load_answers
    from compass_cli.scoring import score as score_one

    results = []
    failures: list[CompassError] = []
    for arg in files:
        try:
            paths = list(answer_files([arg]))
        except CompassError as exc:
            failures.append(exc)
            continue
        for path in paths:
            try:
                loaded, fw = load_answers(path)
                results.append(
                    score_one(fw, loaded.model, loaded.answers, partial_credit=partial_credit, source=str(path))
                )
            except CompassError as exc:
                failures.append(exc)
    for exc in failures:
        ui.print_error(exc)
    if format is ScoreFormat.table:
        if output is not None:
            raise UsageError("--output is for --format json or csv; the table is for the screen")
        ui.print_results(results)
    else:
        text = rendering.to_json(results) if format is ScoreFormat.json else rendering.to_csv(results)
        if output is None:
            sys.stdout.write(text)
        else:
            from compass_cli.files import write_atomic

            write_atomic(output, text)
    if failures:
        noun = "file" if len(failures) == 1 else "files"
        typer.echo(f"{len(failures)} {noun} could not be scored; {len(results)} scored.", err=True)
        raise typer.Exit(2)


# The commands with a module of their own (audit, report, summary and compare).
from compass_cli import cli_audit, cli_records, cli_report, cli_summary  # noqa: E402 - they import this module's helpers

app.command("audit")(handle_errors(cli_audit.audit))
app.command("report")(handle_errors(cli_report.report))
cli_summary.register(app)
cli_records.register(app)
