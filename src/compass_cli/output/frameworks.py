"""The frameworks found and the questions of one, as plain data (``compass frameworks`` and
``compass questions`` with ``--format json``; the terminal tables show the same)."""

from __future__ import annotations

from typing import Any

from compass_cli.core.answers import condition_words
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import FoundFramework, Frameworks
from compass_cli.core.models import Benchmark, Question
from compass_cli.errors import CompassError


def framework_facts(found: FoundFramework, frameworks: Frameworks) -> dict[str, Any]:
    """One framework as ``compass frameworks`` lists it; one that cannot be loaded says why."""
    facts: dict[str, Any] = {
        "id": found.id,
        "folder": str(found.folder),
        "origin": found.origin,
        "hidden_by": str(found.hidden_by) if found.hidden_by else None,
    }
    try:
        fw = frameworks.load(found.folder)
    except CompassError as exc:
        return facts | {"problem": exc.lines()[0]}
    return facts | {
        "title": fw.meta.title,
        "edition": fw.meta.edition,
        "types": dict(fw.meta.institution.types),
        "applies_until": fw.meta.applies_until.isoformat() if fw.meta.applies_until else None,
        "benchmarks": len(fw.benchmarks),
        "criteria": len(fw.criteria()),
        "questions": len(fw.questions()),
        "national_figures": fw.national is not None,
    }


def questions_json(fw: Framework, benchmarks: list[Benchmark]) -> dict[str, Any]:
    """Every question of the given benchmarks, with its kind, options, groups, items and condition."""

    def question(q: Question) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": q.id,
            "kind": q.kind.value,
            "text": q.text,
            "help": q.help,
            "scored": q.is_scored,
        }
        options = fw.options(q)
        if options:
            out["options"] = [{"value": o.value, "label": o.label, "credit": o.credit} for o in options]
        if q.groups:
            out["groups"] = q.groups
        if q.items:
            out["items"] = [{"id": i.id, "text": i.text} for i in q.items]
        out.update({k: getattr(q, k) for k in ("min", "max", "target", "unit") if getattr(q, k) is not None})
        if q.when:
            out["when"] = q.when.model_dump(by_alias=True, exclude_none=True)
            out["asked_if"] = condition_words(fw, q.when)
        return out

    return {
        "framework": fw.id,
        "benchmarks": [
            {
                "id": b.id,
                "title": b.title,
                "summary": b.summary,
                "criteria": [
                    {
                        "id": c.id,
                        "source": c.source,
                        "text": c.text,
                        "rule": c.rule if isinstance(c.rule, str) else c.rule.model_dump(),
                        "questions": [question(q) for q in c.questions],
                    }
                    for c in b.criteria
                ],
            }
            for b in benchmarks
        ],
    }
