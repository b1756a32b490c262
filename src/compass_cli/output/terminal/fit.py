"""Tables that fit the terminal without cutting a name or a figure short.

rich fits a table that is too wide by narrowing its wrapping columns, then every column
alike, and cuts what no longer fits to "…": at 80 columns a hub summary showed every
school's name and score as "…", and at 110 the names were cut while the Term column had
room to spare. Here the width is shared out before rich draws the table:

* every cell keeps its longest word, so text wraps between words and is never cut (a
  ``no_wrap`` column, such as a date, and a figure of several words (console.figure)
  keep their whole width; a column that folds, such as a long id, may break inside a word);
* the columns give way one character at a time, each time where the fewest cells have to
  wrap onto another line (so a column of one long cell gives way before a column of
  names), sparing the first column (the name of the institution, benchmark or group) and
  then the narrow ones; a name column can ask for room with ``min_width``;
* when even that is too wide, the columns the table names as least useful are left out,
  one at a time, in the order given; the caller says which (:func:`left_out_note`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Column, Table
from rich.text import Text

#: The narrowest a folding column is made (it breaks inside a word below its longest one).
FOLD_WIDTH = 10


def fit(table: Table, out: Console, drop: Sequence[str] = ()) -> list[str]:
    """Make ``table`` fit ``out``'s width with every cell whole; returns the headers of the columns left out."""
    left_out: list[str] = []
    candidates = list(drop)
    while True:
        columns = [_measure(table, out, n, column) for n, column in enumerate(table.columns)]
        extra = _borders(table)
        if sum(c.most for c in columns) + extra <= out.width:
            return left_out  # fits as it is: rich lays it out
        if sum(c.whole for c in columns) + extra <= out.width or not candidates:
            break
        header = candidates.pop(0)
        table.columns[:] = [c for c in table.columns if c.header != header]
        for n, column in enumerate(table.columns):
            column._index = n  # rich pads the first and last column by their index
        left_out.append(header)
    folding = sum(c.whole for c in columns) + extra > out.width  # only then may a folding column break a word
    floors = [c.least if folding else c.whole for c in columns]
    widths = [c.most for c in columns]
    excess = sum(widths) + extra - out.width
    while excess > 0:
        shrinkable = [n for n in range(len(columns)) if widths[n] > floors[n]]
        if not shrinkable:
            break  # narrower than the table can be: rich does what it can
        # the step that makes the fewest cells wrap anew; then not the name; then the widest column
        step = min(shrinkable, key=lambda n: (columns[n].newly_wrapped(widths[n]), n == 0, -widths[n]))
        widths[step] -= 1
        excess -= 1
    for n, (column, width) in enumerate(zip(table.columns, widths, strict=True)):
        column.width = width - _padding(table, n)
        column.ratio = None
    return left_out


def left_out_note(left_out: list[str], everything: str) -> str:
    """The line under a table that lost columns: "Term and Date not shown at this width; ... has them"."""
    names = left_out[0] if len(left_out) == 1 else ", ".join(left_out[:-1]) + " and " + left_out[-1]
    return f"{names} not shown at this width; {everything} has {'it' if len(left_out) == 1 else 'them'}."


@dataclass(frozen=True)
class _Column:
    """How narrow a column can be with its words whole (``whole``) and at all (``least``: a folding column
    breaks words), how wide it would be, and how many cells are of each width; padding included."""

    least: int
    whole: int
    most: int
    cells: Mapping[int, int]

    def newly_wrapped(self, width: int) -> int:
        """How many cells would wrap onto another line if the column lost one character.

        Counted once per width in :func:`_measure`: a long table asks this for each character
        each column gives way."""
        return self.cells.get(width, 0)


def _measure(table: Table, out: Console, index: int, column: Column) -> _Column:
    options = out.options.update_width(10_000)
    whole, cells = 0, []
    for cell in [column.header, *column.cells]:
        measured = Measurement.get(out, options, cell)
        kept = isinstance(cell, Text) and cell.no_wrap  # a figure of several words (console.figure)
        whole = max(whole, measured.maximum if kept else measured.minimum)
        cells.append(measured.maximum)
    most = max(cells)
    if column.no_wrap:
        whole = most
    whole = max(whole, column.min_width or 0)
    least = min(whole, max(FOLD_WIDTH, column.min_width or 0)) if column.overflow == "fold" else whole
    pad = _padding(table, index)
    return _Column(least + pad, whole + pad, max(whole, most) + pad, Counter(cell + pad for cell in cells))


def _padding(table: Table, index: int) -> int:
    _, right, _, left = Padding.unpack(table.padding)
    if not table.pad_edge:
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left + right


def _borders(table: Table) -> int:
    """The characters of the frame and the lines between columns."""
    if not table.box:
        return 0
    return (2 if table.show_edge else 0) + len(table.columns) - 1
