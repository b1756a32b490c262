"""An evaluation back to answer-file YAML: the file the audit writes after every answer.

The layout is stable (format, framework, institution, evaluation, answers in questionnaire
order with a comment line per benchmark, notes), so two saves of the same evaluation give
the same bytes and a diff between two terms in git shows only what changed. Leaf lists and
mappings are written inline (``[a, b]``, ``{Y7: all, Y8: most}``) to keep the file short.
The file is regenerated as a whole: comments added by hand are not kept.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from compass_cli import text
from compass_cli.core.evaluation import Evaluation
from compass_cli.core.models import ANSWER_FORMAT, AnswerFile
from compass_cli.errors import SaveError
from compass_cli.files import is_read_only

WIDTH = 88


class _Block(dict[str, Any]):
    """A mapping written one key per line."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML with block mappings where we ask for them and inline leaf lists and mappings."""


def _string(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    """A string; double-quoted when it holds a control character or a line separator.

    PyYAML escapes those only in double quotes: elsewhere it writes a C1 NEL (U+0085) and
    the line separators U+2028 and U+2029 as they are, which text.py's rule forbids and
    which :func:`_indented` (str.splitlines) would split, changing the text.
    """
    quoted = text.printable(data) != data or "\u2028" in data or "\u2029" in data
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"' if quoted else None)


_Dumper.add_representer(str, _string)
_Dumper.add_representer(
    _Block, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False)
)
_Dumper.add_representer(
    dict, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)
_Dumper.add_representer(
    list, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def _indented(data: dict[str, Any]) -> list[str]:
    # in a double-quoted string PyYAML escapes C0, DEL and C1 itself, but not the overrides
    dumped = text.escape_controls(yaml.dump(_Block(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                            width=WIDTH))
    return ["  " + line for line in dumped.splitlines()]


def _institution(model: AnswerFile) -> dict[str, Any]:
    inst = model.institution
    out: dict[str, Any] = {"name": inst.name}
    for key in ("urn", "ukprn"):
        if getattr(inst, key):
            out[key] = getattr(inst, key)
    if inst.type:
        out["type"] = inst.type
    for key in ("site", "local_authority"):
        if getattr(inst, key):
            out[key] = getattr(inst, key)
    out["sixth_form"] = inst.sixth_form
    out["learners"] = {g: n for g, n in inst.learners.items() if n is not None}
    return out


def _evaluation(model: AnswerFile) -> dict[str, Any]:
    person = model.evaluation.completed_by.model_dump(exclude_none=True)
    out: dict[str, Any] = {"date": model.evaluation.date}
    if person:
        out["completed_by"] = _Block(person)
    return out


def answer_file_text(evaluation: Evaluation) -> str:
    """The answer file of an evaluation (its answers canonical, as the audit keeps them).

    Every answer given is written, also those of questions not asked now (the audit keeps
    them until they are cleared): each in its usual place, in questionnaire order, and a
    share answer with all its groups. Answers to questions this edition no longer asks
    (``retired`` in framework.yaml) are taken as they are from the answer file and written
    last. Scoring ignores the ones that do not apply.
    """
    framework, model, answers = evaluation.framework, evaluation.answer_file, evaluation.answers
    lines = [
        "# compass answer file, written by 'compass audit' after every answer.",
        "# Carry on with: compass audit THIS-FILE   Score it with: compass score THIS-FILE",
        f"format: {ANSWER_FORMAT}",
        f"framework: {framework.id}",
        "institution:",
        *_indented(_institution(model)),
        "evaluation:",
        *_indented(_evaluation(model)),
    ]
    retired = {qid: v for qid, v in model.answers.items() if qid in framework.meta.retired and v not in (None, "")}
    if retired or any(qid in answers for qid in (q.id for q in framework.questions())):
        lines.append("answers:")
        for bench in framework.benchmarks:
            given = {q.id: framework.kind(q).in_order(q, answers[q.id]) for q in bench.questions() if q.id in answers}
            if given:
                lines.append(f"  # {bench.id} {text.one_line(bench.title)}")
                lines += _indented(given)
        if retired:
            lines.append("  # No longer asked by this edition of the questionnaire: kept, not counted")
            lines += _indented(retired)
    else:
        lines.append("answers: {}")
    order = {q.id: n for n, q in enumerate(framework.questions())}
    keys = sorted(model.notes, key=lambda k: (k not in order, order.get(k, 0)))
    notes = {k: _Block(note) for k in keys if (note := model.notes[k].model_dump(exclude_none=True))}
    if notes:
        lines.append("notes:")
        lines += _indented(notes)
    else:
        lines.append("notes: {}")
    return "\n".join(lines) + "\n"


def check_writable(path: Path) -> None:
    """Refuse, before anything is asked, a file that could not be saved later."""
    folder = path.parent if str(path.parent) else Path(".")
    if is_read_only(path):
        raise SaveError(f"cannot save to {path}: the file is read-only. Make it writable, or copy it and "
                        f"carry on with the copy: compass audit COPY.yaml")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"cannot save to {path}: the folder {folder} is read-only")
