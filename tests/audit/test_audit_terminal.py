"""compass audit in a real terminal (a pseudo-terminal, through pexpect), as people use it."""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.models import Result
from compass_cli.core.scoring import score

from .audit_helpers import expected, full_plan, keys_for

PROMPT = re.compile(r"([^\n\[]+?) \[[^\n]*?\] › (?:\x1b\[[?0-9;]*[A-Za-z])*$")
ESCAPE = re.compile(r"\x1b\[[?0-9;]*[A-Za-z]")
REF = re.compile(r"(B\d\.\d+\.\d+|Evaluation|careers leader's (?:name|role|email|phone)|careers programme link|"
                 r"provider access link|name|URN|local authority|sixth form|Y\d+|completed by|role)$")
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25])[;m]")
END = "Make the action plan with:"


def spawn(args: list[str], cwd: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS", "LINES")}
    env.update(NO_COLOR="1", TERM="xterm")
    child = pexpect.spawn(sys.executable, ["-m", "compass_cli", "audit", *args], cwd=str(cwd), env=env,
                          encoding="utf-8", dimensions=(24, 80), timeout=20)
    child.delaybeforesend = None  # each prompt is awaited before typing, so no pause is needed
    return child


def next_ref(child: pexpect.spawn) -> str | None:
    """Wait for the next prompt; its question id or field, or None at the end screen."""
    if child.expect([PROMPT, END]) == 1:
        return None
    found = REF.search(ESCAPE.sub("", child.match.group(1)).strip())
    assert found, child.match.group(1)
    return found.group(1)


def answer_until(child: pexpect.spawn, fw: Framework, plan: dict[str, Any], stop_at: str | None = None,
                 given: dict[str, Any] | None = None) -> str | None:
    """Answer every prompt from ``plan``; stop (without answering) when ``stop_at`` is on screen."""
    while True:
        ref = next_ref(child)
        if ref is None or ref == stop_at:
            return ref
        child.sendline(keys_for(fw, ref, plan[ref]))
        if given is not None:
            given[ref] = plan[ref]


def comparable(result: Result) -> dict[str, Any]:
    return result.model_dump(exclude={"source"})


@pytest.fixture(scope="module")
def uninterrupted(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete audit from a blank start, typed in a terminal in one go."""
    folder = tmp_path_factory.mktemp("uninterrupted")
    child = spawn(["answers.yaml"], folder)
    assert answer_until(child, fw, full_plan(fw)) is None
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return folder / "answers.yaml"


def test_a_complete_audit_from_a_blank_start(fw: Framework, uninterrupted: Path) -> None:
    loaded = load_evaluation(uninterrupted, fw)
    plan = full_plan(fw)
    assert loaded.answers == expected(fw, plan)
    assert loaded.answer_file.institution.name == "Hilltop Academy"
    assert loaded.answer_file.institution.learners["Y13"] == 110
    assert score(loaded).complete


def test_the_screens_fit_80_columns_without_colour(fw: Framework, tmp_path: Path) -> None:
    child = spawn(["answers.yaml"], tmp_path)
    seen = []
    plan = full_plan(fw)
    child.logfile_read = _Collect(seen)
    assert answer_until(child, fw, plan, stop_at="B1.2.2") == "B1.2.2"
    child.sendline("9")  # a wrong key: a hint, and the same question again
    assert next_ref(child) == "B1.2.2"
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = "".join(seen)
    assert "Items are numbered 1 to 6" in text
    assert not COLOUR.search(text)
    lines = ESCAPE.sub("", text).replace("\r", "").split("\n")
    assert max(len(line) for line in lines) <= 80


class _Collect:
    def __init__(self, into: list[str]) -> None:
        self.into = into

    def write(self, data: str) -> None:
        self.into.append(data)

    def flush(self) -> None:
        pass


def test_ctrl_c_half_way_then_resume(fw: Framework, tmp_path: Path, uninterrupted: Path) -> None:
    plan = full_plan(fw)
    given: dict[str, Any] = {}
    child = spawn(["answers.yaml"], tmp_path)
    assert answer_until(child, fw, plan, stop_at="B4.1.2", given=given) == "B4.1.2"
    child.sendintr()
    child.expect(r"To carry on where you stopped:\s+(compass audit [^\r\n]+)")
    command = child.match.group(1).strip()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert command == "compass audit answers.yaml"

    # every answer given before the interrupt is in the file
    loaded = load_evaluation(tmp_path / "answers.yaml", fw)
    questions = {k: v for k, v in given.items() if fw.has_question(k)}
    assert loaded.answers == {k: v for k, v in expected(fw, plan).items() if k in questions}
    assert "B4.1.6" in loaded.answers and "B4.1.2" not in loaded.answers
    assert loaded.answer_file.institution.learners["Y7"] == plan["Y7"]

    # the printed command carries on at the question on screen when it was interrupted
    child = spawn(shlex.split(command)[2:], tmp_path)
    assert next_ref(child) == "B4.1.2"
    child.sendline(keys_for(fw, "B4.1.2", plan["B4.1.2"]))
    assert answer_until(child, fw, plan) is None
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    resumed = load_evaluation(tmp_path / "answers.yaml", fw)
    straight = load_evaluation(uninterrupted, fw)
    assert resumed.answers == straight.answers
    assert comparable(score(resumed)) == comparable(score(straight))


def test_two_audits_of_one_file(fw: Framework, tmp_path: Path) -> None:
    """Issue 9.4: a second audit of a file that is open is refused at once; the first loses nothing."""
    plan = full_plan(fw)
    first = spawn(["answers.yaml"], tmp_path)
    assert answer_until(first, fw, plan, stop_at="B1.1.2") == "B1.1.2"
    last_term = Path(__file__).resolve().parents[2] / "examples" / "riverside-high-last-term.yaml"
    for args in (["answers.yaml"], ["--from", str(last_term), "-o", "answers.yaml"], ["--review"]):
        second = spawn(args, tmp_path)
        second.expect(pexpect.EOF)
        second.close()
        said = " ".join(ESCAPE.sub("", second.before).split())
        assert second.exitstatus == 2, said
        assert f"answers.yaml is open in another compass audit (process {first.pid}, since" in said, said
    first.sendline(keys_for(fw, "B1.1.2", plan["B1.1.2"]))
    assert next_ref(first) == "B1.1.3"
    first.sendline("q")
    first.expect(pexpect.EOF)
    first.close()
    assert first.exitstatus == 0
    assert load_evaluation(tmp_path / "answers.yaml", fw).answers["B1.1.2"] == plan["B1.1.2"]

    # the lock goes with the process, however it ends
    killed = spawn(["answers.yaml"], tmp_path)
    assert next_ref(killed) == "B1.1.3"
    killed.kill(9)
    killed.close(force=True)
    again = spawn(["answers.yaml"], tmp_path)
    assert next_ref(again) == "B1.1.3"
    again.sendline("q")
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 0


def test_a_file_changed_underneath_an_audit_is_not_overwritten(fw: Framework, tmp_path: Path) -> None:
    plan = full_plan(fw)
    child = spawn(["answers.yaml"], tmp_path)
    assert answer_until(child, fw, plan, stop_at="B1.1.2") == "B1.1.2"
    path = tmp_path / "answers.yaml"
    edited = path.read_text().replace("Hilltop Academy", "Hilltop Academy Trust")
    path.write_text(edited)  # saved meanwhile by a text editor (or an older compass)
    child.sendline(keys_for(fw, "B1.1.2", plan["B1.1.2"]))
    child.expect(pexpect.EOF)
    child.close()
    said = " ".join(ESCAPE.sub("", child.before).split())
    assert child.exitstatus == 1
    assert "changed on disk since compass read it" in said and "the answer on screen was not saved" in said
    assert path.read_text() == edited


def test_text_left_blank_with_enter_is_not_asked_again_after_q(fw: Framework, tmp_path: Path) -> None:
    """Issue 21: the prompt says a text question can be left blank with Enter; once left blank, resuming does
    not go back to it."""
    plan = full_plan(fw)
    texts = {q.id for q in fw.questions() if q.kind.value == "text"}
    child = spawn(["answers.yaml"], tmp_path)
    blanked = []
    while (ref := next_ref(child)) != "B3.1.1":
        assert ref is not None
        if ref in texts:
            assert "Enter to leave blank" in ESCAPE.sub("", child.match.group(0))
            blanked.append(ref)
            child.sendline("")
        else:
            child.sendline(keys_for(fw, ref, plan[ref]))
    assert blanked
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert all(load_evaluation(tmp_path / "answers.yaml", fw).answers[q] == "" for q in blanked)
    child = spawn(["answers.yaml"], tmp_path)
    assert next_ref(child) == "B3.1.1"
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
