"""Option checks shared by several commands (kept apart so every command module can import them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from compass_cli.core.loading import Frameworks


def partial_credit_value(value: float) -> float:
    """--partial-credit: at 1 an area in progress would count as met, and 100% would no longer mean achieved."""
    if not 0 <= value < 1:
        raise typer.BadParameter("give a number from 0 up to, but not including, 1 (for example 0.5)")
    return value


def frameworks_search(folders: list[Path] | None) -> Frameworks:
    """Where this command finds frameworks: --frameworks folders, COMPASS_FRAMEWORKS, then the bundled ones."""
    from compass_cli.core.loading import Frameworks

    return Frameworks(folders or ())


#: The search path for a hub's own frameworks, declared once for every command that reads them.
FrameworksOption = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer reads the annotation at run time on Python 3.10 too
    typer.Option(
        "--frameworks", metavar="DIR", show_default=False,
        help="A folder of your own frameworks (or one framework folder), searched before the bundled ones; "
        "give it more than once for several. COMPASS_FRAMEWORKS (folders separated by "
        f"'{os.pathsep}') does the same for every command.",
    ),
]
#: A framework by id or folder, declared once.
FrameworkOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--framework", "-f", metavar="ID|DIR", show_default=False,
        help="A framework id (see 'compass frameworks') or a folder holding framework.yaml. "
        "Default: gatsby-2025-schools.",
    ),
]
