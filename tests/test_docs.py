"""The documentation tells the truth: every command is in the README, doc examples load."""

from __future__ import annotations

import re

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


def test_the_readme_python_example_runs(capsys):
    readme = (ROOT / "README.md").read_text()
    block = re.findall(r"```python\n(.*?)```", readme, re.S)[-1]
    exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.split() == ["6", "84"]
