"""The action-plan report in words: a Report (core/reporting.py) rendered as Markdown or HTML.

The figures are the Report's; what a template shows is put into words here (scores as
text, dates, the chart, the plan's priorities), so templates only lay things out and a
Careers Hub that overrides one of them cannot get a number wrong. The same context feeds
both formats, so the Markdown and the HTML always say the same thing; the JSON for scripts
is report_json.py's. No I/O and no user interface here: the caller loads the files and
writes the output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compass_cli.core.answers import as_stored
from compass_cli.core.comparing import Comparison, CriterionChange
from compass_cli.core.framework import Framework
from compass_cli.core.models import Institution, NationalFigures, Result, Status
from compass_cli.core.planning import Band, Plan
from compass_cli.core.reporting import BenchmarkFigures, EvidenceGroup, Readiness, ReadinessGroup, Report
from compass_cli.output.charts import Series, bar_chart, row_chart
from compass_cli.output.comparison import BenchmarkChange, benchmark_changes
from compass_cli.text import change, change_value, direction, long_date, percent, quantity, short_date, signed

FORMATS = {"md": "report.md.j2", "html": "report.html.j2"}

#: Bar colours: each at least 3:1 against white (WCAG for graphics) and distinct in greyscale.
COLOUR_THIS = "#1d3f6e"
COLOUR_PREVIOUS = "#6c8cb0"

def areas_sentence(met: int, areas: int) -> str:
    """'Met 7 of 8 assessment areas.', the words Compass's own report uses."""
    return f"Met {met} of {quantity(areas, 'assessment area')}."


def institution_named(inst: Institution) -> str:
    """An earlier evaluation's institution as a note names it: its name, and its site where it
    has one (two sites of a college are two institutions: models.institution_key)."""
    site = (inst.site or "").strip()
    return (inst.name or "(not named)") + (f" ({site})" if site else "")


def national_note(national: NationalFigures | None, fw: Framework) -> str:
    """What the national figures are (national.yaml's note), or that none are published for this framework:
    the report and the careers page say it alike."""
    if national is None:
        return f"No national figures are published for {fw.meta.title}, so none are shown."
    return " ".join(national.note.split())


def _status(status: Status) -> dict[str, str]:
    if status is Status.unscored:  # the HTML badge for "nothing answered yet"
        return {"status": "unanswered", "status_label": status.label}
    return {"status": status.value, "status_label": status.label}


# --------------------------------------------------------------------------- context


def build_context(report: Report) -> dict[str, Any]:
    """Everything the report templates show, in words, from the Report's figures.

    National figures are the framework's own (its national.yaml); a framework with none
    gives ``national.available`` false and the report says that none are published.
    """
    result, fw, before, national = report.result, report.framework, report.previous, report.national
    inst = result.institution
    completed = report.current.answer_file.evaluation.completed_by
    return {
        "institution": {
            "name": inst.name or "(institution not named)",
            "urn": inst.urn,
            "ukprn": inst.ukprn,
            "type": result.type_label or inst.type,
            "site": inst.site,
            "local_authority": inst.local_authority,
            "sixth_form": inst.sixth_form,
        },
        "framework": {"id": fw.id, "title": fw.meta.title, "edition": fw.meta.edition},
        #: the setting's own words ("the college's own", "feedback from learners"), for the institution's type
        "words": fw.meta.words(inst.type).model_dump(),
        "evaluation": {
            "date": result.date.isoformat(),
            "date_long": long_date(result.date),
            "completed_by": completed.name,
            "role": completed.role,
            "complete": result.complete,
            "unanswered": len(result.unanswered),
        },
        "headline": _headline(result, before, national),
        **_charts(result, before, report.figures),
        "chart_rows": _chart_rows(result, report.figures),
        "benchmarks": _benchmarks(report),
        "plan": _plan(report.plan),
        "evidence": _evidence(report.evidence),
        "supplementary": _supplementary(report.readiness),
        "no_longer_asked": list(result.no_longer_asked),
        "changes": _changes(report.comparison) if report.comparison is not None else None,
        "national": _national(national, fw),
        "review": {"next_snapshot": long_date(report.next_snapshot)},
        "method": {
            "partial_credit": f"{result.partial_credit:g}",
            "partial_credit_used": result.partial_credit > 0,
        },
    }


def _national(national: NationalFigures | None, fw: Framework) -> dict[str, Any]:
    """The national figures as the report shows them, each with its year and source."""
    if national is None:
        return {
            "available": False, "year": "", "average": "", "institutions": None, "source": "",
            "by_benchmark": False, "by_benchmark_year": "", "by_benchmark_source": "", "edition": "",
            "same_edition": True, "by_benchmark_average": "", "years": "",
            "one_year": True,
            "note": national_note(national, fw),
        }
    by_bench = national.latest_by_benchmark
    return {
        "available": True,
        "year": national.latest.year,
        "average": f"{national.latest.average_achieved:g}",
        "institutions": national.latest.institutions_text,
        "source": national.latest.source,
        "by_benchmark": by_bench is not None,
        "by_benchmark_year": by_bench.year if by_bench else "",
        "by_benchmark_source": by_bench.source if by_bench else "",
        #: the national average of the year of the shares per benchmark: what those shares add up to
        "by_benchmark_average": f"{by_bench.average_achieved:g}" if by_bench else "",
        "one_year": by_bench is None or by_bench.year == national.latest.year,
        "years": national.years_sentence,
        "edition": national.edition,
        "same_edition": national.edition == fw.meta.edition,
        "note": national_note(national, fw),
    }


def _headline(result: Result, previous: Result | None, national: NationalFigures | None) -> dict[str, Any]:
    total = len(result.benchmarks)
    out: dict[str, Any] = {
        "achieved": result.benchmarks_achieved,
        "total": total,
        "average": percent(result.average_score),
        "previous": None,
        "national_average": f"{national.latest.average_achieved:g}" if national else "–",
        "national_year": national.latest.year if national else "",
    }
    if previous is not None:
        out["previous"] = {
            "date_long": long_date(previous.date),
            "achieved": previous.benchmarks_achieved,
            "total": len(previous.benchmarks),
            "average": percent(previous.average_score),
            "achieved_change": signed(result.benchmarks_achieved - previous.benchmarks_achieved),
            "average_change": change(previous.average_score, result.average_score, " points"),
        }
    return out


def _charts(result: Result, previous: Result | None, figures: tuple[BenchmarkFigures, ...]) -> dict[str, Any]:
    """The bar chart of this evaluation (and the previous one), with a description in words.

    ``chart_narrow``: the same chart with horizontal bars, which the report shows on a phone.

    National figures are a different measure (the share of institutions fully achieving each
    benchmark, from another year and edition), so they are never bars on the same axis: the
    report shows them in a column of their own.
    """
    series = [Series(f"This evaluation ({long_date(result.date)})", [b.score for b in result.benchmarks],
                     COLOUR_THIS)]
    if previous is not None:
        series.append(Series(f"Previous evaluation ({long_date(previous.date)})",
                             [f.previous for f in figures], COLOUR_PREVIOUS))
    parts = []
    for i, b in enumerate(result.benchmarks):
        bits = [f"this evaluation {percent(b.score)}"]
        if previous is not None:
            bits.append(f"previous {percent(series[1].values[i])}")
        parts.append(f"{b.id} {b.title}: " + ", ".join(bits))
    desc = "Bar chart of each benchmark's score out of 100%. " + "; ".join(parts) + "."
    groups = [b.id for b in result.benchmarks]
    return {"chart": bar_chart(groups, series, title="Scores by benchmark", desc=desc),
            "chart_narrow": row_chart(groups, series, title="Scores by benchmark", desc=desc)}


def _chart_rows(result: Result, figures: tuple[BenchmarkFigures, ...]) -> list[dict[str, Any]]:
    """The chart's figures as table rows: with a previous evaluation, its score and the change
    (the difference of the two figures shown), so then-and-now is one table, not two."""
    return [
        {
            "id": b.id,
            "title": b.title,
            "score": percent(b.score),
            "areas": f"{b.areas_met} of {b.areas}" if b.score is not None else "–",
            "previous": percent(f.previous),
            "change": change(f.previous, b.score, " points"),
            "direction": direction(change_value(f.previous, b.score)),
            "national": percent(f.national),
            **_status(b.status),
        }
        for b, f in zip(result.benchmarks, figures, strict=True)
    ]


def _benchmarks(report: Report) -> list[dict[str, Any]]:
    fw, the_plan = report.framework, report.plan
    defs = {b.id: b for b in fw.benchmarks}
    # the plan's numbers of the actions that close each gap: the part refers to the plan
    # rather than repeating every action in full
    ranks: dict[tuple[str, str], list[int]] = {}
    for row in the_plan.actions:
        for gap in row.gaps:
            ranks.setdefault((row.criterion, gap), []).append(row.rank)
    out = []
    for b in report.result.benchmarks:
        criteria = []
        for c in b.criteria:
            needs_work = bool(c.gaps)
            criteria.append({
                "id": c.id,
                "areas": len(c.areas),
                "areas_met": c.areas_met,
                "text": " ".join(c.text.split()),
                "source": c.source,
                **_status(c.status),
                "needs_work": needs_work,
                "gaps": [{"text": g.text, "actions": sorted(ranks.get((c.id, g.text), []))} for g in c.gaps],
                "unanswered": list(c.unanswered),
            })
        bdef = defs.get(b.id)
        out.append({
            "id": b.id,
            "title": b.title,
            "summary": " ".join(bdef.summary.split()) if bdef else "",
            "score": percent(b.score),
            "score_value": b.rounded if b.rounded is not None else 0,
            "achieved": b.achieved,
            **_status(b.status),
            "criteria_achieved": sum(1 for c in b.criteria if c.status is Status.achieved),
            "criteria_applicable": sum(1 for c in b.criteria if c.applies),
            "areas": b.areas,
            "areas_met": b.areas_met,
            "areas_sentence": areas_sentence(b.areas_met, b.areas) if b.score is not None else "",
            "criteria": criteria,
        })
    return out


def _plan(the_plan: Plan) -> dict[str, Any]:
    rows = [
        {
            "rank": a.rank,
            "band": a.band.value,
            "band_label": a.band.label,
            "benchmark": a.benchmark,
            "benchmark_title": a.benchmark_title,
            "criterion": a.criterion,
            "question": a.question,
            "gaps": a.gaps,
            "action": a.action,
            "generic": a.generic,
            "effort": a.effort.label if a.effort else "–",
            "success_measure": a.success_measure,
            "owner": a.owner or "",
            "due": long_date(a.due) if a.due else "",
            "due_short": short_date(a.due) if a.due else "",
            "status": a.status,
        }
        for a in the_plan.actions
    ]
    first, later = rows[: the_plan.top], rows[the_plan.top:]
    return {
        "actions": rows,
        "first": first,
        "later": later,
        "top": the_plan.top,
        "bands": [
            {"band": band.value, "label": band.label, "description": band.description,
             "count": sum(1 for r in first if r["band"] == band.value)}
            for band in Band
            if any(r["band"] == band.value for r in first)
        ],
        "unanswered_criteria": the_plan.unanswered_criteria,
        "presets": sum(1 for a in the_plan.actions if a.owner or a.due),
    }


#: The HTML badge of each readiness: the same badges as the criteria's statuses.
_READINESS_BADGE = {Readiness.ready: "achieved", Readiness.not_yet: "in_progress", Readiness.unanswered: "unanswered"}


def _supplementary(groups: tuple[ReadinessGroup, ...]) -> list[dict[str, Any]]:
    """Supplementary questions (the work experience guarantee, say), grouped by what they measure:
    each with its answer in words and whether it is ready yet (domain guide, part 9.6)."""
    return [
        {
            "label": group.label,
            "questions": [
                {"id": q.question, "text": q.text, "answer": q.words, "status": _READINESS_BADGE[q.readiness],
                 "status_label": q.readiness.label}
                for q in group.questions
            ],
            "ready": group.ready,
        }
        for group in groups
    ]


def _evidence(groups: tuple[EvidenceGroup, ...]) -> list[dict[str, Any]]:
    """The evidence log as the templates show it: every field as text, empty where the file has none."""
    return [
        {
            "id": group.benchmark,
            "title": group.title,
            "entries": [
                {
                    "ref": e.ref,
                    "about": e.about,
                    "answer": e.answer or "",
                    "note": (e.note.note or "") if e.note else "",
                    "evidence": (e.note.evidence or "") if e.note else "",
                    "owner": (e.note.owner or "") if e.note else "",
                    "due": long_date(e.note.due) if e.note and e.note.due else "",
                }
                for e in group.entries
            ],
        }
        for group in groups
    ]


def _changes(comparison: Comparison) -> dict[str, Any]:
    old = comparison.old
    benchmarks = benchmark_changes(comparison, " points")
    return {
        "previous_date_long": long_date(old.date),
        "previous_framework": old.framework_title,
        "previous_edition": old.edition,
        "same_framework": comparison.same_framework,
        "previous_institution": institution_named(old.institution),
        "same_institution": comparison.same_institution,
        "previous_is_later": old.date > comparison.new.date,
        "benchmarks": [
            {**_scores(b), "old_status": b.old_status.label, "new_status": b.new_status.label} for b in benchmarks
        ],
        #: the benchmarks whose score as shown or status changed, each in words
        "moved": [_moved(b) for b in benchmarks if b.moved],
        "improved": [_criterion_change(c) for c in comparison.improved],
        "fell_back": [_criterion_change(c) for c in comparison.fell_back],
        "other": [_criterion_change(c) for c in comparison.other_changes],
        "answers_changed": len(comparison.answers_changed),
        #: each changed answer then and now, in the questionnaire's words (as ``compass compare`` shows them)
        "answers": [
            {"id": a.question, "text": a.text, "old": a.old_words or as_stored(a.old),
             "new": a.new_words or as_stored(a.new)}
            for a in comparison.answers_changed
        ],
        "not_comparable": comparison.not_comparable,
    }


def _scores(b: BenchmarkChange) -> dict[str, str]:
    """A benchmark then and now: its scores as shown, the change and its direction."""
    return {"id": b.id, "title": b.title, "old": b.old, "new": b.new, "change": b.change, "direction": b.direction}


def _moved(b: BenchmarkChange) -> dict[str, str]:
    """A benchmark that moved, in words: 57% → 100%, +43 points, in progress → achieved (or still in progress)."""
    old, new = b.old_status.label.lower(), b.new_status.label.lower()
    return {**_scores(b), "status": f"{old} → {new}" if old != new else f"still {new}"}


def _criterion_change(change: CriterionChange) -> dict[str, str]:
    return {
        "id": change.id,
        "text": " ".join(change.text.split()),
        "old": change.old_status.label,
        "new": change.new_status.label,
    }


# --------------------------------------------------------------------------- rendering


def render(context: dict[str, Any], fmt: str, templates: Path | None = None) -> str:
    """Render the report's context in ``fmt`` ("md" or "html"); template errors name file and line."""
    from compass_cli.output import templating  # Jinja2 only when a page is asked for: not for JSON

    return templating.render(templating.environment(templates), FORMATS[fmt], context)


def render_report(report: Report, fmt: str = "md", templates: Path | None = None) -> str:
    """The whole report as text: Markdown ("md"), HTML ("html") or JSON ("json", docs/report-json.md).

    ``templates``: a folder of the user's own templates, each replacing the bundled one of its name.
    """
    if fmt == "json":
        from compass_cli.output.report_json import report_json

        return report_json(report)
    if fmt not in FORMATS:
        raise ValueError(f"a report is written as md, html or json, not {fmt!r}")
    return render(build_context(report), fmt, templates)
