"""A hub summary and a comparison of two evaluations as JSON, CSV, Markdown and HTML.

Every form is rendered from one object (a Summary or a Comparison); nothing here reads
answer files or scores anything. Markdown and HTML come from templates
(``summary.md.j2``, ``summary.html.j2``, ``compare.md.j2``) that a user's ``--templates``
folder may override one file at a time; the JSON forms are documented in the README.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from compass_cli.core.comparing import Comparison
from compass_cli.core.models import Framework, Status
from compass_cli.core.summarising import Figures, Row, Summary
from compass_cli.text import change, csv_row, percent, round_half_up

JSON_VERSION = 1


def _num(x: float | None, places: int = 4) -> float | None:
    return None if x is None else round(x, places)


# --------------------------------------------------------------------------- summary


def figures_to_dict(f: Figures) -> dict[str, Any]:
    return {
        "label": f.label,
        "evaluations": f.evaluations,
        "average_achieved": _num(f.average_achieved),
        "average_score": _num(f.average_score),
        "distribution": list(f.distribution),
        "benchmarks": [
            {
                "id": b.id,
                "title": b.title,
                "percent_achieving": _num(b.percent_achieving),
                "achieving": b.achieving,
                "average_score": _num(b.average_score),
                "areas_met": b.areas_met,
                "areas": b.areas,
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
        "average_score": _num(r.average_score),
        "scores": {bid: _num(s) for bid, s in zip(r.framework.benchmarks, r.scores, strict=True)},
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
                "year": n.benchmark_year, "source": n.benchmark_source, "values": n.percent_achieving
            },
            "edition": n.edition,
            "note": n.note,
        },
        "weakest_benchmarks": [b.id for b in s.weakest],
        "criteria": [
            {
                "id": c.id,
                "text": c.text,
                "scored": c.scored,
                "achieved": c.achieved,
                "in_progress": c.in_progress,
                "not_achieved": c.not_achieved,
                "percent_not_yet_achieved": _num(c.percent_not_yet),
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
    head = json.dumps(doc, indent=2, ensure_ascii=False)
    rows = ",\n".join("    " + json.dumps(row_to_dict(r), ensure_ascii=False) for r in s.rows)
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


def _helpers() -> dict[str, Any]:
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

    context = {"s": s, **_helpers()}
    if s.group_by is not None:
        context["group_title"] = "By " + s.group_by.heading[0].lower() + s.group_by.heading[1:]
        context["group_heading"] = s.group_by.heading
    return render(environment(templates), f"summary.{fmt}.j2", context)


# --------------------------------------------------------------------------- compare


def show_answer(value: Any) -> str:
    """An answer in a few words: a share as "KS3: all, KS4: most", a checklist as its items."""
    if value is None:
        return "(no answer)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "(no answer)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none ticked)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def question_texts(fw: Framework) -> dict[str, str]:
    return {q.id: " ".join(q.text.split()) for q in fw.questions()}


def comparison_to_dict(c: Comparison, texts: dict[str, str]) -> dict[str, Any]:
    """The documented JSON object of a comparison of two evaluations."""

    def side(r: Any) -> dict[str, Any]:
        return {
            "file": r.source,
            "institution": r.institution.name,
            "urn": r.institution.urn,
            "date": r.date.isoformat(),
            "framework": r.framework,
            "edition": r.edition,
            "benchmarks_achieved": r.benchmarks_achieved,
            "average_score": _num(r.average_score),
        }

    def crit(x: Any) -> dict[str, Any]:
        return {"id": x.id, "text": x.text, "old_status": x.old_status.value, "new_status": x.new_status.value}

    return {
        "json_version": JSON_VERSION,
        "kind": "comparison",
        "old": side(c.old),
        "new": side(c.new),
        "same_framework": c.same_framework,
        "achieved_change": c.achieved_delta,
        "average_score_change": _num(c.average_delta),
        "benchmarks": [
            {
                "id": b.id,
                "title": b.title,
                "old_score": _num(b.old_score),
                "new_score": _num(b.new_score),
                "change": _num(b.delta),
                "old_status": b.old_status.value,
                "new_status": b.new_status.value,
                "old_achieved": b.old_achieved,
                "new_achieved": b.new_achieved,
            }
            for b in c.benchmarks
        ],
        "improved": [crit(x) for x in c.improved],
        "fell_back": [crit(x) for x in c.fell_back],
        "other_changes": [crit(x) for x in c.other_changes],
        "answers_compared": c.same_framework,
        "answers_changed": [
            {"question": a.question, "text": texts.get(a.question, ""), "old": a.old, "new": a.new}
            for a in c.answers_changed
        ],
        "not_comparable": c.not_comparable,
    }


def comparison_json(c: Comparison, texts: dict[str, str]) -> str:
    return json.dumps(comparison_to_dict(c, texts), indent=2, ensure_ascii=False) + "\n"


def comparison_markdown(c: Comparison, texts: dict[str, str], templates: Path | None = None) -> str:
    from compass_cli.output.templating import environment, render

    context = {"c": c, "texts": texts, "show_answer": show_answer, "change": change, "Status": Status, **_helpers()}
    return render(environment(templates), "compare.md.j2", context)
