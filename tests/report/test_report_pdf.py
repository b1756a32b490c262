"""Issue 10.5: ``-o plan.pdf`` is a real PDF printed by the machine's browser, or a clear refusal.

A stand-in "browser" (a small script) checks the command line compass gives the browser and
writes a PDF-looking file, so these tests run everywhere; the real Chromium prints the real
report in test_report_browser.py.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from compass_cli.cli import app
from compass_cli.errors import SaveError, UsageError
from compass_cli.output import browser

from .conftest import EXAMPLES

RIVERSIDE = str(EXAMPLES / "riverside-high.yaml")
posix_only = pytest.mark.skipif(os.name == "nt", reason="the stand-in browser is a POSIX shell script")


def run(runner, *args, env=None):
    return runner.invoke(app, ["report", *[str(a) for a in args]], env=env)


def fake_browser(folder: Path, body: str) -> Path:
    """An executable script standing in for chromium; ``body`` is shell, with "$@" the arguments."""
    script = folder / "chromium"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


#: Writes "%PDF-" and the arguments it was given to the --print-to-pdf file.
PRINTS = """
out=""
for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done
printf '%%PDF-1.4 stand-in\\n' > "$out"
for a in "$@"; do printf '%s\\n' "$a" >> "$out"; done
"""


@pytest.fixture
def no_usual_places(monkeypatch):
    """A test of "no browser" must not find a Chrome installed on the developer's Mac."""
    monkeypatch.setattr(browser, "_usual_places", lambda env: [])


# --------------------------------------------------------------------------- with a browser


@posix_only
def test_pdf_is_printed_by_the_browser_offline(runner, tmp_path):
    printer = fake_browser(tmp_path, PRINTS)
    out = tmp_path / "plan.pdf"
    result = run(runner, RIVERSIDE, "-o", out, env={"COMPASS_CHROMIUM": str(printer)})
    assert result.exit_code == 0, result.stderr
    assert f"Wrote {out}: 6 of 8 benchmarks fully achieved, 7 actions in the plan." in result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    args = data.decode().splitlines()[1:]
    for flag in ("--headless", "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                 "--no-pdf-header-footer", "--disable-background-networking"):
        assert flag in args
    profile = next(a.split("=", 1)[1] for a in args if a.startswith("--user-data-dir="))
    assert not Path(profile).exists(), "the throwaway profile is removed afterwards"
    assert args[-1].startswith("file://") and args[-1].endswith(".html")
    assert not any(a.startswith(("http:", "https:")) for a in args if not a.startswith("--"))


@posix_only
def test_format_pdf_needs_no_ending_and_finds_the_browser_on_path(runner, tmp_path):
    fake_browser(tmp_path, PRINTS)
    out = tmp_path / "governors-report"
    result = run(runner, RIVERSIDE, "--format", "pdf", "-o", out, env={"PATH": str(tmp_path), "COMPASS_CHROMIUM": ""})
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")


@posix_only
def test_an_existing_pdf_is_replaced_and_a_hard_link_kept(runner, tmp_path):
    printer = fake_browser(tmp_path, PRINTS)
    out, other = tmp_path / "plan.pdf", tmp_path / "governors.pdf"
    out.write_bytes(b"old")
    os.link(out, other)
    assert run(runner, RIVERSIDE, "-o", out, env={"COMPASS_CHROMIUM": str(printer)}).exit_code == 0
    assert other.read_bytes() == out.read_bytes() and out.read_bytes().startswith(b"%PDF-")


@posix_only
def test_a_browser_that_fails_leaves_the_old_file(runner, tmp_path):
    printer = fake_browser(tmp_path, "echo 'cannot open display' >&2; exit 1")
    out = tmp_path / "plan.pdf"
    out.write_bytes(b"%PDF-1.4 last term")
    result = run(runner, RIVERSIDE, "-o", out, env={"COMPASS_CHROMIUM": str(printer)})
    assert result.exit_code == 1
    assert "did not print the report to PDF (it said: cannot open display)" in result.stderr
    assert out.read_bytes() == b"%PDF-1.4 last term"


@posix_only
def test_a_browser_that_hangs_is_stopped(tmp_path):
    printer = fake_browser(tmp_path, "sleep 30")
    with pytest.raises(SaveError, match="took more than 1 seconds"):
        browser.print_pdf("<!DOCTYPE html><p>x</p>", str(printer), timeout=1)


# --------------------------------------------------------------------------- no stray last page

#: A stand-in that "prints" 7 pages; the page at 95% size 6 and at 90% 5. With the blank end
#: compass adds to see whether the last page is a stray few lines, one more page, unless the
#: folder holds a file named "stray" (then the blank fits on the last page), or "stray-6" (it
#: fits on the 6th page too). Each print is logged to "prints".
PAGES = """
out=""; page=""
for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; file://*) page="${a#file://}";; esac; done
here="$(dirname "$0")"
pages=7
if grep -q 'zoom: 0.95 ' "$page"; then pages=6; elif grep -q 'zoom: 0.9 ' "$page"; then pages=5; fi
if grep -q 'html::after' "$page"; then
  if [ -e "$here/stray" ] && [ $pages = 7 ]; then :; elif [ -e "$here/stray-6" ] && [ $pages = 6 ]; then :;
  else pages=$((pages + 1)); fi
fi
echo "$pages" >> "$here/prints"
printf '%%PDF-1.4 stand-in\n' > "$out"
i=0; while [ $i -lt $pages ]; do printf '<< /Type /Page >>\n' >> "$out"; i=$((i + 1)); done
"""


@posix_only
def test_a_last_page_of_a_few_lines_is_printed_again_smaller(tmp_path):
    """Issue 21: reports ended on a page of two to four lines. The blank space compass adds fits on
    the last page, so it is less than a quarter full: the report at 95% saves the page and is kept."""
    printer = fake_browser(tmp_path, PAGES)
    (tmp_path / "stray").touch()
    pdf = browser.print_pdf("<!DOCTYPE html><p>x</p>", str(printer))
    assert browser.page_count(pdf) == 6
    assert (tmp_path / "prints").read_text().split() in (["7", "7", "6", "7"], ["7", "7", "7", "6"])


@posix_only
def test_a_last_page_full_enough_is_kept_after_one_look(tmp_path):
    printer = fake_browser(tmp_path, PAGES)
    pdf = browser.print_pdf("<!DOCTYPE html><p>x</p>", str(printer))
    assert browser.page_count(pdf) == 7
    assert sorted((tmp_path / "prints").read_text().split()) == ["7", "8"]  # the report and its blank end, no more


@posix_only
def test_a_smaller_print_that_ends_on_a_stray_page_itself_is_not_kept(tmp_path):
    printer = fake_browser(tmp_path, PAGES)
    (tmp_path / "stray").touch()
    (tmp_path / "stray-6").touch()  # at 95% the last page is a stray too: 90% is tried, and kept
    assert browser.page_count(browser.print_pdf("<!DOCTYPE html><p>x</p>", str(printer))) == 5
    assert browser.page_count(browser.print_pdf("<!DOCTYPE html><p>x</p>", str(printer), fit=False)) == 7


# --------------------------------------------------------------------------- without a browser


def test_no_browser_named_is_exit_2_saying_how_to_get_one(runner, tmp_path):
    out = tmp_path / "plan.pdf"
    result = run(runner, RIVERSIDE, "-o", out, env={"COMPASS_CHROMIUM": str(tmp_path / "missing-chromium")})
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "COMPASS_CHROMIUM is set to" in message and "open it in a browser and print it to PDF" in message
    assert not out.exists() and "Wrote" not in result.stderr


def test_no_browser_on_path_is_exit_2_saying_how_to_get_one(runner, tmp_path, no_usual_places):
    out = tmp_path / "plan.pdf"
    result = run(runner, RIVERSIDE, "-o", out, env={"PATH": str(tmp_path / "empty"), "COMPASS_CHROMIUM": ""})
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "none was found" in message
    for way in ("-o plan.html", "print it to PDF", "apt install chromium", "COMPASS_CHROMIUM"):
        assert way in message
    assert not out.exists()


def test_find_browser(tmp_path, no_usual_places):
    assert browser.find_browser({"PATH": str(tmp_path)}) is None
    if os.name != "nt":
        printer = fake_browser(tmp_path, "exit 0")
        assert browser.find_browser({"PATH": str(tmp_path)}) == str(printer)
        assert browser.find_browser({"PATH": "", "COMPASS_CHROMIUM": str(printer)}) == str(printer)
        assert browser.find_browser({"PATH": str(tmp_path), "COMPASS_CHROMIUM": "chromium"}) == str(printer)
        # a wrong setting is reported, not quietly replaced by another browser
        assert browser.find_browser({"PATH": str(tmp_path), "COMPASS_CHROMIUM": "/no/such/browser"}) is None
    with pytest.raises(UsageError, match="none was found"):
        browser.require_browser({"PATH": str(tmp_path / "empty")})


def test_the_printed_page_may_not_run_scripts_or_fetch():
    page = browser.with_policy('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"></head><body></body>')
    assert page.startswith("<!DOCTYPE html>")  # standards mode kept
    assert page.index("Content-Security-Policy") < page.index("<meta charset")
    assert "default-src 'none'" in page


def test_usual_places_on_windows():
    places = browser._usual_places({"PROGRAMFILES": r"C:\Program Files"})
    if os.name == "nt":
        assert any(str(p).endswith("chrome.exe") for p in places)
    elif sys.platform == "darwin":
        assert any("Google Chrome.app" in str(p) for p in places)
    else:
        assert places == []


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize("name", ["plan.docx", "plan.txt", "plan"])
def test_an_unknown_ending_is_refused(runner, tmp_path, name):
    out = tmp_path / name
    result = run(runner, RIVERSIDE, "-o", out)
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert f"cannot tell the format from {name}" in message
    assert ".md, .html, .pdf or .json" in message and "--format" in message
    assert not out.exists()


def test_an_unknown_ending_is_fine_with_format(runner, tmp_path):
    out = tmp_path / "plan.txt"
    assert run(runner, RIVERSIDE, "--format", "md", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Careers programme")


def test_a_pdf_cannot_go_to_the_screen(runner):
    result = run(runner, RIVERSIDE, "--format", "pdf")
    assert result.exit_code == 2
    assert "a PDF cannot be shown on the screen" in result.stderr
