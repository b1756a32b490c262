"""Moving an evaluation to another edition of the framework (``compass migrate``).

A framework folder may hold ``migrations/<from-id>.yaml``: which question of the older
framework asks the same thing as which question of this one (``carry``). An answer is carried
only where it is valid for the new question as it stands (the same options, items or groups);
everything else the new framework asks is to be answered afresh, and the caller lists it, so
``compass audit NEW.yaml`` then asks just those questions. Notes go with the answers they
belong to; notes on criteria and benchmarks go across where the id means the same (domain
guide 9.5: criterion ids are stable across editions). Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from compass_cli.core.answers import canonical
from compass_cli.core.evaluation import Evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.models import AnswerFile, EvaluationDetails, Migration, Note
from compass_cli.core.scoring import applicable_answers


def migration_problems(migration: Migration, old: Framework, new: Framework) -> list[tuple[str, str]]:
    """(key path, problem) for every pair that cannot carry an answer: a question missing on
    either side, kinds that differ, or old options and items the new question does not have."""
    out: list[tuple[str, str]] = []
    for old_id, new_id in migration.carry.items():
        where = f"carry.{old_id}"
        if not old.has_question(old_id):
            out.append((where, f"{old_id} is not a question of {old.id}"))
            continue
        if not new.has_question(new_id):
            out.append((where, f"{new_id} is not a question of {new.id}"))
            continue
        qo, qn = old.question(old_id), new.question(new_id)
        if qo.kind is not qn.kind:
            out.append((where, f"{old_id} is a {qo.kind.value} question and {new_id} a {qn.kind.value} one"))
            continue
        problem = old.kind(qo).carry_problem(old, qo, new, qn)
        if problem:
            out.append((where, problem))
    return out


@dataclass(frozen=True)
class Migrated:
    """The new evaluation (not yet saved anywhere), and what moved and what did not."""

    evaluation: Evaluation
    #: (old id, new id) of every answer carried across
    carried: list[tuple[str, str]]
    #: new questions asked of this institution that have no answer yet: to be answered afresh
    to_answer: list[str]
    #: old answers with nowhere to go (their question has no counterpart, or the answer does not fit)
    left_behind: list[str]


def migrate(evaluation: Evaluation, new: Framework, migration: Migration, today: dt.date) -> Migrated:
    """The evaluation as an evaluation of framework ``new``, dated ``today``."""
    model, answers = evaluation.answer_file, evaluation.answers
    carried: list[tuple[str, str]] = []
    new_answers: dict[str, Any] = {}
    for old_id, value in answers.items():
        new_id = migration.carry.get(old_id)
        if new_id is None or not new.has_question(new_id):
            continue
        q = new.question(new_id)
        value = new.kind(q).carried(q, value)  # a share answer: the groups both editions ask about
        fitted, problem = canonical(new, q, value) if value is not None else (None, "no group in common")
        if problem is None and fitted is not None:
            new_answers[new_id] = fitted
            carried.append((old_id, new_id))
    moved = {old_id for old_id, _ in carried}
    left_behind = [qid for qid in answers if qid not in moved]
    inst = model.institution
    types = new.meta.institution.types
    institution = inst.model_copy(update={
        "type": inst.type if inst.type in types else "",
        "learners": {g: n for g, n in inst.learners.items() if g in new.meta.year_groups},
    })
    new_ids = dict(migration.carry)
    known = new.known_ids()
    notes: dict[str, Note] = {}
    for key, note in model.notes.items():
        target = new_ids.get(key, key)
        if target in known and (key not in new_ids or key in moved):
            notes[target] = note.model_copy(update={"changed": None})
    migrated = AnswerFile(
        framework=new.id, institution=institution,
        evaluation=EvaluationDetails(date=today, completed_by=model.evaluation.completed_by),
        notes=notes,
    )
    shown = applicable_answers(new, new_answers, institution.sixth_form)
    to_answer = [q.id for q in new.questions()
                 if shown[q.id] and not new.kind(q).free_text
                 and not new.kind(q).complete(new, q, new_answers.get(q.id), institution.sixth_form)]
    return Migrated(Evaluation(new, migrated, new_answers), carried, to_answer, left_behind)
