"""Option checks shared by several commands (kept apart so every command module can import them)."""

from __future__ import annotations

import typer


def partial_credit_value(value: float) -> float:
    """--partial-credit: at 1 an area in progress would count as met, and 100% would no longer mean achieved."""
    if not 0 <= value < 1:
        raise typer.BadParameter("give a number from 0 up to, but not including, 1 (for example 0.5)")
    return value
