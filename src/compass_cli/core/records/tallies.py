"""Reading the records: the pupils file whole, the activity files streamed into tallies.

The pupils file is read whole (a cohort is at most tens of thousands of pupils). The
activity files are read once, row by row, in constant memory: a row only adds to a tally
per pupil and entitlement (a count, days, or the set of provider kinds met) and is then
forgotten; the caches of parsed cells are emptied when they grow large. A wrong row is
listed (file and line) and left out; the others are still counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from compass_cli.core.records.rules import Entitlement, Rules
from compass_cli.core.records.spreadsheets import (
    ACTIVITY_OPTIONAL,
    ACTIVITY_REQUIRED,
    PUPIL_DATES,
    PUPIL_FOR_TUTORS,
    PUPIL_REQUIRED,
    CsvFile,
    Mapping,
    ProblemLog,
    PupilsMapping,
    YesNo,
    label_key,
    open_csv,
    parse_date,
    parse_days,
)

#: Caches of parsed cells are emptied when they grow past this, so memory stays flat.
CACHE_LIMIT = 100_000

# --------------------------------------------------------------------------- the cohort


@dataclass
class Cohort:
    """The pupils file: per pupil (by index) the year group, flags, and whether they are counted."""

    ids: dict[str, int] = field(default_factory=dict)
    pupil_ids: list[str] = field(default_factory=list)
    group: list[int] = field(default_factory=list)  # index into rules.groups; len(groups) = not measured
    flags: list[int] = field(default_factory=list)  # a bit per flag of rules.data.flags
    joined: list[dt.date | None] = field(default_factory=list)
    counted: list[bool] = field(default_factory=list)
    flag_columns: list[str] = field(default_factory=list)
    #: for the gaps list only (who to see), by pupil index, when the pupils file has the column
    names: list[str] = field(default_factory=list)
    reg_groups: list[str] = field(default_factory=list)
    tutor_columns: list[str] = field(default_factory=list)
    path: Path | None = None
    in_file: int = 0
    left: int = 0
    not_yet_joined: int = 0
    ignored: int = 0

    @property
    def pupils(self) -> int:
        return sum(self.counted)


def _group_names(rules: Rules, mapping: Mapping) -> dict[str, str | None]:
    """Every way a year group may be written -> our group id (None: ignore the pupil)."""
    names: dict[str, str | None] = {}
    for gid, number in rules.data.year_groups.items():
        for name in (gid, str(number), f"year {number}", f"yr {number}", f"y{number}", rules.group_label(gid)):
            names[label_key(name)] = gid
    for theirs in mapping.pupils.ignore_year_groups:
        names[label_key(theirs)] = None
    for theirs, ours in mapping.pupils.year_groups.items():
        names[label_key(theirs)] = ours
    return names


def read_pupils(rules: Rules, path: Path, mapping: Mapping, as_of: dt.date, log: ProblemLog) -> Cohort:
    flag_ids = [f.id for f in rules.data.flags]
    pm = mapping.pupils
    csv_file = open_csv(path, PUPIL_REQUIRED, (*PUPIL_DATES, *flag_ids, *PUPIL_FOR_TUTORS), pm.renames)
    cols = csv_file.columns
    names = _group_names(rules, mapping)
    unmeasured = len(rules.groups)
    group_index = {g: i for i, g in enumerate(rules.groups)}
    flag_cols = [(bit, cols[f]) for bit, f in enumerate(flag_ids) if f in cols]
    readers = [pm.yes_no(flag_ids[bit]) for bit, _ in flag_cols]
    date_cols = [(name, cols[name]) for name in PUPIL_DATES if name in cols]
    tutor_cols = _tutor_columns(csv_file, pm)
    name_cols, reg_cols = tutor_cols.get("name"), tutor_cols.get("reg_group")
    cohort = Cohort(flag_columns=[f for f in flag_ids if f in cols], tutor_columns=list(tutor_cols), path=path)
    first_line: dict[str, int] = {}
    i_id, i_group = cols["pupil_id"], cols["year_group"]
    width = len(csv_file.header)
    #: a row's flag cells: a tuple of them (a single cell, with one flag column), read in C
    flag_getter: Callable[[list[str]], Any] = (itemgetter(*(col for _, col in flag_cols)) if flag_cols
                                               else (lambda row: ()))
    flag_masks: dict[Any, int] = {}
    group_of: dict[str, str | None] = {}
    try:
        for row in csv_file.rows():
            if len(row) < width:  # a blank row too: it has no pupil id, and is passed over below
                row = row + [""] * (width - len(row))
            line = csv_file.line
            pid = row[i_id].strip()
            if not pid:
                if any(cell.strip() for cell in row):
                    log.add("rows without a pupil id", path, line, "no pupil id")
                continue
            if pid in first_line:
                log.add("duplicate pupils", path, line,
                        f"the same pupil id as line {first_line[pid]}; this row is left out")
                continue
            first_line[pid] = line
            cohort.in_file += 1
            raw_group = row[i_group]
            gid = group_of.get(raw_group, "?")
            if gid == "?":
                gid = group_of[raw_group] = names.get(label_key(raw_group), "")
            counted = True
            if gid is None:
                cohort.ignored += 1
                counted = False
            elif gid == "":
                log.add("unknown year groups", path, line,
                        f"year group '{raw_group.strip()}' is not one of {', '.join(rules.groups)} "
                        f"(a mapping file can name it, or list it under ignore_year_groups)")
                counted = False
            raw_flags = flag_getter(row)
            flags = flag_masks.get(raw_flags, -1)
            if flags < 0:
                cells: tuple[str, ...] = tuple(raw_flags) if len(flag_cols) != 1 else (raw_flags,)
                flags, bad = _flag_mask(flag_cols, readers, cells)
                for bit, message in bad:
                    log.add("flag values", path, line, f"{flag_ids[bit]}: {message}; read as no", kept=True)
                if not bad:
                    flag_masks[raw_flags] = flags
            left_on = joined_on = None
            for name, col in date_cols:
                if row[col] and row[col].strip():
                    try:
                        day = parse_date(row[col])
                    except ValueError as exc:
                        log.add("dates", path, line, f"{name}: {exc}; read as blank", kept=True)
                        continue
                    if name == "left_on":
                        left_on = day
                    else:
                        joined_on = day
            if counted and left_on is not None and rules.left_before(left_on, as_of):
                cohort.left += 1
                counted = False
            if counted and joined_on is not None and joined_on > as_of:
                cohort.not_yet_joined += 1
                counted = False
            cohort.ids[pid] = len(cohort.pupil_ids)
            cohort.pupil_ids.append(pid)
            cohort.group.append(group_index[gid] if gid else unmeasured)
            cohort.flags.append(flags)
            cohort.joined.append(None if joined_on is None else rules.measured_from(joined_on))
            cohort.counted.append(counted)
            if name_cols is not None:
                cohort.names.append(" ".join(row[i].strip() for i in name_cols if row[i].strip()))
            if reg_cols is not None:
                cohort.reg_groups.append(" ".join(row[i].strip() for i in reg_cols if row[i].strip()))
    finally:
        csv_file.close()
    return cohort


def _tutor_columns(csv_file: CsvFile, mapping: PupilsMapping) -> dict[str, list[int]]:
    """Where the name and registration group are, if the file has them: ``name`` may be several
    columns of yours (forename and surname), joined with a space."""
    found: dict[str, list[int]] = {}
    header = csv_file.names
    for ours in PUPIL_FOR_TUTORS:
        theirs = mapping.columns.get(ours)
        if isinstance(theirs, list):
            at = [header[label_key(t)] for t in theirs if label_key(t) in header]
            if at:
                found[ours] = at
        elif ours in csv_file.columns:
            found[ours] = [csv_file.columns[ours]]
    return found


def _flag_mask(flag_cols: list[tuple[int, int]], readers: list[YesNo],
               cells: tuple[str, ...]) -> tuple[int, list[tuple[int, str]]]:
    """The flags' bits from their cells, and the cells that are not yes or no."""
    mask, bad = 0, []
    for (bit, _), read, cell in zip(flag_cols, readers, cells, strict=True):
        try:
            if read(cell):
                mask |= 1 << bit
        except ValueError as exc:
            bad.append((bit, str(exc)))
    return mask, bad


# --------------------------------------------------------------------------- the activity pass


@dataclass
class Tallies:
    """Per entitlement, per pupil: a count, days, or a bit set of provider kinds."""

    values: list[list[Any]]
    columns: set[str] = field(default_factory=set)  # optional columns found in any activity file
    rows: int = 0
    counted: int = 0
    later: int = 0
    ignored: int = 0
    files: int = 0


#: What a tally holds: a count of activities, days, or a bit set of provider kinds.
COUNT, DAYS, KINDS = 0, 1, 2


def mode_of(ent: Entitlement) -> int:
    return DAYS if ent.days is not None else (KINDS if ent.kinds is not None else COUNT)


@dataclass(frozen=True)
class _Refusal:
    """Why a row is refused for its activity, meaningful, provider, virtual or days cell, or for
    being short: the kind of problem and the message. False as a truth value, like the empty tuple
    of an ignored activity, so that the loop over the rows tests one thing for both. A row's date
    is named before its days (``after_date``), its other cells before its date."""

    kind: str
    message: str
    after_date: bool = False

    def __bool__(self) -> bool:
        return False


class _Resolver:
    """Turns the raw (activity, meaningful, provider, virtual) cells of a row into the tallies
    it adds to; each distinct combination is worked out once and cached."""

    def __init__(self, rules: Rules, mapping: Mapping, tallies: Tallies, bounds: list[list[tuple[int, int]]]) -> None:
        self.rules = rules
        am = mapping.activities
        self.activities = _names(rules.data.activities, am.activities)
        self.ignore = {label_key(x) for x in am.ignore_activities}
        self.providers = _names(rules.data.provider_kinds, am.providers)
        self.meaningful = am.yes_no("meaningful")
        self.virtual = am.yes_no("virtual")
        self.tallies = tallies
        self.bounds = bounds
        self.by_activity: dict[str, list[int]] = {}
        for i, ent in enumerate(rules.entitlements):
            for a in ent.activities:
                self.by_activity.setdefault(a, []).append(i)
        self.reads_provider = {
            a for a, ents in self.by_activity.items()
            if any(rules.entitlements[i].providers or rules.entitlements[i].kinds for i in ents)
        }

    def resolve(self, activity: str, meaningful: str, provider: str, virtual: str) -> tuple[Any, ...] | _Refusal:
        """The tallies a row adds to, per year group (a tuple; empty for an ignored activity), or
        why the row is refused."""
        key = label_key(activity)
        if key in self.ignore:
            return ()
        ours = self.activities.get(key)
        if ours is None:
            if not key:
                return _Refusal("rows without an activity", "no activity")
            known = ", ".join(self.rules.data.activities)
            return _Refusal("unknown activities", f"unknown activity '{activity.strip()}' (ours: {known}; a "
                            "mapping file can translate it, or list it under ignore_activities)")
        try:
            is_meaningful = self.meaningful(meaningful)
        except ValueError as exc:
            return _Refusal("meaningful values", f"meaningful: {exc}")
        try:
            is_virtual = self.virtual(virtual)
        except ValueError as exc:
            return _Refusal("virtual values", f"virtual: {exc}")
        kind = None
        if ours in self.reads_provider and provider.strip():
            kind = self.providers.get(label_key(provider))
            if kind is None:
                known = ", ".join(self.rules.data.provider_kinds)
                return _Refusal("unknown providers", f"unknown provider kind '{provider.strip()}' (ours: {known})")
        targets = []
        for i in self.by_activity.get(ours, []):
            ent = self.rules.entitlements[i]
            if (ent.meaningful and not is_meaningful) or (ent.in_person and is_virtual):
                continue
            if ent.providers and kind not in ent.providers:
                continue
            mode = mode_of(ent)
            bit = 0
            if mode == KINDS:
                if kind not in (ent.kinds or []):
                    continue
                bit = self.rules.kind_bit[kind]
            targets.append((self.tallies.values[i], self.bounds[i], mode, bit))
        # by the pupil's year group, only the tallies whose window is open for that group
        return tuple(
            tuple((values, *bounds[g], mode, bit) for values, bounds, mode, bit in targets
                  if bounds[g][0] <= bounds[g][1])
            for g in range(len(self.rules.groups) + 1)
        )


def _names(ours: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
    """Every way a value may be written (our id, our label, the mapping's names) -> our id."""
    names = {label_key(k): k for k in ours}
    names.update({label_key(label): k for k, label in ours.items()})
    names.update({label_key(name): k for name, k in theirs.items()})
    return names


def read_activities(rules: Rules, cohort: Cohort, paths: list[Path], mapping: Mapping, as_of: dt.date,
                    log: ProblemLog) -> Tallies:
    """One pass over every activity file, adding each row to the tallies it counts towards."""
    n = len(cohort.pupil_ids)
    tallies = Tallies([[0] * n if mode_of(e) != DAYS else [0.0] * n for e in rules.entitlements])
    as_of_ord = as_of.toordinal()
    bounds = []
    for ent in rules.entitlements:
        per_group = []
        for g in rules.groups:
            if g in ent.groups:
                lo, hi = rules.window(ent, g, as_of)
                per_group.append((lo.toordinal(), min(hi.toordinal(), as_of_ord)))
            else:
                per_group.append((1, 0))
        per_group.append((1, 0))  # pupils whose year group is not measured
        bounds.append(per_group)
    resolver = _Resolver(rules, mapping, tallies, bounds)
    for path in paths:
        _read_one(path, cohort, mapping, resolver, tallies, as_of_ord, log)
    return tallies


def _read_one(path: Path, cohort: Cohort, mapping: Mapping, resolver: _Resolver, tallies: Tallies,
              as_of_ord: int, log: ProblemLog) -> None:
    csv_file = open_csv(path, ACTIVITY_REQUIRED, ACTIVITY_OPTIONAL, mapping.activities.renames)
    tallies.files += 1
    tallies.columns.update(c for c in ACTIVITY_OPTIONAL if c in csv_file.columns)
    try:
        _count_rows(csv_file, cohort, resolver, tallies, as_of_ord, log)
    finally:
        csv_file.close()


_DECIDING = ("activity", "meaningful", "provider", "virtual")


class _Cache(dict[Any, Any]):
    """What a cell's text (or a tuple of cells) reads as, worked out once per distinct text by
    ``read``: a school's export repeats the same dates, activities and words a million times. A
    text that ``read`` refuses (ValueError) is not kept. Emptied when it grows past CACHE_LIMIT,
    so memory stays flat whatever the file holds."""

    def __init__(self, read: Callable[[Any], Any]) -> None:
        super().__init__()
        self.read = read

    def __missing__(self, text: Any) -> Any:
        value = self.read(text)
        if len(self) >= CACHE_LIMIT:
            self.clear()
        self[text] = value
        return value


def _row_targets(resolver: _Resolver, cells: list[str], where: dict[str, int]) -> Any:
    """What a row's cells other than its pupil id and date add to, per year group: tuples of
    (tallies, first day, last day, mode, amount), the amount 1 for a count, the days for days, a
    kind's bit for kinds; empty for an ignored activity; or a _Refusal."""
    deciding = [cells[where[c]] if c in where else "" for c in _DECIDING]
    targets = resolver.resolve(*deciding)
    days = 0.0
    if "days" in where:
        try:
            days = parse_days(cells[where["days"]])
        except ValueError as exc:
            if targets.__class__ is _Refusal:
                return targets
            return _Refusal("days", f"days: {exc}", after_date=True)
    if isinstance(targets, _Refusal) or not targets:
        return targets
    return tuple(tuple((values, lo, hi, mode, 1 if mode == COUNT else (days if mode == DAYS else bit))
                       for values, lo, hi, mode, bit in in_group)
                 for in_group in targets)


def _rest_cells(rest: str | tuple[str, ...], delimiter: str) -> list[str]:
    """The cells of a row's last item read with ``maxsplit`` (CsvFile.rows): the rest of the line as
    it stands, or the cells csv.reader read."""
    return rest.split(delimiter) if rest.__class__ is str else list(rest)


def _blank(row: list[Any], delimiter: str, maxsplit: int) -> bool:
    """Whether a row's cells are all blank; read with ``maxsplit``, its last item may be the rest of
    its cells together."""
    cells = [*row[:maxsplit], *_rest_cells(row[maxsplit], delimiter)] if 0 <= maxsplit < len(row) else row
    return not any(cell.strip() for cell in cells)


def _short_row(cells: int, width: int) -> _Refusal:
    return _Refusal("short rows", f"the row has {cells} cells; the columns read need {width}")


def _count_rows(csv_file: CsvFile, cohort: Cohort, resolver: _Resolver, tallies: Tallies, as_of_ord: int,
                log: ProblemLog) -> None:
    """The one loop that sees every row: written for speed (locals, caches looked up by subscript,
    as few steps as can be in the usual case); anything unusual goes to the slower code beside it.

    A row's cells other than its pupil id and date take few values (activities, words, days), so
    they are read together, as one key into a cache of what they add to (``_row_targets``): the
    cells themselves, or, when the pupil id and date are the first two columns and every other
    column is read (our template's layout, and most exports'), the rest of the line as it stands,
    never split per row. The rows counted are worked out at the end."""
    path, cols, d = csv_file.path, csv_file.columns, csv_file.delimiter
    width = max(cols.values()) + 1
    i_pupil, i_date = cols["pupil_id"], cols["date"]
    others = sorted(set(cols.values()) - {i_pupil, i_date})
    whole_rest = {i_pupil, i_date} == {0, 1} and others == list(range(2, len(csv_file.header)))
    maxsplit = 2 if whole_rest else -1
    rows_read = csv_file.rows(maxsplit)
    if whole_rest:
        getter: Callable[[list[Any]], Any] = itemgetter(2)
        where = {c: cols[c] - 2 for c in cols if cols[c] >= 2}
    else:
        getter = itemgetter(*others) if others else (lambda row: ())
        where = {c: others.index(cols[c]) for c in cols if cols[c] in others}

    def read(key: Any) -> Any:
        if whole_rest:
            cells = _rest_cells(key, d)
            if len(cells) < width - 2:
                return _short_row(len(cells) + 2, width)
        else:
            cells = list(key) if len(others) != 1 else [key]
        return _row_targets(resolver, cells, where)

    targets_of = _Cache(read)
    day_of = _Cache(lambda text: parse_date(text).toordinal())
    pupil_get, group = cohort.ids.get, cohort.group
    rows = blank = refused = later = ignored = 0
    row: list[Any] = []
    for rows, row in enumerate(rows_read, 1):  # noqa: B007 - rows is read after the loop
        try:
            p = pupil_get(row[i_pupil])
            if p is None:
                p = pupil_get(row[i_pupil].strip())
                if p is None:
                    if _blank(row, d, maxsplit):
                        blank += 1
                    else:
                        refused += 1
                        what = "no pupil id" if not row[i_pupil].strip() else "pupil id not in the pupils file"
                        log.add("unknown pupils", path, csv_file.line, what)
                    continue
            targets = targets_of[getter(row)]
            try:
                day = day_of[row[i_date]]
            except ValueError as exc:
                refused += 1
                if targets.__class__ is _Refusal and not targets.after_date:
                    log.add(targets.kind, path, csv_file.line, targets.message)
                else:
                    log.add("dates", path, csv_file.line, f"date: {exc}")
                continue
            if not targets:  # an ignored activity, or refused cells
                if targets.__class__ is _Refusal:
                    refused += 1
                    log.add(targets.kind, path, csv_file.line, targets.message)
                else:
                    ignored += 1
                continue
            if day > as_of_ord:
                later += 1
                continue
            for values, lo, hi, mode, amount in targets[group[p]]:
                if lo <= day <= hi:
                    if mode == KINDS:
                        values[p] |= amount
                    else:
                        values[p] += amount
        except IndexError:
            if _blank(row, d, maxsplit):
                blank += 1
                continue
            refused += 1
            short = _short_row(len(row), width)
            log.add(short.kind, path, csv_file.line, short.message)
    tallies.rows += rows - blank
    tallies.counted += rows - blank - refused - later - ignored
    tallies.later += later
    tallies.ignored += ignored
