"""What a printed report's pages end with, read from the PDF with ``pdftotext -bbox`` (poppler-utils).

Each page becomes lines of words, top to bottom (words whose middles fall within a line's
height are on that line, so a heading and the score beside it are one line); the page
number, in the bottom margin, is left out. A page "ends with a heading" when its last one,
two or three lines hold exactly the words of a heading, a caption, a table's header row, a
band or group row of a table, or a benchmark's head (or of two of them side by side, such as
"Improved" and "Fell back"), in any order, since the cells of a header row that wraps
interleave line by line.
"""

from __future__ import annotations

import html as html_escaping
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

PDFTOTEXT = shutil.which("pdftotext")

MM = 72 / 25.4
#: The report's @page margins (partials/style.css.j2), in points.
TOP, BOTTOM = 12 * MM, 14 * MM

_PAGE = re.compile(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', re.S)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@dataclass
class Line:
    top: float
    bottom: float
    words: list[str] = field(default_factory=list)


@dataclass
class Page:
    height: float
    lines: list[Line]

    @property
    def fill(self) -> float:
        """How far down the printed area the last line reaches: 0 empty, 1 full."""
        if not self.lines:
            return 0.0
        return (self.lines[-1].bottom - TOP) / (self.height - TOP - BOTTOM)

    def tail(self, k: int) -> list[str]:
        return [w for line in self.lines[-k:] for w in line.words]


def pages(pdf: bytes) -> list[Page]:
    assert PDFTOTEXT is not None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(pdf)
        out = subprocess.run([PDFTOTEXT, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for height, body in _PAGE.findall(out):
        bottom = float(height) - BOTTOM
        placed = sorted(
            ((float(y0), float(y1), html_escaping.unescape(text)) for y0, y1, text in _WORD.findall(body)
             if float(y0) < bottom),
            key=lambda w: (w[0] + w[1]) / 2,
        )
        lines: list[Line] = []
        for y0, y1, text in placed:
            if lines and (y0 + y1) / 2 <= lines[-1].bottom:
                lines[-1].top, lines[-1].bottom = min(lines[-1].top, y0), max(lines[-1].bottom, y1)
            else:
                lines.append(Line(y0, y1))
            lines[-1].words += words(text)
        found.append(Page(float(height), [line for line in lines if line.words]))
    return found


class _Headings(HTMLParser):
    """The text of every heading, caption, table header, band or group row and benchmark head."""

    TAGS = frozenset({"h1", "h2", "h3", "h4", "caption", "thead"})
    CLASSES = frozenset({"band-row", "group-row", "benchmark-head"})
    EMPTY = frozenset({"br", "col", "meta", "link", "img", "input", "wbr", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, bool]] = []
        self.texts: list[list[str]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.EMPTY:
            return
        classes = set((dict(attrs).get("class") or "").split())
        wanted = (tag in self.TAGS or bool(classes & self.CLASSES)) and "visually-hidden" not in classes
        self.open.append((tag, wanted))
        if wanted:
            self.texts.append([])

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, wanted = self.open.pop()
            if wanted:
                self.found.append(" ".join(self.texts.pop()))
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        for text in self.texts:
            text.append(data)


def headings(page: str) -> list[list[str]]:
    """The words of every heading, caption, table header row, band and group row and benchmark head."""
    parser = _Headings()
    parser.feed(page)
    return [found for found in (words(text) for text in parser.found) if found]


def ending_with_a_heading(printed: list[Page], page: str) -> list[str]:
    """"page N: words" for every page but the last whose last lines are a heading (or two side by side)."""
    single = headings(page)
    wanted = {tuple(sorted(h)) for h in single} | {tuple(sorted(a + b)) for a, b in combinations(single, 2)}
    bad = []
    for number, p in enumerate(printed[:-1], start=1):
        for k in (1, 2, 3):
            if tuple(sorted(p.tail(k))) in wanted:
                bad.append(f"page {number}: {' '.join(p.tail(k))}")
                break
    return bad


def swept(page: str, offsets_mm: list[float]) -> str:
    """The report's main part once per offset, each on a new page below a blank that high: in one
    print, every heading and table header meets the foot of a page at many different places."""
    start = page.index(">", page.index("<main")) + 1
    end = page.index("</main>")
    body = page[start:end]
    copies = "".join(f'<div style="break-before: page; height: {mm:g}mm"></div>{body}' for mm in offsets_mm)
    return page[:start] + copies + page[end:]
