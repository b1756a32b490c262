"""compass audit as a command: refusals, errors and exit codes, and the screens around the walk."""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.cli import audit as audit_module
from compass_cli.core.evaluation import load_evaluation
from compass_cli.resources import bundled

from ..conftest import EXAMPLES
from .audit_helpers import INSTITUTION_LINES as INSTITUTION_ONLY
from .audit_helpers import INSTITUTION_STEPS

#: A new audit first asks which evaluation fits (Enter: the schools one), then the institution section.
INSTITUTION_LINES = ["", *INSTITUTION_ONLY]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner working in a fresh folder."""
    monkeypatch.chdir(tmp_path)
    return CliRunner()


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend both ends are a terminal; lines come from CliRunner's input."""
    monkeypatch.setattr(audit_module, "is_interactive", lambda: True)


def plain(text: str) -> str:
    """Messages as words, whatever the width they were wrapped at."""
    return " ".join(text.split())


def test_without_a_terminal_it_refuses_and_points_elsewhere(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit"], input="y\n")
    assert result.exit_code == 2
    assert "needs a terminal" in plain(result.stderr)
    assert "compass template" in plain(result.stderr) and "compass score" in plain(result.stderr)
    assert not Path("answers.yaml").exists()
    assert "Traceback" not in result.output


def test_a_full_audit_then_the_end_screen(runner: CliRunner, tmp_path: Path, terminal: None) -> None:
    lines = INSTITUTION_LINES + ["y"] * 400  # y answers yes/no; anything else re-asks, then...
    result = runner.invoke(app, ["audit", "mine.yaml"], input="\n".join(lines[:len(INSTITUTION_LINES)] + ["q"]) + "\n")
    assert result.exit_code == 0, result.output
    assert "To carry on: compass audit mine.yaml" in plain(result.stdout)
    # resume and answer everything with a simple answer per kind
    result = runner.invoke(app, ["audit", "mine.yaml"], input=simple_answers())
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Carrying on with mine.yaml" in out
    assert "Benchmarks fully achieved" in out
    assert "compass report mine.yaml --format html -o plan.html" in out
    # (a prompt and the hint after it share a line here only because typed input is not echoed)
    assert max(len(line) for line in out.splitlines() if "›" not in line) <= 80
    loaded = load_evaluation(Path("mine.yaml"))
    assert loaded.answer_file.institution.name == "Hilltop Academy"
    scored = runner.invoke(app, ["score", "mine.yaml"])
    assert scored.exit_code == 0


def simple_answers() -> str:
    """Enough lines to answer every question: 'y' works for yes/no, '1' for the rest, 'a' for lists.

    Each prompt takes lines until one fits, so the same cycle answers every kind.
    """
    cycle = ["y", "a", "7", "3", "done"]
    return "\n".join(cycle * 120 + ["n"] * 5) + "\n"


def test_copy_forward_shows_what_changed(runner: CliRunner, tmp_path: Path, terminal: None) -> None:
    runner.invoke(app, ["audit", "summer.yaml"], input="\n".join(INSTITUTION_LINES) + "\n" + simple_answers())
    assert load_evaluation(Path("summer.yaml")).answers
    # Enter for everything, except B1.1.1 (no)
    lines = [""] * INSTITUTION_STEPS + ["n"] + [""] * 200
    result = runner.invoke(app, ["audit", "--from", "summer.yaml", "-o", "autumn.yaml"], input="\n".join(lines))
    assert result.exit_code == 0, result.output
    assert "Since 20" in result.stdout and "Answers changed: " in result.stdout
    loaded = load_evaluation(Path("autumn.yaml"))
    assert loaded.answers["B1.1.1"] == "no"
    assert loaded.answer_file.notes["B1.1.1"].changed is True


def test_an_answer_file_for_another_framework_is_refused(runner: CliRunner, tmp_path: Path, terminal: None) -> None:
    other = tmp_path / "other-framework"
    shutil.copytree(bundled("questionnaires") / "gatsby-2025-schools", other)
    meta = other / "framework.yaml"
    meta.write_text(meta.read_text().replace("id: gatsby-2025-schools", "id: gatsby-2025-colleges"))
    runner.invoke(app, ["audit", "answers.yaml"], input="\n".join(INSTITUTION_LINES + ["y", "q"]) + "\n")
    before = Path("answers.yaml").read_text()
    result = runner.invoke(app, ["audit", "answers.yaml", "--framework", str(other)], input="y\n")
    assert result.exit_code == 2
    assert "is an evaluation for framework 'gatsby-2025-schools', not 'gatsby-2025-colleges'" in plain(result.stderr)
    assert Path("answers.yaml").read_text() == before
    result = runner.invoke(app, ["audit", "--from", "answers.yaml", "-o", "new.yaml", "-f", str(other)])
    assert result.exit_code == 2 and not Path("new.yaml").exists()


def test_a_file_for_an_unknown_framework(runner: CliRunner, tmp_path: Path, terminal: None) -> None:
    Path("old.yaml").write_text("format: 1\nframework: gatsby-1999-schools\ninstitution: {name: X}\n"
                                "evaluation: {date: 2024-03-01}\n")
    result = runner.invoke(app, ["audit", "--from", "old.yaml", "-o", "new.yaml"])
    assert result.exit_code == 2
    assert "unknown framework 'gatsby-1999-schools'" in plain(result.stderr)


@pytest.mark.parametrize("text", ["format: 1\nframework: [\n", "just words\n", "format: 1\nframework: "
                                  "gatsby-2025-schools\ninstitution: {}\nevaluation: {date: 2025-01-01}\n"
                                  "answers: {B1.1.1: perhaps}\n"])
def test_a_corrupt_answer_file_is_left_alone(runner: CliRunner, tmp_path: Path, terminal: None, text: str) -> None:
    Path("answers.yaml").write_text(text)
    result = runner.invoke(app, ["audit", "answers.yaml"], input="y\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: answers.yaml")
    assert Path("answers.yaml").read_text() == text


def test_a_read_only_answer_file(runner: CliRunner, tmp_path: Path, terminal: None) -> None:
    runner.invoke(app, ["audit"], input="\n".join(INSTITUTION_LINES + ["y", "q"]) + "\n")
    before = Path("answers.yaml").read_text()
    os.chmod("answers.yaml", 0o444)
    result = runner.invoke(app, ["audit"], input="n\n")
    assert result.exit_code == 1
    assert "read-only" in plain(result.stderr)
    assert Path("answers.yaml").read_text() == before


def test_a_full_disk_mid_audit_keeps_what_was_saved(
    runner: CliRunner, tmp_path: Path, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls = []

    def replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) > 15:  # the first save, 13 institution answers (an empty one saves nothing), then B1.1.1
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr("compass_cli.files.os.replace", replace)
    result = runner.invoke(app, ["audit"], input="\n".join(INSTITUTION_LINES + ["y", "1", "y", "a"]) + "\n")
    assert result.exit_code == 1
    assert "the disk is full" in plain(result.stderr)
    assert "carry on with: compass audit answers.yaml" in plain(result.stderr)
    data = yaml.safe_load(Path("answers.yaml").read_text())
    assert data["answers"] == {"B1.1.1": "yes"}
    assert not [p for p in Path(".").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(("args", "message"), [
    (["audit", "a.yaml", "-o", "b.yaml"], "give the answer file once"),
    (["audit", "a.json"], "saves YAML"),
    (["audit", "missing.yaml", "--review"], "nothing to review"),
    (["audit", "--from", "a.yaml", "-o", "a.yaml"], "is one of the answer files this command reads"),
])
def test_flags_that_make_no_sense(runner: CliRunner, tmp_path: Path, terminal: None, args: list[str],
                                  message: str) -> None:
    Path("a.yaml").write_text("format: 1\nframework: gatsby-2025-schools\ninstitution: {}\n"
                              "evaluation: {date: 2025-01-01}\n")
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in plain(result.stderr)


def test_a_stopped_review_says_how_to_carry_on_the_review(runner: CliRunner, tmp_path: Path, terminal: None) -> None:
    shutil.copy(EXAMPLES / "oakfield-academy.yaml", "oak.yaml")
    steps = INSTITUTION_STEPS + 1  # the institution section of a school with a sixth form, then B1.1.1
    result = runner.invoke(app, ["audit", "oak.yaml", "--review"], input="\n" * steps + "q\n")
    assert result.exit_code == 0, result.output
    assert "To carry on: compass audit oak.yaml --review --at B1.1.2" in plain(result.stdout)
    result = runner.invoke(app, ["audit", "oak.yaml", "--review", "--at", "B1.1.2"], input="q\n")
    assert result.exit_code == 0, result.output
    assert "B1.1.2" in result.stdout.split("›")[0].splitlines()[-1]  # the first prompt is that question


def test_leaving_a_benchmark_shows_its_score(runner: CliRunner, tmp_path: Path, terminal: None) -> None:
    shutil.copy(EXAMPLES / "oakfield-academy.yaml", "oak.yaml")
    result = runner.invoke(app, ["audit", "oak.yaml", "--review", "--at", "B1"], input="\n" * 40 + "q\n")
    assert result.exit_code == 0, result.output
    assert "B1 score: 100% · achieved · 13 of 13 areas met" in plain(result.stdout)
    assert "B2 score: 100% · achieved · 6 of 6 areas met" in plain(result.stdout)


@pytest.mark.parametrize(("args", "message"), [
    (["--at", "B9.9.9"], "--at: B9.9.9 is not a question or benchmark of Gatsby Benchmarks (2025) for schools"),
    (["--at", "B1", "new.yaml"], "nothing to start at B1: new.yaml does not exist yet"),
])
def test_at_somewhere_that_is_not_there(runner: CliRunner, tmp_path: Path, terminal: None, args: list[str],
                                        message: str) -> None:
    shutil.copy(EXAMPLES / "oakfield-academy.yaml", "oak.yaml")
    result = runner.invoke(app, ["audit", *(args if "new.yaml" in args else ["oak.yaml", *args])])
    assert result.exit_code == 2
    assert message in plain(result.stderr)
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("kind", "learners"), [("", "learners"), ("2", "apprentices and trainees")],
                         ids=["college", "itp"])
def test_a_college_audit_speaks_of_its_groups_and_bands_in_words(
    runner: CliRunner, tmp_path: Path, terminal: None, kind: str, learners: str,
) -> None:
    """No "Group FINAL", no "the First year of their programme", no "5 most" without its percentages."""
    lines = ["Kelderbeck College", "10012345", kind, "Town Centre", "Kelderbeck", "300", "250", "40", "Jo Bloggs",
             "", "j2", "9", "7", "q"]
    result = runner.invoke(app, ["audit", "college.yaml", "-f", "gatsby-2025-colleges"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = plain(result.stdout)
    assert f"P1 First year of their programme: how many {learners} are there this term?" in out
    assert f"P1 [{learners}]" in out
    assert "the First year" not in out
    assert "Group: Completing their programme this year" in out
    assert "FINAL" not in out
    assert "5 most (76-90%)" in out and "7 all (100%)" in out
    assert "Type a band (1-7), e.g. 7." in out  # the wrong key's hint names no group id
    saved = load_evaluation(Path("college.yaml"))
    assert saved.answers["B2.1.1"] == {"FINAL": "all"}
    assert saved.answer_file.institution.type == ("itp" if kind else "college")


def test_a_school_s_share_prompt_names_its_year_groups(runner: CliRunner, tmp_path: Path, terminal: None) -> None:
    lines = [*INSTITUTION_LINES, "j2", "1234567", "q"]
    result = runner.invoke(app, ["audit", "mine.yaml"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "  Group  Year 9  Year 11  Year 13" in out  # across, each band typed under its group
    assert "Type one band (1-7) for each of the 3 groups, in order, e.g. 777, or one band for all of them." \
        in plain(out)


PROGRESS = re.compile(r"^Part (\d+) of (\d+) · (institution|B\d+) · (?:question )?(\d+) of (\d+)$")


def test_the_progress_line_counts_the_institution_and_never_jumps(runner: CliRunner, tmp_path: Path,
                                                                  terminal: None) -> None:
    """Issue 21: no total of questions that jumps as follow-ups appear ("0 of 49", later "of 73"); the parts
    (the institution section, then each benchmark) are known from the start, the institution the first."""
    result = runner.invoke(app, ["audit", "mine.yaml"], input="\n".join(INSTITUTION_LINES) + "\n" + simple_answers())
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    shown = [found for line in lines if (found := PROGRESS.match(line))]
    asked = [line for line in lines if re.match(r"^(B\d+\.\d+\.\d+|name|URN|local authority|sixth form|Y\d+|"
                                                 r"completed by|role|careers leader's \w+|careers programme link|"
                                                 r"provider access link)  ", line)]
    assert len(shown) == len(asked) > 80  # one above every question and every field of the institution
    assert {m.group(2) for m in shown} == {"9"}  # 1 + 8 benchmarks, from the first prompt to the last
    parts = [(int(m.group(1)), m.group(3)) for m in shown]
    assert parts[0] == (1, "institution") and parts[-1] == (9, "B8")
    assert parts == sorted(parts)  # a walk from start to end only moves forward
    assert {section for _, section in parts} == {"institution"} | {f"B{n}" for n in range(1, 9)}
    assert not any(re.search(r"\d+ of \d+ answered", line) for line in lines)
    assert "Part 1 of 9: About your school" in result.stdout and "Part 2 of 9: B1 A stable careers programme" \
        in result.stdout


def test_help_at_a_share_question_lists_each_band_with_its_percentages(runner: CliRunner, tmp_path: Path,
                                                                       terminal: None) -> None:
    lines = [*INSTITUTION_LINES, "j2", "?", "q"]
    result = runner.invoke(app, ["audit", "mine.yaml"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    helped = out[out.index("Counts: the pupil has actively used"):]
    bands = ["None (0%)", "A few (1-25%)", "Some (26-50%)", "Many (51-75%)", "Most (76-90%)", "Almost all (91-99%)",
             "All (100%)"]
    assert "The bands, each a share of the group:\n" + "".join(f"  {n} {b}\n" for n, b in enumerate(bands, 1)) in helped
    assert "Type a band for each group, in the order shown (e.g. 775), or one band for all of them (e.g. 7)." \
        in plain(helped)
