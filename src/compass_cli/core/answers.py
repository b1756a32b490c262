"""An answer file's answers checked against their framework, and each answer in words.

An answer file is written by people in a text editor, so the reading is forgiving where
that is safe (``yes`` unquoted is the word yes; a share question may be answered with one
band for every group) and strict where a guess would be wrong (an option that does not
exist, a checklist item that does not exist, a number out of range). How each kind of
question reads and describes its answers is in kinds.py; this module checks a whole file
(every answer, the institution's type and learner groups, what notes are attached to) and
reports every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compass_cli.core.framework import Framework
from compass_cli.core.models import AnswerFile, Condition, Question, Words
from compass_cli.text import either, shortened


@dataclass(frozen=True)
class AnswerProblem:
    path_parts: tuple[Any, ...]
    message: str

    @property
    def where(self) -> str:
        return ".".join(str(p) for p in self.path_parts)


def normalise(framework: Framework, model: AnswerFile) -> tuple[dict[str, Any], list[AnswerProblem]]:
    """Check every answer and note; return canonical answers and every problem found."""
    inst = model.institution
    return check(framework, model.answers, inst.type, inst.learners, model.notes)


def check(framework: Framework, answers_given: Any, kind: Any, learners: Any, notes: Any,
          ) -> tuple[dict[str, Any], list[AnswerProblem]]:
    """Check the parts of an answer file that depend on its framework, as written.

    Takes the parts themselves, not a validated model, so that an answer file whose
    institution section is wrong still has every answer checked too: a person fixing a file by
    hand sees every problem at once, not one after another.
    """
    answers: dict[str, Any] = {}
    problems: list[AnswerProblem] = []
    index = framework.index
    retired = framework.meta.retired
    for qid, raw in (answers_given.items() if isinstance(answers_given, dict) else []):
        q = index.by_id.get(qid)
        if q is None:
            if qid not in retired:  # a question of an earlier version is kept (scoring lists it), a typo is not
                problems.append(AnswerProblem(("answers", qid), f"unknown question id '{qid}' in {framework.id}"))
            continue
        if raw is None or raw == "":
            if raw == "" and index.kinds[qid].may_be_blank:
                answers[qid] = ""  # left blank on purpose: answered, saying nothing (kinds.said)
            continue
        value, error = framework.compiled.canonical(q, raw)
        if error:
            problems.append(AnswerProblem(("answers", qid), error))
        elif value is not None:
            answers[qid] = value
    types = framework.meta.institution.types
    if isinstance(kind, str) and kind and kind not in types:
        problems.append(AnswerProblem(
            ("institution", "type"),
            f"'{kind}' is not a type this framework evaluates; expected one of {', '.join(types)}",
        ))
    for group in (learners if isinstance(learners, dict) else {}):
        if group not in framework.meta.year_groups:
            problems.append(AnswerProblem(
                ("institution", "learners", group),
                f"unknown year group '{group}'; expected {', '.join(framework.meta.year_groups)}",
            ))
    known = index.known_ids
    for key in (notes if isinstance(notes, dict) else {}):
        if key not in known and key not in retired:
            problems.append(
                AnswerProblem(("notes", key), f"'{key}' is not a question, criterion or benchmark id of {framework.id}")
            )
    return answers, problems


def canonical(framework: Framework, q: Question, raw: Any) -> tuple[Any, str | None]:
    """The canonical form of one answer, or an error message saying what was expected."""
    return framework.kind(q).canonical(framework, q, raw)


def describe(framework: Framework, q: Question, value: Any) -> str:
    """An answer in the questionnaire's own words: option labels, group labels, item counts.

    For people reading a report, never the ids a file stores (``on_request``, ``{Y9: most}``).
    """
    return framework.kind(q).in_words(framework, q, value)


def as_stored(value: Any) -> str:
    """An answer as the file stores it, in a few words: a share as "KS3: all, KS4: most", a
    checklist as its item ids. What ``compare`` shows of a changed answer (:func:`describe`
    gives the questionnaire's words instead)."""
    if value is None:
        return "(no answer)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "(no answer)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none ticked)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def condition_words(framework: Framework, cond: Condition, words: Words | None = None) -> str:
    """A ``when`` condition as a careers leader would say it: "you answered “Yes” to B1.1.1".

    For the blank answer file, the questions list and the audit, so a person filling in a file by
    hand knows when a question is asked without reading the questionnaire's data. ``words``: the
    setting's own (the framework's, for its default type, when not given), so a college reads
    "some learners had it" and a special school "the school has post-16 provision".
    """
    w = words or framework.meta.words()
    if cond.question is not None:
        qid = cond.question
        q = framework.index.by_id.get(qid)
        def label(value: Any) -> str:
            return f"“{describe(framework, q, value) if q is not None else value}”"

        if cond.answered is not None:
            return f"you answered {qid}" if cond.answered else f"you left {qid} unanswered"
        if cond.equals is not None:
            return f"you answered {label(cond.equals)} to {qid}"
        if cond.in_ is not None:
            return f"you answered {either([label(v) for v in cond.in_])} to {qid}"
        if cond.includes is not None:
            items = {i.id: i.text for i in (q.items or [])} if q is not None else {}
            return f"you ticked “{shortened(items.get(cond.includes, cond.includes))}” in {qid}"
        if cond.at_least is not None:
            return f"your answer to {qid} is at least {cond.at_least:g}"
        if cond.credit_above is not None:
            if cond.credit_above == 0 and q is not None:  # in the kind's words: "some pupils had it"
                return framework.kind(q).some_credit_words(framework, q, w)
            if cond.credit_above == 0:
                return f"your answer to {qid} earns some credit"
            return f"your answer to {qid} earns more than {cond.credit_above:.0%} of full credit"
    if cond.sixth_form is not None:
        verb = "has" if cond.sixth_form else "does not have"
        return f"the {w.institution} {verb} {w.sixth_form}"
    if cond.all is not None:
        return " and ".join(condition_words(framework, c, w) for c in cond.all)
    if cond.any is not None:
        return either([condition_words(framework, c, w) for c in cond.any])
    if cond.not_ is not None:
        return f"it is not so that {condition_words(framework, cond.not_, w)}"
    return ""  # pragma: no cover - the model allows no other shape
