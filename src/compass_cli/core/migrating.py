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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from compass_cli.core.answers import canonical
from compass_cli.core.models import AnswerFile, Evaluation, Framework, Id, Note, QuestionKind, Strict
from compass_cli.core.scoring import applicable_answers


class Migration(Strict):
    """What ``migrations/<from-id>.yaml`` holds."""

    from_: str = Field(alias="from")
    carry: dict[Id, Id] = Field(min_length=1)

    model_config = Strict.model_config | {"populate_by_name": True}


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
        elif qo.kind is QuestionKind.checklist:
            missing = {i.id for i in qo.items or []} - {i.id for i in qn.items or []}
            if missing:
                out.append((where, f"{new_id} has no item {', '.join(sorted(missing))}"))
        elif qo.kind is QuestionKind.share:
            if not set(qo.groups or []) & set(qn.groups or []):
                out.append((where, f"{old_id} and {new_id} ask about no group in common"))
        elif old.options(qo):
            missing = {o.value for o in old.options(qo)} - {o.value for o in new.options(qn)}
            if missing:
                out.append((where, f"{new_id} has no option {', '.join(sorted(missing))}"))
    return out


@dataclass(frozen=True)
class Migrated:
    """The new evaluation, and what moved and what did not."""

    answer_file: AnswerFile
    answers: dict[str, Any]
    #: (old id, new id) of every answer carried across
    carried: list[tuple[str, str]]
    #: new questions asked of this institution that have no answer yet: to be answered afresh
    to_answer: list[str]
    #: old answers with nowhere to go (their question has no counterpart, or the answer does not fit)
    left_behind: list[str]


def migrate(
    model: AnswerFile, answers: Mapping[str, Any], old: Framework, new: Framework, migration: Migration,
    today: dt.date,
) -> Migrated:
    """The evaluation ``model`` (canonical ``answers``, framework ``old``) as an evaluation of ``new``."""
    carried: list[tuple[str, str]] = []
    new_answers: dict[str, Any] = {}
    for old_id, value in answers.items():
        new_id = migration.carry.get(old_id)
        if new_id is None or not new.has_question(new_id):
            continue
        q = new.question(new_id)
        if q.kind is QuestionKind.share and isinstance(value, dict):  # the groups both ask about
            value = {g: band for g, band in value.items() if g in (q.groups or [])} or None
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
        evaluation=Evaluation(date=today, completed_by=model.evaluation.completed_by),
        notes=notes,
    )
    shown = applicable_answers(new, new_answers, institution.sixth_form)
    to_answer = [q.id for q in new.questions()
                 if shown[q.id] and q.kind is not QuestionKind.text and _incomplete(new_answers.get(q.id), q, new,
                                                                                    institution.sixth_form)]
    return Migrated(migrated, new_answers, carried, to_answer, left_behind)


def _incomplete(value: Any, q: Any, fw: Framework, sixth_form: bool) -> bool:
    """Not answered, or (a share question) not answered for every group asked."""
    if value is None:
        return True
    if q.kind is QuestionKind.share:
        from compass_cli.core.scoring import applicable_groups

        return not all(g in value for g in applicable_groups(fw, q, sixth_form))
    return False
