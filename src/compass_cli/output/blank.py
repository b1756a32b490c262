"""A blank, commented answer file that a person can fill in with a text editor.

Every question is present, in order, with its text, its help and its options in comments
and an empty answer; the file loads as it is (an evaluation with nothing answered yet).
"""

from __future__ import annotations

import datetime as dt

from compass_cli.core.answers import condition_words
from compass_cli.core.framework import Framework
from compass_cli.core.institution import FIELDS
from compass_cli.core.models import ANSWER_FORMAT, Question, Words
from compass_cli.text import comment_lines, one_line, printable


def _question_lines(fw: Framework, q: Question, words: Words) -> list[str]:
    lines = comment_lines(f"{q.id} ({fw.kind(q).short_name(fw, q)}) {q.text}")
    if q.help:
        lines += comment_lines("Help: " + q.help, prefix="#   ")
    if q.when is not None:
        lines += comment_lines("Asked only if " + condition_words(fw, q.when, words) + ".", prefix="#   ")
    return lines + fw.kind(q).blank_lines(fw, q)


def schema_file_name(fw: Framework) -> str:
    """The JSON Schema an editor checks this framework's answer files against (``compass schema``)."""
    return f"{fw.id}.answers.schema.json"


def _institution_lines(fw: Framework, kind: str | None = None) -> list[str]:
    """The institution section as this framework asks it: each key with its question as a comment (who completes
    the evaluation goes under ``evaluation``)."""
    words = fw.meta.words(kind)
    out: list[str] = []
    for asked in fw.meta.institution.fields:
        field = FIELDS[asked.field]
        if not field.in_evaluation:
            out += comment_lines(words.fill(asked.text, group=f"each {words.group}")) + field.blank_lines(fw, kind)
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
        *[f"    {field.key}:" for field in FIELDS.values() if field.in_evaluation],
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
