"""The core: questionnaires, answer files, scoring and the figures, as a library.

No typer and no rich here (tests/core/test_layers.py checks it), so a notebook or a hub's
own script can use it; the command line (compass_cli.cli) is a thin shell over it.

Internal: a script imports the public API from compass_cli itself (its __init__.py), which
names the functions and objects that stay; the modules here may change between releases.
"""
