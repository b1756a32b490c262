"""Helpers for the careers-page tests: run ``compass publish`` as a user does, and answer files to try."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from compass_cli.cli import app

from ..conftest import EXAMPLES, ROOT

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"

__all__ = ["EXAMPLES", "GOLDEN", "ROOT", "example_with", "publish"]

#: The done-when command's files.
RIVERSIDE = EXAMPLES / "riverside-high.yaml"
RIVERSIDE_LAST_TERM = EXAMPLES / "riverside-high-last-term.yaml"


def publish(*args: str | Path, code: int = 0) -> Any:
    """``compass publish ARGS``: the result, its exit code checked."""
    result = CliRunner().invoke(app, ["publish", *map(str, args)])
    assert result.exit_code == code, result.output
    return result


def example_with(tmp_path: Path, name: str, institution: dict[str, Any] | None = None,
                 answers: dict[str, Any] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """An example answer file with some of its institution section or answers changed (None removes one)."""
    doc = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    for key in drop:
        doc["institution"].pop(key, None)
    for section, changes in (("institution", institution or {}), ("answers", answers or {})):
        for key, value in changes.items():
            if value is None:
                doc[section].pop(key, None)
            else:
                doc[section][key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
