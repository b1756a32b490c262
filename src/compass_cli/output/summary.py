"""A hub summary as JSON, CSV, Markdown and HTML.

Every form is rendered from one Summary; nothing here reads answer files or scores
anything. Markdown and HTML come from templates (``summary.md.j2``, ``summary.html.j2``)
that a user's ``--templates`` folder may override one file at a time; the JSON form is
documented in the README.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compass_cli.text import csv_row, json_number, json_text, percent, round_half_up

if TYPE_CHECKING:  # only named here: compare, report and the audit use template_helpers without loading the summary
    from compass_cli.core.summarising import Figures, Row, Summary

JSON_VERSION = 1

# --------------------------------------------------------------------------- summary


def figures_to_dict(f: Figures) -> dict[str, Any]:
    return {
        "label": f.label,
        "evaluations": f.evaluations,
        "average_achieved": json_number(f.average_achieved),
        "average_score": json_number(f.average_score),
        "distribution": list(f.distribution),
        "benchmarks": [
            {
                "id": b.id,
                "title": b.title,
                "percent_achieving": json_number(b.percent_achieving),
                "achieving": b.achieving,
                "average_score": json_number(b.average_score),
                "areas_met": b.areas_met,
                "areas": b.areas,
                "not_started": b.not_started,
            }
            for b in f.benchmarks
        ],
    }


def row_to_dict(r: Row) -> dict[str, Any]:
    return {
        "name": r.name,
        "urn": r.urn,
        "ukprn": r.ukprn,
        "site": r.site,
        "local_authority": r.local_authority,
        "type": r.type,
        "framework": r.framework.id,
        "date": r.date.isoformat(),
        "term": r.term,
        "file": r.file,
        "benchmarks_achieved": r.benchmarks_achieved,
        "average_score": json_number(r.average_score),
        "scores": {bid: json_number(s) for bid, s in zip(r.framework.benchmarks, r.scores, strict=True)},
        "achieved": dict(zip(r.framework.benchmarks, r.achieved, strict=True)),
        "areas": {bid: {"met": m, "areas": a} for bid, (m, a) in zip(r.framework.benchmarks, r.areas, strict=True)},
        "unanswered": r.unanswered,
    }


def summary_to_dict(s: Summary, institutions: bool = True) -> dict[str, Any]:
    """The documented JSON object of a summary (see the README, "compass summary and compare")."""
    n = s.national
    doc = {
        "json_version": JSON_VERSION,
        "kind": "summary",
        "files_read": s.files_read,
        "evaluations": s.overall.evaluations,
        "all_terms": s.all_terms,
        "older_evaluations_not_counted": s.older_not_counted,
        "frameworks": [{"id": f.id, "title": f.title, "edition": f.edition} for f in s.frameworks],
        "overall": figures_to_dict(s.overall),
        "group_by": s.group_by.value if s.group_by else None,
        "groups": [figures_to_dict(g) for g in s.groups],
        "national": None if n is None else {
            "framework": n.framework,
            "average_achieved": {
                "year": n.average_year, "value": n.average_achieved, "source": n.average_source, "note": n.average_note
            },
            "percent_achieving": {
                "year": n.benchmark_year, "source": n.benchmark_source, "values": n.percent_achieving,
                "average_achieved": n.benchmark_year_average,
            } if n.percent_achieving else None,
            "years": n.years_sentence,
            "edition": n.edition,
            "note": n.note,
        },
        "weakest_benchmarks": [b.id for b in s.weakest],
        "criteria": [
            {
                "framework": c.framework,
                "id": c.id,
                "text": c.text,
                "scored": c.scored,
                "achieved": c.achieved,
                "in_progress": c.in_progress,
                "not_achieved": c.not_achieved,
                "percent_not_yet_achieved": json_number(c.percent_not_yet),
            }
            for c in s.criteria
        ],
        "bad_files": [{"file": b.file, "reasons": list(b.reasons)} for b in s.bad_files],
        "duplicates": [
            {
                "institution": d.name,
                "key": d.key,
                "date": d.date.isoformat(),
                "counted": d.counted,
                "not_counted": d.not_counted,
            }
            for d in s.duplicates
        ],
    }
    if institutions:
        doc["institutions"] = [row_to_dict(r) for r in s.rows]
    return doc


def summary_json(s: Summary) -> str:
    """The JSON text: indented, with one institution per line (short for thousands of rows,
    and built by the json module's fast encoder, which indenting every row would bypass)."""
    doc = summary_to_dict(s, institutions=False)
    head = json_text(doc)
    rows = ",\n".join("    " + json_text(row_to_dict(r), indent=None) for r in s.rows)
    return head[: -len("\n}")] + ',\n  "institutions": [\n' + rows + "\n  ]\n}\n"


def summary_csv(s: Summary) -> str:
    """One row per evaluation counted, plain numbers so that a spreadsheet sorts them.

    Text cells go through text.csv_cell, so a name starting with = is never a formula."""
    ids = list(s.benchmark_ids)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["institution", "urn", "ukprn", "site", "local_authority", "type", "framework", "date", "term",
         "benchmarks_achieved", "average_score", *ids, *[f"{b}_achieved" for b in ids], "unanswered", "file",
         *[f"{b}_{what}" for b in ids for what in ("areas_met", "areas")]]
    )
    for r in s.rows:
        scores = [r.score_of(b) for b in ids]
        areas = [r.areas_of(b) for b in ids]
        writer.writerow(csv_row(
            [r.name, r.urn or "", r.ukprn or "", r.site or "", r.local_authority or "", r.type, r.framework.id,
             r.date.isoformat(), r.term, r.benchmarks_achieved, f"{r.average_score:.1f}",
             *["" if x is None else f"{x:.1f}" for x in scores],
             *["yes" if r.achieved_of(b) else "no" for b in ids], r.unanswered, r.file,
             *[x for pair in areas for x in (pair if pair is not None else ("", ""))]]
        ))
    return out.getvalue()


def one_decimal(x: float) -> str:
    return f"{x:.1f}"


def two_decimals(x: float) -> str:
    return f"{x:.2f}"


def identity(r: Row) -> str:
    """How an institution is known: URN, else UKPRN, else nothing (its name is shown beside)."""
    if r.urn:
        return r.urn
    return f"UKPRN {r.ukprn}" if r.ukprn else ""


def template_helpers() -> dict[str, Any]:
    """The figures' helpers every summary and comparison template is given (a user's template may use them too)."""
    return {
        "percent": percent,
        "one_decimal": one_decimal,
        "two_decimals": two_decimals,
        "identity": identity,
        "whole": round_half_up,
    }


def summary_document(s: Summary, fmt: str, templates: Path | None = None) -> str:
    """Markdown (``md``) or self-contained HTML (``html``) from the bundled templates."""
    from compass_cli.output.templating import environment, render  # Jinja2 only when a document is asked for

    context = {"s": s, **template_helpers()}
    if s.group_by is not None:
        context["group_title"] = "By " + s.group_by.heading[0].lower() + s.group_by.heading[1:]
        context["group_heading"] = s.group_by.heading
    return render(environment(templates), f"summary.{fmt}.j2", context)
