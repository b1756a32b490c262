"""The documentation tells the truth: every command is in the README, doc examples load."""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import compass_cli
from compass_cli.cli import app
from compass_cli.core.evaluation import load_evaluation

from .conftest import ROOT


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    names = list(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert "score" in names and "records" in names
    for name in names:
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


# --------------------------------------------------------------------------- the README's examples, word for word


def _shell_lines(readme: str) -> list[str]:
    """Every command line of the README's ``sh`` blocks and every ``$`` line of its transcripts, in order,
    a line continued with a backslash joined to the next."""
    lines: list[str] = []
    for kind, body in re.findall(r"```(sh|text)\n(.*?)```", readme, re.S):
        joined = re.sub(r"\\\n\s*", " ", body)
        for line in joined.splitlines():
            if kind == "sh":
                lines.append(line)
            elif line.startswith("$ "):
                lines.append(line[2:])
    return lines


def _compass_commands(line: str) -> list[tuple[dict[str, str], list[str]]]:
    """The compass commands of one shell line: (environment settings before it, its arguments)."""
    found = []
    words = shlex.split(line, comments=True)
    while words:
        part = words[: words.index("&&")] if "&&" in words else words
        words = words[len(part) + 1:]
        env = {}
        while part and re.fullmatch(r"[A-Z_]+=\S*", part[0]):
            key, value = part.pop(0).split("=", 1)
            env[key] = value
        if part and part[0] in ("compass", ".venv/bin/compass"):
            found.append((env, part[1:]))
    return found


def _sandbox(folder: Path) -> None:
    """What the README's examples name, made from the bundled examples: a hub, last term and this term ..."""
    shutil.copytree(ROOT / "examples", folder / "examples")
    answer_files = sorted((ROOT / "examples").glob("*.yaml"))
    (folder / "hub").mkdir()
    for path in answer_files:
        if path.name != "riverside-high-last-term.yaml":  # one evaluation of each school
            shutil.copy(path, folder / "hub" / path.name)
    shutil.copy(ROOT / "examples" / "riverside-high-last-term.yaml", folder / "last-term.yaml")
    shutil.copy(ROOT / "examples" / "riverside-high.yaml", folder / "this-term.yaml")
    for term, name in (("autumn", "riverside-high-last-term.yaml"), ("spring", "riverside-high.yaml")):
        (folder / term).mkdir()
        shutil.copy(ROOT / "examples" / name, folder / term / name)
    shutil.copy(ROOT / "examples" / "records" / "riverside-pupils.csv", folder / "pupils.csv")
    shutil.copy(ROOT / "examples" / "records" / "riverside-activities.csv", folder / "activities.csv")
    own = folder / "hub-frameworks" / "north-east-primary"
    shutil.copytree(ROOT / "questionnaires" / "gatsby-2025-schools", own)
    meta = own / "framework.yaml"
    meta.write_text(re.sub(r"^id: .*$", "id: north-east-primary", meta.read_text(encoding="utf-8"), count=1,
                           flags=re.M), encoding="utf-8")


def test_every_compass_example_in_the_readme_runs_word_for_word(tmp_path, monkeypatch):
    """Issue 21: after the quick start every example says ``compass``. Each one, in the README's order
    (the blank file the quick start writes is the "our-school.yaml" of the report examples), runs as
    typed in a folder holding what the examples name, made from the bundled examples. The audit's
    transcript needs a terminal and a PDF needs a browser: those are left to their own tests."""
    from compass_cli.output.browser import find_browser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c for line in _shell_lines(readme) for c in _compass_commands(line)]
    assert len(commands) >= 20
    _sandbox(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for env, args in commands:
        if args[0] == "audit" or ("-o" in args and args[args.index("-o") + 1].endswith(".pdf") and not find_browser()):
            continue
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, f"compass {' '.join(args)}: exit {result.exit_code}\n{result.output}"


@pytest.mark.skipif(os.name == "nt" or shutil.which("bash") is None or sys.prefix == sys.base_prefix,
                    reason="needs bash, and the tests running in a virtual environment such as the quick start's")
def test_the_quick_start_puts_compass_on_the_path(tmp_path):
    """Issue 21: the quick start installed into .venv without activating it, so the next example,
    ``compass template -o our-school.yaml``, said "compass: command not found". The quick start's
    lines after the install run word for word in bash, with a PATH that has no compass of its own,
    in a copy of the repository's examples whose .venv is the one these tests run in."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start"):readme.index("## A quick tour")]
    assert "source .venv/bin/activate" in quick and r".venv\Scripts\activate" in quick  # and Windows's
    blocks = re.findall(r"```sh\n(.*?)```", quick, re.S)
    install, activate, own_school = blocks[0], blocks[2], blocks[3]
    first_use = install.split("&&")[-1].strip()
    assert first_use.startswith(".venv/bin/compass ")
    assert not re.search(r"(^|\s)compass ", install + blocks[1]), "compass is said before it is on the path"
    (tmp_path / ".venv").symlink_to(sys.prefix)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COMPASS_CACHE": "off", "LANG": "C.UTF-8"}

    def bash(script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120, check=False)

    without = bash(own_school)
    assert without.returncode == 127 and "compass: command not found" in without.stderr  # as the issue saw it
    done = bash("\n".join([first_use, activate, own_school]))
    assert done.returncode == 0, done.stderr
    assert "Riverside High School" in done.stdout and (tmp_path / "our-school.yaml").is_file()
