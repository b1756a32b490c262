"""The audit in a terminal: a rich prompter and the end screen.

Prompts are plain lines read with ``input`` (with ``readline`` line editing where Python
has it) and parsed by prompts.parse, so there is no prompt library to install and the
keys are the same in tests, in the keystroke benchmark and on screen. One key and Enter
answers most questions; a wrong key prints a one-line hint and asks again. Layout fits 80
columns, and colour is only ever decoration (NO_COLOR is honoured by rich). Text from
files (questions, options, earlier answers, notes) is printed as ``Text`` of
text.terminal, never as rich markup and never with escape sequences.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shlex
import textwrap
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from compass_cli.audit.interview import Section, SectionProgress
from compass_cli.audit.prompts import (
    COMMANDS_HELP,
    ChecklistPrompt,
    ChoicePrompt,
    Heading,
    Invalid,
    NumberPrompt,
    Prompt,
    Reply,
    SharePrompt,
    TextPrompt,
    choice_keys,
    parse,
)
from compass_cli.core.comparing import Comparison
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import Frameworks
from compass_cli.core.models import BenchmarkResult, Result
from compass_cli.errors import INTERRUPTED, Reported
from compass_cli.output.terminal.comparison import print_changes
from compass_cli.output.terminal.results import print_result
from compass_cli.text import percent, terminal

with contextlib.suppress(ImportError):  # line editing for typed answers, where Python has it
    import readline  # noqa: F401


class TerminalPrompter:
    """Shows prompts with rich and reads one line per answer."""

    def __init__(self, console: Console, read_line: Callable[[str], str] | None = None) -> None:
        self.console = console
        # input() gets the prompt itself (not Console.input, which prints it first) so that readline
        # knows where the line starts: editing keys then redraw correctly and an empty Enter
        # still moves to a new line.
        self._read = read_line or input
        #: the prompt waiting for a line (lets a scripted ``read_line`` know what is asked)
        self.on_screen: Prompt | None = None

    # ----------------------------------------------------------------- showing

    def show_section(self, section: Section) -> None:
        out = self.console
        out.print()
        title = section.title if section.number == 0 else f"{section.id} {section.title}"
        out.print(Rule(Text(terminal(f"Part {section.number + 1} of {section.sections + 1}: {title}"), style="bold"),
                       align="left"))
        out.print(Text(terminal(section.summary), style="italic"))
        if section.number == 0:
            out.print(Text("Keys: " + COMMANDS_HELP, style="dim"))

    def show_help(self, heading: Heading) -> None:
        out = self.console
        if heading.help or not heading.explained:
            out.print(Text(terminal(heading.help or "No extra help for this question."), style="cyan"))
        for line in heading.explained:
            out.print(Text(terminal(line)))
        out.print(Text(COMMANDS_HELP, style="dim"))

    def show_progress(self, sections: list[SectionProgress]) -> None:
        out = self.console
        for s in sections:
            if s.id == "institution":
                out.print(terminal(f"  {s.title}: {'complete' if s.answered else 'not finished'}"), markup=False)
                continue
            filled = round(10 * s.answered / s.count) if s.count else 10
            bar = "#" * filled + "." * (10 - filled)
            out.print(terminal(f"  {s.id:<3} {bar} {s.answered:>3}/{s.count:<3} {s.title}"), markup=False,
                      highlight=False)

    def show_message(self, text: str) -> None:
        self.console.print(Text(terminal(text), style="yellow"))

    def show_benchmark_score(self, benchmark: BenchmarkResult) -> None:
        self.console.print()
        self.console.print(Text.assemble((terminal(f"{benchmark.id} score: "), "bold"),
                                         terminal(benchmark_score_words(benchmark))))

    # ----------------------------------------------------------------- asking

    def _heading(self, h: Heading) -> None:
        out = self.console
        p = h.progress
        out.print()
        if p.section_number == 0:
            where = f"institution · {p.position} of {p.count}"
        else:
            where = f"{p.section_id} · question {p.position} of {p.count}"
        out.print(Text(f"Part {p.part} of {p.parts} · {where}", style="dim"))
        mark = "  [note]" if h.has_note else ""
        out.print(Text.assemble((terminal(h.ref), "bold"), "  ", terminal(h.text), (mark, "dim")))

    def _previous(self, h: Heading) -> None:
        if h.previous is not None:
            self.console.print(Text(terminal(f"  last time: {h.previous}"), style="dim"))

    def _ask(self, prompt: Prompt, keys: str, default: str | None) -> Reply:
        hint = f"{keys}, Enter = {default}" if default else keys
        # input() writes the prompt, not rich, and a unit ("employers") is the framework's words
        line_prompt = terminal(f"{prompt.heading.ref} [{hint}] › ")
        self.on_screen = prompt
        while True:
            line = self._read(line_prompt)
            try:
                return parse(prompt, line)
            except Invalid as exc:
                self.console.print(Text(exc.hint, style="yellow"))

    def ask_choice(self, prompt: ChoicePrompt) -> Reply:
        self._heading(prompt.heading)
        out = self.console
        if prompt.lettered and all(len(c.label) < 30 for c in prompt.options):
            out.print(terminal("  " + "   ".join(f"{c.key} {c.label}" for c in prompt.options)), markup=False)
        else:
            _print_numbered(self.console, [(c.key, "", c.label) for c in prompt.options])
        self._previous(prompt.heading)
        default = next((c.key for c in prompt.options if c.value == prompt.default), None)
        return self._ask(prompt, choice_keys(prompt).replace(", ", "/").replace(" or ", "/"), default)

    def ask_checklist(self, prompt: ChecklistPrompt) -> Reply:
        self._heading(prompt.heading)
        ticked = set(prompt.default or ())
        _print_numbered(self.console, [(c.key, "[x]" if c.value in ticked else "[ ]", c.label) for c in prompt.items])
        self.console.print(Text("  Tick what is in place: numbers (e.g. 13), a all, 0 none, +4/-2 to change.",
                                style="dim"))
        self._previous(prompt.heading)
        default = None
        if prompt.default is not None:
            default = "".join(c.key for c in prompt.items if c.value in ticked) or "0"
        return self._ask(prompt, "numbers", default)

    def ask_share(self, prompt: SharePrompt) -> Reply:
        """The bands with their percentages, then the groups by their labels, with the bands given now.

        The groups go across, each band under its group, when their labels fit the screen; else
        one line each, in the order the bands are typed."""
        self._heading(prompt.heading)
        out = self.console
        bands = [terminal(f"{b.key} {b.label[:1].lower()}{b.label[1:]}") for b in prompt.bands]
        for line in _in_lines("  Bands: ", bands, out.width - 1):
            out.print(Text(line, style="dim"))
        keys = {b.value: b.key for b in prompt.bands}
        now = None
        if prompt.default is not None and all(g.value in prompt.default for g in prompt.groups):
            now = [keys[prompt.default[g.value]] for g in prompt.groups]
        labels = [terminal(g.label) for g in prompt.groups]
        across = "  Group  " + "  ".join(labels)
        if len(labels) == 1:
            out.print(f"  Group: {labels[0]}" + (f"  (now {now[0]})" if now is not None else ""), markup=False,
                      highlight=False)
        elif len(across) < out.width:
            out.print(across, markup=False, highlight=False)
            if now is not None:
                out.print("  Now    " + "  ".join(f"{d:>{len(label)}}" for d, label in zip(now, labels, strict=True)),
                          markup=False, highlight=False)
        else:
            out.print("  Groups, in order" + (":" if now is None else ", with the band given now:"), markup=False,
                      highlight=False)
            width = max(len(label) for label in labels)
            for n, label in enumerate(labels):
                line = f"    {label:<{width}}  {now[n]}" if now is not None else f"    {label}"
                out.print(line, markup=False, highlight=False)
        self._previous(prompt.heading)
        many = len(prompt.groups) > 1
        default = "".join(now) if now is not None else None
        return self._ask(prompt, "one band per group" if many else f"1-{len(prompt.bands)}", default)

    def ask_number(self, prompt: NumberPrompt) -> Reply:
        self._heading(prompt.heading)
        self._previous(prompt.heading)
        default = None if prompt.default is None else str(prompt.default)
        return self._ask(prompt, prompt.unit or "number", default)

    def ask_text(self, prompt: TextPrompt) -> Reply:
        self._heading(prompt.heading)
        if prompt.default:
            self.console.print(Text.assemble(("  now: ", "dim"), terminal(prompt.default)))
        self._previous(prompt.heading)
        keys = "text" if prompt.required else "text, Enter to leave blank"
        return self._ask(prompt, "text" if prompt.default else keys, "keep" if prompt.default else None)

    def confirm(self, text: str, default: bool) -> bool:
        self.console.print()
        self.console.print(Text(terminal(text)))
        while True:
            line = self._read(f"[{'Y/n' if default else 'y/N'}] › ").strip().lower()
            if not line:
                return default
            if line in ("y", "yes", "n", "no"):
                return line.startswith("y")
            self.console.print(Text("Type y or n.", style="yellow"))


def _in_lines(lead: str, parts: list[str], width: int) -> list[str]:
    """``parts`` after ``lead``, as many to a line as fit, never one split across two lines."""
    lines = [lead + parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 2 + len(part) > width:
            lines.append(" " * len(lead) + part)
        else:
            lines[-1] += "  " + part
    return lines


def _print_numbered(console: Console, rows: list[tuple[str, str, str]]) -> None:
    """Numbered lines (key, mark, label) whose long labels wrap under themselves, not under the numbers."""
    for key, mark, label in rows:
        lead = f"  {key:>2} " + (f"{mark} " if mark else "")
        width = max(20, console.width - len(lead) - 1)
        lines = textwrap.wrap(terminal(label), width) or [""]
        for n, line in enumerate(lines):
            console.print((lead if n == 0 else " " * len(lead)) + line, markup=False, highlight=False)


# --------------------------------------------------------------------------- before and after


def choose_framework(console: Console, frameworks: Frameworks, read_line: Callable[[str], str] | None = None,
                     today: dt.date | None = None) -> Framework:
    """Ask which evaluation fits the institution, as the online tool does for a new evaluation."""
    offered = frameworks.current(today or dt.date.today())
    if len(offered) == 1:
        return offered[0]
    read = read_line or input
    console.print()
    console.print(Text("Which evaluation fits your institution?", style="bold"))
    _print_numbered(console, [(str(n), "", f"{fw.meta.title}: " + " ".join(fw.meta.audience.split()))
                              for n, fw in enumerate(offered, start=1)])
    while True:
        try:
            line = read(f"Evaluation [1-{len(offered)}, Enter = 1] › ").strip()
        except (KeyboardInterrupt, EOFError):
            console.print()
            console.print("Stopped before anything was asked; nothing was saved.")
            raise Reported(exit_code=INTERRUPTED) from None
        if not line:
            return offered[0]
        if line.isdigit() and 1 <= int(line) <= len(offered):
            return offered[int(line) - 1]
        console.print(Text(f"Type a number from 1 to {len(offered)}.", style="yellow"))


def benchmark_score_words(b: BenchmarkResult) -> str:
    """'75% · in progress · 6 of 8 areas met, 1 in progress': a benchmark's score in a line."""
    words = f"{percent(b.score)} · {b.status.label.lower()} · {b.areas_met} of {b.areas} areas met"
    if b.areas_in_progress:
        words += f", {b.areas_in_progress} in progress"
    return words


def resume_command(path: Path, previous: Path | None, review: bool = False, at: str | None = None) -> str:
    """The exact command that carries on with this audit: a review carries on as a review, from ``at``."""
    cmd = f"compass audit {shlex.quote(str(path))}"
    if previous is not None:
        cmd += f" --from {shlex.quote(str(previous))}"
    if review:
        cmd += " --review"
    if at is not None:
        cmd += f" --at {shlex.quote(at)}"
    return cmd


def print_start(console: Console, path: Path, again: str, carrying_on: bool) -> None:
    """Before the first question: which file, that every answer is saved, and how to carry on later."""
    verb = "Carrying on with" if carrying_on else "Starting"
    console.print(Text.assemble(f"{verb} ", (terminal(path), "bold"), ": every answer is saved as you go."))
    console.print("Stop at any time with q or Ctrl-C; to carry on later:", highlight=False)
    console.print(f"  {terminal(again)}", highlight=False, markup=False)


def print_stopped(console: Console, counts: tuple[int, int], path: Path, again: str) -> None:
    """After Ctrl-C: what is saved, and the command that carries on."""
    answered, total = counts
    console.print()
    console.print(f"Stopped. {answered} of {total} answers are saved in {terminal(path)}.", markup=False,
                  highlight=False)
    console.print("To carry on where you stopped:", highlight=False)
    console.print(f"  {terminal(again)}", markup=False, highlight=False)


def print_paused(console: Console, counts: tuple[int, int], path: Path, again: str) -> None:
    """After q: what is saved, and the command that carries on."""
    answered, total = counts
    console.print(f"Saved: {answered} of {total} answered in {terminal(path)}. To carry on:", markup=False,
                  highlight=False)
    console.print(f"  {terminal(again)}", markup=False, highlight=False)


def print_end(console: Console, result: Result, comparison: Comparison | None, path: Path) -> None:
    """The end screen: the score table, what changed since last time, and what to do next."""
    console.print()
    console.print(Rule(Text("Your results", style="bold"), align="left"))
    print_result(result, console)
    if comparison is not None:
        print_changes(console, comparison)
    console.print()
    console.print(Text("Answers saved in ") + Text(terminal(path), style="bold") + Text("."))
    console.print("Make the action plan with:")
    console.print(Text(terminal(f"  compass report {shlex.quote(str(path))} --format html -o plan.html"), style="bold"))
