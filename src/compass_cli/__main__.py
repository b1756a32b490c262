"""Entry point of the ``compass`` command.

``compass --version`` answers before anything heavy is imported, so scripts that check
the version (and people who type it) never wait for pydantic or rich.

Output that cannot be delivered ends the command quietly with exit code 1: a reader that
stopped early (``compass summary hub/ --format csv | head -1``) or a standard output closed
before compass started (``compass report x.yaml >&-``). The message would have nowhere
useful to go, and a traceback is not an answer.
"""

from __future__ import annotations

import errno
import io
import os
import sys


class _ClosedOutput(io.TextIOBase):
    """Stands in for a standard output that was closed before compass started.

    Python then sets ``sys.stdout`` to None, and the first write would fail with an
    AttributeError deep inside a library; this fails the way the closed descriptor would.
    """

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def main() -> None:
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    try:
        _run()
    except OSError as exc:
        if exc.errno not in (errno.EPIPE, errno.EBADF):
            raise
        _silence_stdout()
        sys.exit(1)


def _run() -> None:
    if sys.argv[1:] == ["--version"]:
        from compass_cli import __version__

        sys.stdout.write(f"compass {__version__}\n")
        sys.stdout.flush()
        return
    from compass_cli.cli import app

    app()


def _silence_stdout() -> None:
    """Point standard output at the null device, so that Python's last flush at exit cannot fail again."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


if __name__ == "__main__":
    main()
