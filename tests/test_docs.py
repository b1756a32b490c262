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
    readme = (ROOT / "README.md").read_text()
    assert 'pip install ".[test]" && .venv/bin/python -m pytest' in readme
    assert (ROOT / ".ci" / "run").read_text().count('pip install ".[test]" && .venv/bin/python -m pytest') == 1


def test_answer_file_doc_example_loads(tmp_path):
    text = (ROOT / "docs" / "answer-file.md").read_text()
    block = re.findall(r"```yaml\n(.*?)```", text, re.S)[0]
    path = tmp_path / "example.yaml"
    path.write_text(block)
    loaded = load_evaluation(path)
    framework = loaded.framework
    assert loaded.answer_file.institution.name == "Hilltop School"
    assert framework.id == "gatsby-2025-schools"
