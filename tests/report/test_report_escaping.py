"""Every user-supplied field is shown, never run; the HTML has no script and fetches nothing."""

from __future__ import annotations

import re

import pytest
import yaml
from markupsafe import escape

from compass_cli.core.reporting import build_report
from compass_cli.output.report import build_context, render
from compass_cli.text import markdown as md

from .conftest import EXAMPLES, evaluate

FIELDS = ["name", "site", "local_authority", "completed_by", "role", "note", "evidence", "owner",
          "text_answer", "benchmark_note", "criterion_owner"]


def payload(field: str) -> str:
    return f"<script>alert('{field}')</script> <img src=x onerror=alert(1)> | *{field}* [x](http://evil.example)"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    doc = yaml.safe_load((EXAMPLES / "riverside-high.yaml").read_text())
    inst = doc["institution"]
    inst["name"], inst["site"], inst["local_authority"] = payload("name"), payload("site"), payload("local_authority")
    doc["evaluation"]["completed_by"] = {"name": payload("completed_by"), "role": payload("role")}
    doc["answers"]["B6.1.11"] = payload("text_answer")
    doc["notes"] = {
        "B3.3.5": {"note": payload("note"), "evidence": payload("evidence"), "owner": payload("owner")},
        "B3": {"note": payload("benchmark_note")},
        "B6.1": {"owner": payload("criterion_owner")},
    }
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    previous = evaluate(EXAMPLES / "riverside-high-last-term.yaml")
    return build_context(build_report(evaluate(path), previous))


def test_html_shows_every_field_escaped(hostile):
    html = render(hostile, "html")
    for field in FIELDS:
        assert str(escape(payload(field))) in html, field
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "onerror=alert(1)>" not in html


def test_markdown_shows_every_field_escaped(hostile):
    text = render(hostile, "md")
    for field in FIELDS:
        assert md(payload(field)) in text, field
    # every < of user text is backslash-escaped: no raw HTML reaches a Markdown renderer
    assert not re.search(r"(?<!\\)<(script|img|/script)", text)
    # a | in a table cell is escaped, so the plan table keeps its columns
    plan = [line for line in text.splitlines() if line.startswith("| ") and "B6.1" in line and "Quick win" in line]
    header = next(line for line in text.splitlines() if line.startswith("| # | Priority"))
    columns = len(re.findall(r"(?<!\\)\|", header))
    assert plan and all(len(re.findall(r"(?<!\\)\|", line)) == columns for line in plan)


def test_md_filter():
    assert md("<b>bold</b> & *x* _y_ [l](u) `c` a|b ~~s~~ &amp;") == (
        r"\<b>bold\</b> & \*x\* \_y\_ \[l\](u) \`c\` a\|b \~\~s\~\~ \&amp;"
    )
    assert md("two\nlines") == "two lines"


@pytest.mark.parametrize("name", ["riverside-high", "oakfield-academy", "st-marys-catholic-college"])
def test_html_fetches_nothing_and_runs_nothing(name):
    ev = evaluate(EXAMPLES / f"{name}.yaml")
    html = render(build_context(build_report(ev)), "html")
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers
