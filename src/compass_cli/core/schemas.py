"""JSON Schema for answer files and framework files, from the pydantic models.

Editors (the VS Code YAML extension, say) read a schema named in the file's first line,
``# yaml-language-server: $schema=FILE``, and then complete keys and check values as one types.
The answer-file schema is made for one framework: each question id becomes a key whose value is
checked as compass checks it (an option of the question, a band per group, items of the
checklist, a number in range), with the question's text as its description. No I/O here.
"""

from __future__ import annotations

from typing import Any

from compass_cli.core.framework import Framework
from compass_cli.core.models import AnswerFile, Benchmark, FrameworkFile, Question

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _question(fw: Framework, q: Question) -> dict[str, Any]:
    described = {"title": q.id, "description": " ".join(q.text.split())}
    return described | fw.kind(q).schema(fw, q)


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
