"""A real browser renders the HTML report, shows the chart, and prints it to A4 PDF (issue 10).

Uses Debian's ``chromium`` package (or the browser named by COMPASS_CHROMIUM), found as
``compass report -o plan.pdf`` finds it, headless, with a throwaway profile and everything
that could reach the network switched off. Skips, saying why, where no browser is installed
(.ci/run installs one when apt is available).

How each point is checked, without a PDF library:

* Pages: the report is printed by the same code as ``-o plan.pdf`` and its page objects
  (``/Type /Page``) are counted.
* What is on the first two pages: the report is printed again with everything after the top
  actions hidden. Paged layout flows forward (nothing later can move an earlier page break),
  so the pages that shortened report takes are the pages on which the headline, the chart,
  what changed and the top actions end in the full one.
* A phone: the report is shown in a 390 px wide frame (a headless window cannot be made
  narrower than 500 px) of a test page whose script, not the report's, measures the frame's
  document: its scroll width, any element reaching past the right edge, headings that
  overlap, which chart is shown, and whether the plan's rows have become cards. Screenshots
  at 390 and 1280 px are written to the test's temporary folder, to look at.
"""

from __future__ import annotations

import html as html_escaping
import json
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from compass_cli.cli import app
from compass_cli.output import browser
from compass_cli.output.browser import find_browser
from compass_cli.output.report import COLOUR_PREVIOUS, COLOUR_THIS

from . import printed
from .conftest import EXAMPLES, evaluate, report

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
        assert 3 <= len(boxes) <= MAX_PAGES


# --------------------------------------------------------------------------- every example, on paper

MAX_PAGES = 12

#: Every bundled example, as the README shows it (Riverside with last term's evaluation).
CASES = {
    "oakfield-academy": ("oakfield-academy.yaml", None),
    "riverside-high": ("riverside-high.yaml", "riverside-high-last-term.yaml"),
    "riverside-high-last-term": ("riverside-high-last-term.yaml", None),
    "st-marys-catholic-college": ("st-marys-catholic-college.yaml", None),
    "hollins-brook-school": ("hollins-brook-school.yaml", None),
    "kelderbeck-college-town-centre": ("kelderbeck-college-town-centre.yaml", None),
    "riverside-high-2025-spring-2014-edition": ("riverside-high-2025-spring-2014-edition.yaml", None),
}

#: Everything after the top actions, hidden to see where they end.
AFTER_THE_TOP_ACTIONS = "<style>.plan-first ~ *, #plan ~ * { display: none !important; }</style>"


def test_every_bundled_example_is_covered():
    assert {p.name for p in EXAMPLES.glob("*.yaml")} == {current for current, _ in CASES.values()}


def example(name: str) -> str:
    current, previous = CASES[name]
    return report(evaluate(EXAMPLES / current), "html", evaluate(EXAMPLES / previous) if previous else None)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


needs_pdftotext = pytest.mark.skipif(printed.PDFTOTEXT is None,
                                     reason="needs pdftotext to read the PDF (Debian's 'poppler-utils')")


@needs_pdftotext
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_example_prints_in_at_most_12_pages_with_no_stray_last_page_or_heading(name, tmp_path):
    """Issue 10: at most 12 pages. Issue 21: no page ends with a heading or a table's header, and the
    last page is not a stray few lines (at least a quarter full), as ``compass report -o plan.pdf`` prints."""
    page = example(name)
    pdf = browser.print_pdf(page, BROWSER)  # type: ignore[arg-type]
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    pages = page_count(pdf)
    assert 1 <= pages <= MAX_PAGES, f"{name} prints on {pages} A4 pages (see {tmp_path})"
    read = printed.pages(pdf)
    assert len(read) == pages
    assert printed.ending_with_a_heading(read, page) == [], f"see {tmp_path}"
    if pages > 1:
        assert read[-1].fill >= browser.LAST_PAGE_AT_LEAST, (
            f"{name}'s last page is {read[-1].fill:.0%} full: a stray few lines (see {tmp_path})")


#: Where the report starts on the page, in mm below the top: from the top to near the foot.
OFFSETS = [i * 255 / 12 for i in range(12)]


@needs_pdftotext
@pytest.mark.parametrize("name", ["hollins-brook-school", "riverside-high", "kelderbeck-college-town-centre"])
def test_wherever_a_page_breaks_no_heading_or_table_header_is_left_at_its_foot(name, tmp_path):
    """Issue 21: printed, a report's first page ended with "The 10 most important actions" and the
    plan's column headers, its rows starting on page 2; a benchmark's title ended another page.
    The report is printed once per offset, each copy starting lower on its page, so that every
    heading, caption, table header and band row meets the foot of a page in many places."""
    page = example(name)
    pdf = browser.print_pdf(printed.swept(page, OFFSETS), BROWSER, fit=False)  # type: ignore[arg-type]
    (tmp_path / f"{name}-swept.pdf").write_bytes(pdf)
    assert printed.ending_with_a_heading(printed.pages(pdf), page) == [], f"see {tmp_path}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_headline_chart_changes_and_top_actions_are_on_the_first_two_pages(name, tmp_path):
    page = example(name)
    assert 'class="plan plan-first"' in page or "Nothing is left to plan" in page
    assert "<svg" in page and 'id="glance"' in page
    assert ('id="changes"' in page) == (CASES[name][1] is not None)
    first_part = page.replace("</head>", AFTER_THE_TOP_ACTIONS + "</head>", 1)
    pdf = browser.print_pdf(first_part, BROWSER, fit=False)  # type: ignore[arg-type]
    (tmp_path / f"{name}-first-part.pdf").write_bytes(pdf)
    assert page_count(pdf) <= 2, f"the top of {name}'s report takes {page_count(pdf)} pages (see {tmp_path})"


def test_cli_writes_a_real_pdf(tmp_path):
    from typer.testing import CliRunner

    out = tmp_path / "plan.pdf"
    result = CliRunner().invoke(app, ["report", str(EXAMPLES / "riverside-high.yaml"), "--previous",
                                      str(EXAMPLES / "riverside-high-last-term.yaml"), "-o", str(out)],
                                env={"COMPASS_CHROMIUM": BROWSER})
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and 2 <= page_count(data) <= MAX_PAGES


# --------------------------------------------------------------------------- a phone and a desktop

#: The test page's own script: it measures the framed report and writes what it found into the page.
PROBE = """<script>
addEventListener("load", () => {
  const doc = document.getElementById("page").contentDocument, root = doc.documentElement, win = doc.defaultView;
  const overflowing = [];
  for (const e of doc.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > root.clientWidth + 0.5) overflowing.push(e.tagName.toLowerCase() + "." + e.className);
  }
  const heads = [...doc.querySelectorAll("h1, h2, h3, h4")].filter(h => h.getClientRects().length)
    .map(h => [h.textContent.trim().slice(0, 40), h.getBoundingClientRect()]);
  const clashes = [];
  for (let i = 0; i < heads.length; i++) for (let j = i + 1; j < heads.length; j++) {
    const a = heads[i][1], b = heads[j][1];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
      clashes.push(heads[i][0] + " / " + heads[j][0]);
    }
  }
  const shown = s => { const e = doc.querySelector(s); return !!e && e.getClientRects().length > 0; };
  const row = doc.querySelector("tr.action");
  const found = {width: root.clientWidth, scrollWidth: root.scrollWidth, overflowing: overflowing.slice(0, 20),
    clashes,
    wideChart: shown(".chart-wide svg"), narrowChart: shown(".chart-narrow svg"),
    planRow: row ? win.getComputedStyle(row).display : null};
  const out = document.createElement("pre"); out.id = "probe"; out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>"""


def framed(page: str, width: int, height: int) -> str:
    """The report in a frame ``width`` px wide (srcdoc: same origin, so the probe may measure it)."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body { margin: 0; background: #f0f; } '
        "iframe { border: 0; display: block; }</style></head><body>"
        f'<iframe id="page" width="{width}" height="{height}" srcdoc="{html_escaping.escape(page, quote=True)}">'
        f"</iframe>{PROBE}</body></html>"
    )


def measure(page: str, width: int, folder: Path, shot: Path) -> dict:
    test_page = folder / f"framed-{width}.html"
    test_page.write_text(framed(page, width, 1400), encoding="utf-8")
    # a phone's scroll bars take no width; --hide-scrollbars makes the frame's the same
    window = (f"--window-size={max(width, 500)},1400", "--hide-scrollbars")
    headless(folder, *window, f"--screenshot={shot}", test_page.as_uri())
    done = headless(folder, *window, "--dump-dom", test_page.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"the probe did not run; browser said: {done.stderr[-2000:]}"
    return json.loads(html_escaping.unescape(found.group(1)))


@pytest.mark.parametrize("name", ["riverside-high", "st-marys-catholic-college", "oakfield-academy"])
def test_on_a_phone_nothing_is_wider_than_the_screen(name, tmp_path):
    shot = tmp_path / f"{name}-390.png"
    found = measure(example(name), 390, tmp_path, shot)
    assert found["width"] == 390
    assert found["scrollWidth"] <= 390, f"the page scrolls sideways on a phone: {found}"
    assert found["overflowing"] == [], f"cut off at the right edge: {found['overflowing']}"
    assert found["clashes"] == [], f"headings overlap: {found['clashes']}"
    assert found["narrowChart"] and not found["wideChart"], "a phone gets the chart with horizontal bars"
    if found["planRow"] is not None:
        assert found["planRow"] == "block", "each action is a card on a phone"
    assert read_png(shot)[0] == 500  # the frame is 390 wide; the window cannot be narrower than 500


@pytest.mark.parametrize("name", ["riverside-high", "st-marys-catholic-college"])
def test_on_a_desktop_the_report_keeps_its_tables(name, tmp_path):
    shot = tmp_path / f"{name}-1280.png"
    found = measure(example(name), 1280, tmp_path, shot)
    assert found["scrollWidth"] <= 1280 and found["overflowing"] == [] and found["clashes"] == []
    assert found["wideChart"] and not found["narrowChart"]
    assert found["planRow"] == "table-row"
    assert read_png(shot)[:2] == (1280, 1400)
