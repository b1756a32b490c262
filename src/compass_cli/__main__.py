"""Entry point of the ``compass`` command.

``compass --version`` answers before anything heavy is imported, so scripts that check
the version (and people who type it) never wait for pydantic or rich.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from compass_cli import __version__

        sys.stdout.write(f"compass {__version__}\n")
        return
    from compass_cli.cli import app

    app()


if __name__ == "__main__":
    main()
