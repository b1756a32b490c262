"""What the audit asks, and what a typed line means: pure data and parsing, no terminal.

The interview (interview.py) builds a *prompt* for every step; a prompter shows it and
returns a *reply*: an ``Answer`` or a navigation ``Command``. A terminal prompter reads a
line and calls ``parse`` here, so the keyboard rules live in one place that tests and the
keystroke benchmark can use without a terminal. ``shortest_line`` is the inverse: the
fewest keys that give a wanted answer, checked by running them back through ``parse``.

The keyboard rules, chosen so that a termly re-evaluation is mostly Enter:

* Enter alone accepts the answer shown in brackets (this evaluation's, or the previous one's).
* Options are numbered; yes/no questions also take their first letter (y, n, p for partly).
* A checklist takes the numbers of the items in place (``134`` or ``1 3 4``), ``a`` for all,
  ``0`` for none, or changes to the answer shown (``+5``, ``-2``, ``+5 -2``).
* A share-of-learners question takes one band number per group in a row (``77765``), one
  number for every group (``7``), or changes to single groups (``Y10=5``).
* Commands work at every prompt: b back, s skip, x clear, j5 jump to B5 (j0: institution),
  ? help, o progress, e note or evidence, q save and quit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# --------------------------------------------------------------------------- replies


@dataclass(frozen=True)
class Answer:
    """An answer in canonical form (see answers.py)."""

    value: Any


@dataclass(frozen=True)
class Command:
    """A navigation command; ``target`` is the section number for ``jump`` (0: institution)."""

    name: str
    target: int | None = None


Reply = Answer | Command


class Invalid(Exception):
    """A line that means nothing here; ``hint`` is the short message shown before re-asking."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


COMMANDS: dict[str, str] = {
    "b": "back", "back": "back",
    "s": "skip", "skip": "skip",
    "x": "clear", "clear": "clear",
    "?": "help", "h": "help", "help": "help",
    "o": "progress", "progress": "progress",
    "e": "note", "note": "note",
    "q": "quit", "quit": "quit",
}
COMMANDS_HELP = "b back · s skip · x clear · j5 jump to B5 · ? help · o progress · e note · q save and quit"

_JUMP = re.compile(r"^(?:j|jump)\s*(?:b)?\s*(\d+|i)?$", re.IGNORECASE)


# --------------------------------------------------------------------------- prompts


@dataclass(frozen=True)
class Progress:
    """Where the user is: which part of the audit (the institution section, then each benchmark) and which step of it.

    No total of questions: follow-up questions appear and disappear with the answers, so a total would jump as
    they do. The parts are known from the start; only the count of the part on screen can change, and only
    because of an answer just given in it.
    """

    section_id: str
    #: 0 for the institution section, then each benchmark from 1
    section_number: int
    #: the benchmarks
    sections: int
    position: int
    count: int

    @property
    def part(self) -> int:
        """This part's number, the institution section being the first."""
        return self.section_number + 1

    @property
    def parts(self) -> int:
        """The parts of the audit: the institution section and every benchmark."""
        return self.sections + 1


@dataclass(frozen=True)
class Heading:
    """What is shown above every prompt."""

    ref: str
    text: str
    progress: Progress
    help: str | None = None
    previous: str | None = None
    has_note: bool = False
    #: with the help (``?``): how an answer is typed at this prompt, line by line (a share's bands, each with its
    #: percentages); empty where the prompt itself says enough
    explained: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    """One numbered (or lettered) option, checklist item, group or band."""

    key: str
    value: str
    label: str


@dataclass(frozen=True)
class ChoicePrompt:
    heading: Heading
    options: tuple[Choice, ...]
    default: str | None = None

    @property
    def lettered(self) -> bool:
        return not self.options[0].key.isdigit()


@dataclass(frozen=True)
class ChecklistPrompt:
    heading: Heading
    items: tuple[Choice, ...]
    default: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SharePrompt:
    heading: Heading
    groups: tuple[Choice, ...]
    bands: tuple[Choice, ...]
    default: Mapping[str, str] | None = None


@dataclass(frozen=True)
class NumberPrompt:
    heading: Heading
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None
    default: int | float | None = None
    #: halves and other decimals allowed (days of workplace time), as in the answer file
    decimals: bool = False


@dataclass(frozen=True)
class TextPrompt:
    heading: Heading
    default: str | None = None
    required: bool = False
    check: Callable[[str], str | None] | None = field(default=None, compare=False)
    #: Enter alone leaves it blank on purpose: an answer (""), not a skip (asking.Ask.blank)
    blank: bool = False


Prompt = ChoicePrompt | ChecklistPrompt | SharePrompt | NumberPrompt | TextPrompt


def lettered_options(options: list[tuple[str, str]]) -> tuple[Choice, ...]:
    """Options keyed by first letter when those are all different (yes/no/partly), else numbered."""
    letters = [value[:1].lower() for value, _ in options]
    if len(set(letters)) == len(letters) and all(letter.isalpha() for letter in letters) and not any(
        letter in COMMANDS for letter in letters
    ):
        return tuple(Choice(letter, value, label) for letter, (value, label) in zip(letters, options, strict=True))
    return numbered(options)


def numbered(options: list[tuple[str, str]]) -> tuple[Choice, ...]:
    return tuple(Choice(str(n), value, label) for n, (value, label) in enumerate(options, start=1))


# --------------------------------------------------------------------------- parsing


def parse(prompt: Prompt, line: str) -> Reply:
    """What a typed line means at this prompt; raises Invalid with a short hint."""
    text = line.strip()
    command = parse_command(text)
    if command is not None:
        return command
    if isinstance(prompt, ChoicePrompt):
        return _parse_choice(prompt, text)
    if isinstance(prompt, ChecklistPrompt):
        return _parse_checklist(prompt, text)
    if isinstance(prompt, SharePrompt):
        return _parse_share(prompt, text)
    if isinstance(prompt, NumberPrompt):
        return _parse_number(prompt, text)
    return _parse_text(prompt, text)


def parse_command(text: str) -> Command | None:
    low = text.lower()
    if low in COMMANDS:
        return Command(COMMANDS[low])
    match = _JUMP.match(low)
    if match:
        if match.group(1) is None:
            raise Invalid("Jump where? Type j and a benchmark number, e.g. j5 (j0 for the institution section).")
        target = 0 if match.group(1) == "i" else int(match.group(1))
        return Command("jump", target)
    return None


def choice_keys(prompt: ChoicePrompt) -> str:
    keys = [c.key for c in prompt.options]
    if prompt.lettered:
        return ", ".join(keys[:-1]) + " or " + keys[-1]
    return f"1-{len(keys)}"


def _no_default(what: str) -> Invalid:
    return Invalid(f"Type {what}, or s to skip this question for now.")


def _parse_choice(prompt: ChoicePrompt, text: str) -> Reply:
    if not text:
        if prompt.default is not None:
            return Answer(prompt.default)
        raise _no_default(choice_keys(prompt))
    low = text.lower()
    for c in prompt.options:
        if low in (c.key.lower(), c.value.lower(), c.label.lower()):
            return Answer(c.value)
    raise Invalid(f"Type {choice_keys(prompt)} (? for help).")


def _numbers(text: str, count: int) -> list[int]:
    """``134``, ``1 3 4`` or ``1,3,4`` as numbers; run-together digits only when all are single digits."""
    parts = [p for p in re.split(r"[\s,]+", text) if p]
    out: list[int] = []
    for part in parts:
        if not part.isdigit():
            raise ValueError(part)
        if count <= 9 and len(part) > 1:
            out += [int(ch) for ch in part]
        else:
            out.append(int(part))
    return out


def _parse_checklist(prompt: ChecklistPrompt, text: str) -> Reply:
    ids = [c.value for c in prompt.items]
    n = len(ids)
    hint = "Type item numbers (e.g. 13), a for all, 0 for none."
    if not text:
        if prompt.default is not None:
            return Answer(list(prompt.default))
        raise _no_default("item numbers (e.g. 13), a for all, 0 for none")
    low = text.lower()
    if low in ("a", "all"):
        return Answer(ids)
    if low in ("0", "none"):
        return Answer([])
    tokens = re.findall(r"[+-]?[^\s,+-]+", text)
    if not tokens:
        raise Invalid(hint)
    try:
        if all(t[0] in "+-" for t in tokens):
            ticked = set(prompt.default or ())
            for token in tokens:
                numbers = _numbers(token[1:], n)
                if not numbers or any(not 1 <= x <= n for x in numbers):
                    raise ValueError(token)
                chosen = {ids[x - 1] for x in numbers}
                ticked = ticked | chosen if token[0] == "+" else ticked - chosen
            return Answer([i for i in ids if i in ticked])
        numbers = _numbers(text, n)
    except ValueError:
        raise Invalid(hint) from None
    if not numbers or any(not 1 <= x <= n for x in numbers):
        raise Invalid(f"Items are numbered 1 to {n}. " + hint)
    return Answer([i for idx, i in enumerate(ids, start=1) if idx in numbers])


def _parse_share(prompt: SharePrompt, text: str) -> Reply:
    groups = [g.value for g in prompt.groups]
    labels = {g.value: g.label for g in prompt.groups}
    bands = {b.key: b.value for b in prompt.bands}
    words = {b.value.lower(): b.value for b in prompt.bands}
    n = len(groups)
    top = len(prompt.bands)
    # groups are named by their labels, never their ids ("FINAL" means nothing to a careers leader)
    each = f"a band (1-{top})" if n == 1 else f"one band (1-{top}) for each of the {n} groups, in order"
    hint = f"Type {each}, e.g. {str(top) * n}" + ("." if n == 1 else ", or one band for all of them.")
    if not text:
        if prompt.default is not None and all(g in prompt.default for g in groups):
            return Answer({g: prompt.default[g] for g in groups})
        raise _no_default(each)
    if text.lower() in words:
        return Answer({g: words[text.lower()] for g in groups})
    if "=" in text:
        out = {g: v for g, v in (prompt.default or {}).items() if g in groups}
        by_name = {g.lower(): g for g in groups}
        for token in re.split(r"[\s,]+", text.strip()):
            if not token:
                continue
            name, _, band = token.partition("=")
            if name.lower() not in by_name or band not in bands:
                raise Invalid(hint)
            out[by_name[name.lower()]] = bands[band]
        missing = [g for g in groups if g not in out]
        if missing:
            raise Invalid(f"Still missing: {', '.join(labels[g] for g in missing)}. " + hint)
        return Answer({g: out[g] for g in groups})
    digits = re.sub(r"[\s,]+", "", text)
    if not digits.isdigit() or any(d not in bands for d in digits) or len(digits) not in (1, n):
        raise Invalid(hint)
    if len(digits) == 1:
        return Answer({g: bands[digits] for g in groups})
    return Answer({g: bands[d] for g, d in zip(groups, digits, strict=True)})


def _parse_number(prompt: NumberPrompt, text: str) -> Reply:
    """A number as the answer file takes it (kinds.number_from_text): "1,200", and "3.5" where
    the question allows decimals."""
    from compass_cli.core.kinds import number_from_text

    low, high = prompt.minimum if prompt.minimum is not None else 0, prompt.maximum
    span = f"from {low} to {high}" if high is not None else f"of {low} or more"
    what = "a number" if prompt.decimals else "a whole number"
    if not text:
        if prompt.default is not None:
            return Answer(prompt.default)
        raise _no_default(f"{what} {span}")
    value = number_from_text(text)
    if value is None or (isinstance(value, float) and not prompt.decimals):
        example = " (halves are fine, e.g. 3.5)" if prompt.decimals else ""
        raise Invalid(f"Type {what} {span}" + (f" ({prompt.unit})" if prompt.unit else "") + example + ".")
    if value < low or (high is not None and value > high):
        raise Invalid(f"Type {what} {span}.")
    return Answer(value)


def _parse_text(prompt: TextPrompt, text: str) -> Reply:
    if not text:
        if prompt.default is not None:
            return Answer(prompt.default)
        if prompt.required:
            raise Invalid("This one is needed: type it, then Enter.")
        return Answer("") if prompt.blank else Command("skip")
    if prompt.check is not None:
        problem = prompt.check(text)
        if problem:
            raise Invalid(problem)
    return Answer(text)


# --------------------------------------------------------------------------- keystrokes


def shortest_line(prompt: Prompt, value: Any) -> str:
    """The shortest line that answers ``prompt`` with ``value``, checked through ``parse``.

    Used by the keystroke benchmark (and tests) so that the figures it prints are what the
    real parser accepts, not a guess.
    """
    candidates = [""]
    if isinstance(prompt, ChoicePrompt):
        candidates += [c.key for c in prompt.options if c.value == value] + [str(value)]
    elif isinstance(prompt, ChecklistPrompt):
        ids = [c.value for c in prompt.items]
        keys = {c.value: c.key for c in prompt.items}
        sep = "" if len(ids) <= 9 else " "
        candidates += ["a", "0", sep.join(keys[i] for i in value)]
        before = set(prompt.default or ())
        added = [keys[i] for i in ids if i in value and i not in before]
        removed = [keys[i] for i in ids if i in before and i not in value]
        candidates.append(" ".join(t for t in ("+" + sep.join(added) if added else "",
                                                "-" + sep.join(removed) if removed else "") if t))
    elif isinstance(prompt, SharePrompt):
        key = {b.value: b.key for b in prompt.bands}
        groups = [g.value for g in prompt.groups]
        candidates += [key[value[groups[0]]], "".join(key[value[g]] for g in groups)]
        shown = prompt.default or {}
        changed = [f"{g}={key[value[g]]}" for g in groups if shown.get(g) != value[g]]
        candidates.append(" ".join(changed))
    else:
        candidates.append(str(value))
    for line in sorted(candidates, key=len):
        try:
            if parse(prompt, line) == Answer(value):
                return line
        except Invalid:
            continue
    raise ValueError(f"no line answers {prompt.heading.ref} with {value!r}")
