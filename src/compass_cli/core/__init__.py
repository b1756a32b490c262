"""The core: questionnaires, answer files, scoring and the figures, as a library.

No typer and no rich here (tests/core/test_layers.py checks it), so a notebook or a hub's
own script can use it; the command line (compass_cli.cli) is a thin shell over it.
"""
