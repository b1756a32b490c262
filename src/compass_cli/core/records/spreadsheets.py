"""Reading a school's own spreadsheets: the pupils file, the activity files, and a mapping.

What schools export is forgiving-read where a guess is safe and strict where it is not:
UTF-8 with or without a byte-order mark; Excel's CSV (CRLF, quoted fields, a ``sep=;``
first line, or ``;`` as the separator when the header row plainly uses it); column names
in any case; dates as ISO (2026-11-20) or British (20/11/2026), never American; yes/no
as yes/no, y/n, true/false or 1/0. A row that is wrong is reported with its file and line
and left out; the others are still counted. A file that cannot be read at all (missing,
not UTF-8, a required column missing) is an InputError.

A file may come from anywhere, so it is read with bounds: a row (with every line of a cell
that runs over several lines) of at most MAX_ROW characters, a cell of at most MAX_CELL. The
file is read CHUNK characters at a time and split into lines here, a line never held longer
than MAX_ROW + CHUNK characters, so a file of one 50 MB line is refused having read little
more than 100,000 characters of it, never read whole; an InputError names the file and the
line where the row begins.

Parsers here are pure functions of one cell so that they can be tested on their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, Field, field_validator

from compass_cli.core.loading import pretty_path, read_document, validate
from compass_cli.core.models import Strict
from compass_cli.errors import InputError, Problem
from compass_cli.files import open_regular

if TYPE_CHECKING:
    from compass_cli.core.records.rules import Rules

# --------------------------------------------------------------------------- one cell

YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0", ""})
#: The most days one activity row may record; more is a typing slip (a term's placement is ~60
#: days, but one register row is one placement, a week or two at most).
MAX_DAYS = 30

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?")
_UK = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")


def parse_date(text: str) -> dt.date:
    """An ISO date (2026-11-20) or a British one (20/11/2026, 20-11-2026, 20.11.2026); an
    Excel time after it is ignored. Raises ValueError saying what was expected.

    American month-first dates are never read: 11/20/2026 is refused (there is no month 20),
    and 03/04/2026 is 3 April. Two-digit years are refused rather than guessed."""
    text = text.strip()
    found = _ISO.fullmatch(text)
    if found:
        year, month, day = int(found[1]), int(found[2]), int(found[3])
    else:
        found = _UK.fullmatch(text)
        if not found:
            raise ValueError(f"'{_short(text)}' is not a date; write 2026-11-20 or 20/11/2026")
        day, month, year = int(found[1]), int(found[2]), int(found[3])
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date (day {day}, month {month}; dates are read day first)") from None


def parse_yes_no(text: str) -> bool:
    """yes/no, y/n, true/false, 1/0 in any case; blank is no."""
    word = text.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(f"'{_short(text)}' is not yes or no")


def parse_days(text: str) -> float:
    """Days of workplace time: a half day is 0.5 (0,5 is read too); blank is 0."""
    text = text.strip()
    if not text:
        return 0.0
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        days = float(text)
    except ValueError:
        raise ValueError(f"'{_short(text)}' is not a number of days") from None
    if not math.isfinite(days):
        raise ValueError(f"'{_short(text)}' is not a number of days")
    if days < 0:
        raise ValueError(f"'{_short(text)}' is negative")
    if days > MAX_DAYS:
        raise ValueError(f"'{_short(text)}' is more than {MAX_DAYS} days for one row; record each placement on a row "
                         "of its own")
    return days


def label_key(text: str) -> str:
    """How labels are compared: 'Employer Encounter', 'employer-encounter' -> employer_encounter."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


# --------------------------------------------------------------------------- the mapping file


def _text_map(value: Any) -> Any:
    """Keys and numbers as text (YAML reads `7: Y7` with the number 7); left blank, empty."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): (str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
                for k, v in value.items()}
    return value


def _text_list(value: Any) -> Any:
    """Items as text (YAML reads `[6, Reception]` with the number 6); left blank, empty."""
    return [str(v) for v in value] if isinstance(value, list) else ([] if value is None else value)


TextMap = Annotated[dict[str, str], BeforeValidator(_text_map)]
TextList = Annotated[list[str], BeforeValidator(_text_list)]


def _columns(value: Any) -> Any:
    """Our column -> yours, as text; ``name`` may be a list of columns (forename and surname)."""
    value = _text_map(value)
    if isinstance(value, dict):
        return {k: _text_list(v) if isinstance(v, list) else v for k, v in value.items()}
    return value


def _value_tables(value: Any) -> Any:
    """Left blank, empty; a column's table left blank, empty too. The words are checked by load_mapping."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): ({} if v is None else v) for k, v in value.items()}
    return value


Columns = Annotated[dict[str, str | list[str]], BeforeValidator(_columns)]
#: our yes/no column -> {your word: yes or no}, the words as YAML read them (checked by load_mapping)
ValueTables = Annotated[dict[str, dict[Any, Any]], BeforeValidator(_value_tables)]


class _FileMapping(Strict):
    columns: Columns = Field(default_factory=dict)
    values: ValueTables = Field(default_factory=dict)

    @property
    def renames(self) -> dict[str, str]:
        """Our column -> yours, for the columns that are one column of yours."""
        return {ours: theirs for ours, theirs in self.columns.items() if isinstance(theirs, str)}

    def yes_no(self, column: str) -> YesNo:
        """How a yes/no column is read: with your words for it, if the mapping has any."""
        return YesNo(self.values.get(column, {}))


class PupilsMapping(_FileMapping):
    year_groups: TextMap = Field(default_factory=dict)
    ignore_year_groups: TextList = Field(default_factory=list)


class ActivitiesMapping(_FileMapping):
    activities: TextMap = Field(default_factory=dict)
    ignore_activities: TextList = Field(default_factory=list)
    providers: TextMap = Field(default_factory=dict)


class Mapping(Strict):
    """How another export's columns and labels become ours (``--mapping FILE``)."""

    pupils: PupilsMapping = Field(default_factory=PupilsMapping)
    activities: ActivitiesMapping = Field(default_factory=ActivitiesMapping)

    @field_validator("pupils", "activities", mode="before")
    @classmethod
    def _empty(cls, value: Any) -> Any:
        return {} if value is None else value


#: How YAML reads an unquoted yes/no word in a values table: a key written `Yes:` arrives as True,
#: so it stands for every word YAML reads as True (and the export's cell may be any of them).
_YAML_WORDS = {True: ("yes", "true", "on"), False: ("no", "false", "off")}


def _target(value: Any) -> bool | None:
    """What a values table maps a word to: yes (True), no (False), or None if that is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, str)):
        word = str(value).strip().lower()
        if word and word in YES:
            return True
        if word and word in NO:
            return False
    return None


class YesNo:
    """Reads the cells of one yes/no column: the mapping's own words first (``values:``), then ours
    (yes/no, y/n, true/false, 1/0; blank is no). Anything else is a ValueError naming both."""

    def __init__(self, table: dict[Any, Any]) -> None:
        self.words: dict[str, bool] = {}
        for theirs, ours in table.items():
            target = _target(ours)
            if target is None:
                continue  # refused by load_mapping; a Mapping made in Python skips it
            spellings = _YAML_WORDS[theirs] if isinstance(theirs, bool) else ("" if theirs is None else str(theirs),)
            for spelling in spellings:
                self.words[label_key(spelling)] = target
        self.shown = [str(k) for k in table]

    def __call__(self, text: str) -> bool:
        if self.words:
            found = self.words.get(label_key(text))
            if found is not None:
                return found
        try:
            return parse_yes_no(text)
        except ValueError:
            if not self.words:
                raise
            raise ValueError(f"'{_short(text.strip())}' is not yes or no, nor one of the words your mapping "
                             f"translates ({', '.join(self.shown)})") from None


PUPIL_REQUIRED = ("pupil_id", "year_group")
PUPIL_DATES = ("left_on", "joined_on")
#: Read only for the gaps list, so that a form tutor knows who to see; never in anything shared.
PUPIL_FOR_TUTORS = ("name", "reg_group")
ACTIVITY_REQUIRED = ("pupil_id", "date", "activity")
ACTIVITY_OPTIONAL = ("days", "meaningful", "provider", "virtual")
ACTIVITY_YES_NO = ("meaningful", "virtual")
#: Columns whose words have a table of their own in the mapping, rather than ``values:``.
_OWN_TABLES = {"year_group": "year_groups", "activity": "activities", "provider": "providers"}


def load_mapping(path: Path | None, rules: Rules) -> Mapping:
    """Read and check a mapping file against the entitlements (our columns and labels must exist)."""
    if path is None:
        return Mapping()
    doc = read_document(path, max_bytes=1024 * 1024)
    mapping: Mapping = validate(Mapping, doc)
    problems: list[Problem] = []

    def report(loc: tuple[Any, ...], message: str) -> None:
        problems.append(Problem(str(path), message, doc.line_of(loc), pretty_path(doc.data, loc)))

    flags = [f.id for f in rules.data.flags]
    files = (
        ("pupils", mapping.pupils, [*PUPIL_REQUIRED, *PUPIL_DATES, *flags, *PUPIL_FOR_TUTORS], flags),
        ("activities", mapping.activities, [*ACTIVITY_REQUIRED, *ACTIVITY_OPTIONAL], list(ACTIVITY_YES_NO)),
    )
    for name, file_mapping, known, yes_no in files:
        for ours, theirs in file_mapping.columns.items():
            if ours not in known:
                report((name, "columns", ours), f"'{ours}' is not {_a(name)} column ({', '.join(known)})")
            elif isinstance(theirs, list) and ours != "name":
                report((name, "columns", ours), f"'{ours}' is one column; only name may list several (forename "
                       "and surname)")
            elif isinstance(theirs, list) and not theirs:
                report((name, "columns", ours), "list the columns that make up the name, e.g. [Forename, Surname]")
        for ours, table in file_mapping.values.items():
            _check_values(name, ours, table, known, yes_no, report)
    checks = (
        (("pupils", "year_groups"), mapping.pupils.year_groups, rules.groups),
        (("activities", "activities"), mapping.activities.activities, list(rules.data.activities)),
        (("activities", "providers"), mapping.activities.providers, list(rules.data.provider_kinds)),
    )
    for loc, table, allowed in checks:
        for theirs, ours in table.items():
            if ours not in allowed:
                report(loc + (theirs,), f"'{ours}' is not one of ours ({', '.join(allowed)})")
    if problems:
        raise InputError(f"{path}: invalid", problems)
    return mapping


def _a(file: str) -> str:
    return "a pupils" if file == "pupils" else "an activities"


def _check_values(file: str, ours: str, table: dict[Any, Any], known: list[str], yes_no: list[str],
                  report: Any) -> None:
    """``values:`` translates the words of yes/no columns only, each word to yes or no."""
    loc = (file, "values", ours)
    if ours not in known:
        report(loc, f"'{ours}' is not {_a(file)} column ({', '.join(known)})")
        return
    if ours not in yes_no:
        own = _OWN_TABLES.get(ours)
        where = f"; its words are translated under {file}.{own}" if own else ""
        report(loc, f"'{ours}' is not a yes/no column, so its values cannot be translated here (the yes/no "
               f"columns: {', '.join(yes_no) or 'none'}){where}")
        return
    for theirs, word in table.items():
        if _target(word) is None:
            report(loc + (theirs,), f"'{word}' is not yes or no ({ours} is a yes/no column)")


# --------------------------------------------------------------------------- a CSV file

NOT_UTF8 = "is not UTF-8 text; in Excel, save it as 'CSV UTF-8'"
#: The longest cell read, in characters. A school's export holds ids, names, dates, labels and at
#: most a note of a paragraph or two (a long paragraph is under 2,000 characters); 10,000 is five
#: pages of a note, and keeps anything larger out (csv's own limit, 131,072, is a traceback).
MAX_CELL = 10_000
#: The longest row read, in characters, every line of a cell that runs over several lines included.
#: The widest pupils export (a hundred columns of flags and dates) is a few thousand characters.
MAX_ROW = 100_000
_ROW_TOO_LONG = (f"this row is over {MAX_ROW:,} characters long, far longer than a row of a school's export; is "
                 "this the right file?")
#: How many characters are read from a file at a time, to be split into lines here. A module
#: constant so that the tests can make it tiny and put a chunk's end everywhere.
CHUNK = 8192
#: What str.splitlines takes for a line's end besides \r and \n, and csv.reader does not.
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
#: A line as csv.reader reads a file opened with newline="": up to \r\n, \r or \n, or the end.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


@dataclass
class CsvFile:
    """An open CSV file, its header read: rows come from ``rows()``; ``line`` is the line the row
    last read begins on.

    Read for speed, within bounds: a million rows pass through here. The file is read CHUNK
    characters at a time and split into lines where csv.reader would split it (``_chunks``); a
    line longer than MAX_ROW is refused having read no more than CHUNK characters past it. A line with
    no quote character and no longer than MAX_CELL is a row of its own, whose cells are what lies
    between the separators, exactly as csv.reader reads it; that is almost every line, and costs
    no more than reading the line and splitting it. Any other line (a quoted cell, which may hold
    the separator or run on over several lines; or a line that may hold a cell over MAX_CELL) is
    read by csv.reader itself, given that line and then as many more as its quoted cells need,
    until the row is over MAX_ROW characters; and its cells are checked against MAX_CELL."""

    path: Path
    handle: IO[str]
    columns: dict[str, int]  # our column name -> index
    header: list[str]
    first_line: int  # the line number of the header
    delimiter: str
    names: dict[str, int]  # each column name of the header, as label_key compares it -> its first index
    line: int = field(init=False)
    _source: Iterator[str] = field(init=False, repr=False)  # the lines after the header
    _reader: Any = field(init=False, repr=False)  # csv.reader over _lines(), for the lines of the slow path
    _pending: str | None = field(default=None, init=False, repr=False)  # the line a row it reads begins with
    _more: int = field(default=0, init=False, repr=False)  # the lines of that row after the first

    def __post_init__(self) -> None:
        self.line = self.first_line
        self._source = chain.from_iterable(self._chunks())
        self._reader = csv.reader(self._lines(), delimiter=self.delimiter)

    def rows(self, maxsplit: int = -1) -> Iterator[list[Any]]:
        """The rows after the header, as csv.reader reads them, each within MAX_ROW and MAX_CELL. A
        file that turns out not to be UTF-8 text or CSV is an InputError at the line reached.

        With ``maxsplit`` (0 or more), the cells after the first ``maxsplit`` come as one last item,
        for a caller that uses them only together: the rest of the line as it stands, separators
        and all, or a tuple of those cells where csv.reader read the row (a quoted cell may hold
        the separator). A row of no more cells than ``maxsplit`` is as it is."""
        delimiter = self.delimiter
        lines = self._source
        before = self.first_line  # the line before the next row
        row: list[Any]
        try:
            while True:  # the loop sets self.line itself: nothing more to do for most rows
                for self.line, line in enumerate(lines, before + 1):
                    if len(line) <= MAX_CELL and '"' not in line:
                        text = line.rstrip("\r\n")
                        yield text.split(delimiter, maxsplit) if text else []
                        continue
                    row = self._slow_row(line)
                    if 0 <= maxsplit < len(row):
                        row = [*row[:maxsplit], tuple(row[maxsplit:])]
                    if self._more:  # a row over several lines: number the lines on from its last
                        before = self.line + self._more
                        yield row
                        break
                    yield row
                else:
                    return
        except UnicodeDecodeError:
            raise InputError.one(self.path, NOT_UTF8, self.line) from None
        except csv.Error as exc:
            raise InputError.one(self.path, f"cannot be read as CSV: {exc}", self.line) from None

    def _slow_row(self, line: str) -> list[str]:
        """The row that begins with ``line``, read by csv.reader; its cells checked."""
        self._pending = line
        row: list[str] = next(self._reader)
        if self._more or len(line) > MAX_CELL:  # only then may a cell be too long
            _check_cells(self.path, row, self.header, self.line)
        return row

    def _chunks(self) -> Iterator[list[str]]:
        """The lines after the header, CHUNK characters' worth at a time, each with its line end,
        split where csv.reader splits a file opened with newline="": after \r\n, \r or \n (a \r at
        a chunk's end waits for the next, which may begin with \n). A line not yet ended at a
        chunk's end is carried into the next, unless it is already over MAX_ROW: then that much
        of it is passed on as a line, for the reader to refuse."""
        read, carry = self.handle.read, ""
        while True:
            text = read(CHUNK)
            if not text:
                if carry:
                    yield [carry]
                return
            if carry:
                text = carry + text
            # splitlines is the fast way, when the text holds nothing else it would split at
            other = any(map(text.__contains__, _OTHER_BREAKS))
            lines = _LINE.findall(text) if other else text.splitlines(True)
            carry = lines.pop()
            if carry[-1] == "\n" or len(carry) > MAX_ROW:
                lines.append(carry)
                carry = ""
            yield lines

    def _lines(self) -> Iterator[str]:
        """What csv.reader reads: the line a row begins with (``_pending``), then as many more as
        its quoted cells need (counted in ``_more``), until the row is over MAX_ROW."""
        source, used = self._source, 0  # used: the characters of the row being read
        while True:
            line = self._pending
            if line is not None:
                self._pending, self._more, used = None, 0, 0
            else:
                line = next(source, "")
                if not line:
                    return
                self._more += 1
            used += len(line)
            if used > MAX_ROW:
                raise InputError.one(self.path, _ROW_TOO_LONG, self.line)
            yield line

    def close(self) -> None:
        self.handle.close()


def _check_cells(path: Path, row: list[str], header: list[str], line: int) -> None:
    """Refuse a row with a cell over MAX_CELL."""
    for n, cell in enumerate(row):
        if len(cell) > MAX_CELL:
            column = f"column '{_short(header[n])}'" if n < len(header) else f"column {n + 1}"
            raise InputError.one(path, f"the cell in {column} is {len(cell):,} characters long; a cell may hold at "
                                       f"most {MAX_CELL:,}", line)


def open_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...], renames: dict[str, str]) -> CsvFile:
    """Open a CSV file and find our columns in its header (by name, in any case, or renamed)."""
    name = str(path)
    handle = io.TextIOWrapper(open_regular(path, "a CSV file"), encoding="utf-8-sig", newline="")

    def read_line(number: int) -> str:
        line = handle.readline(MAX_ROW + 1)
        if len(line) > MAX_ROW:
            raise InputError.one(name, _ROW_TOO_LONG, number)
        return line

    try:
        first_line = 1
        first = read_line(first_line)
        hint = re.fullmatch(r'"?sep=(.)"?\r?\n?', first)
        if hint:  # Excel's "sep=;" line names the separator
            delimiter = hint[1]
            first_line = 2
            first = read_line(first_line)
        else:
            delimiter = _delimiter(first)
        if not first.strip():
            raise InputError.one(name, f"is empty; expected a header row naming the columns {', '.join(required)}")
        header = next(csv.reader([first], delimiter=delimiter))
        if len(first) > MAX_CELL:
            _check_cells(path, header, header, first_line)
    except UnicodeDecodeError:
        handle.close()
        raise InputError.one(name, NOT_UTF8) from None
    except csv.Error as exc:
        handle.close()
        raise InputError.one(name, f"cannot be read as CSV: {exc}", first_line) from None
    except InputError:
        handle.close()
        raise
    found = {label_key(h): i for i, h in reversed(list(enumerate(header)))}
    columns: dict[str, int] = {}
    for ours in (*required, *optional):
        theirs = renames.get(ours)
        key = label_key(theirs) if theirs is not None else ours
        if key in found:
            columns[ours] = found[key]
    missing = [c if c not in renames else f"{c} (your '{renames[c]}')" for c in required if c not in columns]
    if missing:
        handle.close()
        shown = ", ".join(h.strip() for h in header) or "none"
        if len(shown) > 500:  # a header of thousands of columns is not something to read on a screen
            shown = f"{shown[:500]}… ({len(header):,} columns)"
        noun = "column" if len(missing) == 1 else "columns"
        advice = ""
        if any(c not in renames for c in required if c not in columns):
            advice = ("; if your export calls it something else, name it in a mapping file with --mapping FILE "
                      "('compass records template -o DIR' writes one to start from)")
        raise InputError.one(name, f"has no {', '.join(missing)} {noun}; the columns found are: {shown}{advice}",
                             first_line)
    return CsvFile(path, handle, columns, header, first_line, delimiter, found)


def _delimiter(header: str) -> str:
    """',' unless the header row has no comma and does have a ';' (or a tab): safe to tell from
    the header alone, as column names never hold a separator."""
    if "," in header:
        return ","
    if ";" in header:
        return ";"
    if "\t" in header:
        return "\t"
    return ","


# --------------------------------------------------------------------------- problems


@dataclass
class FileProblems:
    """The rows of one file with problems: left out, or kept with a cell read as a default (a flag
    read as no, a date left blank)."""

    left_out: int = 0
    kept: int = 0

    @property
    def rows(self) -> int:
        return self.left_out + self.kept


@dataclass
class ProblemLog:
    """Problems with rows, the first ``cap`` of each kind in each file kept with file and line, the
    rest counted; and per file, how many rows had problems and whether they were left out or kept.

    A row with several problems is one row: left out if any of its problems leaves it out. The
    rows of a file are read in order, so the row before is all that needs remembering."""

    cap: int = 20
    listed: dict[tuple[str, str], list[Problem]] = field(default_factory=dict)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    files: dict[str, FileProblems] = field(default_factory=dict)
    _row: tuple[str, int] | None = field(default=None, init=False, repr=False)
    _row_kept: bool = field(default=False, init=False, repr=False)

    def add(self, kind: str, file: Path | str, line: int, message: str, kept: bool = False) -> None:
        """One problem; ``kept``: the row is still read (with a default for the cell), not left out."""
        name = str(file)
        key = (name, kind)
        n = self.counts.get(key, 0)
        self.counts[key] = n + 1
        if n < self.cap:
            self.listed.setdefault(key, []).append(Problem(name, message, line))
        rows = self.files.get(name)
        if rows is None:
            rows = self.files[name] = FileProblems()
        if self._row != (name, line):
            self._row, self._row_kept = (name, line), kept
            if kept:
                rows.kept += 1
            else:
                rows.left_out += 1
        elif self._row_kept and not kept:  # the same row, now left out after all
            rows.kept -= 1
            rows.left_out += 1
            self._row_kept = False

    @property
    def total(self) -> int:
        """Rows with problems, in every file."""
        return sum(f.rows for f in self.files.values())

    def rows_in(self, paths: list[Path]) -> FileProblems:
        """The rows with problems in these files, added up."""
        found = [self.files[str(p)] for p in paths if str(p) in self.files]
        return FileProblems(sum(f.left_out for f in found), sum(f.kept for f in found))

    def lines(self) -> list[str]:
        out: list[str] = []
        for (file, kind), problems in self.listed.items():
            out += [str(p) for p in problems]
            rest = self.counts[file, kind] - len(problems)
            if rest:
                out.append(f"{file}: ... and {rest:,} more {kind} (only the first {self.cap} are listed)")
        return out
