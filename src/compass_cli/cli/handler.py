"""The one place where errors become messages on stderr and exit codes.

Every command is registered through :func:`handle_errors` (cli/main.py, cli/records.py).
A CompassError is printed as one "error: ..." line per problem and ends the command with
its exit code: 2 for the user's mistake (a bad flag, a missing or invalid file), 1 for a
file that could not be saved. A Reported error has been shown already (a batch lists each
bad file as it goes): only its closing line, if any, is printed, with its exit code.
Ctrl-C ends any command with one line and exit code 130, never a traceback (an audit says
first how to carry on; a summary or a batch of scores stops its worker processes).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import typer

from compass_cli.errors import INTERRUPTED, CompassError, Reported

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """``func``, with every CompassError it raises turned into messages and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Reported as exc:
            if exc.message:
                typer.echo(exc.message, err=True)
            raise typer.Exit(exc.exit_code) from None
        except CompassError as exc:
            from compass_cli.output.terminal.console import print_error  # rich only when there is an error

            print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Stopped (Ctrl-C).", err=True)
            raise typer.Exit(INTERRUPTED) from None

    return cast(F, wrapper)
