"""A hand-edited answer file (issue 12, points 1 and 2): every problem at once, in plain words with
what to write instead; forgiving where it is safe, with one rule per field for score, validate and
the audit alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compass_cli.audit.prompts import Answer, Invalid, NumberPrompt, parse
from compass_cli.cli.main import app
from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.writing import answer_file_text

from ..audit.audit_helpers import Scripted  # noqa: F401 - the audit's scripted prompter lives there

HAND_FILLED = """\
format: 1
framework: gatsby-2025-schools
institution:
  name: Hand Filled School
  urn: 123456
  learners:
    Y7: 180 pupils
    Y8: "1,200"
    Y9: lots
evaluation:
  date: 2026-11-20
answers:
  B1.1.1: Yes
  B2.1.1: {Y9: heaps}
  B1.4.1: sometimes
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ours.yaml"
    path.write_text(text)
    return path


def plain(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("command", ["score", "validate"])
def test_every_problem_is_listed_at_once_with_what_to_write(runner: CliRunner, tmp_path: Path, command: str) -> None:
    path = write(tmp_path, HAND_FILLED)
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == (2 if command == "score" else 1)
    said = plain(result.stderr)
    assert f"{path}:7: institution.learners.Y7: '180 pupils' is not a number of learners; write 180" in said
    assert f"{path}:9: institution.learners.Y9: 'lots' is not a number of learners" in said
    assert f"{path}:14: answers.B2.1.1: Y9: expected one of none, a_few, some" in said and "got 'heaps'" in said
    assert f"{path}:15: answers.B1.4.1: expected one of: yearly (At least once a year)" in said
    assert said.count("error:") == 4  # the institution's problems did not hide the answers' ones


FORGIVEN = """\
format: 1
framework: gatsby-2025-schools
institution:
  name: Forgiven School
  urn: "123456"
  sixth_form: "no"
  learners: {Y7: "1,200", Y8: 180}
evaluation:
  date: 20/11/2026
answers:
  B1.1.1: "YES"
  B1.1.2: Trained
  B1.1.3: Partly, or being put in place
  B1.1.4: "link_governor, Governors_Report; slt_link"
  B5.1.1: {y7: All, Year 8: most (76-90%), Y9: almost all, Y10: Many, Y11: all}
  B5.1.9: "1,200"
  B6.1.1: 3.5
notes:
  B1.1.3: {due: 31/03/2027}
"""


def test_forgiving_where_it_is_safe(tmp_path: Path) -> None:
    ev = load_evaluation(write(tmp_path, FORGIVEN))
    a = ev.answers
    assert a["B1.1.1"] == "yes" and a["B1.1.2"] == "trained" and a["B1.1.3"] == "partly"
    assert a["B1.1.4"] == ["link_governor", "governors_report", "slt_link"]
    assert a["B5.1.1"] == {"Y7": "all", "Y8": "most", "Y9": "almost_all", "Y10": "many", "Y11": "all"}
    assert a["B5.1.9"] == 1200 and a["B6.1.1"] == 3.5
    assert ev.answer_file.institution.learners == {"Y7": 1200, "Y8": 180}
    assert ev.answer_file.evaluation.date.isoformat() == "2026-11-20"
    assert ev.answer_file.notes["B1.1.3"].due.isoformat() == "2027-03-31"


@pytest.mark.parametrize(("qid", "given", "words"), [
    ("B5.1.9", 12.5, "expected a whole number of employers; got 12.5"),  # a count has no halves
    ("B1.1.2", "Brilliant", "expected one of: trained"),
    ("B1.1.4", "nobody, slt_link", "unknown item nobody"),
    ("B5.1.1", {"Y99": "all"}, "unknown group 'Y99'"),
])
def test_strict_where_a_guess_would_be_wrong(runner: CliRunner, tmp_path: Path, qid: str, given: object,
                                             words: str) -> None:
    import yaml

    doc = yaml.safe_load(FORGIVEN)
    doc["answers"][qid] = given
    path = write(tmp_path, yaml.safe_dump(doc, sort_keys=False))
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2 and words in plain(result.stderr), result.stderr


def test_the_audit_takes_halves_where_the_answer_file_does() -> None:
    from compass_cli.audit.prompts import Heading, Progress

    heading = Heading("B6.1.1", "Days?", Progress("B6", 6, 8, 1, 1))
    days = NumberPrompt(heading, 0, 60, "days", decimals=True)
    assert parse(days, "3.5") == Answer(3.5)
    count = NumberPrompt(heading, 0, None, "employers")
    assert parse(count, "1,200") == Answer(1200)
    with pytest.raises(Invalid):
        parse(count, "3.5")


# --------------------------------------------------------------------------- the template's words (point 6)


def test_the_template_says_when_a_question_is_asked_in_a_sentence(runner: CliRunner) -> None:
    text = runner.invoke(app, ["template"]).stdout
    assert "Asked only if you answered “Yes” to B1.1.1." in text
    assert "Asked only if the school has a sixth form." in text
    assert '{"question"' not in text and "Asked only when:" not in text


@pytest.mark.parametrize(("args", "learners", "wrong"), [
    (["-f", "gatsby-2025-colleges"], "learners", ("pupil", "Year 7", "year group", "Sixth-form")),
    (["--type", "itp"], "apprentices and trainees", ("pupil", "Year 7", "year group", "Sixth-form")),
    (["-f", "gatsby-2025-special"], "pupils", ("learners had it", "Sixth-form groups")),
], ids=["college", "itp", "special"])
def test_the_template_s_conditions_are_sentences_in_the_setting_s_words(
    runner: CliRunner, args: list[str], learners: str, wrong: tuple[str, ...],
) -> None:
    """No "some pupils in some group had it (B5.1.1 is not None everywhere)" for a college."""
    text = _comments(runner.invoke(app, ["template", *args]).stdout)
    assert f"Asked only if some {learners} had it (your answer to B5.1.1 is above “none” for at least one group)." \
        in text
    assert "None everywhere" not in text and "is not None" not in text
    assert "{group}" not in text and "the each" not in text
    for word in wrong:
        assert word not in text, word


def test_the_template_names_each_group_and_when_a_sixth_form_group_is_asked(runner: CliRunner) -> None:
    college = runner.invoke(app, ["template", "-f", "gatsby-2025-colleges"]).stdout
    assert "# Each year of their programme: how many learners are there this term?" in college
    assert "    P1:  # First year of their programme" in college
    assert "    FINAL:  # Completing their programme this year" in college
    special = _comments(runner.invoke(app, ["template", "-f", "gatsby-2025-special"]).stdout)
    assert "PL only if the school has post-16 provision." in special
    school = runner.invoke(app, ["template"]).stdout
    assert "Y12 and Y13 only if the school has a sixth form." in _comments(school)
    assert "# How many pupils are in each year group this term?" in school


def _comments(template: str) -> str:
    """A blank answer file's comments as one line of words (comments wrap, and carry a # each line)."""
    return " ".join(" ".join(line.strip().lstrip("#") for line in template.splitlines()).split())


def test_the_template_labels_each_question_with_its_own_scale(runner: CliRunner) -> None:
    text = " ".join(runner.invoke(app, ["template"]).stdout.split())
    assert "# B1.1.3 (yes/partly/no)" in text  # a yes/partly/no question is not "(yes/no)"
    assert "# B1.1.1 (yes/no)" in text


def test_questions_json_says_when_in_words(runner: CliRunner) -> None:
    import json

    data = json.loads(runner.invoke(app, ["questions", "-b", "B1", "--format", "json"]).stdout)
    b112 = next(q for c in data["benchmarks"][0]["criteria"] for q in c["questions"] if q["id"] == "B1.1.2")
    assert b112["asked_if"] == "you answered “Yes” to B1.1.1"


LEFT_BLANK = """\
format: 1
framework: gatsby-2025-schools
institution:
  name: Blank Text School
evaluation:
  date: 2026-11-20
answers:
  B1.1.1: yes
  B2.1.5: ''
  B2.1.1: ''
"""


def test_a_text_answer_left_blank_is_kept_and_counted_by_every_command_alike(runner: CliRunner,
                                                                              tmp_path: Path) -> None:
    """Issue 21: ``''`` for a text question is the audit's "left blank on purpose": read as an answer that says
    nothing, written back as it was, never unanswered, never a change; ``''`` elsewhere is still no answer."""
    path = write(tmp_path, LEFT_BLANK)
    loaded = load_evaluation(path)
    assert loaded.answers == {"B1.1.1": "yes", "B2.1.5": ""}
    scored = json.loads(runner.invoke(app, ["score", str(path), "--format", "json"]).stdout)[0]
    assert "B2.1.5" not in scored["unanswered"] and "B2.1.1" in scored["unanswered"]
    before = tmp_path / "before.yaml"
    before.write_text(LEFT_BLANK.replace("  B2.1.5: ''\n", ""))
    compared = json.loads(runner.invoke(app, ["compare", str(before), str(path), "--format", "json"]).stdout)
    assert compared["answers_changed"] == []
    assert "  B2.1.5: ''\n" in answer_file_text(loaded)
