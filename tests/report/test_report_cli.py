"""compass report end to end, through the CLI runner: formats, files, templates, bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from compass_cli.cli import app

from .conftest import EXAMPLES, ROOT

RIVERSIDE = str(EXAMPLES / "riverside-high.yaml")
LAST_TERM = str(EXAMPLES / "riverside-high-last-term.yaml")


def run(runner, *args):
    return runner.invoke(app, ["report", *[str(a) for a in args]])


def test_markdown_to_the_screen_by_default(runner):
    result = run(runner, RIVERSIDE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Careers programme self-evaluation and action plan")
    assert "**Riverside High School**" in result.stdout
    assert "## Action plan" in result.stdout and "## What changed" not in result.stdout
    assert result.stderr == ""


def test_html_from_the_output_file_name(runner, tmp_path):
    out = tmp_path / "plan.html"
    result = run(runner, RIVERSIDE, "-o", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text
    assert result.stdout == ""
    assert f"Wrote {out}: 6 of 8 benchmarks fully achieved, 7 actions in the plan." in result.stderr


def test_format_wins_over_the_file_name(runner, tmp_path):
    out = tmp_path / "plan.html"
    assert run(runner, RIVERSIDE, "--format", "md", "-o", out).exit_code == 0
    assert out.read_text().startswith("# Careers programme")


def test_existing_report_is_replaced(runner, tmp_path):
    out = tmp_path / "plan.md"
    out.write_text("old")
    assert run(runner, RIVERSIDE, "-o", out).exit_code == 0
    assert out.read_text().startswith("# Careers programme")


def test_output_may_not_be_an_answer_file(runner, tmp_path):
    answers = tmp_path / "answers.yaml"
    shutil.copy(RIVERSIDE, answers)
    before = answers.read_text()
    result = run(runner, answers, "-o", answers)
    assert result.exit_code == 2
    assert "is one of the answer files" in result.stderr
    assert answers.read_text() == before


def test_previous_adds_what_changed(runner):
    result = run(runner, RIVERSIDE, "--previous", LAST_TERM)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "## What changed since 10 July 2026" in out
    assert "| Benchmarks fully achieved | **6 of 8** | 4 of 8 | +2 |" in out
    assert "- **B8.2** in progress → achieved" in out
    assert "- **B3.4** achieved → in progress" in out


def test_partial_credit_changes_the_scores(runner):
    plain = run(runner, RIVERSIDE).stdout
    half = run(runner, RIVERSIDE, "--partial-credit", "0.5").stdout
    assert "| Average score | **84%** |" in plain
    assert "| Average score | **84%** |" not in half
    assert "areas in progress counting 0.5" in half
    assert run(runner, RIVERSIDE, "--partial-credit", "2").exit_code == 2


def other_framework(tmp_path: Path) -> Path:
    """A copy of the bundled framework under another id, without criterion B3.4."""
    folder = tmp_path / "older-framework"
    shutil.copytree(ROOT / "questionnaires" / "gatsby-2025-schools", folder)
    shutil.rmtree(folder / "migrations")  # its map into B3.4 would no longer fit
    meta = yaml.safe_load((folder / "framework.yaml").read_text())
    meta.update(id="gatsby-test-older", title="An older framework", edition="2024")
    (folder / "framework.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    b3 = folder / "b3-needs-of-each-pupil.yaml"
    bench = yaml.safe_load(b3.read_text())
    bench["criteria"] = [c for c in bench["criteria"] if c["id"] != "B3.4"]
    b3.write_text(yaml.safe_dump(bench, sort_keys=False))
    return folder


def test_previous_of_another_framework_is_compared_by_id(runner, tmp_path):
    folder = other_framework(tmp_path)
    doc = yaml.safe_load(Path(LAST_TERM).read_text())
    doc["framework"] = str(folder)
    doc["answers"] = {k: v for k, v in doc["answers"].items() if not k.startswith("B3.4.")}
    doc["notes"] = {k: v for k, v in (doc.get("notes") or {}).items() if not k.startswith("B3.4")}
    previous = tmp_path / "older.yaml"
    previous.write_text(yaml.safe_dump(doc, sort_keys=False))
    result = run(runner, RIVERSIDE, "--previous", previous)
    assert result.exit_code == 0, result.stderr
    assert "uses framework 'gatsby-test-older', not 'gatsby-2025-schools'" in result.stderr
    assert "compared by id where the ids match" in result.stderr
    out = result.stdout
    assert (
        "> The previous evaluation used An older framework (edition 2024). Benchmarks and criteria are compared "
        "by id where the ids match; these could not be compared: B3.4." in out
    )
    assert "answers changed" not in out  # answers are only compared within one framework


def test_previous_of_another_school_is_flagged(runner, tmp_path):
    doc = yaml.safe_load(Path(LAST_TERM).read_text())
    doc["institution"]["name"] = "Hilltop School"
    doc["institution"]["urn"] = "999999"
    previous = tmp_path / "other.yaml"
    previous.write_text(yaml.safe_dump(doc, sort_keys=False))
    result = run(runner, RIVERSIDE, "--previous", previous)
    assert result.exit_code == 0
    assert "is for 'Hilltop School', which does not look like the same institution" in result.stderr
    assert "> The previous evaluation is for Hilltop School" in result.stdout


def test_another_site_of_the_same_college_is_flagged_as_the_summary_counts_it(runner, tmp_path):
    """Two sites of one college share a UKPRN: the summary counts two institutions, so the report
    must not compare them as one (the report used to ignore the site)."""
    doc = yaml.safe_load((EXAMPLES / "kelderbeck-college-town-centre.yaml").read_text())
    sites = tmp_path / "sites"
    sites.mkdir()
    town_centre = sites / "town-centre.yaml"
    town_centre.write_text(yaml.safe_dump(doc, sort_keys=False))
    doc["institution"]["site"] = "Riverside campus"
    doc["evaluation"]["date"] = "2026-07-01"
    riverside = sites / "riverside.yaml"
    riverside.write_text(yaml.safe_dump(doc, sort_keys=False))

    summary = runner.invoke(app, ["summary", str(sites), "--format", "json"])
    assert summary.exit_code == 0, summary.stderr
    assert json.loads(summary.stdout)["evaluations"] == 2

    result = run(runner, town_centre, "--previous", riverside)
    assert result.exit_code == 0, result.stderr
    assert ("is for 'Kelderbeck College (Riverside campus)', which does not look like the same institution "
            "(different URN, UKPRN, name or site)") in " ".join(result.stderr.split())
    assert "> The previous evaluation is for Kelderbeck College (Riverside campus), which does not" in result.stdout
    data = json.loads(run(runner, town_centre, "--previous", riverside, "--format", "json").stdout)
    assert data["comparison"]["same_institution"] is False


def test_the_same_site_is_the_same_institution(runner, tmp_path):
    doc = yaml.safe_load((EXAMPLES / "kelderbeck-college-town-centre.yaml").read_text())
    doc["evaluation"]["date"] = "2026-07-01"
    doc["institution"]["site"] = "  town centre CAMPUS "  # the site as typed: case and spaces do not matter
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(yaml.safe_dump(doc, sort_keys=False))
    result = run(runner, EXAMPLES / "kelderbeck-college-town-centre.yaml", "--previous", earlier)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "" and "does not look like the same institution" not in result.stdout


@pytest.mark.parametrize("which", ["answers", "previous"])
def test_bad_answer_file_is_exit_2_without_traceback(runner, tmp_path, which):
    bad = tmp_path / "bad.yaml"
    bad.write_text("framework: gatsby-2025-schools\ninstitution: {name: X}\nevaluation: {date: 2026-11-20}\n"
                   "answers:\n  B1.1.1: maybe\n")
    args = [bad] if which == "answers" else [RIVERSIDE, "--previous", bad]
    result = run(runner, *args)
    assert result.exit_code == 2
    assert f"{bad}:5: answers.B1.1.1: expected one of: yes; no; got 'maybe'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_file(runner, tmp_path):
    result = run(runner, tmp_path / "nowhere.yaml")
    assert result.exit_code == 2
    assert "nowhere.yaml: no such file" in result.stderr


# --------------------------------------------------------------------------- templates


def test_override_one_template_and_keep_the_rest(runner, tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "header.html.j2").write_text(
        '<header class="masthead"><p class="overline">Northshire Careers Hub</p>'
        "<h1>{{ institution.name }}</h1></header>\n"
    )
    result = run(runner, RIVERSIDE, "--format", "html", "--templates", tmp_path)
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert "Northshire Careers Hub" in html
    assert "Careers programme self-evaluation and action plan" not in html  # the bundled header is replaced
    assert 'id="plan"' in html and "<svg" in html  # the other partials still come from the bundle


def test_override_the_markdown_template(runner, tmp_path):
    (tmp_path / "report.md.j2").write_text(
        "# {{ institution.name|md }}\n{% for a in plan.actions[:2] %}\n{{ a.rank }}. {{ a.action|md }}\n{% endfor %}"
    )
    result = run(runner, RIVERSIDE, "--templates", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Riverside High School\n1. Keep an alumni contact list")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("<section>\n<h2>Plan</h2>\n{% if %}\n</section>\n", 3, "template error: Expected an expression"),
        ("<section>\n{{ nonsense.total }}\n</section>\n", 2, "template error: 'nonsense' is undefined"),
        ("<p>\n\n{{ 1 / 0 }}\n", 3, "template error: division by zero"),
        ('{% include "partials/nowhere.html.j2" %}\n', 1,
         "template error: no template called 'partials/nowhere.html.j2'"),
    ],
)
def test_broken_template_names_file_and_line(runner, tmp_path, text, line, message):
    (tmp_path / "partials").mkdir()
    broken = tmp_path / "partials" / "plan.html.j2"
    broken.write_text(text)
    result = run(runner, RIVERSIDE, "--format", "html", "--templates", tmp_path)
    assert result.exit_code == 2
    assert f"{broken}:{line}: {message}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_templates_folder_must_exist(runner, tmp_path):
    result = run(runner, RIVERSIDE, "--templates", tmp_path / "nope")
    assert result.exit_code == 2
    assert "no such folder" in result.stderr


def test_help(runner):
    result = runner.invoke(app, ["report", "--help"])
    assert result.exit_code == 0
    for option in ("--previous", "--format", "--output", "--templates", "--partial-credit"):
        assert option in result.stdout


def test_new_report_is_not_private(runner, tmp_path):
    """A report is for sharing: a new file gets the usual permissions, not mkstemp's private ones."""
    old = os.umask(0o022)
    try:
        out = tmp_path / "plan.html"
        assert run(runner, RIVERSIDE, "-o", out).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_blank_evaluation_plans_nothing_yet(runner, tmp_path):
    blank = tmp_path / "blank.yaml"
    assert runner.invoke(app, ["template", "-o", str(blank)]).exit_code == 0
    for fmt in ("md", "html"):
        result = run(runner, blank, "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "There is nothing to plan yet: answer the questions first." in result.stdout
        assert "Every criterion that applies is achieved" not in result.stdout
        assert "not answered yet" in result.stdout


def test_every_change_shown_equals_the_difference_of_the_figures_shown(runner):
    """Issue 10, item 6: 84% beside 74% is "+10 points", never "+11" from the exact values."""
    import re

    text = run(runner, RIVERSIDE, "--previous", str(EXAMPLES / "riverside-high-last-term.yaml")).stdout
    # the scores table: benchmark | this evaluation | areas met | previous | change | national | status
    rows = re.findall(r"^\| (B\d) [^|]+\| (–|\d+)%? \| [^|]+ \| (–|\d+)%? \| ([^|]+) \| [^|]+ \| [^|]+ \|$", text, re.M)
    assert len(rows) == 8
    for bid, new, old, shown in rows:
        if "–" in (old, new):
            continue
        expected = int(new) - int(old)
        words = "no change" if expected == 0 else f"{'+' if expected > 0 else '−'}{abs(expected)} points"
        assert shown.strip() == words, bid
    headline = re.search(r"\| Average score \| \*\*(\d+)%\*\* \| (\d+)% \| ([^|]+) \|", text)
    assert headline, text[:2000]
    now, before, shown = headline.groups()
    assert shown.strip() == f"{'+' if int(now) >= int(before) else '−'}{abs(int(now) - int(before))} points"


# --------------------------------------------------------------------------- the setting's own words


KELDERBECK = EXAMPLES / "kelderbeck-college-town-centre.yaml"


def _all_met(path: Path, tmp_path: Path, **institution: object) -> Path:
    """The answer file with every question answered at its best (nothing left to plan)."""
    from compass_cli.core.frameworks import load_framework

    from ..best_answers import best_answers

    doc = yaml.safe_load(path.read_text())
    doc["institution"].update(institution)
    doc["answers"] = best_answers(load_framework(doc["framework"]), bool(doc["institution"].get("sixth_form")))
    out = tmp_path / path.name
    out.write_text(yaml.safe_dump(doc, sort_keys=False))
    return out


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(("path", "institution", "own", "learners"), [
    (KELDERBECK, {}, "the college's own", "learners"),
    (KELDERBECK, {"type": "itp"}, "the training provider's own", "apprentices and trainees"),
    (EXAMPLES / "hollins-brook-school.yaml", {}, "the school's own", "pupils"),
    (EXAMPLES / "riverside-high-2025-spring-2014-edition.yaml", {}, "the school's own", "pupils"),
], ids=["college", "itp", "special", "2014"])
def test_the_report_speaks_of_the_institution_and_its_learners_in_its_own_words(
    runner, tmp_path, fmt, path, institution, own, learners,
):
    """"The answers are the school's own" and "feedback from pupils" only where there are pupils."""
    done = _all_met(path, tmp_path, **institution)
    text = " ".join(run(runner, done, "--format", fmt).stdout.replace("’", "'").replace("&#39;", "'").split())
    assert f"the answers are {own}" in text
    assert "Nothing is left to plan" in text and f"with feedback from {learners}, parents and carers" in text
    if learners != "pupils":
        assert "school's" not in text and "pupils" not in text


def test_a_special_school_has_post_16_provision_not_a_sixth_form(runner):
    text = run(runner, EXAMPLES / "hollins-brook-school.yaml").stdout
    assert "| Institution | Special school or specialist setting with post-16 provision" in text
    assert "sixth form" not in text.split("## Headline")[0]


def test_national_figures_of_two_years_are_each_labelled(runner):
    """The headline's 2024/25 average and the 2018/19 shares per benchmark: the report says which is which."""
    sentence = ("The national shares per benchmark are from 2018/19, when 3 benchmarks were fully achieved on "
                "average; the national average of 5.96 is from 2024/25, a year with no shares per benchmark "
                "published.")
    for fmt in ("md", "html"):
        assert sentence in " ".join(run(runner, RIVERSIDE, "--format", fmt).stdout.split()), fmt


def test_the_evidence_log_leaves_out_notes_that_only_mark_a_changed_answer(runner, tmp_path):
    """Issue 21: after ``audit --from`` every changed answer has ``changed: true`` under notes; that mark alone is
    nothing to show, so no question is listed in the evidence log with nothing under it."""
    answers = tmp_path / "riverside.yaml"
    text = Path(RIVERSIDE).read_text()
    answers.write_text(text.replace("notes:\n", "notes:\n  B1.1.3:\n    changed: true\n"
                                               "  B1.1.4:\n    changed: true\n    owner: Ms T. Obi\n", 1))
    data = json.loads(run(runner, answers, "--format", "json").stdout)
    refs = [e["ref"] for g in data["evidence"] for e in g["entries"]]
    assert "B1.1.3" not in refs and "B1.1.4" in refs
    for fmt in ("md", "html"):
        page = run(runner, answers, "--format", fmt).stdout
        log = page[page.index('id="evidence"' if fmt == "html" else "## Evidence log"):]
        assert "B1.1.3" not in log and "B1.1.4" in log and "Ms T. Obi" in log


def test_what_changed_names_the_benchmarks_that_moved_and_lists_the_answers(runner, tmp_path):
    """Issue 21: a benchmark can move with no criterion changing status (B3: one more area met); "What changed"
    says which moved and by how much, and the changed answers are listed then and now, in the questionnaire's
    words, in Markdown and HTML."""
    now = tmp_path / "spring.yaml"
    now.write_text(Path(RIVERSIDE).read_text().replace("  B3.3.4: some_planned\n", "  B3.3.4: embedded\n"))
    md = run(runner, now, "--previous", RIVERSIDE, "--format", "md").stdout
    changed = md[md.index("## What changed"):md.index("## Action plan")]
    assert ("Benchmarks that moved:\n\n- **B3** Addressing the needs of each young person: 75% → 83% (+8 points), "
            "still in progress\n") in changed
    assert "No criterion changed status." in changed
    assert '1 answer changed: it is listed, then and now, under "Answers changed since 20 November 2026"' in changed
    listed = md[md.index("## Answers changed since 20 November 2026"):md.index("## Evidence log")]
    assert ("| **B3.3.4** How are former pupils (alumni) involved in your careers programme? | Some planned "
            "involvement, but no kept-up way of staying in touch | A planned part of the programme: we keep in touch "
            "with former pupils and they take part every year |") in listed
    html = run(runner, now, "--previous", RIVERSIDE, "--format", "html").stdout
    shown = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert ("Benchmarks that moved B3 Addressing the needs of each young person: 75% → 83% (▲ +8 points), "
            "still in progress") in shown
    assert "1 answer changed: it is listed, then and now, after the benchmarks." in shown
    assert ("B3.3.4 How are former pupils (alumni) involved in your careers programme? Some planned involvement, "
            "but no kept-up way of staying in touch A planned part of the programme") in shown
    assert '<section id="answers-changed"' in html and '<a href="#answers-changed">Answers changed</a>' in html
    # nothing moved: said in a sentence, and no list of answers
    same = run(runner, RIVERSIDE, "--previous", RIVERSIDE, "--format", "md").stdout
    assert "No benchmark's score or status changed." in same and "No answer changed." in same
    assert "## Answers changed" not in same
