"""The report as JSON for scripts: the Report's figures, documented in docs/report-json.md.

Made from the same Report (core/reporting.py) as the Markdown and HTML, so a script reads
what the reader sees: the result as ``compass score --format json`` gives it, the action
plan in its order, the comparison as ``compass compare --format json`` gives it, the
readiness of the supplementary questions, the evidence log and the national figures.
Numbers stay numbers, dates are ISO, statuses are their values; no words of ours.
"""

from __future__ import annotations

from typing import Any

from compass_cli.core.planning import Plan
from compass_cli.core.reporting import EvidenceGroup, ReadinessGroup, Report
from compass_cli.output.comparison import comparison_to_dict, question_texts
from compass_cli.output.result import result_to_dict
from compass_cli.text import json_text

JSON_VERSION = 1


def report_to_dict(report: Report) -> dict[str, Any]:
    """The documented JSON object of one report."""
    comparison = report.comparison
    return {
        "json_version": JSON_VERSION,
        "kind": "report",
        "result": result_to_dict(report.result),
        "plan": _plan(report.plan),
        "comparison": None if comparison is None else {
            **comparison_to_dict(comparison, question_texts(report.framework)),
            "same_institution": comparison.same_institution,
        },
        "readiness": _readiness(report.readiness),
        "evidence": _evidence(report.evidence),
        "national": None if report.national is None else report.national.model_dump(mode="json"),
        "next_snapshot": report.next_snapshot.isoformat(),
    }


def report_json(report: Report) -> str:
    return json_text(report_to_dict(report)) + "\n"


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "top": plan.top,
        "actions": [
            {
                "rank": a.rank,
                "priority": a.band.value,
                "band": a.band.name,
                "benchmark": a.benchmark,
                "benchmark_title": a.benchmark_title,
                "criterion": a.criterion,
                "criterion_status": a.criterion_status.value,
                "missing": a.missing,
                "criteria_left": a.criteria_left,
                "question": a.question,
                "gaps": a.gaps,
                "action": a.action,
                "effort": a.effort.value if a.effort is not None else None,
                "success_measure": a.success_measure,
                "owner": a.owner,
                "due": a.due.isoformat() if a.due is not None else None,
                "status": a.status,
            }
            for a in plan.actions
        ],
        "unanswered_criteria": plan.unanswered_criteria,
    }


def _readiness(groups: tuple[ReadinessGroup, ...]) -> list[dict[str, Any]]:
    return [
        {
            "label": group.label,
            "ready": group.ready,
            "questions": [
                {"question": q.question, "text": q.text, "answer": q.answer, "answer_words": q.words,
                 "readiness": q.readiness.value}
                for q in group.questions
            ],
        }
        for group in groups
    ]


def _evidence(groups: tuple[EvidenceGroup, ...]) -> list[dict[str, Any]]:
    return [
        {
            "benchmark": group.benchmark,
            "title": group.title,
            "entries": [
                {
                    "ref": e.ref,
                    "about": e.about,
                    "answer": e.answer,
                    "note": e.note.note if e.note else None,
                    "evidence": e.note.evidence if e.note else None,
                    "owner": e.note.owner if e.note else None,
                    "due": e.note.due.isoformat() if e.note and e.note.due else None,
                }
                for e in group.entries
            ],
        }
        for group in groups
    ]
