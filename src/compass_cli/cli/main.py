"""The ``compass`` command: the app, its commands in the order ``--help`` lists them, and --version.

Every command is a plain function in a module of its group (frameworks.py, score.py,
audit.py, report.py, publish.py, summary.py, compare.py, records.py), declared with ``Annotated``
parameters and registered here through the one error handler (handler.py), with the help
layout of help.py.
"""

from __future__ import annotations

from typing import Annotated

import typer

from compass_cli import __version__
from compass_cli.cli import audit, compare, frameworks, publish, records, report, score, summary
from compass_cli.cli.handler import handle_errors
from compass_cli.cli.help import CompassCommand, CompassGroup

app = typer.Typer(
    name="compass",
    help=(
        "Evaluate a careers programme against the Gatsby Benchmarks, offline, and turn the "
        "result into an action plan. Nothing leaves your computer.\n\n"
        "Start with a blank answer file, fill it in with a text editor, then score it:\n"
        "  compass template -o answers.yaml\n"
        "  compass score answers.yaml\n\n"
        "'compass COMMAND --help' says more about each command, with examples."
    ),
    cls=CompassGroup,
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"compass {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.",
    )] = False,
) -> None:
    """compass-cli"""


for _command in (
    frameworks.frameworks,
    frameworks.questions,
    frameworks.template,
    score.score,
    audit.audit,
    report.report,
    publish.publish,
    summary.summary,
    compare.compare,
    frameworks.validate,
    frameworks.schema,
    frameworks.migrate,
):
    app.command(_command.__name__, cls=CompassCommand)(handle_errors(_command))
app.add_typer(records.app, name="records")
