"""The hub summary's HTML in a real browser, on a phone (390 px) and a desktop (1280 px) (issue 21).

On a phone the criteria table squeezed each criterion's words into a column one word wide;
at 1280 px the dates wrapped as "2026-" and "11-18". The page is shown in a frame of each
width by a test page whose own script measures it, as the report's browser tests do
(tests/report/test_report_browser.py). Skips where no Chromium is installed.
"""

from __future__ import annotations

import html as html_escaping
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compass_cli.cli import app

from ..report.test_report_browser import BROWSER, headless
from .conftest import HUB

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium found (install Debian's 'chromium' package)")

#: The test page's script: the framed summary's width, and how its tables of words and its dates are laid out.
PROBE = """<script>
addEventListener("load", () => {
  const doc = document.getElementById("page").contentDocument, root = doc.documentElement;
  const lines = e => { const r = doc.createRange(); r.selectNodeContents(e); return r.getClientRects().length; };
  const found = {width: root.clientWidth, scrollWidth: root.scrollWidth,
    words: [...doc.querySelectorAll("table")].filter(t => t.tHead && t.tHead.textContent.includes("What it asks"))
      .flatMap(t => [...t.querySelectorAll("tbody tr > td:last-child")]).map(td => td.getBoundingClientRect().width),
    dateLines: [...doc.querySelectorAll("td")].filter(td => /^\\d{4}-\\d\\d-\\d\\d$/.test(td.textContent)).map(lines)};
  const out = document.createElement("pre"); out.id = "probe"; out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>"""


@pytest.fixture(scope="module")
def summary_page(tmp_path_factory) -> str:
    """The summary of the test hub, copied under a folder whose name has nowhere to break (as a
    CI checkout's may: the unreadable file's path is printed in full at the end of the page)."""
    folder = tmp_path_factory.mktemp("summary")
    hub = folder / "a_checkout_folder_whose_long_name_has_no_place_to_break_it" / "hub"
    shutil.copytree(HUB, hub)
    out = folder / "hub.html"
    CliRunner().invoke(app, ["summary", str(hub), "--group-by", "la", "-o", str(out)])
    return out.read_text(encoding="utf-8")


def measure(page: str, width: int, folder: Path) -> dict:
    """The summary in a frame ``width`` px wide (srcdoc: same origin, so the probe may measure it)."""
    test_page = folder / f"framed-{width}.html"
    test_page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body { margin: 0; } iframe { border: 0; }</style>'
        f'</head><body><iframe id="page" width="{width}" height="1400" '
        f'srcdoc="{html_escaping.escape(page, quote=True)}"></iframe>{PROBE}</body></html>', encoding="utf-8")
    window = (f"--window-size={max(width, 500)},1400", "--hide-scrollbars")
    headless(folder, *window, f"--screenshot={folder / f'summary-{width}.png'}", test_page.as_uri())
    done = headless(folder, *window, "--dump-dom", test_page.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"the probe did not run; browser said: {done.stderr[-2000:]}"
    return json.loads(html_escaping.unescape(found.group(1)))


def test_on_a_phone_each_criterion_is_a_card_with_its_words_across_the_screen(summary_page, tmp_path):
    found = measure(summary_page, 390, tmp_path)
    assert found["width"] == 390
    assert found["scrollWidth"] <= 390, f"the page scrolls sideways on a phone: {found}"
    assert found["words"], "no criteria table found"
    narrowest = min(found["words"])
    assert narrowest >= 0.8 * 390, f"a criterion's words get {narrowest:.0f} px of 390 (see {tmp_path})"


def test_on_a_desktop_no_date_breaks(summary_page, tmp_path):
    found = measure(summary_page, 1280, tmp_path)
    assert found["dateLines"] and set(found["dateLines"]) == {1}, f"a date wraps at 1280 px (see {tmp_path})"
