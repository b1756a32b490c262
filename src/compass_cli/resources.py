"""Where the bundled questionnaires and templates live.

An installed copy carries them inside the package (``compass_cli/questionnaires``); a
checkout used with ``PYTHONPATH=src`` or an editable install finds them at the top of the
repository. The package copy wins.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The folder of bundled data called ``name`` ("questionnaires" or "templates")."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name
