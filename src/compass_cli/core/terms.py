"""School terms, academic years and the national snapshot dates (domain guide, part 7)."""

from __future__ import annotations

import datetime as dt

#: Terms and the national snapshot that each one feeds (domain guide, part 7). An evaluation
#: dated 1 August to 31 December is an autumn evaluation (snapshot 31 December), 1 January to
#: 31 March spring (snapshot 31 March), 1 April to 31 July summer (snapshot 31 July). The
#: academic year runs from 1 August to 31 July.


def academic_year(date: dt.date) -> str:
    """The academic year of a date, e.g. 2025/26 for 12 November 2025 or 3 March 2026."""
    start = date.year if date.month >= 8 else date.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def term_name(date: dt.date) -> str:
    """autumn, spring or summer, by the national snapshot the evaluation falls before."""
    if date.month >= 8:
        return "autumn"
    return "spring" if date.month <= 3 else "summer"


def snapshot_of(date: dt.date) -> dt.date:
    """The national snapshot an evaluation made on ``date`` feeds: 31 December, 31 March or 31 July."""
    if date.month >= 8:
        return dt.date(date.year, 12, 31)
    return dt.date(date.year, 3, 31) if date.month <= 3 else dt.date(date.year, 7, 31)


def next_snapshot(date: dt.date) -> dt.date:
    """The snapshot after the one ``date`` feeds: when the next term's evaluation is due."""
    return snapshot_of(snapshot_of(date) + dt.timedelta(days=1))


def term_of(date: dt.date) -> str:
    """The term label, e.g. "2025/26 autumn". Labels sort in time order as plain text."""
    return f"{academic_year(date)} {term_name(date)}"
