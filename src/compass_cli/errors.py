"""One hierarchy of user-facing errors.

Every error the user can cause carries the file, the line where known, and the key path,
so the CLI can print one clear message per problem and choose the exit code in one place
(cli/handler.py). Exit codes: 0 success; 1 a failed check, a file that could not be saved,
a batch with bad files in it, or a worker process lost; 2 the user's mistake; 130 stopped with Ctrl-C.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    message: str
    line: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.path:
            where += f": {self.path}"
        return f"{where}: {self.message}"


class CompassError(Exception):
    """Base of every error compass reports to a user. ``exit_code`` 2: the user's mistake."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems] or [self.message]


class InputError(CompassError):
    """An input file (questionnaire, answer file, template) is missing or invalid."""

    @classmethod
    def one(cls, file: str | Path, message: str, line: int | None = None, path: str | None = None) -> InputError:
        problem = Problem(str(file), message, line, path)
        return cls(str(problem), [problem])


class UsageError(CompassError):
    """A flag or argument that makes no sense (unknown framework, bad option value)."""


class SaveError(CompassError):
    """An answer file or report could not be written (read-only folder, full disk).

    ``kept`` names the complete copy to keep when the file itself may be left incomplete
    (a file with several names, updated where it is, whose old text could not be put back).
    """

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None, *, kept: Path | None = None) -> None:
        super().__init__(message, problems)
        self.kept = kept


class ProcessLost(CompassError):
    """A process reading files for the command (``--jobs``) stopped before it had finished: killed
    from outside (``kill -9``, or the system when memory runs short). Nothing is written."""

    exit_code = 1


#: The usual exit code of a command stopped with Ctrl-C.
INTERRUPTED = 130


class Reported(CompassError):
    """What went wrong is on the screen already, so only the exit code (and a closing line) is left.

    A batch lists each bad file as it goes and still does the rest (``score``, ``summary``,
    ``validate``, ``records``); an audit stopped with Ctrl-C says how to carry on. ``message``
    is the closing line ("1 file could not be scored; 3 scored."), printed as it is.
    """

    def __init__(self, message: str = "", exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
