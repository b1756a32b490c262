"""Two evaluations compared, as JSON and Markdown, and "what changed" as every screen shows it.

Rendered from one Comparison (comparing.py); nothing here reads answer files or scores
anything. :func:`benchmark_changes` is the one way a benchmark's change is put into words
(the figures then and now as shown, the change worked out from them, which way it went),
used by ``compass compare``, the report's "What changed" and the audit's end screen.
The JSON form is documented in the README; Markdown comes from ``compare.md.j2``, which a
user's ``--templates`` folder may override.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compass_cli.core.answers import as_stored
from compass_cli.core.comparing import Comparison
from compass_cli.core.framework import Framework
from compass_cli.core.models import Result, Status
from compass_cli.output.summary import template_helpers
from compass_cli.text import change, change_value, direction, json_number, json_text, percent

JSON_VERSION = 1


@dataclass(frozen=True)
class BenchmarkChange:
    """One benchmark then and now, in words: the figures as shown and the change between them."""

    id: str
    title: str
    old: str
    new: str
    #: "+12", "−5 points", "no change", or a dash when a score is missing
    change: str
    #: the same change as a number (None when not comparable): for colour and for leaving out
    points: int | None
    old_status: Status
    new_status: Status

    @property
    def direction(self) -> str:
        return direction(self.points)

    @property
    def moved(self) -> bool:
        """Its score as shown or its status changed: what "the benchmarks that moved" lists."""
        return bool(self.points) or self.old_status != self.new_status


def benchmark_changes(c: Comparison, unit: str = "") -> list[BenchmarkChange]:
    """Every benchmark in both evaluations, in the later one's order; ``unit`` follows the change (" points")."""
    return [
        BenchmarkChange(
            id=b.id, title=b.title, old=percent(b.old_score), new=percent(b.new_score),
            change=change(b.old_score, b.new_score, unit), points=change_value(b.old_score, b.new_score),
            old_status=b.old_status, new_status=b.new_status,
        )
        for b in c.benchmarks
    ]


def question_texts(fw: Framework) -> dict[str, str]:
    """Question id -> its text on one line (what a changed answer asks)."""
    return {q.id: " ".join(q.text.split()) for q in fw.questions()}


def comparison_to_dict(c: Comparison, texts: dict[str, str]) -> dict[str, Any]:
    """The documented JSON object of a comparison of two evaluations."""

    def side(r: Result) -> dict[str, Any]:
        return {
            "file": r.source,
            "institution": r.institution.name,
            "urn": r.institution.urn,
            "date": r.date.isoformat(),
            "framework": r.framework,
            "edition": r.edition,
            "benchmarks_achieved": r.benchmarks_achieved,
            "average_score": json_number(r.average_score),
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
        "average_score_change": json_number(c.average_delta),
        "benchmarks": [
            {
                "id": b.id,
                "title": b.title,
                "old_score": json_number(b.old_score),
                "new_score": json_number(b.new_score),
                "change": json_number(b.delta),
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
            {"question": a.question, "text": texts.get(a.question, ""), "old": a.old, "new": a.new,
             "old_words": a.old_words, "new_words": a.new_words}
            for a in c.answers_changed
        ],
        "not_comparable": c.not_comparable,
    }


def comparison_json(c: Comparison, texts: dict[str, str]) -> str:
    return json_text(comparison_to_dict(c, texts)) + "\n"


def comparison_markdown(c: Comparison, texts: dict[str, str], templates: Path | None = None) -> str:
    from compass_cli.output import templating  # Jinja2 only when a document is asked for

    context = {"c": c, "changes": benchmark_changes(c), "texts": texts, "show_answer": as_stored, "change": change,
               "Status": Status, **template_helpers()}
    return templating.render(templating.environment(templates), "compare.md.j2", context)
