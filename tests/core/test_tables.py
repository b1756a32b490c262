"""One table for each: the kinds of question (core/kinds.py) and the fields of the institution section
(core/institution.py). Nothing else names a kind or a field, so a new one is one entry (issue 20, items 2 and 3)."""

from __future__ import annotations

import ast
from pathlib import Path

import compass_cli
from compass_cli.core.institution import FIELDS
from compass_cli.core.kinds import KINDS
from compass_cli.core.models import InstitutionFieldName, QuestionKind

PACKAGE = Path(compass_cli.__file__).resolve().parent


def _named(enum: str, *allowed: str) -> list[str]:
    """Where a module other than ``allowed`` names a member of ``enum`` (``QuestionKind.share``), as file:line."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in allowed:
            continue
        aliases = {enum}
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                aliases |= {a.asname for a in node.names if a.name == enum and a.asname}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                found.append(f"{relative}:{node.lineno}")
    return found


def test_every_kind_and_every_field_has_its_rules() -> None:
    assert set(KINDS) == set(QuestionKind)
    assert set(FIELDS) == set(InstitutionFieldName)
    assert all(field.name is name for name, field in FIELDS.items())


def test_nothing_outside_the_kinds_table_names_a_kind_of_question() -> None:
    """Everything a kind does (its prompt, its words for a change or a condition, its name in the blank file,
    whether records can fill it) comes from its entry in core/kinds.py."""
    assert _named("QuestionKind", "core/kinds.py", "core/models.py") == []


def test_nothing_outside_the_institution_table_names_a_field() -> None:
    """The audit, the blank answer file, the writer and the checks read the fields from core/institution.py."""
    assert _named("InstitutionFieldName", "core/institution.py", "core/models.py") == []


def test_the_writer_writes_the_fields_in_the_table_s_order() -> None:
    """The answer file's institution section keeps the order it always had; the table is in that order."""
    assert [f.key for f in FIELDS.values() if not f.in_evaluation] == [
        "name", "urn", "ukprn", "type", "site", "local_authority", "sixth_form", "learners",
        "careers_leader_name", "careers_leader_role", "careers_leader_email", "careers_leader_phone",
        "careers_programme_url", "provider_access_url"]
    assert [f.key for f in FIELDS.values() if f.in_evaluation] == ["name", "role"]  # under evaluation.completed_by
