"""The ``compass`` command: the app, its commands in the order ``--help`` lists them, and --version.

Every command is a plain function in a module of its group (frameworks.py, score.py,
audit.py, report.py, publish.py, summary.py, compare.py, records.py), declared with
``Annotated`` parameters and registered here, by name, through the one error handler
(handler.py), with the help layout of help.py.

Only the command that is run is imported and built. typer builds a command by reading its
function's signature and making each parameter; for all fifteen that took about 20 ms,
more than some commands take to do their work. So :data:`COMMANDS` names where each
command is, and :class:`CompassApp` builds one when click asks for it by name. ``compass
--help`` imports the modules to show each command's first paragraph, but builds none.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer

from compass_cli import __version__
from compass_cli.cli.help import CompassCommand, CompassGroup, first_paragraph

#: Each command, in the order ``--help`` lists them, and where it is: ``module:function`` in
#: compass_cli.cli, or ``module:app`` for a group of commands (records).
COMMANDS = {
    "frameworks": "frameworks:frameworks",
    "questions": "frameworks:questions",
    "template": "frameworks:template",
    "score": "score:score",
    "audit": "audit:audit",
    "report": "report:report",
    "publish": "publish:publish",
    "summary": "summary:summary",
    "compare": "compare:compare",
    "validate": "frameworks:validate",
    "schema": "frameworks:schema",
    "migrate": "frameworks:migrate",
    "records": "records:app",
}


def _target(name: str) -> Any:
    """The function (or typer app) of a command named in COMMANDS, its module imported."""
    module, attribute = COMMANDS[name].split(":")
    return getattr(importlib.import_module(f"compass_cli.cli.{module}"), attribute)


def build(name: str) -> Any:
    """The click command of one command of COMMANDS, as typer makes it: a function through the error
    handler, with the help layout of help.py; a group (records) as its own app makes it."""
    from compass_cli.cli.handler import handle_errors

    target = _target(name)
    one = typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)
    if isinstance(target, typer.Typer):  # a group within the app, as add_typer makes it
        one.add_typer(target, name=name)
        return typer.main.get_command(one).commands[name]  # type: ignore[attr-defined]
    one.command(name, cls=CompassCommand)(handle_errors(target))
    return typer.main.get_command(one)


class LazyCommands(MutableMapping[str, Any]):
    """The commands of the app by name, each built the first time it is looked up.

    typer's group keeps its commands in a mapping and looks a command up by name to run it
    (and lists the names for --help and for "did you mean"); this mapping knows every name
    from the start but builds a command only when it is asked for."""

    def __init__(self, built: MutableMapping[str, Any]) -> None:
        self._built = dict(built)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("the commands of compass are fixed")

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(COMMANDS), **self._built})

    def __len__(self) -> int:
        return len({**dict.fromkeys(COMMANDS), **self._built})


class CompassApp(CompassGroup):
    """``compass`` itself: its commands built one at a time (LazyCommands); its help lists them all
    from their docstrings, without building them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(self.commands)

    def command_line(self, ctx: Any, name: str) -> str | None:
        if name not in COMMANDS:
            return super().command_line(ctx, name)
        target = _target(name)
        return first_paragraph(target.info.help if isinstance(target, typer.Typer) else target.__doc__)


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
    cls=CompassApp,
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
