"""What a hub summary can be broken down by (apart from summarising.py, so that the command line
names the choices of --group-by without loading the rest of the core)."""

from __future__ import annotations

from enum import Enum


class GroupBy(str, Enum):
    """What the hub figures can be broken down by."""

    la = "la"
    type = "type"
    framework = "framework"
    term = "term"

    @property
    def heading(self) -> str:
        return {"la": "Local authority", "type": "Type of institution", "framework": "Framework", "term": "Term"}[
            self.value
        ]
