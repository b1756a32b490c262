"""A blank, commented answer file that a person can fill in with a text editor.

Every question is present, in order, with its text, its help and its options in comments
and an empty answer; the file loads as it is (an evaluation with nothing answered yet).
"""

from __future__ import annotations

import datetime as dt

from compass_cli.core.answers import condition_words
from compass_cli.core.framework import Framework
from compass_cli.core.models import ANSWER_FORMAT, Question, QuestionKind, Words
from compass_cli.core.models import InstitutionFieldName as FieldName
from compass_cli.text import comment_lines, one_line, printable


def _question_lines(fw: Framework, q: Question, words: Words) -> list[str]:
    lines = comment_lines(f"{q.id} ({_kind_words(fw, q)}) {q.text}")
    if q.help:
        lines += comment_lines("Help: " + q.help, prefix="#   ")
    if q.when is not None:
        lines += comment_lines("Asked only if " + condition_words(fw, q.when, words) + ".", prefix="#   ")
    return lines + fw.kind(q).blank_lines(fw, q)


def _kind_words(fw: Framework, q: Question) -> str:
    """The kind of answer in a few words: a yes/no question's own options (yes/partly/no), else the kind."""
    if q.kind is QuestionKind.yes_no:
        return "/".join(o.value for o in fw.options(q))
    return q.kind.value.replace("_", " ")


def schema_file_name(fw: Framework) -> str:
    """The JSON Schema an editor checks this framework's answer files against (``compass schema``)."""
    return f"{fw.id}.answers.schema.json"


def _institution_lines(fw: Framework, kind: str | None = None) -> list[str]:
    """The institution section as this framework asks it: each key with its question as a comment."""
    section = fw.meta.institution
    words = fw.meta.words(kind)
    out: list[str] = []
    for f in section.fields:
        name = f.field
        if name in (FieldName.completed_by, FieldName.role):
            continue  # these go under evaluation.completed_by
        out += comment_lines(words.fill(f.text, group=f"each {words.group}"))
        if name is FieldName.type:
            out += comment_lines("One of: " + "; ".join(f"{k} ({v})" for k, v in section.types.items()), prefix="#   ")
            out.append(f"  type: {kind or section.default_type}")
        elif name is FieldName.sixth_form:
            out.append("  sixth_form: false")
        elif name is FieldName.learners:
            out.append("  learners:")
            out += [f"    {g}:  # {fw.group(g).label}" for g in fw.meta.year_groups]
        elif name is FieldName.name:
            out.append('  name: ""')
        else:
            out.append(f"  {name.value}:")
    return out


def blank_answer_file(fw: Framework, today: dt.date | None = None, kind: str | None = None) -> str:
    today = today or dt.date.today()
    words = fw.meta.words(kind)
    lines = [
        f"# yaml-language-server: $schema={schema_file_name(fw)}",
        f"# compass answer file for: {one_line(fw.meta.title)}",
        "# Fill in the answers below with a text editor, then run: compass score THIS-FILE",
        "# An empty answer means 'not answered yet'. Lines starting with # are comments.",
        "# The format is described in docs/answer-file.md.",
        f"format: {ANSWER_FORMAT}",
        f"framework: {fw.id}",
        "",
        "institution:",
        *_institution_lines(fw, kind),
    ]
    lines += [
        "",
        "evaluation:",
        f"  date: {today.isoformat()}",
        "  completed_by:",
        "    name:",
        "    role:",
        "",
        "answers:",
    ]
    for bench in fw.benchmarks:
        title = one_line(bench.title)
        lines += ["", f"  # ===== {bench.id} {title} " + "=" * max(0, 60 - len(title))]
        for crit in bench.criteria:
            lines += [""] + comment_lines(f"--- {crit.id} ({crit.source}) {crit.text}")
            for q in crit.questions:
                lines += _question_lines(fw, q, words)
    lines += [
        "",
        "# Notes and evidence, keyed by question or criterion id, for example:",
        "#   B1.1.1:",
        "#     note: Approved by governors on 12 October.",
        "#     evidence: Governors' minutes, item 4.",
        "#     owner: Ms Patel        # presets the action plan's owner",
        "#     due: 2027-03-31        # and its achieve-by date",
        "#     changed: true          # set by 'compass audit --from' when an answer changed",
        "notes: {}",
        "",
    ]
    return printable("\n".join(lines))  # the framework's words are comments here: no control character
