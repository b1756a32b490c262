"""Learner-level activity records: who has had each entitlement, as of a date.

The files are read by tallies.py: the activity files in one pass, in constant
memory, into a tally per pupil and entitlement. Coverage is then worked out from the
tallies: per entitlement and year group, the pupils who have it, the pupils in the group,
the percent and the band of the share scale, and the same for the pupils of each flag
(SEND, disadvantaged ...).

No pupil id (nor name, nor registration group) ever leaves this module except through
``gaps`` (the list for form tutors);
coverage holds counts only, and :func:`cell_view` is the one rule for what others may see
of them (a count below 5 is "fewer than 5"). The rules (windows, counts, which activity
counts for which criterion) all come from the framework's entitlements.yaml (rules.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compass_cli.core.frameworks import Frameworks
from compass_cli.core.records.rules import Entitlement, Rules, load_rules
from compass_cli.core.records.spreadsheets import Mapping, ProblemLog, load_mapping, parse_date
from compass_cli.core.records.tallies import DAYS, KINDS, Cohort, Tallies, mode_of, read_activities, read_pupils
from compass_cli.errors import UsageError


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
    """One pupil without one entitlement (for ``gaps`` only). The name and registration group are
    the pupils file's, where it has them (blank otherwise): they go to the gaps list and nowhere else."""

    group: str
    pupil_id: str
    entitlement: Entitlement
    has: str
    needs: str
    by: dt.date
    name: str = ""
    reg_group: str = ""


def unmeasurable_reason(ent: Entitlement, cohort: Cohort, tallies: Tallies, pupils: Path) -> str | None:
    if ent.among is not None and ent.among not in cohort.flag_columns:
        return f"the pupils file ({pupils.name}) has no '{ent.among}' column"
    needs = [c for c, on in (("meaningful", ent.meaningful), ("days", ent.days is not None),
                             ("provider", bool(ent.providers or ent.kinds))) if on]
    missing = [c for c in needs if c not in tallies.columns]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        return f"no activity file has a {' or '.join(repr(c) for c in missing)} {noun}"
    return None


class PupilEntitlements:
    """Has each counted pupil had each entitlement? Worked out from the tallies."""

    def __init__(self, rules: Rules, cohort: Cohort, tallies: Tallies, as_of: dt.date) -> None:
        self.rules, self.cohort, self.tallies, self.as_of = rules, cohort, tallies, as_of
        self.members: list[list[int]] = [[] for _ in rules.groups]
        self.late: list[list[int]] = [[] for _ in rules.groups]  # members with a joined_on date
        for p, counted in enumerate(cohort.counted):
            if counted:
                self.members[cohort.group[p]].append(p)
                if cohort.joined[p] is not None:
                    self.late[cohort.group[p]].append(p)
        self.member_flags = [[cohort.flags[p] for p in members] for members in self.members]
        self.flag_bit = {f.id: 1 << bit for bit, f in enumerate(rules.data.flags)}

    def _need(self, i: int, p: int, lo: dt.date, hi: dt.date) -> float | None:
        """What pupil ``p`` needs: all of it, or what remained possible after they joined (None:
        they joined after the window closed, so it is not asked of them)."""
        ent = self.rules.entitlements[i]
        joined = self.cohort.joined[p]
        if joined is None or joined <= lo:
            return self.rules.needed(ent, 1.0)
        if joined > hi:
            return None
        return self.rules.needed(ent, ((hi - joined).days + 1) / ((hi - lo).days + 1))

    def _has(self, i: int, p: int, need: float) -> bool:
        value = self.tallies.values[i][p]
        have = value.bit_count() if mode_of(self.rules.entitlements[i]) == KINDS else value
        return bool(have >= need - 1e-9)

    def pupils(self, i: int, group: str) -> Iterator[tuple[int, float, bool]]:
        """(pupil, what they need, have they got it) for the pupils of ``group`` measured by entitlement ``i``."""
        ent = self.rules.entitlements[i]
        lo, hi = self.rules.window(ent, group, self.as_of)
        among = self.flag_bit[ent.among] if ent.among is not None else 0
        for p in self.members[self.rules.groups.index(group)]:
            if among and not self.cohort.flags[p] & among:
                continue
            need = self._need(i, p, lo, hi)
            if need is not None:
                yield p, need, self._has(i, p, need)

    def _counts(self, i: int, group: str) -> tuple[Counter[tuple[int, bool]], int]:
        """How many measured pupils have it or not, by their flags: {(flags, has it): pupils}, and
        how many joined during the window. Every pupil is first counted as needing the whole of
        it (one pass in C); the few who joined late are then put right one by one."""
        ent = self.rules.entitlements[i]
        gi = self.rules.groups.index(group)
        lo, hi = self.rules.window(ent, group, self.as_of)
        members, flags = self.members[gi], self.member_flags[gi]
        among = self.flag_bit[ent.among] if ent.among is not None else 0
        if among:
            keep = [k for k, m in enumerate(flags) if m & among]
            members, flags = [members[k] for k in keep], [flags[k] for k in keep]
        values = self.tallies.values[i]
        whole = self.rules.needed(ent, 1.0)
        need = whole - 1e-9
        if mode_of(ent) == KINDS:
            oks = [values[p].bit_count() >= need for p in members]
        else:
            oks = [values[p] >= need for p in members]
        counts = Counter(zip(flags, oks, strict=True))
        joined = 0
        for p in self.late[gi]:
            if among and not self.cohort.flags[p] & among:
                continue
            late_need = self._need(i, p, lo, hi)
            joined_on = self.cohort.joined[p]  # set for every pupil in self.late
            if joined_on is not None and joined_on > lo:
                joined += late_need is not None
            mask = self.cohort.flags[p]
            counts[mask, self._has(i, p, whole)] -= 1
            if late_need is not None:
                counts[mask, self._has(i, p, late_need)] += 1
        return counts, joined

    def coverage(self, i: int, reason: str | None) -> EntitlementCoverage:
        rules, cohort = self.rules, self.cohort
        ent = rules.entitlements[i]
        split = [(f.id, self.flag_bit[f.id]) for f in rules.data.flags
                 if f.split and f.id in cohort.flag_columns and f.id != ent.among]
        cells: list[Cell] = []
        flags: dict[str, list[Cell]] = {f: [] for f, _ in split}
        joined = 0
        for g in ent.groups:
            counts, late = self._counts(i, g)
            joined += late
            cells.append(Cell(g, sum(n for (_, ok), n in counts.items() if ok), sum(counts.values())))
            for f, bit in split:
                have = sum(n for (mask, ok), n in counts.items() if ok and mask & bit)
                flags[f].append(Cell(g, have, sum(n for (mask, _), n in counts.items() if mask & bit)))
        return EntitlementCoverage(ent, rules.window_text(ent), rules.requirement_text(ent), reason, cells, flags,
                                   joined)

    def shortfalls(self, i: int) -> Iterator[Shortfall]:
        rules, cohort = self.rules, self.cohort
        ent = rules.entitlements[i]
        values = self.tallies.values[i]
        mode = mode_of(ent)
        for g in ent.groups:
            _, hi = rules.window(ent, g, self.as_of)
            for p, need, ok in self.pupils(i, g):
                if ok:
                    continue
                value = values[p]
                if mode == KINDS:
                    met = [k for k in ent.kinds or [] if value & rules.kind_bit[k]]
                    missing = [rules.data.provider_kinds[k] for k in ent.kinds or [] if k not in met]
                    has = f"{len(met)} of {len(ent.kinds or [])} provider kinds"
                    if need < len(ent.kinds or []):
                        needs = f"{int(need) - len(met)} more of: {', '.join(missing)}"
                    else:
                        needs = "encounters with: " + ", ".join(missing)
                elif mode == DAYS:
                    has = f"{value:g} of {need:g} days"
                    needs = rules.requirement_text(ent, need - value, more=True)
                else:
                    has = f"{value} of {int(need)}"
                    needs = rules.requirement_text(ent, need - value, more=True)
                yield Shortfall(g, cohort.pupil_ids[p], ent, has, needs, hi,
                                cohort.names[p] if cohort.names else "",
                                cohort.reg_groups[p] if cohort.reg_groups else "")


def measure(rules: Rules, pupils: Path, activities: list[Path], mapping: Mapping, as_of: dt.date,
            ) -> tuple[Coverage, PupilEntitlements]:
    """Read the files and work out coverage of every entitlement."""
    log = ProblemLog()
    cohort = read_pupils(rules, pupils, mapping, as_of, log)
    tallies = read_activities(rules, cohort, activities, mapping, as_of, log)
    entitlements = PupilEntitlements(rules, cohort, tallies, as_of)
    results = [
        entitlements.coverage(i, unmeasurable_reason(ent, cohort, tallies, pupils))
        for i, ent in enumerate(rules.entitlements)
    ]
    return Coverage(rules, as_of, cohort, tallies, results, log), entitlements


def records_coverage(
    pupils: str | Path, activities: Iterable[str | Path], *, framework: str | Path | None = None,
    as_of: dt.date | None = None, mapping: str | Path | None = None, frameworks: Frameworks | None = None,
) -> Coverage:
    """Coverage of every entitlement from a school's records, for use as a library (``compass records coverage``).

    ``framework``: whose entitlements.yaml is counted (an id or a folder; by default the default
    framework), ``as_of``: the day to measure on (default: today), ``mapping``: a mapping file
    for another export's column names. Rows that cannot be read are listed in
    ``Coverage.problems`` and the rest counted; a file that cannot be read at all raises
    InputError. The counts are exact: withhold those below 5 (``cell_view``) before sharing them.
    """
    rules = load_rules(framework, frameworks=frameworks)
    found, _ = measure(rules, Path(pupils), [Path(a) for a in activities],
                       load_mapping(None if mapping is None else Path(mapping), rules), as_of or dt.date.today())
    return found


def gaps(coverage: Coverage, entitlements: PupilEntitlements, benchmark: str | None = None,
         group: str | None = None) -> list[Shortfall]:
    """Every counted pupil without an entitlement they should have, by year group, registration group
    (where the pupils file gives it, so each tutor's pupils are together), then pupil."""
    rules = coverage.rules
    found: list[Shortfall] = []
    for i, item in enumerate(coverage.entitlements):
        ent = item.entitlement
        if not item.measurable or (benchmark and ent.benchmark != benchmark) or (group and group not in ent.groups):
            continue
        found += [s for s in entitlements.shortfalls(i) if group is None or s.group == group]
    order = {g: n for n, g in enumerate(rules.groups)}
    ent_order = {e.id: n for n, e in enumerate(rules.entitlements)}
    found.sort(key=lambda s: (order[s.group], _natural(s.reg_group), _natural(s.pupil_id),
                              ent_order[s.entitlement.id]))
    return found


def _natural(text: str) -> tuple[Any, ...]:
    """P2 before P10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


# --------------------------------------------------------------------------- counts as others may see them

#: Counts below this are shown as "fewer than 5".
SMALL = 5
FEWER = f"fewer than {SMALL}"


def cell_view(coverage: Coverage, cell: Cell, suppress: bool = True) -> dict[str, Any]:
    """One cell as plain data: counts, percent, band, or what is withheld and why."""
    view: dict[str, Any] = {"group": cell.group, "have": cell.have, "pupils": cell.pupils, "percent": None,
                            "band": None, "band_label": None, "suppressed": False}
    if cell.pupils == 0:
        return view
    if suppress and (cell.have < SMALL or cell.pupils < SMALL):
        view.update(have=None, suppressed=True)
        if cell.pupils < SMALL:
            view["pupils"] = None
        return view
    shown, band = coverage.rules.band(cell.have, cell.pupils)
    view.update(percent=shown, band=band.value, band_label=band.label)
    return view


def cell_text(view: dict[str, Any], learners: str = "pupils") -> str:
    """'212 of 230 (92%)', 'fewer than 5 of 30', 'fewer than 5 pupils', 'no pupils' (``learners``: the
    framework's word for them, "learners" for a college)."""
    if view["pupils"] == 0:
        return f"no {learners}"
    if view["suppressed"]:
        return f"{FEWER} {learners}" if view["pupils"] is None else f"{FEWER} of {view['pupils']}"
    return f"{view['have']} of {view['pupils']} ({view['percent']}%)"
