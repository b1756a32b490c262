"""``compass publish``: the careers page for the website, with every item of the framework or a clear "missing".

The done-when command of issue 23 is pinned whole (golden files, regenerated with
COMPASS_UPDATE_GOLDEN=1 and read before committing); the other cases check one thing each,
through the command as a careers leader runs it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from compass_cli.core.frameworks import load_framework

from .a11y import problems
from .conftest import EXAMPLES, GOLDEN, RIVERSIDE, RIVERSIDE_LAST_TERM, example_with, publish

UPDATE = os.environ.get("COMPASS_UPDATE_GOLDEN") == "1"

SCHOOL_ITEMS = ["Our careers leader", "Our careers programme", "Finding out more",
                "How we measure the programme's impact", "Next review", "Provider access policy"]


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&amp;", "&").split())


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_done_when_command_writes_the_golden_page(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"careers.{fmt}"
    result = publish(RIVERSIDE, "--previous", RIVERSIDE_LAST_TERM, "-o", out)
    assert f"Wrote {out}: 6 items: 6 given, 0 on the website already" in " ".join(result.stderr.split())
    golden = GOLDEN / f"riverside-high.{fmt}"
    if UPDATE:
        golden.write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    assert out.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


def test_the_fragment_has_every_item_both_results_and_the_national_figures(tmp_path: Path) -> None:
    out = tmp_path / "careers.html"
    publish(RIVERSIDE, "--previous", RIVERSIDE_LAST_TERM, "-o", out)
    html = out.read_text(encoding="utf-8")
    assert not html.lstrip().startswith("<!DOCTYPE") and "<h1" not in html  # a part of a page, from h2
    assert re.findall(r"<h3>(.*?)</h3>", html)[:6] == [h.replace("'", "&#39;") for h in SCHOOL_ITEMS]
    text = _plain(html)
    # the careers leader and the links, from the institution section
    assert "Sam Whitfield" in text and 'href="mailto:careers@riverside-high.example"' in html
    assert 'href="tel:+441632960418">01632 960418</a>' in html
    assert '<a href="https://www.riverside-high.example/careers/programme">Read our careers programme</a>' in html
    assert "https://www.riverside-high.example/careers/provider-access" in html
    # the results: each benchmark now and last time, dated, and the national share of one stated year
    assert "Benchmark 20 Nov 2026 10 Jul 2026 National, 2018/19*" in text
    assert "on that date (20 November 2026, and our previous evaluation of 10 July 2026)" in text
    assert re.search(r"B4 Linking curriculum learning to careers 100% ✓ 57% 38%", text)
    assert "Benchmarks fully achieved 6 of 8 4 of 8 3 on average" in text
    # the latest national average is of another year: labelled with its own
    assert "The latest national average, from 2024/25, is 5.96 benchmarks fully achieved" in text
    assert "Next review: 31 March 2027" in text
    assert "Missing" not in text


@pytest.mark.parametrize(("name", "kind", "items", "words", "never"), [
    ("riverside-high.yaml", None, 6, ["pupils in each year group"], ["learners"]),
    ("hollins-brook-school.yaml", None, 6, ["How pupils, parents and carers", "Maintained special schools"],
     ["learners"]),
    ("kelderbeck-college-town-centre.yaml", None, 5, ["learners do during their programme", "Priya Hallworth"],
     ["pupil", "Provider access", "school website"]),
    ("kelderbeck-college-town-centre.yaml", "itp", 5, ["apprentices and trainees do during their programme"],
     ["pupil", "Provider access", "learners do"]),
    ("riverside-high-2025-spring-2014-edition.yaml", None, 6, ["Gatsby Benchmarks", "National, 2018/19"],
     ["learners"]),
])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_every_framework_speaks_in_its_own_words(tmp_path: Path, name: str, kind: str | None, items: int,
                                                 words: list[str], never: list[str], fmt: str) -> None:
    path = example_with(tmp_path, name, {"type": kind}) if kind else EXAMPLES / name
    result = publish(path, "--format", fmt)
    text = _plain(result.stdout) if fmt == "html" else result.stdout.replace("\\", "")
    assert f"{items} items" in result.stderr
    for word in words:
        assert word in text, word
    for word in never:
        assert word not in text, word
    if fmt == "html":
        assert problems(result.stdout, fragment=True) == []


def test_a_college_is_told_the_provider_access_statement_is_not_its_to_publish() -> None:
    result = publish(EXAMPLES / "kelderbeck-college-town-centre.yaml")
    said = " ".join(result.stderr.split())
    assert "Not asked: A provider access policy statement" in said and "section 42B" in said
    assert "5 given" in said


def test_what_the_answer_file_lacks_is_marked_missing_or_on_the_website(tmp_path: Path) -> None:
    # St Mary's gives its careers leader's name and email, no phone and no link; its careers page shows the contact
    result = publish(EXAMPLES / "st-marys-catholic-college.yaml", "--format", "html")
    html, said = result.stdout, " ".join(result.stderr.split())
    assert "3 given, 2 on the website already but not in the answer file, 1 missing" in said
    assert "Missing: A summary of the careers programme. Add the careers programme link (careers_programme_url)" \
        in said
    assert "On the website already: The careers leader's name, email address and phone number. Add the careers " \
           "leader's phone (careers_leader_phone)" in said
    text = _plain(html)
    assert "Tom Reilly" in text and "careers@st-marys-wirral.example" in text  # what is given is shown
    assert "Missing: A summary of the careers programme. The website still lacks this." in text
    assert "On the website already: The careers leader's name, email address and phone number. Your evaluation " \
           "(B1.3.5) says the website shows this already." in text


def test_an_answer_file_with_nothing_for_the_website_marks_every_item_it_cannot_give(tmp_path: Path) -> None:
    path = example_with(tmp_path, "riverside-high.yaml", answers={"B1.3.1": "no"},
                        drop=("careers_leader_name", "careers_leader_role", "careers_leader_email",
                              "careers_leader_phone", "careers_programme_url", "provider_access_url"))
    result = publish(path, "--format", "md")
    assert "2 given, 1 on the website already but not in the answer file, 3 missing" in " ".join(result.stderr.split())
    page = result.stdout
    assert page.count("> **Missing:**") == 3 and page.count("> **On the website already:**") == 1  # B7.1.8: yes
    assert "How we measure the programme's impact" in page and "Next review: **31 March 2027**" in page


def test_the_provider_access_statement_is_asked_only_where_the_duty_applies(tmp_path: Path) -> None:
    path = example_with(tmp_path, "riverside-high.yaml", answers={"B7.1.10": "no"})
    result = publish(path, "--format", "md")
    assert "5 items" in result.stderr and "Provider access" not in result.stdout
    unanswered = example_with(tmp_path, "riverside-high.yaml", answers={"B7.1.10": None, "B7.1.8": None},
                              institution={"provider_access_url": None})
    result = publish(unanswered, "--format", "md")  # not known yet: asked, and missing
    assert "6 items" in result.stderr and "> **Missing:** The provider access policy statement" in result.stdout


def test_standalone_is_a_whole_page_around_the_same_fragment(tmp_path: Path) -> None:
    part, page = tmp_path / "part.html", tmp_path / "page.html"
    publish(RIVERSIDE, "-o", part)
    publish(RIVERSIDE, "--standalone", "-o", page)
    whole = page.read_text(encoding="utf-8")
    assert whole.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in whole
    assert "<h1>Riverside High School</h1>" in whole and "Content-Security-Policy" in whole
    assert part.read_text(encoding="utf-8") in whole
    assert problems(whole, fragment=False) == []


def test_standalone_is_for_html_only(tmp_path: Path) -> None:
    result = publish(RIVERSIDE, "--standalone", "-o", tmp_path / "careers.md", code=2)
    assert "--standalone makes a whole HTML page" in result.stderr
    result = publish(RIVERSIDE, "-o", tmp_path / "careers.txt", code=2)
    assert "use a name ending .md or .html" in " ".join(result.stderr.split())


def test_the_screen_shows_markdown_and_the_output_never_replaces_an_answer_file(tmp_path: Path) -> None:
    assert publish(RIVERSIDE).stdout.startswith("## Careers education, information, advice and guidance")
    result = publish(RIVERSIDE, "-o", RIVERSIDE, code=2)
    assert "is one of the answer files this command reads" in result.stderr


def test_a_previous_evaluation_of_another_edition_is_compared_by_benchmark(tmp_path: Path) -> None:
    result = publish(RIVERSIDE, "--previous", EXAMPLES / "riverside-high-2025-spring-2014-edition.yaml",
                     "--format", "md")
    assert "benchmarks are compared by number" in result.stderr
    assert "Our earlier evaluation used Gatsby Benchmarks (2014)" in result.stdout


def test_a_previous_evaluation_of_another_institution_is_noted(tmp_path: Path) -> None:
    result = publish(RIVERSIDE, "--previous", EXAMPLES / "oakfield-academy.yaml", "--format", "md")
    assert "does not look like the same school" in " ".join(result.stderr.split())


def test_what_the_answer_file_says_is_shown_never_run(tmp_path: Path) -> None:
    path = example_with(tmp_path, "riverside-high.yaml", {
        "careers_leader_name": '<script>alert(1)</script> [x](javascript:alert(1))',
        "careers_leader_role": "Head of <b>careers</b> & *progression*"})
    html = publish(path, "--format", "html").stdout
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
    md = publish(path, "--format", "md").stdout
    assert r"\<script>" in md and r"\[x\](javascript" in md and r"\*progression\*" in md  # escaped, as typed


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("careers_programme_url", "javascript:alert(1)", "a javascript: address cannot be linked"),
    ("provider_access_url", "data:text/html,<script>x</script>", "a data: address cannot be linked"),
    ("careers_programme_url", "www.school.example/careers", "starts https://"),
    ("careers_programme_url", 'https://a.example/" onmouseover="x', "no spaces, quotes"),
    ("careers_leader_email", "careers at school", "an email address looks like"),
    ("careers_leader_phone", "call the office", "a UK phone number is 10 or 11 digits"),
    ("careers_leader_phone", "01632 96", "a UK phone number is 10 or 11 digits"),
])
def test_a_bad_link_email_or_phone_is_refused_with_its_line(tmp_path: Path, field: str, value: str,
                                                           expected: str) -> None:
    path = example_with(tmp_path, "riverside-high.yaml", {field: value})
    said = " ".join(publish(path, code=2).stderr.split())
    assert expected in said and f"institution.{field}" in said and str(path) in said


def test_a_framework_without_a_publish_section_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    fw = load_framework("gatsby-2025-schools")
    assert fw.folder is not None
    import shutil

    shutil.copytree(fw.folder, folder)
    meta = yaml.safe_load((folder / "framework.yaml").read_text(encoding="utf-8"))
    del meta["publish"]
    published = {"careers_leader_name", "careers_leader_role", "careers_leader_email", "careers_leader_phone",
                 "careers_programme_url", "provider_access_url"}
    meta["institution"]["fields"] = [f for f in meta["institution"]["fields"] if f["field"] not in published]
    meta["id"] = "hub-no-website"
    (folder / "framework.yaml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    path = example_with(tmp_path, "riverside-high.yaml", drop=tuple(published))
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["framework"] = "hub-no-website"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = publish(path, "--frameworks", folder, code=2)
    assert "has no publish section" in " ".join(result.stderr.split())


def test_own_templates_replace_the_bundled_ones_in_the_sandbox(tmp_path: Path) -> None:
    ours = tmp_path / "templates"
    ours.mkdir()
    (ours / "publish.md.j2").write_text("Careers at {{ institution.name }}: {{ results.achieved }}\n")
    assert publish(RIVERSIDE, "--templates", ours).stdout == "Careers at Riverside High School: 6 of 8\n"
    (ours / "publish.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    result = publish(RIVERSIDE, "--templates", ours, code=2)
    assert "publish.md.j2" in result.stderr and "not allowed" in result.stderr


def test_an_old_answer_file_without_the_new_fields_still_publishes() -> None:
    text = RIVERSIDE_LAST_TERM.read_text(encoding="utf-8")
    assert "careers_leader" not in text
    assert "4 on the website already" in publish(RIVERSIDE_LAST_TERM).stderr


def test_the_library_gives_the_same_page_and_its_items() -> None:
    import compass_cli

    publication = compass_cli.build_publication(compass_cli.evaluate(EXAMPLES / "st-marys-catholic-college.yaml"))
    assert [(i.item.id, i.status.value) for i in publication.items] == [
        ("careers_leader", "on_website"), ("programme_summary", "missing"), ("how_to_access", "given"),
        ("impact", "given"), ("next_review", "given"), ("provider_access", "on_website")]
    assert [i.item.id for i in publication.missing] == ["programme_summary"]
    assert publication.national_year is not None and publication.national_year.year == "2018/19"
    assert compass_cli.render_publication(publication, "md") == publish(
        EXAMPLES / "st-marys-catholic-college.yaml").stdout
