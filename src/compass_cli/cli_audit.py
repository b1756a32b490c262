"""The ``compass audit`` command: the flags, the files, and the terminal around the interview.

Registered in cli.py. All the asking lives in interview.py; this module only decides which
files are involved, refuses what cannot work (no terminal, a file for another framework, a
file that cannot be saved) before anything is asked, and prints the screens around the walk.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.text import Text

from compass_cli.cli_options import FrameworksOption, frameworks_search
from compass_cli.errors import InputError, SaveError, UsageError
from compass_cli.text import terminal

DEFAULT_FILE = Path("answers.yaml")
INTERRUPTED = 130  # the usual exit code of a command stopped with Ctrl-C

NOT_A_TERMINAL = (
    "compass audit asks questions one at a time, so it needs a terminal (it was run with input or output "
    "redirected). Without one: compass template -o answers.yaml, fill the file in with a text editor, "
    "then compass score answers.yaml"
)


def is_interactive() -> bool:
    """Both ends are a terminal (tests replace this to drive the command without one)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


FILE_ARGUMENT = typer.Argument(
    None, help="The answer file to write, or to carry on with if it exists. Default: answers.yaml.", show_default=False
)
OUTPUT_OPTION = typer.Option(
    None, "--output", "-o", help="The answer file to write (the same as FILE; reads well with --from)."
)
FROM_OPTION = typer.Option(
    None, "--from", help="A previous evaluation to copy forward: its answers are offered as defaults, so most "
    "questions need only Enter. Learner numbers are asked again."
)
REVIEW_OPTION = typer.Option(
    False, "--review", help="Go through every question with the current answers as defaults, not only the "
    "unanswered ones."
)
FRAMEWORK_OPTION = typer.Option(
    None, "--framework", "-f", metavar="ID|DIR", help="Framework of a new answer file (see 'compass frameworks'). "
    "Default: that of --from; else the audit asks which evaluation fits your institution."
)


def audit(
    file: Path = FILE_ARGUMENT,
    output: Path = OUTPUT_OPTION,
    from_: Path = FROM_OPTION,
    review: bool = REVIEW_OPTION,
    framework: str = FRAMEWORK_OPTION,
    search: FrameworksOption = None,
) -> None:
    """Evaluate your careers programme interactively, one benchmark at a time.

    Every answer is saved at once: stop at any point (q, or Ctrl-C) and carry on later.

    At the end: your scores, and the command that makes the action plan.

    Examples: compass audit · compass audit answers.yaml --review ·
    compass audit --from summer-2025.yaml -o autumn-2025.yaml
    """
    from compass_cli import files
    from compass_cli.audit.interview import Interview, Previous
    from compass_cli.audit.terminal import TerminalPrompter, choose_framework, print_end, resume_command
    from compass_cli.core.loading import load_answers
    from compass_cli.output import tables as ui

    found = frameworks_search(search)
    path = _answer_path(file, output)
    previous = None
    fw = None
    if from_ is not None:
        files.check_output(path, [from_], option="-o" if output is not None else "the answer file")
        loaded_prev, fw = load_answers(from_, found.load(framework) if framework else None, found)
        previous = Previous(from_, loaded_prev.model, loaded_prev.answers)
    files.check_output(path, [])  # not a device, a pipe or a folder
    seen = files.fingerprint(path)  # before reading: a change made after this is caught at the first save
    if path.exists():
        loaded, fw = load_answers(path, fw or (found.load(framework) if framework else None), found)
        model, answers = loaded.model, loaded.answers
    else:
        if review:
            raise UsageError(f"there is nothing to review: {path} does not exist yet. Start it: compass audit {path}")
        if fw is None and framework is not None:
            fw = found.load(framework)
        model, answers = None, None
    if not is_interactive():
        raise UsageError(NOT_A_TERMINAL)

    with files.Claim(path, seen) as claim:  # a second audit of this file is refused here, before any question
        console = ui.console()
        if fw is None:  # a new evaluation: which one fits this institution, as the online tool asks
            fw = choose_framework(console, found)
        interview = Interview(fw, path, TerminalPrompter(console), model=model, answers=answers,
                              previous=previous, review=review, writer=claim.write)
        again = resume_command(path, from_)
        verb = "Carrying on with" if model is not None else "Starting"
        console.print(Text.assemble(f"{verb} ", (terminal(path), "bold"), ": every answer is saved as you go."))
        console.print("Stop at any time with q or Ctrl-C; to carry on later:", highlight=False)
        console.print(f"  {terminal(again)}", highlight=False, markup=False)
        try:
            finished = interview.run()
        except (KeyboardInterrupt, EOFError):
            answered, total = interview.counts()
            console.print()
            console.print(f"Stopped. {answered} of {total} answers are saved in {terminal(path)}.", markup=False,
                          highlight=False)
            console.print("To carry on where you stopped:", highlight=False)
            console.print(f"  {terminal(again)}", markup=False, highlight=False)
            raise typer.Exit(INTERRUPTED) from None
        except SaveError as exc:
            if not interview.asked:
                raise SaveError(f"{exc.message}. Nothing was asked or changed; once the problem is fixed, start "
                                f"again with: {again}") from None
            raise SaveError(f"{exc.message}. Answers before this one are saved; once the problem is fixed, "
                            f"carry on with: {again}") from None
        if not finished:
            answered, total = interview.counts()
            console.print(f"Saved: {answered} of {total} answered in {terminal(path)}. To carry on:", markup=False,
                          highlight=False)
            console.print(f"  {terminal(again)}", markup=False, highlight=False)
            return
        print_end(console, interview.result(), interview.comparison(), path)


def _answer_path(file: Path | None, output: Path | None) -> Path:
    if file is not None and output is not None and file != output:
        raise UsageError(f"give the answer file once: either {file} or -o {output}")
    path = file or output or DEFAULT_FILE
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"compass audit saves YAML; give the answer file a .yaml name, not {path.name}")
    if path.is_dir():
        raise InputError.one(path, "is a folder; give the name of an answer file, e.g. answers.yaml")
    return path
