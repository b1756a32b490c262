"""Text typed by someone else, made safe for each place compass shows it.

Everything in an answer file (a school's name, a note, evidence, an owner), every file
name in a hub's folder and every word of a framework folder (``--frameworks DIR``) is typed
by a person, and a hub summary shows thousands of them. Each output reads some characters
as instructions: Markdown and the HTML it may contain, the terminal (escape sequences, rich
markup), a spreadsheet (a cell starting with ``=`` is a formula). This module is the one
home of each defence, so every output uses the same one.

**Control characters, one rule for every output.** C0 controls other than newline and tab
(ESC starts the sequences that clear the screen, retitle the window or write to the
clipboard; a carriage return overwrites a line; BEL rings), DEL, C1 controls (U+0080 to
U+009F: ``\\x9b`` is a one-character ESC [) and the invisible bidirectional overrides that
show text in another order than it is stored (:data:`_CONTROL`) never leave compass as
they are, on the screen or in a file. Where text leaves compass, each format applies the rule:

* :func:`printable` (the characters removed) to a whole Markdown or HTML document
  (output/templating.render), to the comments of a YAML file compass writes (the blank
  answer file, a migrated one) and, through :func:`csv_cell`, to every cell of every CSV
  (the CSV's own line endings are the writer's, never a cell's);
* :func:`terminal` (the same, and a tab becomes a space) to every user string printed on
  the screen; the terminal code also keeps rich from reading ``[link=...]`` as markup, by
  printing it as a ``Text``, and passes everything rich writes through :func:`printable`
  (output/terminal/console.py), so a string that missed :func:`terminal` is still safe;
* :func:`escape_controls` (the characters written as ``\\u`` escapes, so the data stays
  exactly as it was) to JSON (:func:`json_text`) and to answer-file YAML (core/writing.py).

The other defences: :func:`markdown` for every user string in a Markdown template;
:func:`csv_cell` for every cell of every CSV.

It is also the one home of how figures and dates are shown: :func:`percent` for a score,
:func:`change` / :func:`signed` for a difference, worked out from the figures as shown so
that a change printed beside two figures always equals their shown difference
(81% and 69% are "+12", never "+13"); :func:`json_number` for a figure in JSON;
:func:`long_date` and :func:`short_date` for a day; and :func:`comment_lines` for the
comments of a YAML file a person will read.

No rich and no typer here, so the core can use it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import textwrap
from collections.abc import Sequence
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")


def markdown(value: Any) -> str:
    """Text made safe for Markdown: shown as typed, never read as markup or raw HTML.

    A backslash before a Markdown character is the CommonMark way to say "this character,
    literally", so ``<script>`` in a note is displayed on GitHub, not run or swallowed,
    ``[x](javascript:...)`` is not a link, and a ``|`` keeps a table's columns. The text
    becomes one line, so it fits a table cell or a list item, and still reads plainly in a
    text editor.
    """
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_ENTITY.sub(r"\\&", text)


#: The rule: C0 controls but tab and newline, DEL, C1 controls, and the invisible
#: bidirectional overrides that make a terminal show text in another order than it is stored.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(value: Any) -> str:
    """Text as compass writes it, on the screen or in a file: the rule's characters removed.

    ESC starts the sequences that retitle a window (``ESC ]0;``), clear the screen
    (``ESC [2J``), write to the clipboard (``ESC ]52;``) or hide text; a carriage return
    overwrites a line already shown. They are dropped, so a name shows as its printable
    characters only. Newlines and tabs stay: a document needs its lines.
    """
    return _CONTROL.sub("", str(value))


def terminal(value: Any) -> str:
    """Text safe to print on a terminal: :func:`printable`, and a tab becomes a space (tables keep their columns)."""
    return printable(value).replace("\t", " ")


def escape_controls(text: str) -> str:
    """JSON or YAML text with the rule's characters written as ``\\u`` escapes: the same data, nothing raw.

    Only for text in which every such character is inside a (double-quoted) string: JSON,
    whose encoder escapes C0 itself but writes DEL, C1 and the overrides as they are, and
    answer-file YAML, whose strings with one are double-quoted (core/writing.py).
    """
    return _CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def json_text(value: Any, indent: int | None = 2) -> str:
    """``value`` as JSON, for every JSON compass writes: non-ASCII letters as they are, controls escaped."""
    return escape_controls(json.dumps(value, indent=indent, ensure_ascii=False))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_cell(value: Any, *, number: bool = True) -> Any:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    Excel and LibreOffice read a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or
    carriage return before one) as a formula, which can run commands or send data away.
    As OWASP advises for CSV injection, such a cell gets a leading apostrophe, which the
    spreadsheet shows as text. Numbers (``-2``, ``81.5``) stay numbers, unless ``number`` is
    False: an identifier (a pupil id) is always text, whatever it looks like. A cell is
    :func:`printable`: it holds no escape sequence and no carriage return, and what is left
    is what the spreadsheet is asked to read (``ESC =cmd`` would be ``=cmd``, so it is text).
    """
    if not isinstance(value, str):
        return value
    shown = printable(value)
    if shown.startswith(_FORMULA_START) and not (number and shown == value and _NUMBER.fullmatch(value)):
        return "'" + shown
    return shown


def csv_row(values: list[Any]) -> list[Any]:
    """Every cell of a row through :func:`csv_cell`."""
    return [csv_cell(v) for v in values]


# --------------------------------------------------------------------------- figures

#: Shown when a figure does not exist (an unscored benchmark, a benchmark in one edition only).
NONE = "–"
MINUS = "−"  # a real minus sign, as wide as a plus


def round_half_up(x: float) -> int:
    """Whole number for display: 87.5 shows as 88, as people expect (not banker's rounding)."""
    return int(x + 0.5 + 1e-9)


def shown_percent(x: float) -> int:
    """A score as a whole percent for display: half up, but never 100 unless it is 100.

    A benchmark is fully achieved only at 100%, so 99.6% (possible with partial credit)
    shows as 99, not as a 100 that is not achieved. Comparisons use the exact value.
    """
    n = round_half_up(x)
    return 99 if n >= 100 and x < 100 - 1e-9 else n


def percent(x: float | None) -> str:
    """A score for display: "88%" (half up, never 100% unless achieved), or a dash."""
    return NONE if x is None else f"{shown_percent(x)}%"


def signed(n: int, unit: str = "") -> str:
    """A whole-number change with its sign: "+2", "−1 points"; "no change" for 0."""
    if n == 0:
        return "no change"
    return ("+" if n > 0 else MINUS) + str(abs(n)) + unit


def change(old: float | None, new: float | None, unit: str = "") -> str:
    """The change between two scores as shown (percent points), so it always adds up on the page."""
    if old is None or new is None:
        return NONE
    return signed(shown_percent(new) - shown_percent(old), unit)


def change_value(old: float | None, new: float | None) -> int | None:
    """The same change as a number (for colouring and sorting); None when not comparable."""
    return None if old is None or new is None else shown_percent(new) - shown_percent(old)


def direction(points: int | None) -> str:
    """up, down or same: which way a change as shown went (so an arrow agrees with the figure)."""
    if not points:
        return "same"
    return "up" if points > 0 else "down"


def quantity(n: int, noun: str) -> str:
    """A count with its noun: "1 question", "3 questions" (nouns whose plural takes an s)."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def either(items: Sequence[str]) -> str:
    """Choices in words: "a", "a or b", "a, b or c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def every(items: Sequence[str]) -> str:
    """Things that all go together, in words: "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """How a person sorts names: "School 2" before "School 10", whatever the case or the spacing.

    The name is cut into runs of digits and of the rest; a run of digits compares as a
    number, and before words, the rest as words without case ("2b" after "2a", "Year 9"
    before "Year 10", "6th Form College" before "Abbey").
    """
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in
                 _DIGITS.split(" ".join(name.split()).casefold()) if part)


def shown_value(raw: Any) -> str:
    """A value from a file, in a few characters, for an error message: text quoted (cut to 37
    characters, its quotes kept), a mapping or a list by what it is, a number as written."""
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, bool):
        return "true/false"
    if isinstance(raw, float) and not math.isfinite(raw):
        return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}[str(raw)]
    if isinstance(raw, str):
        return repr(raw) if len(raw) <= 40 else repr(raw[:37]) + "..."
    text = str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def json_number(x: float | None, places: int = 4) -> float | None:
    """A figure in JSON: rounded to ``places`` decimals (scripts compare them; 0.1 + 0.2 is not 0.3)."""
    return None if x is None else round(x, places)


# --------------------------------------------------------------------------- dates

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def long_date(day: dt.date) -> str:
    """20 November 2026: the form people expect on a school document (no locale lookup)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """20 Nov 2026: for narrow table columns."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


# --------------------------------------------------------------------------- comments in a YAML file

#: The width of the files compass writes for people to fill in (the blank answer file).
COMMENT_WIDTH = 92


def comment_lines(text: str, indent: str = "  ", prefix: str = "# ", width: int = COMMENT_WIDTH) -> list[str]:
    """``text`` as YAML comment lines, wrapped to ``width`` (an empty text is one empty comment).

    The text is :func:`one_line` first: a line break in a framework's words cannot end the
    comment and put the rest into the file as YAML.
    """
    return [indent + prefix + line for line in textwrap.wrap(one_line(text), width - len(indent) - len(prefix)) or [""]]


def shortened(text: str, most: int = 40) -> str:
    """Text on one line, cut to ``most`` characters with an ellipsis: enough to recognise it by."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def one_line(value: Any) -> str:
    """Text on one line for a comment or a heading: runs of whitespace and line breaks become one space, controls go."""
    return printable(" ".join(str(value).split()))
