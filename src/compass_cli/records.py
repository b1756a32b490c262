"""Learner-level activity records: who has had each entitlement, as of a date.

The pupils file is read whole (a cohort is at most tens of thousands of pupils); the
activity files are streamed, one pass, in constant memory: each row only adds to a tally
per pupil and entitlement (a count, days, or the set of provider kinds met), and no row is
kept. Coverage is then worked out from the tallies: per entitlement and year group, the
pupils who have it, the pupils in the group, the percent and the band of the share scale,
and the same for the pupils of each flag (SEND, disadvantaged ...).

No pupil id ever leaves this module except through ``gaps`` (the list for form tutors);
coverage holds counts only. The rules (windows, counts, which activity counts for which
criterion) all come from the framework's entitlements.yaml (records_rules.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from compass_cli.errors import UsageError
from compass_cli.records_input import (
    ACTIVITY_OPTIONAL,
    ACTIVITY_REQUIRED,
    PUPIL_DATES,
    PUPIL_REQUIRED,
    Mapping,
    ProblemLog,
    label_key,
    open_csv,
    parse_date,
    parse_days,
    parse_yes_no,
)
from compass_cli.records_rules import Entitlement, Rules

#: Caches of parsed cells are emptied when they grow past this, so memory stays flat.
CACHE_LIMIT = 100_000


def as_of_date(rules: Rules, year: str | None, as_of: str | None, default: dt.date) -> dt.date:
    """The day coverage is measured on: ``--as-of``, the end of ``--year``, or ``default``."""
    if year and as_of:
        raise UsageError("give --year or --as-of, not both")
    if year:
        return rules.year_end(year)
    if as_of:
        try:
            return parse_date(as_of)
        except ValueError as exc:
            raise UsageError(f"--as-of: {exc}") from None
    return default


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
    csv_file = open_csv(path, PUPIL_REQUIRED, (*PUPIL_DATES, *flag_ids), mapping.pupils.columns)
    cols = csv_file.columns
    names = _group_names(rules, mapping)
    unmeasured = len(rules.groups)
    group_index = {g: i for i, g in enumerate(rules.groups)}
    flag_cols = [(bit, cols[f]) for bit, f in enumerate(flag_ids) if f in cols]
    cohort = Cohort(flag_columns=[f for f in flag_ids if f in cols])
    first_line: dict[str, int] = {}
    i_id, i_group = cols["pupil_id"], cols["year_group"]
    try:
        for row in csv_file.rows():
            if not any(cell.strip() for cell in row):
                continue
            line = csv_file.line
            if len(row) < len(csv_file.header):
                row = row + [""] * (len(csv_file.header) - len(row))
            pid = row[i_id].strip()
            if not pid:
                log.add("rows without a pupil id", path, line, "no pupil id")
                continue
            if pid in first_line:
                log.add("duplicate pupils", path, line,
                        f"the same pupil id as line {first_line[pid]}; this row is left out")
                continue
            first_line[pid] = line
            cohort.in_file += 1
            raw_group = row[i_group]
            gid = names.get(label_key(raw_group), "")
            counted = True
            if gid is None:
                cohort.ignored += 1
                counted = False
            elif gid == "":
                log.add("unknown year groups", path, line,
                        f"year group '{raw_group.strip()}' is not one of {', '.join(rules.groups)} "
                        f"(a mapping file can name it, or list it under ignore_year_groups)")
                counted = False
            flags = 0
            for bit, col in flag_cols:
                try:
                    if parse_yes_no(row[col]):
                        flags |= 1 << bit
                except ValueError as exc:
                    log.add("flag values", path, line, f"{flag_ids[bit]}: {exc}; read as no")
            dates: dict[str, dt.date | None] = {}
            for name in PUPIL_DATES:
                text = row[cols[name]].strip() if name in cols else ""
                dates[name] = None
                if text:
                    try:
                        dates[name] = parse_date(text)
                    except ValueError as exc:
                        log.add("dates", path, line, f"{name}: {exc}")
            if counted and dates["left_on"] is not None and rules.left_before(dates["left_on"], as_of):
                cohort.left += 1
                counted = False
            if counted and dates["joined_on"] is not None and dates["joined_on"] > as_of:
                cohort.not_yet_joined += 1
                counted = False
            cohort.ids[pid] = len(cohort.pupil_ids)
            cohort.pupil_ids.append(pid)
            cohort.group.append(group_index[gid] if gid else unmeasured)
            cohort.flags.append(flags)
            cohort.joined.append(dates["joined_on"])
            cohort.counted.append(counted)
    finally:
        csv_file.close()
    return cohort


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


_COUNT, _DAYS, _KINDS = 0, 1, 2


def _mode(ent: Entitlement) -> int:
    return _DAYS if ent.days is not None else (_KINDS if ent.kinds is not None else _COUNT)


class _Resolver:
    """Turns the raw (activity, meaningful, provider, virtual) cells of a row into the tallies
    it adds to; each distinct combination is worked out once and cached."""

    def __init__(self, rules: Rules, mapping: Mapping, tallies: Tallies, bounds: list[list[tuple[int, int]]]) -> None:
        self.rules = rules
        am = mapping.activities
        self.activities = {label_key(k): k for k in rules.data.activities}
        self.activities.update({label_key(label): k for k, label in rules.data.activities.items()})
        for theirs, ours in am.activities.items():
            self.activities[label_key(theirs)] = ours
        self.ignore = {label_key(x) for x in am.ignore_activities}
        self.providers = {label_key(k): k for k in rules.data.provider_kinds}
        self.providers.update({label_key(label): k for k, label in rules.data.provider_kinds.items()})
        for theirs, ours in am.providers.items():
            self.providers[label_key(theirs)] = ours
        self.kind_bit = {k: 1 << i for i, k in enumerate(rules.data.provider_kinds)}
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

    def resolve(self, activity: str, meaningful: str, provider: str, virtual: str) -> tuple[Any, ...]:
        """(targets, None) or ((), (kind of problem, message)); targets () for an ignored activity."""
        key = label_key(activity)
        if key in self.ignore:
            return (), None
        ours = self.activities.get(key)
        if ours is None:
            if not key:
                return (), ("rows without an activity", "no activity")
            known = ", ".join(self.rules.data.activities)
            return (), ("unknown activities", f"unknown activity '{activity.strip()}' (ours: {known}; a mapping "
                        f"file can translate it, or list it under ignore_activities)")
        try:
            is_meaningful = parse_yes_no(meaningful)
        except ValueError as exc:
            return (), ("meaningful values", f"meaningful: {exc}")
        try:
            is_virtual = parse_yes_no(virtual)
        except ValueError as exc:
            return (), ("virtual values", f"virtual: {exc}")
        kind = None
        if ours in self.reads_provider and provider.strip():
            kind = self.providers.get(label_key(provider))
            if kind is None:
                known = ", ".join(self.rules.data.provider_kinds)
                return (), ("unknown providers", f"unknown provider kind '{provider.strip()}' (ours: {known})")
        targets = []
        for i in self.by_activity.get(ours, []):
            ent = self.rules.entitlements[i]
            if (ent.meaningful and not is_meaningful) or (ent.in_person and is_virtual):
                continue
            if ent.providers and kind not in ent.providers:
                continue
            mode = _mode(ent)
            bit = 0
            if mode == _KINDS:
                if kind not in (ent.kinds or []):
                    continue
                bit = self.kind_bit[kind]  # type: ignore[index]
            targets.append((self.tallies.values[i], self.bounds[i], mode, bit))
        return tuple(targets), None


def read_activities(rules: Rules, cohort: Cohort, paths: list[Path], mapping: Mapping, as_of: dt.date,
                    log: ProblemLog) -> Tallies:
    """One pass over every activity file, adding each row to the tallies it counts towards."""
    n = len(cohort.pupil_ids)
    tallies = Tallies([[0] * n if _mode(e) != _DAYS else [0.0] * n for e in rules.entitlements])
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
    csv_file = open_csv(path, ACTIVITY_REQUIRED, ACTIVITY_OPTIONAL, mapping.activities.columns)
    cols = csv_file.columns
    tallies.files += 1
    tallies.columns.update(c for c in ACTIVITY_OPTIONAL if c in cols)
    width = max(cols.values()) + 1
    i_pupil, i_date = cols["pupil_id"], cols["date"]
    i_days = cols.get("days")
    # the cells that decide which tallies a row adds to; a missing optional column reads as blank
    present = [cols[c] for c in ("activity", "meaningful", "provider", "virtual") if c in cols]
    positions = [("activity", "meaningful", "provider", "virtual").index(c) for c in
                 ("activity", "meaningful", "provider", "virtual") if c in cols]
    getter = itemgetter(*present)
    single = len(present) == 1

    targets_cache: dict[Any, tuple[Any, ...]] = {}
    date_cache: dict[str, int] = {}
    days_cache: dict[str, float] = {}
    pupil_get = cohort.ids.get
    group = cohort.group
    rows = counted = later = ignored = 0
    try:
        for row in csv_file.rows():
            rows += 1
            try:
                p = pupil_get(row[i_pupil])
                if p is None:
                    p = pupil_get(row[i_pupil].strip())
                    if p is None:
                        if not any(cell.strip() for cell in row):
                            rows -= 1
                            continue
                        what = "no pupil id" if not row[i_pupil].strip() else "this pupil id is not in the pupils file"
                        log.add("unknown pupils", path, csv_file.line, what)
                        continue
                key = getter(row)
                resolved = targets_cache.get(key)
                if resolved is None:
                    cells = ["", "", "", ""]
                    for pos, value in zip(positions, (key,) if single else key, strict=True):
                        cells[pos] = value
                    resolved = resolver.resolve(*cells)
                    if len(targets_cache) > CACHE_LIMIT:
                        targets_cache.clear()
                    targets_cache[key] = resolved
                targets, problem = resolved
                if problem is not None:
                    log.add(problem[0], path, csv_file.line, problem[1])
                    continue
                raw = row[i_date]
                day = date_cache.get(raw)
                if day is None:
                    try:
                        day = parse_date(raw).toordinal()
                    except ValueError as exc:
                        log.add("dates", path, csv_file.line, f"date: {exc}")
                        continue
                    if len(date_cache) > CACHE_LIMIT:
                        date_cache.clear()
                    date_cache[raw] = day
                days = 0.0
                if i_days is not None:
                    raw = row[i_days]
                    if raw:
                        days = days_cache.get(raw, -1.0)
                        if days < 0:
                            try:
                                days = parse_days(raw)
                            except ValueError as exc:
                                log.add("days", path, csv_file.line, f"days: {exc}")
                                continue
                            if len(days_cache) > CACHE_LIMIT:
                                days_cache.clear()
                            days_cache[raw] = days
                if not targets:
                    ignored += 1
                    continue
                if day > as_of_ord:
                    later += 1
                    continue
                g = group[p]
                counted += 1
                for values, bounds, mode, bit in targets:
                    lo, hi = bounds[g]
                    if lo <= day <= hi:
                        if mode == 0:
                            values[p] += 1
                        elif mode == 1:
                            values[p] += days
                        else:
                            values[p] |= bit
            except IndexError:
                if not any(cell.strip() for cell in row):
                    rows -= 1
                    continue
                log.add("short rows", path, csv_file.line,
                        f"the row has {len(row)} cells; the header has {width} or more")
    finally:
        csv_file.close()
    tallies.rows += rows
    tallies.counted += counted
    tallies.later += later
    tallies.ignored += ignored


# --------------------------------------------------------------------------- who has what


@dataclass(frozen=True)
class Cell:
    """Pupils in one group who have an entitlement, of the pupils counted in that group."""

    group: str
    have: int
    pupils: int


@dataclass
class EntitlementCoverage:
    entitlement: Entitlement
    window: str
    requirement: str
    reason: str | None  # why it cannot be measured from these files (None: it can)
    cells: list[Cell]
    flags: dict[str, list[Cell]]
    joined: int  # pupils who joined during the window, measured against what remained possible

    @property
    def measurable(self) -> bool:
        return self.reason is None


@dataclass
class Coverage:
    """Counts only: the result every coverage format and the fill are rendered from."""

    rules: Rules
    as_of: dt.date
    cohort: Cohort
    tallies: Tallies
    entitlements: list[EntitlementCoverage]
    problems: ProblemLog

    @property
    def academic_year(self) -> str:
        return self.rules.academic_year(self.as_of)


@dataclass(frozen=True)
class Shortfall:
    """One pupil without one entitlement (for ``gaps`` only)."""

    group: str
    pupil_id: str
    entitlement: Entitlement
    has: str
    needs: str
    by: dt.date


def unmeasurable_reason(rules: Rules, ent: Entitlement, cohort: Cohort, tallies: Tallies, pupils: Path) -> str | None:
    if ent.among is not None and ent.among not in cohort.flag_columns:
        return f"the pupils file ({pupils.name}) has no '{ent.among}' column"
    needs = [c for c, on in (("meaningful", ent.meaningful), ("days", ent.days is not None),
                             ("provider", bool(ent.providers or ent.kinds))) if on]
    missing = [c for c in needs if c not in tallies.columns]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        return f"no activity file has a {' or '.join(repr(c) for c in missing)} {noun}"
    return None


class Evaluation:
    """Has each counted pupil had each entitlement? Worked out from the tallies."""

    def __init__(self, rules: Rules, cohort: Cohort, tallies: Tallies, as_of: dt.date) -> None:
        self.rules, self.cohort, self.tallies, self.as_of = rules, cohort, tallies, as_of
        self.members: list[list[int]] = [[] for _ in rules.groups]
        for p, counted in enumerate(cohort.counted):
            if counted:
                self.members[cohort.group[p]].append(p)

    def pupils(self, i: int, group: str) -> Iterator[tuple[int, float, bool]]:
        """(pupil, what they need, have they got it) for the pupils of ``group`` measured by entitlement ``i``."""
        rules, cohort = self.rules, self.cohort
        ent = rules.entitlements[i]
        values = self.tallies.values[i]
        lo, hi = rules.window(ent, group, self.as_of)
        full = rules.needed(ent, 1.0)
        kinds = _mode(ent) == _KINDS
        among = None
        if ent.among is not None:
            among = 1 << [f.id for f in rules.data.flags].index(ent.among)
        for p in self.members[rules.groups.index(group)]:
            if among is not None and not cohort.flags[p] & among:
                continue
            need = full
            joined = cohort.joined[p]
            if joined is not None and joined > lo:
                if joined > hi:
                    continue  # joined after the window closed: nothing was possible here
                need = rules.needed(ent, ((hi - joined).days + 1) / ((hi - lo).days + 1))
            have = values[p].bit_count() if kinds else values[p]
            yield p, need, have >= need - 1e-9

    def coverage(self, i: int, reason: str | None) -> EntitlementCoverage:
        rules, cohort = self.rules, self.cohort
        ent = rules.entitlements[i]
        split = [(f.id, 1 << bit) for bit, f in enumerate(rules.data.flags)
                 if f.split and f.id in cohort.flag_columns and f.id != ent.among]
        cells: list[Cell] = []
        flags: dict[str, list[Cell]] = {f: [] for f, _ in split}
        joined = 0
        for g in ent.groups:
            lo, _ = rules.window(ent, g, self.as_of)
            have = pupils = 0
            by_flag = {f: [0, 0] for f, _ in split}
            for p, _need, ok in self.pupils(i, g):
                pupils += 1
                have += ok
                if cohort.joined[p] is not None and cohort.joined[p] > lo:  # type: ignore[operator]
                    joined += 1
                for f, bit in split:
                    if cohort.flags[p] & bit:
                        by_flag[f][0] += ok
                        by_flag[f][1] += 1
            cells.append(Cell(g, have, pupils))
            for f, (h, n) in by_flag.items():
                flags[f].append(Cell(g, h, n))
        return EntitlementCoverage(ent, rules.window_text(ent), rules.requirement_text(ent), reason, cells, flags,
                                   joined)

    def shortfalls(self, i: int) -> Iterator[Shortfall]:
        rules, cohort = self.rules, self.cohort
        ent = rules.entitlements[i]
        values = self.tallies.values[i]
        mode = _mode(ent)
        for g in ent.groups:
            _, hi = rules.window(ent, g, self.as_of)
            for p, need, ok in self.pupils(i, g):
                if ok:
                    continue
                value = values[p]
                if mode == _KINDS:
                    met = [k for k in ent.kinds or [] if value & (1 << list(rules.data.provider_kinds).index(k))]
                    missing = [rules.data.provider_kinds[k] for k in ent.kinds or [] if k not in met]
                    has = f"{len(met)} of {len(ent.kinds or [])} provider kinds"
                    if need < len(ent.kinds or []):
                        needs = f"{int(need) - len(met)} more of: {', '.join(missing)}"
                    else:
                        needs = "encounters with: " + ", ".join(missing)
                elif mode == _DAYS:
                    has = f"{value:g} of {need:g} days"
                    needs = rules.requirement_text(ent, need - value, more=True)
                else:
                    has = f"{value} of {int(need)}"
                    needs = rules.requirement_text(ent, need - value, more=True)
                yield Shortfall(g, cohort.pupil_ids[p], ent, has, needs, hi)


def measure(rules: Rules, pupils: Path, activities: list[Path], mapping: Mapping, as_of: dt.date,
            ) -> tuple[Coverage, Evaluation]:
    """Read the files and work out coverage of every entitlement."""
    log = ProblemLog()
    cohort = read_pupils(rules, pupils, mapping, as_of, log)
    tallies = read_activities(rules, cohort, activities, mapping, as_of, log)
    evaluation = Evaluation(rules, cohort, tallies, as_of)
    results = [
        evaluation.coverage(i, unmeasurable_reason(rules, ent, cohort, tallies, pupils))
        for i, ent in enumerate(rules.entitlements)
    ]
    return Coverage(rules, as_of, cohort, tallies, results, log), evaluation


def gaps(coverage: Coverage, evaluation: Evaluation, benchmark: str | None = None,
         group: str | None = None) -> list[Shortfall]:
    """Every counted pupil without an entitlement they should have, by year group then pupil."""
    rules = coverage.rules
    found: list[Shortfall] = []
    for i, item in enumerate(coverage.entitlements):
        ent = item.entitlement
        if not item.measurable or (benchmark and ent.benchmark != benchmark) or (group and group not in ent.groups):
            continue
        found += [s for s in evaluation.shortfalls(i) if group is None or s.group == group]
    order = {g: n for n, g in enumerate(rules.groups)}
    ent_order = {e.id: n for n, e in enumerate(rules.entitlements)}
    found.sort(key=lambda s: (order[s.group], _natural(s.pupil_id), ent_order[s.entitlement.id]))
    return found


def _natural(text: str) -> tuple[Any, ...]:
    """P2 before P10."""
    import re

    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))
