"""How the audit asks something, as data: the family of prompt, and what the prompt shows.

A question's :class:`Ask` comes from its kind (kinds.py), an institution field's from the
institution table (institution.py); the audit (audit/interview.py) turns each family into a
prompt on the screen, once, and reads the reply with that family's keyboard rules
(audit/prompts.py). So the audit never tests a kind of question or names a field, and a new
kind that is asked like an existing one needs nothing in the audit. No user interface here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

#: The families of prompt: one option of several; items ticked; a band for each group; a number; text.
Family = Literal["choice", "checklist", "share", "number", "text"]


@dataclass(frozen=True)
class Ask:
    """What a prompt of one family shows; each family reads the parts it needs."""

    family: Family
    #: the options (choice), items (checklist) or bands (share), each (value, label), in order
    options: tuple[tuple[str, str], ...] = ()
    #: options keyed by their first letter (y, n, p) rather than numbered
    lettered: bool = False
    #: share: the groups asked, each (id, label)
    groups: tuple[tuple[str, str], ...] = ()
    #: number: the smallest and largest allowed, the unit, and whether decimals are allowed (halves of days)
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None
    decimals: bool = False
    #: text: an answer is needed (it cannot be skipped), and the rule it must meet, as a sentence saying what is wrong
    required: bool = False
    check: Callable[[str], str | None] | None = None
    #: text: Enter alone leaves it blank on purpose, an answer of its own (""), rather than skipping it for now
    blank: bool = False
