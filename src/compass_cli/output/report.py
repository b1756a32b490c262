"""The action-plan report: one context built from the Result, rendered as Markdown or HTML.

Everything a template shows is worked out here (scores as text, the plan's order, the
chart, the comparison), so templates only lay things out and a Careers Hub that overrides
one of them cannot get a number wrong. The same context feeds both formats, so the
Markdown and the HTML always say the same thing. No I/O and no user interface here: the
caller loads the files and writes the output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compass_cli.core.answers import describe
from compass_cli.core.comparing import Comparison, compare
from compass_cli.core.evaluation import ScoredEvaluation
from compass_cli.core.framework import Framework
from compass_cli.core.kinds import FULL
from compass_cli.core.models import NationalFigures, Result, Status
from compass_cli.core.planning import TOP, Band, Plan, plan
from compass_cli.core.scoring import answer_credit, question_states
from compass_cli.core.terms import next_snapshot
from compass_cli.output import templating
from compass_cli.output.charts import Series, bar_chart, row_chart
from compass_cli.output.comparison import benchmark_changes
from compass_cli.text import change, change_value, direction, long_date, percent, quantity, short_date, signed

FORMATS = {"md": "report.md.j2", "html": "report.html.j2"}

#: Bar colours: each at least 3:1 against white (WCAG for graphics) and distinct in greyscale.
COLOUR_THIS = "#1d3f6e"
COLOUR_PREVIOUS = "#6c8cb0"

def areas_sentence(met: int, areas: int) -> str:
    """'Met 7 of 8 assessment areas.', the words Compass's own report uses."""
    return f"Met {met} of {quantity(areas, 'assessment area')}."


def _status(status: Status) -> dict[str, str]:
    if status is Status.unscored:  # the HTML badge for "nothing answered yet"
        return {"status": "unanswered", "status_label": status.label}
    return {"status": status.value, "status_label": status.label}


# --------------------------------------------------------------------------- context


def build_context(
    current: ScoredEvaluation,
    previous: ScoredEvaluation | None = None,
    *,
    top: int = TOP,
) -> dict[str, Any]:
    """Everything the report templates show, worked out from the result.

    National figures are the framework's own (its national.yaml); a framework with none
    gives ``national.available`` false and the report says that none are published.
    """
    result, fw = current.result, current.framework
    before = previous.result if previous is not None else None
    national = fw.national
    the_plan = plan(result, fw, current.answer_file.notes, top=top)
    comparison = (
        compare(previous.result, result, previous.answers, current.answers, fw) if previous is not None else None
    )
    inst = result.institution
    completed = current.answer_file.evaluation.completed_by
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
        **_charts(result, before),
        "chart_rows": _chart_rows(result, before, national),
        "benchmarks": _benchmarks(current, the_plan),
        "plan": _plan(the_plan),
        "evidence": _evidence(current),
        "supplementary": _supplementary(current),
        "no_longer_asked": list(result.no_longer_asked),
        "changes": _changes(comparison) if comparison is not None else None,
        "national": _national(national, fw),
        "review": {"next_snapshot": long_date(next_snapshot(result.date))},
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
            "note": f"No national figures are published for {fw.meta.title}, so none are shown.",
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
        "note": " ".join(national.note.split()),
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


def _previous_scores(result: Result, previous: Result | None) -> list[float | None]:
    old = {b.id: b.score for b in previous.benchmarks} if previous else {}
    return [old.get(b.id) for b in result.benchmarks]


def _national_scores(result: Result, national: NationalFigures | None) -> list[float | None]:
    by_bench = national.latest_by_benchmark if national else None
    figures = (by_bench.percent_achieving or {}) if by_bench else {}
    return [figures.get(b.id) for b in result.benchmarks]


def _charts(result: Result, previous: Result | None) -> dict[str, Any]:
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
                             _previous_scores(result, previous), COLOUR_PREVIOUS))
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


def _chart_rows(result: Result, previous: Result | None, national: NationalFigures | None) -> list[dict[str, Any]]:
    """The chart's figures as table rows: with a previous evaluation, its score and the change
    (the difference of the two figures shown), so then-and-now is one table, not two."""
    prev = _previous_scores(result, previous)
    nat = _national_scores(result, national)
    return [
        {
            "id": b.id,
            "title": b.title,
            "score": percent(b.score),
            "areas": f"{b.areas_met} of {b.areas}" if b.score is not None else "–",
            "previous": percent(prev[i]),
            "change": change(prev[i], b.score, " points"),
            "direction": direction(change_value(prev[i], b.score)),
            "national": percent(nat[i]),
            **_status(b.status),
        }
        for i, b in enumerate(result.benchmarks)
    ]


def _benchmarks(current: ScoredEvaluation, the_plan: Plan) -> list[dict[str, Any]]:
    fw = current.framework
    defs = {b.id: b for b in fw.benchmarks}
    # the plan's numbers of the actions that close each gap: the part refers to the plan
    # rather than repeating every action in full
    ranks: dict[tuple[str, str], list[int]] = {}
    for row in the_plan.actions:
        for gap in row.gaps:
            ranks.setdefault((row.criterion, gap), []).append(row.rank)
    out = []
    for b in current.result.benchmarks:
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


def _supplementary(current: ScoredEvaluation) -> list[dict[str, Any]]:
    """Supplementary questions (the work experience guarantee, say), grouped by what they measure.

    They are asked and shown as readiness, not scored (domain guide, part 9.6), so the report
    lists each with its answer in words and whether it is ready yet.
    """
    fw, answers = current.framework, current.answers
    sixth_form = current.answer_file.institution.sixth_form
    states = question_states(fw, answers, sixth_form)
    groups: dict[str, list[dict[str, Any]]] = {}
    for q in fw.questions():
        if not q.supplementary or not states[q.id].shown:
            continue
        value = answers.get(q.id)
        credit = answer_credit(fw, q, value, sixth_form)
        if value is None:
            status, label = "unanswered", "Not answered yet"
        elif credit is not None and credit >= FULL:
            status, label = "achieved", "Ready"
        else:
            status, label = "in_progress", "Not yet"
        groups.setdefault(q.supplementary, []).append({
            "id": q.id, "text": " ".join(q.text.split()), "answer": describe(fw, q, value),
            "status": status, "status_label": label,
        })
    return [
        {"label": label, "questions": rows, "ready": sum(r["status"] == "achieved" for r in rows)}
        for label, rows in groups.items()
    ]


def _evidence(current: ScoredEvaluation) -> list[dict[str, Any]]:
    """Notes and evidence per question (and per criterion or benchmark), in framework order.

    Free-text answers ("where is the evidence kept?") belong here too: they are not scored,
    but they are exactly what a governor or an inspector will ask to see.
    """
    notes = current.answer_file.notes
    answers = current.answers
    fw = current.framework
    groups = []
    for b in fw.benchmarks:
        entries: list[dict[str, str]] = []

        def add(ref: str, about: str, answer: str | None = None, entries: list[dict[str, str]] = entries) -> None:
            note = notes.get(ref)
            if note is None and answer is None:
                return
            entries.append({
                "ref": ref,
                "about": " ".join(about.split()),
                "answer": answer or "",
                "note": (note.note or "") if note else "",
                "evidence": (note.evidence or "") if note else "",
                "owner": (note.owner or "") if note else "",
                "due": long_date(note.due) if note and note.due else "",
            })

        add(b.id, b.title)
        for c in b.criteria:
            add(c.id, c.text)
            for q in c.questions:
                text_answer = answers.get(q.id) if fw.kind(q).free_text else None
                add(q.id, q.text, str(text_answer) if text_answer else None)
        if entries:
            groups.append({"id": b.id, "title": b.title, "entries": entries})
    return groups


def _changes(comparison: Comparison) -> dict[str, Any]:
    old = comparison.old
    same_institution = _institution_key(old) == _institution_key(comparison.new)
    return {
        "previous_date_long": long_date(old.date),
        "previous_framework": old.framework_title,
        "previous_edition": old.edition,
        "same_framework": comparison.same_framework,
        "previous_institution": old.institution.name or "(not named)",
        "same_institution": same_institution,
        "previous_is_later": old.date > comparison.new.date,
        "benchmarks": [
            {
                "id": b.id,
                "title": b.title,
                "old": b.old,
                "new": b.new,
                "change": b.change,
                "direction": b.direction,
                "old_status": b.old_status.label,
                "new_status": b.new_status.label,
            }
            for b in benchmark_changes(comparison, " points")
        ],
        "improved": [_criterion_change(c) for c in comparison.improved],
        "fell_back": [_criterion_change(c) for c in comparison.fell_back],
        "other": [_criterion_change(c) for c in comparison.other_changes],
        "answers_changed": len(comparison.answers_changed),
        "not_comparable": comparison.not_comparable,
    }


def _institution_key(result: Result) -> str:
    """The same identity as the answer file's Institution.key: URN, else UKPRN, else name+site."""
    inst = result.institution
    if inst.urn:
        return f"urn:{inst.urn}"
    if inst.ukprn:
        return f"ukprn:{inst.ukprn}"
    return f"name:{inst.name.strip().lower()}|{(inst.site or '').strip().lower()}"


def _criterion_change(change: Any) -> dict[str, str]:
    return {
        "id": change.id,
        "text": " ".join(change.text.split()),
        "old": change.old_status.label,
        "new": change.new_status.label,
    }


# --------------------------------------------------------------------------- rendering


def render(context: dict[str, Any], fmt: str, templates: Path | None = None) -> str:
    """Render the report in ``fmt`` ("md" or "html"); template errors name file and line."""
    return templating.render(templating.environment(templates), FORMATS[fmt], context)


def report(
    current: ScoredEvaluation,
    fmt: str,
    previous: ScoredEvaluation | None = None,
    templates: Path | None = None,
) -> str:
    """The whole report as text, from one or two scored evaluations."""
    return render(build_context(current, previous), fmt, templates)
