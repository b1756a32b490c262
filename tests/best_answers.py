"""Answers that earn full credit on every question: the best a school can say."""

from __future__ import annotations

from typing import Any

from compass_cli.core.framework import Framework
from compass_cli.core.models import QuestionKind
from compass_cli.core.scoring import applicable_answers, applicable_groups


def best_value(fw: Framework, q: Any, sixth_form: bool) -> Any:
    if q.kind is QuestionKind.checklist:
        return [i.id for i in q.items]
    if q.kind is QuestionKind.share:
        return {g: "all" for g in applicable_groups(fw, q, sixth_form)}
    if q.kind is QuestionKind.number:
        return q.target if q.target is not None else (q.min or 0) + 1
    if q.kind is QuestionKind.text:
        return "Evidence is in the careers folder."
    return max(fw.options(q), key=lambda o: o.credit).value


def best_answers(fw: Framework, sixth_form: bool) -> dict[str, Any]:
    """Best answers to every question that is asked once earlier answers are best."""
    answers: dict[str, Any] = {}
    for _ in range(3):  # conditions may reveal questions; repeat until stable
        shown = applicable_answers(fw, answers, sixth_form)
        answers = {q.id: best_value(fw, q, sixth_form) for q in fw.questions() if shown[q.id]}
    return answers
