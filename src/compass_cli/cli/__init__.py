"""The command line: a thin shell over the core and the outputs.

Commands parse their flags (declared once in options.py), call the core, and hand the
result to an output; errors become messages and exit codes in one place (handler.py).
Internal: the command line is the interface here, not these modules.
"""

from compass_cli.cli.main import app

__all__ = ["app"]
