"""Issue 18.5: a --templates folder cannot make the printed PDF run a script or show a file.

A shared template folder is someone else's code. When compass prints the report to PDF, the
page's security policy must hold whatever the template put before, around or after its own
head: ``<!-- <head> -->`` before the real head once hid the policy in a comment, and the PDF
then showed a script's output and ``/etc/passwd`` through an iframe. A ``<meta
http-equiv="refresh">`` to a file sends the browser to another page, which no policy stops.

The tests with the real browser (Debian's ``chromium``, as ``compass report -o plan.pdf``
finds it) read the PDF's text with ``pdftotext`` (Debian's ``poppler-utils``), and skip,
saying why, where either is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.output import browser

from ..conftest import EXAMPLES
from ..report.conftest import evaluate, report

BROWSER = browser.find_browser()
PDFTOTEXT = shutil.which("pdftotext")
needs_a_browser = pytest.mark.skipif(
    BROWSER is None or PDFTOTEXT is None,
    reason="needs Chromium (Debian's 'chromium', or COMPASS_CHROMIUM) and pdftotext (Debian's 'poppler-utils')",
)

RIVERSIDE = EXAMPLES / "riverside-high.yaml"
SCRIPT_RAN = "SCRIPT-RAN"
SECRET = "SECRET-FROM-ANOTHER-FILE"
PASSWD = Path("/etc/passwd")

#: The issue's template: a fake head in a comment first, then a script and an iframe of a file.
FAKE_HEAD = """<!-- <head> -->
<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Plan</title></head>
<body>
<p>Plan for {{ institution.name }}</p>
<script>document.write("SCRIPT" + "-RAN");</script>
<iframe src="SECRET_URL" width="600" height="300"></iframe>
<iframe src="file:///etc/passwd" width="600" height="300"></iframe>
<object data="SECRET_URL" width="600" height="300"></object>
</body></html>
"""

#: A template that tries to send the browser to a file instead of the report.
REFRESH = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta HTTP-EQUIV="Refresh" content="0; url=SECRET_URL"></head>
<body><p>Plan for {{ institution.name }}</p></body></html>
"""


def secret_file(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return secret


def templates(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    source = source.replace("SECRET_URL", secret_file(tmp_path).as_uri())
    (folder / "report.html.j2").write_text(source, encoding="utf-8")
    return folder


def pdf_text(pdf: Path) -> str:
    done = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def print_with(tmp_path: Path, source: str) -> tuple[int, str, str]:
    """``compass report RIVERSIDE --templates DIR -o plan.pdf``: exit code, stderr, the PDF's text."""
    out = tmp_path / "plan.pdf"
    result = CliRunner().invoke(app, ["report", str(RIVERSIDE), "--templates", str(templates(tmp_path, source)),
                                      "-o", str(out)], env={"COMPASS_CHROMIUM": BROWSER})
    return result.exit_code, result.stderr, pdf_text(out) if out.is_file() else ""


def assert_shows_nothing_else(shown: str) -> None:
    assert "Plan for Riverside High School" in shown  # the template was used
    assert SCRIPT_RAN not in shown, "a template's script ran"
    assert SECRET not in shown, "the PDF shows another file"
    if PASSWD.is_file():
        for line in PASSWD.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                assert line.strip() not in shown, "the PDF shows /etc/passwd"


# --------------------------------------------------------------------------- the page given to the browser


def test_the_policy_comes_before_anything_a_template_wrote() -> None:
    page = browser.with_policy("<!-- <head> -->\n<!DOCTYPE html><html><head><meta charset='utf-8'></head>")
    assert page.startswith("<!DOCTYPE html>\n" + browser.POLICY)  # standards mode, then the policy, first
    assert page.index(browser.POLICY) < page.index("<!--")
    assert page.count("Content-Security-Policy") == 1


def test_a_template_cannot_send_the_browser_elsewhere() -> None:
    page = browser.with_policy('<meta http-equiv="refresh" content="0; url=file:///etc/passwd">'
                               '<META HTTP-EQUIV=Refresh CONTENT="0;url=file:///etc/passwd">')
    after = page[len(browser.FIRST):]
    assert not re.search(r"(?<![\w-])http-equiv", after, re.IGNORECASE)
    assert after.lower().count("data-http-equiv") == 2


# --------------------------------------------------------------------------- printed by the real browser


@needs_a_browser
def test_a_fake_head_in_a_comment_does_not_let_a_script_run_or_a_file_show(tmp_path: Path) -> None:
    code, stderr, shown = print_with(tmp_path, FAKE_HEAD)
    assert code == 0, stderr
    assert_shows_nothing_else(shown)


@needs_a_browser
def test_a_refresh_to_a_file_is_not_followed(tmp_path: Path) -> None:
    code, stderr, shown = print_with(tmp_path, REFRESH)
    assert code == 0, stderr  # the report itself is printed
    assert_shows_nothing_else(shown)


@needs_a_browser
def test_the_policy_does_not_change_how_the_report_looks(tmp_path: Path) -> None:
    """The report printed as compass prints it, and its HTML printed as it is: the same pages, the same text."""
    html = report(evaluate(RIVERSIDE), "html", evaluate(EXAMPLES / "riverside-high-last-term.yaml"))
    page, plain, profile = tmp_path / "plan.html", tmp_path / "plain.pdf", tmp_path / "profile"
    page.write_text(html, encoding="utf-8")
    profile.mkdir()
    subprocess.run(browser.command(BROWSER, page, plain, profile), capture_output=True, timeout=120, check=False)
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(browser.print_pdf(html, BROWSER))

    def pages(pdf: Path) -> int:
        return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))

    assert pages(printed) == pages(plain) >= 3
    assert pdf_text(printed) == pdf_text(plain)
