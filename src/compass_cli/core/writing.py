"""An evaluation as answer-file YAML: the writer of answer files, beside loading.py, their reader.

The audit writes the file after every answer; ``compass migrate`` and ``compass records fill``
write it too, each naming itself in the first line. The layout is stable (format, framework,
institution, evaluation, answers in questionnaire order with a comment line per benchmark,
notes), so two saves of the same evaluation give the same bytes and a diff between two terms
in git shows only what changed. Leaf lists and mappings are written inline (``[a, b]``,
``{Y7: all, Y8: most}``) to keep the file short. The file is written as a whole: comments
added by hand are not kept.

The YAML is written by libyaml's C emitter where it is installed, several times faster than
PyYAML's own, whenever the two give the same bytes: that is, when no string holds a character
written as an escape (a control character, a line break, U+FEFF, a character beyond U+FFFF)
and every key is an id (as an answer file's are). A string with such a character is written between double
quotes, where libyaml breaks a long line at a space and PyYAML with an escaped break, and
libyaml writes characters beyond U+FFFF as escapes; an empty or very long key is written as
``? key`` by one of them and not the other. Such an evaluation is written by PyYAML's emitter,
as is every evaluation where libyaml is missing. tests/core/test_writing.py compares the two
over every example and over generated evaluations.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from compass_cli import text
from compass_cli.core.evaluation import Evaluation
from compass_cli.core.institution import FIELDS
from compass_cli.core.models import ANSWER_FORMAT, AnswerFile

WIDTH = 88
#: What the audit's first line says of it; other writers name their own command.
AUDIT = "'compass audit' after every answer"


class _Block(dict[str, Any]):
    """A mapping written one key per line."""


def _string(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    """A string; double-quoted when it holds a control character or a line separator.

    PyYAML escapes those only in double quotes: elsewhere it writes a C1 NEL (U+0085) and
    the line separators U+2028 and U+2029 as they are, which text.py's rule forbids and
    which :func:`_indented` (str.splitlines) would split, changing the text.
    """
    quoted = text.printable(data) != data or "\u2028" in data or "\u2029" in data
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"' if quoted else None)


def _with_our_styles(dumper: type[Any]) -> type[Any]:
    """A dumper class with our representers: block mappings where asked, inline leaf lists and mappings."""
    dumper.add_representer(str, _string)
    dumper.add_representer(
        _Block, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False))
    dumper.add_representer(dict, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))
    dumper.add_representer(list, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))
    return dumper


class _Dumper(yaml.SafeDumper):
    """Safe YAML through PyYAML's pure-Python emitter."""


_with_our_styles(_Dumper)

_FastDumper: type[Any] | None
try:  # libyaml's C emitter, where PyYAML was built with it
    class _CDumper(yaml.CSafeDumper):
        """Safe YAML through libyaml's C emitter: the same representers, the same bytes (see the module's docstring)."""

    _FastDumper = _with_our_styles(_CDumper)
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _FastDumper = None

#: A character either emitter writes as an escape, and so between double quotes: C0 and C1 controls, DEL, the
#: line breaks and separators, the byte order mark, U+FFFE and U+FFFF, a surrogate, or one beyond U+FFFF.
_ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff\U00010000-\U0010ffff]")


#: A key both write alike: an id, as every key of an answer file is (both write a long key as ``? key``, from
#: different lengths, and an empty one differently).
_ID_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


def _same_from_both(data: Any) -> bool:
    """Whether libyaml writes ``data`` as PyYAML does: no string with a character written as an escape, and
    every mapping key an id."""
    if isinstance(data, str):
        return not _ESCAPED.search(data)
    if isinstance(data, dict):
        return all(isinstance(key, str) and _ID_KEY.fullmatch(key) and _same_from_both(value)
                   for key, value in data.items())
    if isinstance(data, list):
        return all(_same_from_both(value) for value in data)
    return True


def dumper_for(data: Any) -> type[Any]:
    """The dumper that writes ``data``: libyaml's when it gives PyYAML's bytes, else PyYAML's."""
    if _FastDumper is not None and _same_from_both(data):
        return _FastDumper
    return _Dumper


def dumped(data: dict[str, Any]) -> str:
    """``data`` as block YAML, our styles; controls the emitter leaves as they are (the overrides) escaped."""
    block = _Block(data)
    yaml_text = yaml.dump(block, Dumper=dumper_for(block), sort_keys=False, allow_unicode=True, width=WIDTH)
    return text.escape_controls(yaml_text)  # in double quotes PyYAML escapes C0, DEL and C1 itself, not the overrides


def _indented(data: dict[str, Any]) -> list[str]:
    return ["  " + line for line in dumped(data).splitlines()]


def _institution(model: AnswerFile) -> dict[str, Any]:
    """Every field the institution section holds, in the table's order (institution.FIELDS)."""
    out: dict[str, Any] = {}
    for field in FIELDS.values():
        if not field.in_evaluation:
            out.update(field.in_file(model.institution))
    return out


def _evaluation(model: AnswerFile) -> dict[str, Any]:
    """The date, and who completed it: the fields of the table kept under ``completed_by`` (name, role) and any
    other detail the file gave (an email)."""
    person = model.evaluation.completed_by.model_dump(exclude_none=True)
    out: dict[str, Any] = {"date": model.evaluation.date}
    if person:
        out["completed_by"] = _Block(person)
    return out


def answer_file_text(evaluation: Evaluation, written_by: str = AUDIT) -> str:
    """The answer file of an evaluation (its answers canonical, as the audit keeps them).

    Every answer given is written, also those of questions not asked now (the audit keeps
    them until they are cleared): each in its usual place, in questionnaire order, and a
    share answer with all its groups. Answers to questions this edition no longer asks
    (``retired`` in framework.yaml) are taken as they are from the answer file and written
    last. Scoring ignores the ones that do not apply. ``written_by``: what the first line
    says wrote the file ("'compass migrate'").
    """
    framework, model, answers = evaluation.framework, evaluation.answer_file, evaluation.answers
    lines = [
        f"# compass answer file, written by {written_by}.",
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
