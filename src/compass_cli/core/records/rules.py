"""Entitlements: what each pupil should have had, as data in the framework folder.

``questionnaires/<framework>/entitlements.yaml`` says which recorded activity counts towards
which criterion, in which time window, how many (or how many days, or which provider
kinds), for which year groups, and which share question the coverage answers. No rule
about any one benchmark is written in code: a hub's own framework can define its own.

Windows are written relative to each pupil's year group *now* (on the as-of date): a
point is a school year (an absolute year number such as 7, or ``current``) and a day of
that academic year. So "by 16" is ``from: {year: 7}`` ``to: {year: 11}`` and the provider
access duty's first phase is ``from: {year: 8}`` ``to: {year: 9, date: "02-28"}``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import Frameworks, framework_file, load_framework
from compass_cli.core.loading import pretty_path, read_document, validate
from compass_cli.core.models import Strict
from compass_cli.errors import InputError, Problem, UsageError
from compass_cli.text import MONTHS, round_half_up

ENTITLEMENTS_FILE = "entitlements.yaml"
MAX_ENTITLEMENTS_BYTES = 1024 * 1024
#: ``admitted_at_start_until`` is the first days of the autumn term, not a term or more after.
MAX_ADMITTED_AT_START = 61


def _month_day(value: Any) -> Any:
    """ "09-01" (quoted or not); refuse 29 February, which most years do not have."""
    if not isinstance(value, str):
        return value
    try:
        month, day = (int(part) for part in value.split("-"))
        dt.date(2025, month, day)
    except ValueError:
        raise ValueError(f"expected a day of the year as MM-DD (e.g. \"09-01\"); got {value!r}") from None
    return f"{month:02d}-{day:02d}"


MonthDay = Annotated[str, BeforeValidator(_month_day)]
Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Point(Strict):
    """A day in a pupil's school life: the academic year of ``year`` and a day in it."""

    year: int | Literal["current"]
    date: MonthDay | None = None


class Window(Strict):
    start: Point = Field(alias="from")
    end: Point = Field(alias="to")


class Fills(Strict):
    """The share question this entitlement answers, and for which of its groups."""

    question: str
    groups: list[str] | None = None


class Flag(Strict):
    id: Ident
    label: str
    split: bool = True


class Entitlement(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    criterion: str
    text: str
    activity: Ident | list[Ident]
    meaningful: bool = False
    in_person: bool = False
    providers: list[Ident] | None = None
    at_least: int | None = Field(default=None, ge=1)
    days: float | None = Field(default=None, gt=0, le=1000)
    kinds: list[Ident] | None = Field(default=None, min_length=1)
    window: Window
    groups: list[str] = Field(min_length=1)
    among: Ident | None = None
    fills: Fills | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_requirement(self) -> Entitlement:
        given = [k for k in ("at_least", "days", "kinds") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("an entitlement needs exactly one of: at_least (a count), days, kinds (provider kinds)")
        return self

    @property
    def activities(self) -> list[str]:
        return [self.activity] if isinstance(self.activity, str) else list(self.activity)

    @property
    def benchmark(self) -> str:
        return self.criterion.split(".", 1)[0]


class EntitlementsFile(Strict):
    academic_year_starts: MonthDay = "09-01"
    completed_year_from: MonthDay = "07-01"
    admitted_at_start_until: MonthDay | None = None
    scale: str = "share"
    bands: dict[str, int]
    activities: dict[Ident, str] = Field(min_length=1)
    provider_kinds: dict[Ident, str] = Field(default_factory=dict)
    flags: list[Flag] = Field(default_factory=list)
    year_groups: dict[str, int] = Field(min_length=1)
    entitlements: list[Entitlement] = Field(min_length=1)

    @field_validator("bands", "year_groups", mode="before")
    @classmethod
    def _keys_as_text(cls, value: Any) -> Any:
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


# --------------------------------------------------------------------------- the loaded rules


@dataclass(frozen=True)
class Band:
    value: str
    label: str
    lowest: int


class Rules:
    """The validated entitlements of one framework, with the date arithmetic they need."""

    def __init__(self, framework: Framework, data: EntitlementsFile) -> None:
        self.framework = framework
        self.data = data
        self.entitlements = data.entitlements
        self.groups = list(data.year_groups)  # in the file's order
        labels = {o.value: o.label for o in framework.meta.scales[data.scale].options}
        self.bands = [Band(v, labels[v], lowest) for v, lowest in data.bands.items()]
        #: a provider kind's bit in a tally of the kinds a pupil has met
        self.kind_bit = {k: 1 << n for n, k in enumerate(data.provider_kinds)}
        self._start = _md(data.academic_year_starts)
        self._completed = _md(data.completed_year_from)
        self._admitted_by = _md(data.admitted_at_start_until) if data.admitted_at_start_until else None

    # ----------------------------------------------------------------- groups and bands

    def group_label(self, gid: str) -> str:
        try:
            return self.framework.group(gid).label
        except KeyError:
            return gid

    def band(self, have: int, pupils: int) -> tuple[int, Band]:
        """The whole percent shown and the band it falls in.

        The percent is rounded half up, except that it never shows 0 when someone has it
        or 100 when someone has not, so the band always agrees with the number shown
        (0.4% is "1%, a few"; 99.6% is "99%, almost all", never "100%").
        """
        shown = round_half_up(100 * have / pupils)
        if 0 < have < pupils:
            shown = min(max(shown, 1), 99)
        band = self.bands[0]
        for b in self.bands:
            if shown >= b.lowest:
                band = b
        return shown, band

    # ----------------------------------------------------------------- dates

    def year_start(self, day: dt.date) -> dt.date:
        """The first day of the academic year ``day`` falls in."""
        start = dt.date(day.year, *self._start)
        return start if day >= start else dt.date(day.year - 1, *self._start)

    def academic_year(self, day: dt.date) -> str:
        first = self.year_start(day).year
        return f"{first}/{(first + 1) % 100:02d}"

    def year_end(self, label: str) -> dt.date:
        """The last day of the academic year written ``2025/26`` (or 2025-26, 2025/2026)."""
        first = parse_academic_year(label)
        return dt.date(first + 1, *self._start) - dt.timedelta(days=1)

    def left_before(self, left_on: dt.date, as_of: dt.date) -> bool:
        """A pupil who left before the as-of date is not counted, unless they left at the end of
        the summer term of the as-of academic year (on or after ``completed_year_from``): a
        Year 11 leaver in July has completed Year 11 and is counted for it."""
        if left_on >= as_of:
            return False
        return left_on < _in_year(self.year_start(as_of), self._completed, self._start)

    def measured_from(self, joined_on: dt.date) -> dt.date:
        """The day a pupil who joined on ``joined_on`` is measured from: that day, or the first day of its
        academic year if they joined by ``admitted_at_start_until`` (the first days of the autumn term).
        A pupil admitted on the first day of Year 7, a few days after the year began on paper, has had
        the whole of every window that starts then: they are not a late joiner."""
        start = self.year_start(joined_on)
        if self._admitted_by is not None and joined_on <= _in_year(start, self._admitted_by, self._start):
            return start
        return joined_on

    def point(self, point: Point, end: bool, pupil_year: int, as_of: dt.date) -> dt.date:
        """The date of ``point`` for a pupil in school year ``pupil_year`` on ``as_of``."""
        year = pupil_year if point.year == "current" else point.year
        first_day = self.year_start(as_of)
        start = dt.date(first_day.year - (pupil_year - year), *self._start)
        if point.date is None:
            return dt.date(start.year + 1, *self._start) - dt.timedelta(days=1) if end else start
        return _in_year(start, _md(point.date), self._start)

    def window(self, ent: Entitlement, group: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
        """The whole window for a pupil now in ``group`` (not cut at the as-of date)."""
        year = self.data.year_groups[group]
        return self.point(ent.window.start, False, year, as_of), self.point(ent.window.end, True, year, as_of)

    def window_text(self, ent: Entitlement) -> str:
        start, end = ent.window.start, ent.window.end
        if start.year == end.year == "current" and start.date is None and end.date is None:
            return "this academic year"
        return f"from {self._point_text(start, False)} to {self._point_text(end, True)}"

    def _point_text(self, point: Point, end: bool) -> str:
        year = "this school year" if point.year == "current" else f"Year {point.year}"
        if point.date is None:
            return f"the {'end' if end else 'start'} of {year}"
        month, day = _md(point.date)
        return f"{day} {MONTHS[month - 1]} of {year}"

    # ----------------------------------------------------------------- what an entitlement needs

    def requirement_text(self, ent: Entitlement, amount: float | None = None, more: bool = False) -> str:
        """'1 meaningful employer encounter', '5 days of in-person workplace experience',
        'a provider encounter with each of: sixth form, ...' (``amount`` replaces the number;
        ``more`` says it is what is still missing: '1 more meaningful employer encounter')."""
        extra = "more " if more else ""
        quality = "".join(w + " " for w, on in (("meaningful", ent.meaningful), ("in-person", ent.in_person)) if on)
        where = ""
        if ent.providers:
            where = " with a " + " or ".join(self.data.provider_kinds[k] for k in ent.providers)
        if ent.days is not None:
            n = ent.days if amount is None else amount
            what = " or ".join(self.data.activities[a] for a in ent.activities)
            return f"{n:g} {extra}day{'s' if n != 1 else ''} of {quality}{what}{where}"
        if ent.kinds is not None:
            what = " or ".join(self.data.activities[a] for a in ent.activities)
            kinds = ", ".join(self.data.provider_kinds[k] for k in ent.kinds)
            if amount is not None and amount < len(ent.kinds):
                return f"a {quality}{what} with {int(amount)} of: {kinds}"
            return f"a {quality}{what} with each of: {kinds}"
        n = int(amount if amount is not None else ent.at_least or 0)  # at_least is set when days and kinds are not
        what = " or ".join(self.data.activities[a] + ("s" if n != 1 else "") for a in ent.activities)
        return f"{n} {extra}{quality}{what}{where}"

    def needed(self, ent: Entitlement, fraction: float) -> float:
        """What a pupil must have when only ``fraction`` of the window remained after they joined:
        the count, days (to the half day) or number of provider kinds, rounded up, never zero."""
        if ent.days is not None:
            return max(0.5, math.ceil(ent.days * fraction * 2 - 1e-9) / 2)
        total = ent.at_least if ent.at_least is not None else len(ent.kinds or [])
        return max(1, math.ceil(total * fraction - 1e-9))


def _md(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def _in_year(start: dt.date, month_day: tuple[int, int], year_start: tuple[int, int]) -> dt.date:
    """The day ``month_day`` in the academic year that begins on ``start``."""
    return dt.date(start.year if month_day >= year_start else start.year + 1, *month_day)


def parse_academic_year(label: str) -> int:
    """2025/26, 2025-26 or 2025/2026 -> 2025 (the calendar year it starts in)."""
    found = re.fullmatch(r"\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*", label)
    if found:
        first, second = int(found[1]), int(found[2])
        if second == (first + 1) % (100 if second < 100 else 10000):
            return first
    raise UsageError(f"--year expects an academic year such as 2025/26; got '{label}'")


# --------------------------------------------------------------------------- loading


def load_rules(framework_ref: str | Path | None = None, framework: Framework | None = None,
               frameworks: Frameworks | None = None) -> Rules:
    """The entitlements of a framework (by id or folder, found on the search path), validated and
    cross-checked."""
    framework = framework or load_framework(framework_ref, frameworks)
    assert framework.folder is not None  # every loaded framework knows its folder
    path = framework.folder / ENTITLEMENTS_FILE
    if not path.is_file():
        raise UsageError(
            f"the framework '{framework.id}' has no {ENTITLEMENTS_FILE}, so activity records cannot be read "
            f"against it (see docs/records.md to write one)"
        )
    doc = read_document(framework_file(framework.folder, ENTITLEMENTS_FILE), max_bytes=MAX_ENTITLEMENTS_BYTES)
    data: EntitlementsFile = validate(EntitlementsFile, doc)
    problems = check_rules(framework, data, doc)
    if problems:
        raise InputError(f"{path}: invalid", problems)
    return Rules(framework, data)


def check_rules(fw: Framework, data: EntitlementsFile, doc: Any) -> list[Problem]:
    """Everything the model cannot see alone: references to the framework and to the file's own lists."""
    problems: list[Problem] = []

    def report(loc: tuple[Any, ...], message: str) -> None:
        problems.append(Problem(str(doc.path), message, doc.line_of(loc), pretty_path(doc.data, loc)))

    if data.admitted_at_start_until is not None:
        start = dt.date(2025, *_md(data.academic_year_starts))
        until = _in_year(start, _md(data.admitted_at_start_until), _md(data.academic_year_starts))
        if (until - start).days > MAX_ADMITTED_AT_START:
            report(("admitted_at_start_until",), f"'{data.admitted_at_start_until}' is more than "
                   f"{MAX_ADMITTED_AT_START} days after the academic year starts ({data.academic_year_starts}); it "
                   "is the last day of the first days of term")
    group_ids = [g.id for g in fw.meta.groups]
    for gid in data.year_groups:
        if gid not in group_ids:
            report(("year_groups", gid), f"'{gid}' is not a group of {fw.id} ({', '.join(group_ids)})")
    numbers = list(data.year_groups.values())
    if len(set(numbers)) != len(numbers):
        report(("year_groups",), "two year groups have the same school year number")

    scale = fw.meta.scales.get(data.scale)
    if scale is None:
        report(("scale",), f"unknown scale '{data.scale}' (framework scales: {', '.join(fw.meta.scales)})")
    else:
        values = [o.value for o in scale.options]
        if list(data.bands) != values:
            report(("bands",), f"bands must name the {data.scale} scale's options in order: {', '.join(values)}")
        lows = list(data.bands.values())
        if lows and (lows[0] != 0 or lows[-1] != 100 or any(b <= a for a, b in zip(lows, lows[1:], strict=False))):
            report(("bands",), "the lowest percents must rise from 0 (the first band) to 100 (the last)")

    flags = {f.id for f in data.flags}
    if len(flags) != len(data.flags):
        report(("flags",), "flag ids repeat")
    criteria = {c.id: c for c in fw.criteria()}
    seen: set[str] = set()
    filled: dict[tuple[str, str], str] = {}
    for i, ent in enumerate(data.entitlements):
        loc: tuple[Any, ...] = ("entitlements", i)
        if ent.id in seen:
            report(loc + ("id",), f"entitlement id '{ent.id}' is used twice")
        seen.add(ent.id)
        crit = criteria.get(ent.criterion)
        if crit is None:
            report(loc + ("criterion",), f"no criterion '{ent.criterion}' in {fw.id}")
        for a in ent.activities:
            if a not in data.activities:
                report(loc + ("activity",), f"'{a}' is not in activities ({', '.join(data.activities)})")
        for key in ("providers", "kinds"):
            for k in getattr(ent, key) or []:
                if k not in data.provider_kinds:
                    report(loc + (key,), f"'{k}' is not in provider_kinds ({', '.join(data.provider_kinds) or 'none'})")
        if ent.among is not None and ent.among not in flags:
            report(loc + ("among",), f"'{ent.among}' is not one of the flags ({', '.join(sorted(flags)) or 'none'})")
        for g in ent.groups:
            if g not in data.year_groups:
                report(loc + ("groups",), f"'{g}' is not in year_groups ({', '.join(data.year_groups)})")
        _check_window(ent, data, loc, report)
        if ent.fills is not None:
            _check_fills(fw, ent, crit, data, loc, report, filled)
    return problems


def _order(point: Point, end: bool, pupil_year: int, start: tuple[int, int]) -> tuple[int, int]:
    """A sortable position of a point for a pupil in ``pupil_year`` (school year, day of that year)."""
    year = pupil_year if point.year == "current" else point.year
    if point.date is None:
        return (year, 366 if end else 0)
    md = _md(point.date)
    day = (dt.date(2025 if md >= start else 2026, *md) - dt.date(2025, *start)).days
    return (year, day)


def _check_window(ent: Entitlement, data: EntitlementsFile, loc: tuple[Any, ...], report: Any) -> None:
    start = _md(data.academic_year_starts)
    for g in ent.groups:
        year = data.year_groups.get(g)
        if year is None:
            continue
        first = _order(ent.window.start, False, year, start)
        last = _order(ent.window.end, True, year, start)
        if first > last:
            report(loc + ("window",), f"the window ends before it starts (for {g})")
        elif first[0] > year:
            report(loc + ("groups",), f"{g} is measured, but the window starts only in Year {first[0]}")


def _check_fills(fw: Framework, ent: Entitlement, crit: Any, data: EntitlementsFile, loc: tuple[Any, ...],
                 report: Any, filled: dict[tuple[str, str], str]) -> None:
    assert ent.fills is not None
    floc = loc + ("fills",)
    qid = ent.fills.question
    if not fw.has_question(qid):
        report(floc + ("question",), f"no question '{qid}' in {fw.id}")
        return
    q = fw.question(qid)
    if not fw.kind(q).per_group:
        report(floc + ("question",), f"{qid} is a {q.kind.value} question; only a share question can be filled")
        return
    if q.scale_name() != data.scale:
        report(floc + ("question",), f"{qid} uses the '{q.scale_name()}' scale, not '{data.scale}'")
    if crit is not None and qid not in [x.id for x in crit.questions]:
        report(floc + ("question",), f"{qid} is not a question of criterion {ent.criterion}")
    groups = _filled_groups(ent.fills, q.groups, ent)
    if not groups:
        report(floc, f"none of {qid}'s groups ({', '.join(q.groups or [])}) is measured by this entitlement")
    for g in groups:
        if g not in (q.groups or []):
            report(floc + ("groups",), f"{qid} does not ask about {g} (its groups: {', '.join(q.groups or [])})")
        elif g not in ent.groups:
            report(floc + ("groups",), f"{g} is not one of this entitlement's groups")
        elif (qid, g) in filled:
            report(floc + ("groups",), f"{qid} {g} is filled by '{filled[qid, g]}' already")
        else:
            filled[qid, g] = ent.id


def fill_groups(rules: Rules, ent: Entitlement) -> list[str]:
    """The groups of its share question that an entitlement answers."""
    if ent.fills is None:
        return []
    return _filled_groups(ent.fills, rules.framework.question(ent.fills.question).groups, ent)


def _filled_groups(fills: Fills, question_groups: list[str] | None, ent: Entitlement) -> list[str]:
    """The groups named in ``fills``, or else those of the question the entitlement measures."""
    if fills.groups is not None:
        return list(fills.groups)
    return [g for g in question_groups or [] if g in ent.groups]
