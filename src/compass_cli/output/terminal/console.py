"""The console, the marks of each status, and the lines every command prints on stderr."""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from compass_cli.core.models import Status
from compass_cli.errors import CompassError
from compass_cli.text import printable, terminal

MARK = {
    Status.achieved: ("✓", "green"),
    Status.in_progress: ("◐", "yellow"),
    Status.not_achieved: ("✗", "red"),
    Status.not_started: ("○", "red"),
    Status.unscored: ("?", "dim"),
    Status.not_applicable: ("–", "dim"),
}
LEGEND = "✓ achieved  ◐ in progress  ✗ not achieved  ? unscored (nothing answered)  – does not apply"


def console(stderr: bool = False) -> Console:
    """The console every command (and the audit) prints with: whatever it prints loses its control characters."""
    out = Console(stderr=stderr, highlight=False)
    out.push_render_hook(_Printable())
    return out


class _Printable(RenderHook):
    """The last step before the screen: the text of everything printed, through text.printable.

    Every string from a file is already shown with :func:`plain` or text.terminal where it is
    printed; this catches one that was not (a framework's words in a new screen, say), so an
    escape sequence in an answer file or a framework never reaches the terminal. rich's own
    colours are control segments and styles, not text, so they are left alone.
    """

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Cleaned(r) for r in renderables]


class _Cleaned:
    def __init__(self, renderable: ConsoleRenderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control:
                yield segment
                continue
            text = printable(segment.text)
            yield segment if text == segment.text else Segment(text, segment.style)


def figures_table(title: str) -> Table:
    """A table of many figures (one row per evaluation, institution or group): no frame and two spaces
    between columns, so that a name, a date and eight scores fit 80 columns."""
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                 padding=(0, 0, 0, 1))


def figure(value: str, style: str = "") -> Text:
    """A figure of several words ("41.7% (5)", "102 of 156"): kept on one line when a table is fitted (fit.py)."""
    return Text(value, style=style, no_wrap=True)


def plain(value: object, style: str = "") -> Text:
    """A string from a file, shown as typed: never rich markup, never a terminal escape sequence."""
    return Text(terminal(value), style=style)


def status(s: Status) -> Text:
    """A status with its mark, in its colour: "✓ Achieved"."""
    mark, style = MARK[s]
    return Text(f"{mark} {s.label}", style=style)


def print_error(exc: CompassError) -> None:
    """Every problem of an error, one "error: " line each, on stderr."""
    print_error_lines(exc.lines())


def print_error_lines(lines: Iterable[str], label: str = "error: ", style: str = "bold red") -> None:
    err = console(stderr=True)
    for line in lines:
        err.print(Text(label, style=style) + plain(line), soft_wrap=True)


def print_skipped(files: list[str]) -> None:
    """One line naming compass's own outputs found among the answer files and left out."""
    noun = "a file" if len(files) == 1 else f"{len(files)} files"
    console(stderr=True).print(Text(terminal(f"skipped {noun} written by compass (not answer files): "
                                             + ", ".join(files))), soft_wrap=True)
