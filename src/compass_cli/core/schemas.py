"""JSON Schema for answer files and framework files, from the pydantic models.

Editors (the VS Code YAML extension, say) read a schema named in the file's first line,
``# yaml-language-server: $schema=FILE``, and then complete keys and check values as one types.
The answer-file schema is made for one framework: each question id becomes a key whose value is
checked as compass checks it (an option of the question, a band per group, items of the
checklist, a number in range), with the question's text as its description. No I/O here.
"""

from __future__ import annotations

from typing import Any

from compass_cli.core.models import AnswerFile, Benchmark, Framework, FrameworkFile, Question, QuestionKind

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_EMPTY: list[Any] = [None, ""]  # an empty answer is "not answered yet"


def _question(fw: Framework, q: Question) -> dict[str, Any]:
    kind = q.kind
    described = {"title": q.id, "description": " ".join(q.text.split())}
    if kind in (QuestionKind.yes_no, QuestionKind.choice, QuestionKind.agreement):
        values: list[Any] = [o.value for o in fw.options(q)]
        if {"yes", "no"} <= set(values):  # YAML 1.1 reads an unquoted yes/no as true/false; compass takes both
            values += [True, False]
        return described | {"enum": values + _EMPTY}
    if kind is QuestionKind.share:
        bands = [o.value for o in fw.options(q)]
        per_group = {
            "type": "object",
            "properties": {g: {"enum": bands + _EMPTY, "description": fw.group(g).label} for g in q.groups or []},
            "additionalProperties": False,
        }
        return described | {"anyOf": [{"enum": bands + _EMPTY}, per_group]}
    if kind is QuestionKind.checklist:
        items = {"type": "array", "items": {"enum": [i.id for i in q.items or []]}, "uniqueItems": True}
        return described | {"anyOf": [items, {"enum": _EMPTY}]}
    if kind is QuestionKind.number:
        number: dict[str, Any] = {"type": "number", "minimum": q.min if q.min is not None else 0}
        if q.max is not None:
            number["maximum"] = q.max
        return described | {"anyOf": [number, {"enum": _EMPTY}]}
    return described | {"type": ["string", "number", "boolean", "null"]}


def answers_schema(fw: Framework) -> dict[str, Any]:
    """The schema of an answer file of framework ``fw``."""
    schema = AnswerFile.model_json_schema()
    props = schema["properties"]
    props["framework"] = {"const": fw.id, "description": fw.meta.title}
    questions = {q.id: _question(fw, q) for q in fw.questions()}
    retired = {qid: {"description": f"No longer asked: {why}. Kept, not counted."}
               for qid, why in fw.meta.retired.items()}
    props["answers"] = {"type": ["object", "null"], "properties": questions | retired, "additionalProperties": False}
    known = sorted(fw.known_ids() | set(fw.meta.retired))
    props["notes"] = {"type": ["object", "null"], "propertyNames": {"enum": known},
                      "additionalProperties": {"$ref": "#/$defs/Note"}}
    institution = schema["$defs"]["Institution"]["properties"]
    institution["type"] = {"enum": [*fw.meta.institution.types, ""],
                           "description": "; ".join(f"{k}: {v}" for k, v in fw.meta.institution.types.items())}
    institution["learners"] = {
        "type": "object",
        "properties": {g: {"type": ["integer", "null"], "minimum": 0, "description": fw.group(g).label}
                       for g in fw.meta.year_groups},
        "additionalProperties": False,
    }
    return {"$schema": DRAFT, "title": f"compass answer file: {fw.meta.title}", **schema}


def framework_schema() -> dict[str, Any]:
    """The schema of a framework.yaml."""
    return {"$schema": DRAFT, "title": "compass framework.yaml", **FrameworkFile.model_json_schema(by_alias=True)}


def benchmark_schema() -> dict[str, Any]:
    """The schema of a benchmark file (bN-slug.yaml) of a framework folder."""
    return {"$schema": DRAFT, "title": "compass benchmark file", **Benchmark.model_json_schema(by_alias=True)}
