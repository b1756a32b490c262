"""A real browser renders the HTML report, shows the chart, and prints it to A4 PDF.

Uses Debian's ``chromium`` package (or the browser named by COMPASS_CHROMIUM), headless,
with a throwaway profile and everything that could reach the network switched off. Skips,
saying why, where no browser is installed (.ci/run installs one when apt is available).
"""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from compass_cli.browser import find_browser
from compass_cli.reporting import COLOUR_PREVIOUS, COLOUR_THIS, report

from .conftest import EXAMPLES, evaluate

BROWSER = find_browser()  # the same finder as ``compass report -o plan.pdf``
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium found (install Debian's 'chromium' package, or set COMPASS_CHROMIUM to a browser)",
)


def headless(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-default-apps", "--mute-audio",
        f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)  # type: ignore[arg-type]


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB pixels of an 8-bit RGB or RGBA PNG (no imaging library needed)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert header is not None
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6), f"unexpected PNG format (depth {depth}, colour type {colour})"
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            upleft = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upleft)
                line[i] = (line[i] + pred) & 0xFF
        prev = line
        rows.append(bytes(line) if bpp == 3 else bytes(b for j, b in enumerate(line) if j % 4 != 3))
    return width, height, rows


def count_colour(rows: list[bytes], hex_colour: str) -> tuple[int, list[int]]:
    """How many pixels have exactly this colour, and on which rows."""
    rgb = bytes.fromhex(hex_colour.lstrip("#"))
    total, where = 0, []
    for y, row in enumerate(rows):
        n = sum(1 for x in range(0, len(row), 3) if row[x:x + 3] == rgb)
        if n:
            total += n
            where.append(y)
    return total, where


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    html = report(
        evaluate(EXAMPLES / "riverside-high.yaml"), "html", evaluate(EXAMPLES / "riverside-high-last-term.yaml")
    )
    path = folder / "plan.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_screenshot_shows_the_chart(page, tmp_path):
    shot = tmp_path / "plan.png"
    done = headless(tmp_path, "--window-size=1000,1300", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file(), f"no screenshot; browser said: {done.stderr[-2000:]}"
    width, height, rows = read_png(shot)
    assert (width, height) == (1000, 1300)
    # the chart's bars are the only things drawn in these two colours, in the top part of the page
    previous, previous_rows = count_colour(rows, COLOUR_PREVIOUS)
    this, _ = count_colour(rows, COLOUR_THIS)
    assert previous > 3000, "the previous evaluation's bars are not visible"
    assert this > 3000, "this evaluation's bars are not visible"
    assert 300 < min(previous_rows) < max(previous_rows) < 1300
    # a bar is a solid block: many consecutive rows carry its colour
    assert max(previous_rows) - min(previous_rows) > 100


def test_prints_to_a4_pdf(page, tmp_path):
    pdf = tmp_path / "plan.pdf"
    done = headless(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file(), f"no PDF; browser said: {done.stderr[-2000:]}"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 50_000, "the PDF is suspiciously small"
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    if boxes:  # A4 is 595 x 842 points
        assert all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)
        # one part per page: at least headline, what changed, plan, benchmarks, evidence
        assert len(boxes) >= 5
