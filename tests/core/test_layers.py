"""Each layer imports only those below it: the core never brings in the terminal libraries.

The core is a library (a notebook or a hub's own script imports it), so importing any of
its modules must not import typer or rich; nor may the outputs other than the terminal
tables import rich. Checked in a fresh interpreter, where nothing else has imported them.
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest


def _modules(package: str) -> list[str]:
    root = __import__(package, fromlist=["__path__"])
    return [package] + [m.name for m in pkgutil.walk_packages(root.__path__, package + ".")]


def _imported_after(modules: list[str]) -> set[str]:
    """The top-level packages in sys.modules after importing ``modules`` in a fresh interpreter."""
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules) + (
        "print('\\n'.join(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_core_never_imports_typer_or_rich() -> None:
    core = _modules("compass_cli.core")
    assert len(core) > 20  # every module of the core, records included
    loaded = _imported_after(core + ["compass_cli.errors", "compass_cli.files", "compass_cli.resources",
                                     "compass_cli.text"])
    assert not loaded & {"typer", "rich", "click"}, "the core imports the terminal libraries"


def test_the_outputs_use_rich_only_in_their_terminal_tables() -> None:
    outputs = [m for m in _modules("compass_cli.output") if not m.startswith("compass_cli.output.terminal")]
    loaded = _imported_after(outputs)
    assert not loaded & {"typer", "rich", "click"}, "an output other than output.terminal imports rich or typer"


def _imports(module: str) -> set[str]:
    """Every module a module's source imports (at the top or inside a function)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("layer", ["compass_cli.core", "compass_cli.output", "compass_cli.audit"])
def test_no_layer_imports_the_command_line(layer: str) -> None:
    """Below the command line nothing imports it, or typer: a layer uses only those below it."""
    for name in _modules(layer):
        wrong = {m for m in _imports(name) if m == "typer" or m.startswith(("typer.", "compass_cli.cli"))}
        assert not wrong, f"{name} imports {', '.join(sorted(wrong))}"


def test_the_core_imports_neither_the_outputs_nor_the_audit() -> None:
    for name in _modules("compass_cli.core"):
        wrong = {m for m in _imports(name) if m.startswith(("compass_cli.output", "compass_cli.audit"))}
        assert not wrong, f"{name} imports {', '.join(sorted(wrong))}"
