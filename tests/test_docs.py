"""The documentation tells the truth: every command is in the README, doc examples load."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys

import pytest

import compass_cli
from compass_cli.cli import app
from compass_cli.core.evaluation import load_evaluation

from .conftest import ROOT


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"compass {name}" in readme, name


def test_readme_quick_start_has_the_two_commands():
    """CI runs the README's test command word for word: install, ruff, mypy, then the tests."""
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"\*\*Install, lint, type-check and run the tests:\*\*\n\n```sh\n(.*)\n```", readme)
    assert command is not None, "the quick start has no test command"
    line = command.group(1)
    for step in ('pip install ".[test]"', ".venv/bin/ruff check", ".venv/bin/mypy", ".venv/bin/python -m pytest"):
        assert step in line, step
    assert (ROOT / ".ci" / "run").read_text().count(line) == 1


def test_answer_file_doc_example_loads(tmp_path):
    text = (ROOT / "docs" / "answer-file.md").read_text()
    block = re.findall(r"```yaml\n(.*?)```", text, re.S)[0]
    path = tmp_path / "example.yaml"
    path.write_text(block)
    loaded = load_evaluation(path)
    framework = loaded.framework
    assert loaded.answer_file.institution.name == "Hilltop School"
    assert framework.id == "gatsby-2025-schools"


def test_every_module_is_in_the_readme():
    """The README's "What is inside" names every module of src/compass_cli, so the list stays true."""
    readme = (ROOT / "README.md").read_text()
    inside = readme[readme.index("## What is inside"):]
    package = ROOT / "src" / "compass_cli"
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if path.name in ("__init__.py", "__main__.py"):
            continue
        folder = relative.rsplit("/", 1)[0] + "/" if "/" in relative else None
        in_its_folder = folder is not None and f"`{path.name}`" in inside and f"`{folder}`" in inside
        named = f"`{relative}`" in inside or in_its_folder
        assert named, f"{relative} is not in the README's list of modules"


def _python_examples() -> list[tuple[str, int, str]]:
    """Every Python example of the README and docs/: (file, line, code), ```pycon blocks in doctest form."""
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for block in re.finditer(r"```(python|pycon)\n(.*?)```", text, re.S):
            found.append((path.name, text.count("\n", 0, block.start()) + 2, block.group(2)))
    return found


def test_the_readme_has_python_examples():
    assert len([name for name, _, _ in _python_examples() if name == "README.md"]) >= 2


@pytest.mark.parametrize(("name", "line", "code"), _python_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_python_examples_run_and_print_what_they_say(name, line, code, monkeypatch):
    """Each example runs from the repository's root, and prints what the page shows (doctest)."""
    monkeypatch.chdir(ROOT)
    test = doctest.DocTestParser().get_doctest(code, {}, f"{name}:{line}", name, line - 1)
    assert test.examples, f"{name}:{line}: write the example as >>> lines with their output"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)


def test_the_public_api_is_documented_and_importable():
    """What ``from compass_cli import ...`` offers: each name resolves and the README's From Python names it."""
    readme = (ROOT / "README.md").read_text()
    from_python = readme[readme.index("## From Python"):readme.index("## What is inside")]
    for name in compass_cli.__all__:
        assert getattr(compass_cli, name) is not None, name
        assert name == "__version__" or f"`{name}" in from_python, f"{name} is not in the README's From Python"
    assert set(compass_cli.__all__) <= set(dir(compass_cli))
    with pytest.raises(AttributeError):
        compass_cli.not_a_name  # noqa: B018 - the attribute lookup is the test


def test_importing_the_package_loads_nothing_heavy():
    """``import compass_cli`` (and so ``compass --version``) does not load the core: the API comes in when used."""
    code = "import sys, compass_cli; print(sorted(m for m in sys.modules if m.split('.')[0] in " \
           "('pydantic', 'yaml', 'jinja2', 'rich', 'typer') or m.startswith('compass_cli.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
