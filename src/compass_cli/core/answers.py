"""Answers checked against their questionnaire, and put in one canonical form.

An answer file is written by people in a text editor, so the reading is forgiving where
that is safe (``yes`` unquoted is the word yes; a share question may be answered with one
band for every group) and strict where a guess would be wrong (an option that does not
exist, a checklist item that does not exist, a number out of range).

Canonical forms, used by scoring: yes_no/choice/agreement -> the option value (str);
share -> {group: band}; checklist -> list of item ids; number -> int or float;
text -> str. Unanswered questions are simply absent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from compass_cli.core.models import AnswerFile, Framework, Question, QuestionKind, yes_no_word


@dataclass(frozen=True)
class AnswerProblem:
    path_parts: tuple[Any, ...]
    message: str

    @property
    def where(self) -> str:
        return ".".join(str(p) for p in self.path_parts)


def normalise(framework: Framework, model: AnswerFile) -> tuple[dict[str, Any], list[AnswerProblem]]:
    """Check every answer and note; return canonical answers and every problem found."""
    answers: dict[str, Any] = {}
    problems: list[AnswerProblem] = []
    questions = framework.questions_by_id()
    retired = framework.meta.retired
    for qid, raw in model.answers.items():
        q = questions.get(qid)
        if q is None:
            if qid not in retired:  # a question of an earlier version is kept (scoring lists it), a typo is not
                problems.append(AnswerProblem(("answers", qid), f"unknown question id '{qid}' in {framework.id}"))
            continue
        if raw is None or raw == "":
            continue
        value, error = canonical(framework, q, raw)
        if error:
            problems.append(AnswerProblem(("answers", qid), error))
        elif value is not None:
            answers[qid] = value
    types = framework.meta.institution.types
    if model.institution.type and model.institution.type not in types:
        problems.append(AnswerProblem(
            ("institution", "type"),
            f"'{model.institution.type}' is not a type this framework evaluates; expected one of {', '.join(types)}",
        ))
    for group in model.institution.learners:
        if group not in framework.meta.year_groups:
            problems.append(AnswerProblem(
                ("institution", "learners", group),
                f"unknown year group '{group}'; expected {', '.join(framework.meta.year_groups)}",
            ))
    known = framework.known_ids()
    for key in model.notes:
        if key not in known and key not in retired:
            problems.append(
                AnswerProblem(("notes", key), f"'{key}' is not a question, criterion or benchmark id of {framework.id}")
            )
    return answers, problems


_OPTION_KINDS = (QuestionKind.yes_no, QuestionKind.choice, QuestionKind.agreement)  # a tuple: Enum hashing is slow
#: Larger than anything a school counts (pupils, employers, events); a larger number is a slip of the keyboard,
#: and one of hundreds of digits cannot even be turned into a score.
MAX_NUMBER = 1_000_000_000


def canonical(framework: Framework, q: Question, raw: Any) -> tuple[Any, str | None]:
    """The canonical form of one answer, or an error message saying what was expected."""
    kind = q.kind
    if kind in _OPTION_KINDS:
        word = yes_no_word(raw)
        if not (isinstance(word, str) and word in framework.credits(q)):  # option values are text
            values = [o.value for o in framework.options(q)]
            return None, f"expected one of {', '.join(values)}; got {_show(raw)}"
        return word, None
    if kind is QuestionKind.share:
        groups = q.groups or []
        credits = framework.credits(q)
        if isinstance(raw, str):  # one band for every group
            if raw not in credits:
                bands = [o.value for o in framework.options(q)]
                return None, f"expected one of {', '.join(bands)}, or a mapping of groups to bands; got {_show(raw)}"
            return {g: raw for g in groups}, None
        if not isinstance(raw, dict):
            return None, f"expected a mapping of groups ({', '.join(groups)}) to bands; got {_show(raw)}"
        out: dict[str, str] = {}
        for group, band in raw.items():
            if group not in groups:
                return None, f"unknown group '{group}'; this question asks about {', '.join(groups)}"
            if band is None or band == "":
                continue
            if not (isinstance(band, str) and band in credits):
                bands = [o.value for o in framework.options(q)]
                return None, f"{group}: expected one of {', '.join(bands)}; got {_show(band)}"
            out[str(group)] = band
        return (out or None), None
    if kind is QuestionKind.checklist:
        items = [i.id for i in q.items or []]
        if not isinstance(raw, list):
            return None, f"expected a list of ticked items (any of {', '.join(items)}), [] for none; got {_show(raw)}"
        unknown = [str(x) for x in raw if x not in items]
        if unknown:
            return None, f"unknown item {', '.join(unknown)}; items are {', '.join(items)}"
        return [i for i in items if i in raw], None
    if kind is QuestionKind.number:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return None, f"expected a number; got {_show(raw)}"
        if isinstance(raw, float) and not math.isfinite(raw):
            return None, f"expected a number a school could count, e.g. 12; got {_show(raw)}, which is not one"
        if abs(raw) > MAX_NUMBER:
            return None, (f"expected a number of at most {MAX_NUMBER:,}; got a number of {len(str(int(abs(raw)))):,} "
                          "digits. Write the count itself, e.g. 12")
        if raw < 0 or (q.min is not None and raw < q.min) or (q.max is not None and raw > q.max):
            low = q.min if q.min is not None else 0
            high = f" and {q.max:g}" if q.max is not None else " or more"
            return None, f"expected a number between {low:g}{high}; got {raw}"
        return raw, None
    # text
    if isinstance(raw, (dict, list)):
        return None, f"expected text; got {_show(raw)}"
    return str(raw), None


def _show(raw: Any) -> str:
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, bool):
        return "true/false"
    if isinstance(raw, float) and not math.isfinite(raw):
        return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}[str(raw)]
    text = repr(raw) if isinstance(raw, str) else str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def describe(framework: Framework, q: Question, value: Any) -> str:
    """An answer in the questionnaire's own words: option labels, group labels, item counts.

    For people reading a report or a comparison, never the ids a file stores
    (``on_request``, ``{Y9: most}``).
    """
    if value is None or value == "" or value == {}:
        return "not answered"
    kind = q.kind
    if kind in _OPTION_KINDS:
        return next((o.label for o in framework.options(q) if o.value == value), str(value))
    if kind is QuestionKind.share and isinstance(value, dict):
        labels = {o.value: o.label for o in framework.options(q)}
        return "; ".join(f"{framework.group(g).label}: {labels.get(b, b)}" for g, b in value.items())
    if kind is QuestionKind.checklist and isinstance(value, list):
        items = q.items or []
        if not value:
            return f"none of the {len(items)} in place"
        ticked = [i.text for i in items if i.id in value]
        if len(ticked) == len(items):
            return f"all {len(items)} in place"
        return f"{len(ticked)} of {len(items)} in place"
    if kind is QuestionKind.number:
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        unit = f" {q.unit}" if q.unit else ""
        target = f" (target {q.target:g})" if q.target is not None else ""
        return f"{shown}{unit}{target}"
    return " ".join(str(value).split())
