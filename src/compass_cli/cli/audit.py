"""``compass audit``: the flags, the files, and the terminal around the interview.

All the asking lives in audit/interview.py; this module only decides which files are
involved, refuses what cannot work (no terminal, a file for another framework, a file that
cannot be saved) before anything is asked, and prints the screens around the walk.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from compass_cli.cli.options import FrameworksOption, framework_option, frameworks_search, output_option
from compass_cli.errors import INTERRUPTED, InputError, Reported, SaveError, UsageError

DEFAULT_FILE = Path("answers.yaml")

NOT_A_TERMINAL = (
    "compass audit asks questions one at a time, so it needs a terminal (it was run with input or output "
    "redirected). Without one: compass template -o answers.yaml, fill the file in with a text editor, "
    "then compass score answers.yaml"
)


def is_interactive() -> bool:
    """Both ends are a terminal (tests replace this to drive the command without one)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def audit(
    file: Annotated[Path | None, typer.Argument(
        metavar="FILE", show_default=str(DEFAULT_FILE),
        help="The answer file to write, or to carry on with if it exists (a name ending .yaml).",
    )] = None,
    output: Annotated[Path | None, output_option(
        ["yaml"], "The answer file to write: the same as FILE, and reads well with --from.")] = None,
    from_: Annotated[Path | None, typer.Option(
        "--from", metavar="FILE", show_default=False,
        help="A previous evaluation to copy forward: its answers are offered as defaults, so most "
        "questions need only Enter. Learner numbers are asked again.",
    )] = None,
    review: Annotated[bool, typer.Option(
        "--review", help="Go through every question with the current answers as defaults, not only the "
        "unanswered ones.",
    )] = False,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="ID", help="Start at this question (B3.2.1), benchmark (B3) or the institution section "
        "(institution); with --review, carry on a review from there.", show_default=False,
    )] = None,
    framework: Annotated[str | None, framework_option(
        "The framework of a new answer file (see 'compass frameworks'). Default: that of --from; else the audit "
        "asks which evaluation fits your institution.")] = None,
    search: FrameworksOption = None,
) -> None:
    """Evaluate your careers programme interactively, one benchmark at a time.

    Every answer is saved at once: stop at any point (q, or Ctrl-C) and carry on later. At
    the end: your scores, and the command that makes the action plan.

    Examples:
      compass audit
      compass audit answers.yaml --review
      compass audit answers.yaml --review --at B3.2.1
      compass audit --from summer-2025.yaml -o autumn-2025.yaml
    """
    from compass_cli import files
    from compass_cli.audit.interview import Interview
    from compass_cli.audit.terminal import (
        TerminalPrompter,
        choose_framework,
        print_end,
        print_paused,
        print_start,
        print_stopped,
        resume_command,
    )
    from compass_cli.core.evaluation import load_evaluation
    from compass_cli.output.terminal.console import console as make_console

    found = frameworks_search(search)
    path = _answer_path(file, output)
    previous = None
    fw = None
    if from_ is not None:
        files.check_output(path, [from_], option="-o" if output is not None else "the answer file")
        previous = load_evaluation(from_, found.load(framework) if framework else None, found)
        fw = previous.framework
    else:
        files.check_output(path, [])  # not a device, a pipe or a folder (checked above with --from)
    seen = files.fingerprint(path)  # before reading: a change made after this is caught at the first save
    current = None
    if path.exists():
        current = load_evaluation(path, fw or (found.load(framework) if framework else None), found)
        fw = current.framework
    else:
        if review or at is not None:
            what = "review" if review else f"start at {at}"
            raise UsageError(f"there is nothing to {what}: {path} does not exist yet. Start it: compass audit {path}")
        if fw is None and framework is not None:
            fw = found.load(framework)
    if not is_interactive():
        raise UsageError(NOT_A_TERMINAL)

    with files.Claim(path, seen) as claim:  # a second audit of this file is refused here, before any question
        console = make_console()
        if fw is None:  # a new evaluation: which one fits this institution, as the online tool asks
            fw = choose_framework(console, found)
        interview = Interview(fw, path, TerminalPrompter(console), evaluation=current, previous=previous,
                              review=review, start_at=at, writer=claim.write)
        if at is not None:
            try:
                interview.find(at)
            except ValueError as exc:
                raise UsageError(f"--at: {exc}") from None
        def again() -> str:  # a stopped review carries on as a review, from the question it stopped at
            return resume_command(path, from_, interview.review, interview.resume_at())

        print_start(console, path, again(), carrying_on=current is not None)
        try:
            finished = interview.run()
        except (KeyboardInterrupt, EOFError):
            print_stopped(console, interview.counts(), path, again())
            raise Reported(exit_code=INTERRUPTED) from None
        except SaveError as exc:
            if exc.kept is not None:  # the file itself may be cut short: the complete copy is the one to go on with
                raise SaveError(f"{exc.message}, then carry on with: {again()}", kept=exc.kept) from None
            if not interview.asked:
                raise SaveError(f"{exc.message}. Nothing was asked or changed; once the problem is fixed, start "
                                f"again with: {again()}") from None
            raise SaveError(f"{exc.message}. Answers before this one are saved; once the problem is fixed, "
                            f"carry on with: {again()}") from None
        if not finished:
            print_paused(console, interview.counts(), path, again())
            return
        print_end(console, interview.result(), interview.comparison(), path)


def _answer_path(file: Path | None, output: Path | None) -> Path:
    if file is not None and output is not None and file != output:
        raise UsageError(f"give the answer file once: either {file} or -o {output}")
    path = file or output or DEFAULT_FILE
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"compass audit saves YAML; give the answer file a name ending .yaml, not {path.name}")
    if path.is_dir():
        raise InputError.one(path, "is a folder; give the name of an answer file, e.g. answers.yaml")
    return path
