"""The institution fields the website shows (the careers leader and two links): optional, checked as they are
read, asked by the audit where the framework lists them, written by the writer, shown in the blank file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compass_cli.audit.interview import Interview
from compass_cli.cli import app
from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import email_problem, phone_digits, phone_problem, url_problem
from compass_cli.core.schemas import answers_schema
from compass_cli.core.writing import answer_file_text

from ..audit.audit_helpers import INSTITUTION_LINES, Scripted
from .conftest import EXAMPLES, RIVERSIDE

WEBSITE = ("careers_leader_name", "careers_leader_role", "careers_leader_email", "careers_leader_phone",
           "careers_programme_url", "provider_access_url")


@pytest.mark.parametrize("text", ["careers@school.example.sch.uk", "j.patel+careers@a-b.example", "X@y.uk"])
def test_an_email_address_that_looks_like_one(text: str) -> None:
    assert email_problem(text) is None


@pytest.mark.parametrize("text", ["careers", "a@b", "a b@c.uk", "<a@b.uk>", "a@b..uk", "a@-b.uk", '"a"@b.uk',
                                  "a@b.uk?subject=x", "x" * 250 + "@b.uk"])
def test_an_email_address_that_does_not(text: str) -> None:
    assert email_problem(text) is not None


@pytest.mark.parametrize(("text", "digits"), [("01632 960123", "01632960123"), ("0161 496 0000", "01614960000"),
                                              ("+44 (0)1632 960123", "01632960123"), ("07700 900123", "07700900123"),
                                              ("(01632) 960-123", "01632960123"), ("020 7946 0000", "02079460000")])
def test_a_uk_phone_number(text: str, digits: str) -> None:
    assert phone_problem(text) is None and phone_digits(text) == digits


@pytest.mark.parametrize("text", ["960123", "1632 960123", "01632 960123 ext 4", "+1 212 555 0100", "00 44 1632 960123",
                                  "0800", "tel:01632960123", "01632 9601234567"])
def test_not_a_uk_phone_number(text: str) -> None:
    assert phone_problem(text) is not None


@pytest.mark.parametrize("text", ["https://www.school.example/careers", "http://school.example",
                                  "https://school.example/a?b=c&d=e#f", "HTTPS://SCHOOL.EXAMPLE/"])
def test_a_web_address(text: str) -> None:
    assert url_problem(text) is None


@pytest.mark.parametrize("text", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
                                  "vbscript:x", "file:///etc/passwd", "ftp://school.example", "//school.example",
                                  "https://", "school.example/careers", "https://a.example/x y",
                                  'https://a.example/"', "https://a.example/<b>", "https://a.example/\\x",
                                  "https://a.example/\x1b[2J", "https://a.example/" + "x" * 2000])
def test_not_a_web_address_for_a_public_page(text: str) -> None:
    assert url_problem(text) is not None


def test_old_answer_files_without_them_still_load_and_are_written_as_they_were() -> None:
    loaded = load_evaluation(EXAMPLES / "riverside-high-last-term.yaml")
    inst = loaded.answer_file.institution
    assert all(getattr(inst, key) is None for key in WEBSITE)
    assert "careers_leader" not in answer_file_text(loaded)


def test_the_writer_writes_them_after_the_learner_numbers_and_reads_them_back(tmp_path: Path) -> None:
    loaded = load_evaluation(RIVERSIDE)
    text = answer_file_text(loaded)
    institution = text.split("institution:\n", 1)[1].split("evaluation:", 1)[0]
    keys = [line.split(":")[0].strip() for line in institution.splitlines() if not line.startswith("    ")]
    assert keys[-6:] == list(WEBSITE) and keys.index("learners") < keys.index("careers_leader_name")
    assert "  careers_leader_phone: 01632 960418\n" in text
    again = tmp_path / "again.yaml"
    again.write_text(text, encoding="utf-8")
    assert load_evaluation(again).answer_file.institution == loaded.answer_file.institution


@pytest.mark.parametrize(("kind", "expected"), [("school", WEBSITE), ("special", WEBSITE), ("college", WEBSITE[:5])])
def test_the_blank_file_asks_for_them_in_the_framework_s_words(kind: str, expected: tuple[str, ...]) -> None:
    blank = CliRunner().invoke(app, ["template", "--type", kind]).stdout
    for key in WEBSITE:
        assert (f"\n  {key}:\n" in blank) == (key in expected), key
    assert "Which phone number reaches the careers leader?" in blank


def test_the_answer_schema_knows_them() -> None:
    institution = answers_schema(load_framework("gatsby-2025-colleges"))["$defs"]["Institution"]["properties"]
    assert set(WEBSITE) <= set(institution)


def test_the_audit_asks_them_refuses_a_bad_one_with_a_hint_and_saves_the_good(tmp_path: Path) -> None:
    fw = load_framework("gatsby-2025-schools")
    path = tmp_path / "answers.yaml"
    website = ["Ms J. Patel", "", "careers at school", "careers@h.example", "12345", "01632 960123",
               "javascript:alert(1)", "https://h.example/careers", ""]
    prompter = Scripted([*INSTITUTION_LINES[:-6], *website, "q"])
    Interview(fw, path, prompter, today=dt.date(2026, 11, 20)).run()
    assert len(prompter.hints) == 3
    assert "email address looks like" in prompter.hints[0] and "UK phone number" in prompter.hints[1]
    assert "javascript: address cannot be linked" in prompter.hints[2]
    inst = load_evaluation(path, fw).answer_file.institution
    assert (inst.careers_leader_name, inst.careers_leader_role, inst.careers_leader_email) == (
        "Ms J. Patel", None, "careers@h.example")
    assert (inst.careers_leader_phone, inst.careers_programme_url, inst.provider_access_url) == (
        "01632 960123", "https://h.example/careers", None)


def test_a_copy_forward_keeps_them(tmp_path: Path) -> None:
    fw = load_framework("gatsby-2025-schools")
    before = load_evaluation(RIVERSIDE, fw)
    path = tmp_path / "spring.yaml"
    Interview(fw, path, Scripted(["q"]), previous=before, today=dt.date(2026, 12, 1)).run()
    assert load_evaluation(path, fw).answer_file.institution.careers_leader_email == "careers@riverside-high.example"
