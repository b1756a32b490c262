"""Coverage as JSON, CSV, Markdown and HTML; the gaps list as CSV.

Everything is rendered from one context (``coverage_context``) built from the Coverage
object, so the formats cannot disagree. Small numbers are suppressed by default, as
schools do for published statistics: in any cell where the pupils who have it, or the
pupils in the group, number fewer than 5, the count reads "fewer than 5" and the percent
and band are withheld (JSON: null, with ``"suppressed": true``). Pupil ids, names and
registration groups never appear here except in ``gaps_csv``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from compass_cli.core.records.coverage import FEWER, SMALL, Coverage, Shortfall, cell_text, cell_view
from compass_cli.core.records.rules import fill_groups
from compass_cli.text import csv_cell, csv_row, json_text, long_date

JSON_VERSION = 1


def coverage_context(coverage: Coverage, suppress: bool = True) -> dict[str, Any]:
    """The documented JSON form of coverage (docs/records.md), also the templates' context."""
    rules, cohort, tallies = coverage.rules, coverage.cohort, coverage.tallies
    pupil_problems = coverage.problems.rows_in([cohort.path] if cohort.path else [])
    flags = [f for f in rules.data.flags if f.split and f.id in cohort.flag_columns]
    entitlements = []
    for item in coverage.entitlements:
        ent = item.entitlement
        fills = None
        if ent.fills is not None:
            fills = {"question": ent.fills.question, "groups": fill_groups(rules, ent)}
        entitlements.append({
            "id": ent.id,
            "criterion": ent.criterion,
            "benchmark": ent.benchmark,
            "text": ent.text,
            "requirement": item.requirement,
            "window": item.window,
            "note": " ".join(ent.note.split()) if ent.note else None,
            "among": ent.among,
            "fills": fills,
            "measurable": item.measurable,
            "reason": item.reason,
            "joined_during_window": item.joined,
            "groups": [cell_view(coverage, c, suppress) for c in item.cells],
            "flags": [
                {"flag": f.id, "label": f.label, "groups": [cell_view(coverage, c, suppress) for c in item.flags[f.id]]}
                for f in flags if f.id in item.flags
            ],
        })
    return {
        "format": JSON_VERSION,
        "framework": rules.framework.id,
        "framework_title": rules.framework.meta.title,
        "as_of": coverage.as_of.isoformat(),
        "as_of_text": long_date(coverage.as_of),
        "academic_year": coverage.academic_year,
        "suppressed_below": SMALL if suppress else None,
        "pupils": {
            "in_file": cohort.in_file,
            "counted": cohort.pupils,
            "left": cohort.left,
            "not_yet_joined": cohort.not_yet_joined,
            "ignored": cohort.ignored,
            "with_problems": pupil_problems.rows,
            "kept_with_default": pupil_problems.kept,
        },
        "activities": {
            "files": tallies.files,
            "rows": tallies.rows,
            "counted": tallies.counted,
            "after_as_of": tallies.later,
            "ignored": tallies.ignored,
            "with_problems": coverage.problems.total - pupil_problems.rows,
        },
        "flags": [{"id": f.id, "label": f.label} for f in flags],
        "groups": [{"id": g, "label": rules.group_label(g)} for g in rules.groups],
        "bands": [{"value": b.value, "label": b.label, "from_percent": b.lowest} for b in rules.bands],
        "entitlements": entitlements,
    }


def to_json(coverage: Coverage) -> str:
    return json_text(coverage_context(coverage)) + "\n"


CSV_COLUMNS = ["entitlement", "criterion", "question", "window", "pupils", "year_group", "have", "in_group",
               "percent", "band", "note"]


def to_csv(coverage: Coverage) -> str:
    """One row per entitlement, pupil group (all, or a flag) and year group: tidy for a spreadsheet."""
    ctx = coverage_context(coverage)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for ent in ctx["entitlements"]:
        question = ent["fills"]["question"] if ent["fills"] else ""
        if not ent["measurable"]:
            writer.writerow(csv_row([ent["id"], ent["criterion"], question, ent["window"], "all", "", "", "", "", "",
                                     f"not measured: {ent['reason']}"]))
            continue
        splits = [("all", ent["groups"])] + [(f["flag"], f["groups"]) for f in ent["flags"]]
        for who, views in splits:
            for v in views:
                if v["pupils"] == 0:
                    continue
                have = FEWER if v["suppressed"] else v["have"]
                pupils = FEWER if v["pupils"] is None else v["pupils"]
                writer.writerow(csv_row([ent["id"], ent["criterion"], question, ent["window"], who, v["group"], have,
                                         pupils, "" if v["percent"] is None else v["percent"], v["band"] or "", ""]))
    return out.getvalue()


def shown(ent: dict[str, Any]) -> bool:
    """Whether an entitlement of the context gets a table: it is measurable and a year group has pupils."""
    return bool(ent["measurable"]) and any(v["pupils"] != 0 for v in ent["groups"])


def render(coverage: Coverage, fmt: str, templates: Path | None = None) -> str:
    """Markdown or HTML, from the bundled templates (or a user's, one file at a time)."""
    from compass_cli.output import templating

    ctx = coverage_context(coverage)
    words = coverage.rules.framework.meta.words()  # "learners counted" for a college
    for ent in ctx["entitlements"]:
        for view in ent["groups"]:
            view["text"] = cell_text(view, words.learners)
        for flag in ent["flags"]:
            for view in flag["groups"]:
                view["text"] = cell_text(view, words.learners)
        ent["shown"] = shown(ent)
    ctx["not_shown"] = [e for e in ctx["entitlements"] if not e["shown"]]
    env = templating.environment(templates)  # its md filter is text.markdown
    return templating.render(env, f"records.{fmt}.j2", {"coverage": ctx, "words": words.model_dump()})


GAPS_COLUMNS = ["year_group", "pupil_id", "entitlement", "criterion", "has", "needs", "by"]


def gaps_csv(found: list[Shortfall], tutor_columns: list[str] | tuple[str, ...] = ()) -> str:
    """The pupils still waiting, one row per pupil and missing entitlement (for form tutors), with the
    pupil's name and registration group after their id where the pupils file has them
    (``tutor_columns``: the cohort's)."""
    reg_group, name = "reg_group" in tutor_columns, "name" in tutor_columns
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year_group", *(["reg_group"] if reg_group else []), "pupil_id", *(["name"] if name else []),
                     *GAPS_COLUMNS[2:]])
    for s in found:
        writer.writerow([csv_cell(s.group), *([csv_cell(s.reg_group, number=False)] if reg_group else []),
                         csv_cell(s.pupil_id, number=False), *([csv_cell(s.name, number=False)] if name else []),
                         *csv_row([s.entitlement.id, s.entitlement.criterion, s.has, s.needs, s.by.isoformat()])])
    return out.getvalue()
