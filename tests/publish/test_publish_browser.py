"""The careers page in a real browser, at a phone's width (390 px) and a desktop's (1280 px), checked by axe-core.

Debian's ``chromium`` (or the browser COMPASS_CHROMIUM names, found as ``compass report -o
plan.pdf`` finds it) opens each page headless, offline, with a throwaway profile. A script
of the test page's own, not the careers page's, measures it and runs axe-core, the
accessibility engine browsers' own tools use (WCAG 2.0 to 2.2, A and AA, and best practice),
then writes what it found into the page, which the browser prints (--dump-dom).

axe-core comes from the npm registry: .ci/run installs it into .ci/axe (``npm install
--prefix .ci/axe axe-core``), or COMPASS_AXE names its axe.min.js. Without a browser every
test here is skipped; without axe-core the width checks still run and the axe checks are
skipped, each saying why. The offline check of the markup (a11y.py) runs everywhere.

Each page is checked twice: the fragment inside a plain page of a school website (a header,
an h1, the fragment, as a website's editor would place it), and the ``--standalone`` page.
Screenshots of both, at both widths, are written to the test's temporary folder to look at.
"""

from __future__ import annotations

import html as html_escaping
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from compass_cli.output.browser import find_browser

from ..conftest import ROOT
from .conftest import EXAMPLES, RIVERSIDE, RIVERSIDE_LAST_TERM, publish

BROWSER = find_browser()
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium found (install Debian's 'chromium' package, or set COMPASS_CHROMIUM to a browser)",
)


def _axe() -> Path | None:
    for candidate in (os.environ.get("COMPASS_AXE"), ROOT / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


AXE = _axe()
NEEDS_AXE = pytest.mark.skipif(AXE is None, reason="axe-core is not installed (npm install --prefix .ci/axe axe-core, "
                                                   "as .ci/run does, or set COMPASS_AXE to its axe.min.js)")

#: Each bundled framework's example (Riverside beside last term, as the done-when command runs it).
CASES = {
    "schools": (RIVERSIDE, RIVERSIDE_LAST_TERM),
    "schools, items missing": (EXAMPLES / "st-marys-catholic-college.yaml", None),
    "special": (EXAMPLES / "hollins-brook-school.yaml", None),
    "colleges": (EXAMPLES / "kelderbeck-college-town-centre.yaml", None),
    "2014 edition": (EXAMPLES / "riverside-high-2025-spring-2014-edition.yaml", None),
}
WIDTHS = (390, 1280)

#: The test page's own script: measures the framed careers page, runs axe-core on it if it is there, and writes
#: what it found into the test page. (A headless window is never narrower than 500 px, so the page is shown in a
#: frame of the width wanted, as the report's browser test does.)
PROBE = """<script>
addEventListener("load", async () => {
  const frame = document.getElementById("page"), doc = frame.contentDocument, win = frame.contentWindow;
  const root = doc.documentElement;
  const wide = [...doc.querySelectorAll("body *")].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width && r.right > root.clientWidth + 0.5 && !e.closest("[style*=overflow-x]");
  }).map(e => e.tagName.toLowerCase()).slice(0, 20);
  const table = doc.querySelector("table"), box = table && table.parentElement;
  const found = {width: win.innerWidth, scrollWidth: root.scrollWidth, wide,
                 tableFits: !table || box.scrollWidth <= box.clientWidth + 0.5, violations: null};
  if (win.axe) {
    const run = await win.axe.run(doc, {runOnly: {type: "tag", values:
      ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}, resultTypes: ["violations"]});
    found.violations = run.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.html.slice(0, 120)).slice(0, 3)}));
  }
  const out = document.createElement("pre"); out.id = "probe"; out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>"""

#: Tall enough that the framed page never scrolls (a scroll bar would take some of its width).
FRAME_HEIGHT = 9000


def framed(page: str, width: int, probe: str = "") -> str:
    """``page`` in a frame ``width`` px wide (srcdoc: the same origin, so the probe may look inside it)."""
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>frame</title><style>'
            "body { margin: 0; } iframe { border: 0; display: block; }</style></head><body>"
            f'<iframe id="page" title="careers page" width="{width}" height="{FRAME_HEIGHT}" '
            f'srcdoc="{html_escaping.escape(page, quote=True)}"></iframe>{probe}</body></html>')


def headless(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        str(BROWSER), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--disable-default-apps", "--mute-audio", "--hide-scrollbars", f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def pages(tmp_path: Path, current: Path, previous: Path | None) -> dict[str, str]:
    """The fragment inside a plain page of a school website, and the --standalone page."""
    extra = ["--previous", str(previous)] if previous is not None else []
    fragment = publish(current, *extra, "--format", "html").stdout
    standalone = publish(current, *extra, "--standalone", "--format", "html").stdout
    plain = ('<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Careers</title></head>'
             '<body><header><p>A school website</p></header><main><h1>Careers</h1>\n'
             f"{fragment}</main></body></html>\n")
    return {"in a website": plain, "standalone": standalone}


def measure(tmp_path: Path, name: str, page: str, width: int) -> dict[str, Any]:
    """What the probe found in ``page`` shown ``width`` px wide; a screenshot of it is kept beside it."""
    window = f"--window-size={max(width, 500)},2400"
    clean = tmp_path / f"{name}-{width}.html"
    clean.write_text(framed(page, width), encoding="utf-8")
    shot = tmp_path / f"{name}-{width}.png"
    headless(tmp_path, window, f"--screenshot={shot}", clean.as_uri())
    assert shot.is_file(), "no screenshot"
    # the standalone page lets no script run (its security policy): the probed copy leaves the policy out
    probed = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    if AXE is not None:
        probed = probed.replace("</body>", f"<script>{AXE.read_text(encoding='utf-8')}</script></body>")
    path = tmp_path / f"{name}-{width}-probed.html"
    path.write_text(framed(probed, width, PROBE), encoding="utf-8")
    done = headless(tmp_path, window, "--virtual-time-budget=30000", "--dump-dom", path.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"the probe did not report; the browser said: {done.stderr[-2000:]}"
    return json.loads(html_escaping.unescape(found.group(1)))


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, int], dict[str, Any]]:
    folder = tmp_path_factory.mktemp("careers-pages")
    out = {}
    for case, (current, previous) in CASES.items():
        for kind, page in pages(folder, current, previous).items():
            for width in WIDTHS:
                name = re.sub(r"\W+", "-", f"{case} {kind}")
                out[case, kind, width] = measure(folder, name, page, width)
    return out


KEYS = [(case, kind, width) for case in CASES for kind in ("in a website", "standalone") for width in WIDTHS]


@pytest.mark.parametrize("key", KEYS, ids=lambda k: f"{k[0]}, {k[1]}, {k[2]} px")
def test_nothing_is_wider_than_the_screen(measured: dict[tuple[str, str, int], dict[str, Any]],
                                          key: tuple[str, str, int]) -> None:
    found = measured[key]
    assert found["width"] == key[2], found  # the page was laid out at this width
    assert found["scrollWidth"] <= found["width"] and found["wide"] == [], found
    assert found["tableFits"], "the results table needs sideways scrolling"


@NEEDS_AXE
@pytest.mark.parametrize("key", KEYS, ids=lambda k: f"{k[0]}, {k[1]}, {k[2]} px")
def test_axe_finds_no_accessibility_problem(measured: dict[tuple[str, str, int], dict[str, Any]],
                                            key: tuple[str, str, int]) -> None:
    violations = measured[key]["violations"]
    assert violations == [], json.dumps(violations, indent=1)


@NEEDS_AXE
def test_axe_does_find_problems_so_its_silence_means_something(tmp_path: Path) -> None:
    bad = ('<!DOCTYPE html><html><head><title>x</title></head><body><main><h2>x</h2><h4>y</h4>'
           '<p style="color:#bbb">faint</p><a href="https://a.example"></a></main></body></html>')
    found = measure(tmp_path, "bad", bad, 1280)
    ids = {v["id"] for v in found["violations"]}
    assert {"html-has-lang", "heading-order", "color-contrast", "link-name"} <= ids
