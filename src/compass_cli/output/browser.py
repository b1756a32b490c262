"""Printing the HTML report to PDF with the machine's own Chromium-family browser.

A careers leader wants a PDF to attach to the governors' papers. Writing PDF ourselves
would mean a second layout engine that disagrees with the HTML; a browser already prints
the HTML exactly as it looks, with its print stylesheet. So ``-o plan.pdf`` finds an
installed Chromium, Chrome or Edge and asks it, headless, to print the report. Nothing is
downloaded: no browser is fetched, and the browser itself is cut off from the network (a
proxy that does not exist, every host name unresolvable), runs with a throwaway profile,
is given a page whose security policy allows no script and no fetching (whatever a
``--templates`` folder put in it, see :func:`with_policy`), and is stopped after a time limit.

A report should not end on a page of two or three lines (issue 21). CSS cannot see where a
document's last page ends, so :func:`print_pdf` measures it: it prints the report twice at
once, once as it is and once with three quarters of a page of blank space added at the end.
If that blank space still fits on the last page, the last page is less than a quarter full;
the report is then printed a little smaller (:data:`FIT_ZOOMS`), and the smaller print is
kept if it has fewer pages and does not end on a stray few lines itself.

Where the browser is looked for (:func:`find_browser`): ``COMPASS_CHROMIUM`` (a path or a
command name) when set, and nothing else then, so a wrong setting is reported rather than
quietly replaced; else the usual command names on PATH; else the usual install places on
macOS and Windows.

No rich and no typer here: the CLI turns the errors into messages and exit codes.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from compass_cli.errors import SaveError, UsageError

#: The environment variable that names the browser to print with.
ENV = "COMPASS_CHROMIUM"

#: Command names tried on PATH, in this order.
COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
            "microsoft-edge", "microsoft-edge-stable", "msedge")

MACOS_APPS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
)

#: Below %PROGRAMFILES%, %PROGRAMFILES(X86)% and %LOCALAPPDATA% on Windows.
WINDOWS_APPS = (
    r"Google\Chrome\Application\chrome.exe",
    r"Microsoft\Edge\Application\msedge.exe",
    r"Chromium\Application\chrome.exe",
)

#: Seconds a browser may take to print one report before it is stopped.
TIMEOUT = 120

#: The least share of its page the last page of a report should fill.
LAST_PAGE_AT_LEAST = 0.25
#: The height of the report's printed area: A4 (297 mm) less its top and bottom margins
#: (12 and 14 mm, partials/style.css.j2).
PAGE_AREA_MM = 271
#: The sizes tried, in order, when the last page is less than a quarter full.
FIT_ZOOMS = (0.95, 0.9)

#: A Content-Security-Policy put before the report when printing: nothing is fetched and no
#: script runs, whatever a --templates folder put in the HTML.
POLICY = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
          "style-src 'unsafe-inline'; img-src data:; font-src data:\">")

#: The first bytes of every page printed, written by compass before anything a template made.
FIRST = "<!DOCTYPE html>\n" + POLICY + '\n<meta charset="utf-8">\n'

#: ``http-equiv`` in any case: a template's ``<meta http-equiv="refresh">`` would send the browser elsewhere.
_HTTP_EQUIV = re.compile("http-equiv", re.IGNORECASE)

HOW_TO_GET_ONE = (
    "to make a PDF, compass prints the report with Chromium, Google Chrome or Microsoft Edge, and none was "
    "found. Either write HTML (-o plan.html), open it in a browser and print it to PDF; or install one "
    "(Debian and Ubuntu: sudo apt install chromium); or set COMPASS_CHROMIUM to the browser's program"
)


def _usual_places(env: Mapping[str, str]) -> list[Path]:
    """Where browsers are installed when they are not on PATH (macOS and Windows)."""
    places = [Path(p) for p in MACOS_APPS] if sys.platform == "darwin" else []
    if os.name == "nt":
        for var in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
            root = env.get(var)
            if root:
                places += [Path(root) / app for app in WINDOWS_APPS]
    return places


def find_browser(env: Mapping[str, str] | None = None) -> str | None:
    """The browser to print with, or None when there is none.

    ``COMPASS_CHROMIUM`` wins when set (a missing program then gives None, not another
    browser); else the first of :data:`COMMANDS` on PATH; else a usual install place.
    """
    env = os.environ if env is None else env
    path = env.get("PATH", "")
    named = env.get(ENV, "").strip()
    if named:
        found = shutil.which(named, path=path) if os.sep not in named and "/" not in named else None
        if found:
            return found
        return named if Path(named).is_file() and os.access(named, os.X_OK) else None
    for name in COMMANDS:
        found = shutil.which(name, path=path)
        if found:
            return found
    for place in _usual_places(env):
        if place.is_file():
            return str(place)
    return None


def require_browser(env: Mapping[str, str] | None = None) -> str:
    """The browser to print with, or UsageError (exit 2) saying how to get one."""
    found = find_browser(env)
    if found is None:
        raise UsageError(no_browser_message(env))
    return found


def no_browser_message(env: Mapping[str, str] | None = None) -> str:
    """Why there is no PDF, and the three ways to get one."""
    env = os.environ if env is None else env
    named = env.get(ENV, "").strip()
    if named:
        return (f"{ENV} is set to {named!r}, which is not a program that can be run; set it to the path of "
                "Chromium, Google Chrome or Microsoft Edge, or write HTML (-o plan.html), open it in a browser "
                "and print it to PDF")
    return HOW_TO_GET_ONE


def command(browser: str, page: Path, pdf: Path, profile: Path) -> list[str]:
    """The browser's command line: headless, offline, a throwaway profile.

    (``--blink-settings=scriptEnabled=false`` stops headless printing itself: Chromium 156
    writes no PDF with it, even for a page with no script. Chromium has no switch that stops a
    ``file:`` page from showing other files. The page's security policy, :data:`POLICY`, put
    where no template can move it (:func:`with_policy`), keeps scripts and files out instead.)
    """
    return [
        browser,
        "--headless",
        "--no-sandbox",  # needed as root and in containers; the page is our own, with no script and no network
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--mute-audio",
        "--proxy-server=http://127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]


def print_pdf(html: str, browser: str, *, timeout: float = TIMEOUT, fit: bool = True) -> bytes:
    """The PDF of ``html`` as ``browser`` prints it (A4, from the report's print stylesheet).

    With ``fit``, a last page less than a quarter full is avoided where printing a little
    smaller saves it (see the module's docstring). Everything happens in temporary folders
    that are removed afterwards. SaveError (exit 1) when the browser fails, times out or
    gives something that is not a PDF.
    """
    if not fit:
        return _print_all(browser, [html], timeout)[0]
    pdf, pages, full = _print_measured(browser, html, timeout)
    if full:
        return pdf
    for zoom in FIT_ZOOMS:
        candidate, fewer, its_full = _print_measured(browser, _zoomed(html, zoom), timeout)
        if fewer < pages and its_full:
            return candidate
    return pdf


def _print_measured(browser: str, html: str, timeout: float) -> tuple[bytes, int, bool]:
    """``html`` printed, its number of pages, and whether its last page is full enough: one page only, or
    the blank space of :func:`_with_blank_end`, printed beside it at the same time, did not fit on it."""
    pdf, probe = _print_all(browser, [html, _with_blank_end(html)], timeout)
    pages = page_count(pdf)
    return pdf, pages, pages < 2 or page_count(probe) > pages


def page_count(pdf: bytes) -> int:
    """How many pages a PDF has (its page objects; Chromium writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def _with_print_rules(html: str, css: str) -> str:
    """``html`` with print rules of compass's own put first (the browser moves them into the head)."""
    return f"<style>@media print {{ {css} }}</style>\n{html}"


def _with_blank_end(html: str) -> str:
    """``html`` with blank space after everything, (1 - LAST_PAGE_AT_LEAST) of a page high, kept in one piece."""
    height = round((1 - LAST_PAGE_AT_LEAST) * PAGE_AREA_MM, 1)
    return _with_print_rules(html, 'html::after { content: "" !important; display: block !important; '
                                   f"height: {height:g}mm !important; break-inside: avoid !important; }}")


def _zoomed(html: str, zoom: float) -> str:
    """``html`` printed at ``zoom`` of its size (the page and its margins stay A4)."""
    return _with_print_rules(html, f"body {{ zoom: {zoom:g} !important; }}")


def _print_all(browser: str, pages: list[str], timeout: float) -> list[bytes]:
    """Each page printed to PDF by its own browser, all at once; SaveError if any fails."""
    with tempfile.TemporaryDirectory(prefix="compass-pdf-") as tmp:
        commands, pdfs, logs = [], [], []
        for i, html in enumerate(pages):
            folder = Path(tmp) / str(i)
            page, pdf, profile = folder / "report.html", folder / "report.pdf", folder / "profile"
            profile.mkdir(parents=True)
            page.write_text(with_policy(html), encoding="utf-8")
            commands.append(command(browser, page, pdf, profile))
            pdfs.append(pdf)
            logs.append(folder / "stderr.txt")
        said = _run(commands, logs, timeout)
        printed = [pdf.read_bytes() if pdf.is_file() else b"" for pdf in pdfs]
    for data, stderr in zip(printed, said, strict=True):
        if not data.startswith(b"%PDF-"):
            words = " ".join(stderr.split())[-600:]
            raise SaveError(f"{browser} did not print the report to PDF" + (f" (it said: {words})" if words else "")
                            + "; write HTML (-o plan.html) and print it from a browser instead")
    return printed


def with_policy(html: str) -> str:
    """``html`` as the page to print: :data:`FIRST` before it, and no ``http-equiv`` of its own.

    A template is someone else's code, so its HTML is never searched for the place to put
    the policy: a comment such as ``<!-- <head> -->`` before the real head would be found
    instead, and the policy would be lost in it. compass writes the page's first bytes
    itself: the doctype (standards mode), the policy and the encoding. The browser puts a
    ``<meta>`` met before anything else into the document's head, where the policy holds
    from then on; the template's own doctype, ``<html>`` and ``<head>`` that follow change
    nothing in the look of the page (``<html lang>`` is still taken). A second policy in the
    template can only forbid more, never allow more.

    A policy cannot stop ``<meta http-equiv="refresh" content="0; url=file:///etc/passwd">``,
    which sends the browser to another page to print. So every ``http-equiv`` of the
    template's becomes ``data-http-equiv``, which the browser ignores: an attribute's name
    cannot be spelt with character references, so no other spelling reaches the browser.
    (A note that mentions "http-equiv" reads "data-http-equiv" in the PDF; the HTML and
    Markdown are untouched.)
    """
    return FIRST + _HTTP_EQUIV.sub(r"data-\g<0>", html)


def _run(commands: list[list[str]], logs: list[Path], timeout: float) -> list[str]:
    """Run the browsers side by side and wait for them all, each writing what it says to its log
    (a file, so that a talkative browser cannot fill a pipe nobody is reading); what each said.
    Stop them and everything they started after ``timeout`` seconds, or on Ctrl-C."""
    posix = os.name != "nt"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for args, log in zip(commands, logs, strict=True):
            with log.open("wb") as err:
                try:
                    procs.append(subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                  stderr=err, start_new_session=posix))
                except OSError as exc:
                    raise SaveError(f"cannot start {args[0]}: {exc.strerror or exc}") from None
        deadline = time.monotonic() + timeout
        for proc in procs:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _stop(procs, posix)
        raise SaveError(f"{commands[0][0]} took more than {timeout:g} seconds to print the report and was stopped; "
                        "write HTML (-o plan.html) and print it from a browser instead") from None
    except BaseException:  # Ctrl-C, or a browser that would not start: leave no browser behind
        _stop(procs, posix)
        raise
    return [log.read_text(encoding="utf-8", errors="replace") for log in logs]


def _stop(procs: list[subprocess.Popen[bytes]], posix: bool) -> None:
    """Stop the browsers and the processes they started (each its own process group on POSIX)."""
    for proc in procs:
        with contextlib.suppress(OSError):
            if posix:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.wait(timeout=10)
