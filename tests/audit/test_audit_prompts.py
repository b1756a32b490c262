"""The keyboard rules: what a typed line means at each kind of prompt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compass_cli.audit.prompts import (
    Answer,
    ChecklistPrompt,
    Choice,
    ChoicePrompt,
    Command,
    Heading,
    Invalid,
    NumberPrompt,
    Progress,
    SharePrompt,
    TextPrompt,
    lettered_options,
    numbered,
    parse,
    shortest_line,
)

H = Heading("X.1.1", "A question?", Progress("B1", 1, 8, 1, 1))
YES_NO = ChoicePrompt(H, lettered_options([("yes", "Yes"), ("partly", "Partly"), ("no", "No")]))
CHOICE = ChoicePrompt(H, numbered([("trained", "Trained"), ("in_training", "In training"), ("none", "None")]))
ITEMS = numbered([(f"i{n}", f"Item {n}") for n in range(1, 6)])
CHECKLIST = ChecklistPrompt(H, ITEMS)
BANDS = numbered([(v, v) for v in ("none", "a_few", "some", "many", "most", "almost_all", "all")])
GROUPS = tuple(Choice(g, g, g) for g in ("Y7", "Y8", "Y9", "Y10", "Y11"))
SHARE = SharePrompt(H, GROUPS, BANDS)
NUMBER = NumberPrompt(H, 0, 60, "days")


@pytest.mark.parametrize(("line", "command"), [
    ("b", Command("back")), ("BACK", Command("back")), ("s", Command("skip")), (" x ", Command("clear")),
    ("?", Command("help")), ("h", Command("help")), ("o", Command("progress")), ("e", Command("note")),
    ("q", Command("quit")), ("j5", Command("jump", 5)), ("j 5", Command("jump", 5)), ("jB3", Command("jump", 3)),
    ("j0", Command("jump", 0)), ("ji", Command("jump", 0)), ("jump 8", Command("jump", 8)),
])
def test_commands_work_at_every_prompt(line: str, command: Command) -> None:
    for prompt in (YES_NO, CHOICE, CHECKLIST, SHARE, NUMBER, TextPrompt(H)):
        assert parse(prompt, line) == command


def test_a_jump_needs_a_number() -> None:
    with pytest.raises(Invalid, match="j5"):
        parse(CHOICE, "j")


def test_yes_no_takes_letters_words_and_enter() -> None:
    assert [c.key for c in YES_NO.options] == ["y", "p", "n"]
    assert parse(YES_NO, "y") == Answer("yes")
    assert parse(YES_NO, "No") == Answer("no")
    assert parse(YES_NO, "partly") == Answer("partly")
    assert parse(ChoicePrompt(H, YES_NO.options, "no"), "") == Answer("no")
    with pytest.raises(Invalid, match="y, p or n"):
        parse(YES_NO, "")
    with pytest.raises(Invalid, match="y, p or n"):
        parse(YES_NO, "1")


def test_options_whose_letters_clash_are_numbered() -> None:
    assert [c.key for c in lettered_options([("sometimes", "S"), ("never", "N")])] == ["1", "2"]
    assert [c.key for c in lettered_options([("always", "A"), ("annually", "An")])] == ["1", "2"]


def test_choice_takes_numbers() -> None:
    assert parse(CHOICE, "2") == Answer("in_training")
    assert parse(CHOICE, "none") == Answer("none")
    with pytest.raises(Invalid, match="1-3"):
        parse(CHOICE, "4")


@pytest.mark.parametrize(("line", "ticked"), [
    ("134", ["i1", "i3", "i4"]), ("1 3 4", ["i1", "i3", "i4"]), ("4,1", ["i1", "i4"]), ("a", ["i1", "i2", "i3", "i4",
    "i5"]), ("0", []), ("none", []), ("+5", ["i1", "i2", "i5"]), ("-1", ["i2"]), ("+5 -2", ["i1", "i5"]),
    ("", ["i1", "i2"]),
])
def test_checklist_lines(line: str, ticked: list[str]) -> None:
    prompt = ChecklistPrompt(H, ITEMS, ("i1", "i2"))
    assert parse(prompt, line) == Answer(ticked)


@pytest.mark.parametrize("line", ["6", "1+2", "abc", "+", "1 -2", "-9"])
def test_checklist_refuses_what_it_cannot_read(line: str) -> None:
    with pytest.raises(Invalid):
        parse(CHECKLIST, line)


def test_share_lines() -> None:
    assert parse(SHARE, "77765") == Answer({"Y7": "all", "Y8": "all", "Y9": "all", "Y10": "almost_all", "Y11": "most"})
    assert parse(SHARE, "7 7 7 6 5") == parse(SHARE, "77765")
    assert parse(SHARE, "7") == Answer({g: "all" for g in ("Y7", "Y8", "Y9", "Y10", "Y11")})
    assert parse(SHARE, "most") == Answer({g: "most" for g in ("Y7", "Y8", "Y9", "Y10", "Y11")})
    before = SharePrompt(H, GROUPS, BANDS, {g: "some" for g in ("Y7", "Y8", "Y9", "Y10", "Y11")})
    assert parse(before, "y10=7 Y11=1") == Answer({"Y7": "some", "Y8": "some", "Y9": "some", "Y10": "all",
                                                   "Y11": "none"})
    assert parse(before, "") == Answer(before.default)
    for bad in ("777", "8", "77785", "Y12=7", "Y10=9"):
        with pytest.raises(Invalid):
            parse(before, bad)
    with pytest.raises(Invalid, match="Still missing"):
        parse(SHARE, "Y7=7")


def test_numbers() -> None:
    assert parse(NUMBER, "5") == Answer(5)
    assert parse(NumberPrompt(H, 0, None, None, 3), "") == Answer(3)
    assert parse(NumberPrompt(H, 0, None), "1,200") == Answer(1200)
    for bad in ("61", "-1", "2.5", "five", ""):
        with pytest.raises(Invalid):
            parse(NUMBER, bad)


def test_text() -> None:
    assert parse(TextPrompt(H), "  In the careers folder ") == Answer("In the careers folder")
    assert parse(TextPrompt(H), "") == Command("skip")
    assert parse(TextPrompt(H, "kept"), "") == Answer("kept")
    with pytest.raises(Invalid):
        parse(TextPrompt(H, required=True), "")
    with pytest.raises(Invalid, match="digits"):
        parse(TextPrompt(H, check=lambda t: None if t.isdigit() else "digits only"), "abc")


subsets = st.lists(st.sampled_from([c.value for c in ITEMS]), unique=True)
bands = st.sampled_from([b.value for b in BANDS])


@given(value=subsets, default=st.none() | subsets)
def test_the_shortest_checklist_line_means_the_answer(value: list[str], default: list[str] | None) -> None:
    order = [c.value for c in ITEMS]
    value = sorted(value, key=order.index)
    prompt = ChecklistPrompt(H, ITEMS, None if default is None else tuple(sorted(default, key=order.index)))
    line = shortest_line(prompt, value)
    assert parse(prompt, line) == Answer(value)
    assert len(line) <= len(ITEMS)


@given(value=st.fixed_dictionaries({g.value: bands for g in GROUPS}),
       default=st.none() | st.fixed_dictionaries({g.value: bands for g in GROUPS}))
def test_the_shortest_share_line_means_the_answer(value: dict[str, str], default: dict[str, str] | None) -> None:
    prompt = SharePrompt(H, GROUPS, BANDS, default)
    line = shortest_line(prompt, value)
    assert parse(prompt, line) == Answer(value)
    assert len(line) <= len(GROUPS)
    if default == value:
        assert line == ""
