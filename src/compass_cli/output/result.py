"""Results as JSON and CSV for scripts. (Markdown and HTML reports come from templates: report.py.)

Every form is rendered from the one Result object; nothing here scores anything.
The JSON form is documented in docs/result-json.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from compass_cli import text
from compass_cli.core.models import Result

JSON_VERSION = 1


def result_to_dict(result: Result) -> dict[str, Any]:
    """The documented JSON object of one evaluation."""
    return {
        "json_version": JSON_VERSION,
        "source": result.source,
        "framework": result.framework,
        "framework_title": result.framework_title,
        "edition": result.edition,
        "institution": _institution(result),
        "date": result.date.isoformat(),
        "completed_by": result.completed_by,
        "partial_credit": result.partial_credit,
        "benchmarks_achieved": result.benchmarks_achieved,
        "average_score": text.json_number(result.average_score),
        "complete": result.complete,
        "unanswered": result.unanswered,
        "ignored": result.ignored,
        "no_longer_asked": result.no_longer_asked,
        "benchmarks": [
            {
                "id": b.id,
                "title": b.title,
                "score": text.json_number(b.score),
                "score_rounded": b.rounded,
                "achieved": b.achieved,
                "status": b.status.value,
                "areas": b.areas,
                "areas_met": b.areas_met,
                "areas_in_progress": b.areas_in_progress,
                "criteria": [
                    {
                        "id": c.id,
                        "status": c.status.value,
                        "text": c.text,
                        "source": c.source,
                        "areas": len(c.areas),
                        "areas_met": c.areas_met,
                        "assessment_areas": [
                            {"question": a.question, "status": a.status.value, "credit": text.json_number(a.credit),
                             "ruled_out_by": a.ruled_out_by}
                            for a in c.areas
                        ],
                        "unanswered": c.unanswered,
                        "gaps": [g.model_dump() for g in c.gaps],
                    }
                    for c in b.criteria
                ],
            }
            for b in result.benchmarks
        ],
    }


def _institution(result: Result) -> dict[str, Any]:
    """The institution as the result names it (its learner numbers are the answer file's business)."""
    inst = result.institution
    return {"name": inst.name, "urn": inst.urn, "ukprn": inst.ukprn, "type": inst.type, "type_label": result.type_label,
            "site": inst.site, "local_authority": inst.local_authority, "sixth_form": inst.sixth_form}


def to_json(results: Iterable[Result]) -> str:
    return text.json_text([result_to_dict(r) for r in results]) + "\n"


CSV_FIXED = [
    "file", "institution", "urn", "ukprn", "site", "local_authority", "type", "sixth_form",
    "date", "framework", "benchmarks_achieved", "average_score",
]


def csv_header(benchmark_ids: list[str]) -> list[str]:
    return (
        CSV_FIXED + benchmark_ids + [f"{b}_achieved" for b in benchmark_ids]
        + ["complete", "unanswered"]
        + [f"{b}_{what}" for b in benchmark_ids for what in ("areas_met", "areas")]
    )


def csv_row(result: Result) -> list[Any]:
    """One evaluation's cells; text goes through text.csv_cell, so a name starting with = is never a formula."""
    inst = result.institution
    return text.csv_row([
        result.source or "", inst.name, inst.urn or "", inst.ukprn or "", inst.site or "",
        inst.local_authority or "", inst.type, "yes" if inst.sixth_form else "no",
        result.date.isoformat(), result.framework, result.benchmarks_achieved, f"{result.average_score:.1f}",
        *["" if b.score is None else f"{b.score:.1f}" for b in result.benchmarks],
        *["yes" if b.achieved else "no" for b in result.benchmarks],
        "yes" if result.complete else "no", len(result.unanswered),
        *[n for b in result.benchmarks for n in (b.areas_met, b.areas)],
    ])


def to_csv(results: Iterable[Result]) -> str:
    """One row per evaluation, one column per benchmark; opens as-is in Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    rows = list(results)
    # the first evaluation names the benchmark columns; with none there are none to name
    writer.writerow(csv_header([b.id for b in rows[0].benchmarks] if rows else []))
    writer.writerows(csv_row(r) for r in rows)
    return out.getvalue()

