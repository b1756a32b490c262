"""`compass compare OLD NEW`: the same framework, and across editions by criterion id."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.core.frameworks import bundled_frameworks

from .conftest import GOLDEN, HUB, REGENERATE, read_yaml, write_yaml

OLD = HUB / "leeds" / "aire-valley-academy-2025-autumn.yaml"
NEW = HUB / "leeds" / "aire-valley-academy-2026-spring.yaml"


def run(cli: CliRunner, *args: str):  # noqa: ANN201 - click's Result
    return cli.invoke(app, ["compare", *args], env={"COLUMNS": "200"})


def test_table(cli: CliRunner) -> None:
    result = run(cli, str(OLD), str(NEW))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Aire Valley Academy" in out and "2025-11-20 → 2026-03-19" in out
    assert "B3 Addressing the needs of each young person" in out
    assert "Benchmarks fully achieved: 4 → 5" in out
    assert "Criteria that improved" in out and "answers changed" in out


def test_json(cli: CliRunner) -> None:
    result = run(cli, str(OLD), str(NEW), "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["kind"] == "comparison" and doc["same_framework"] is True and doc["answers_compared"] is True
    assert doc["achieved_change"] == 1
    b3 = next(b for b in doc["benchmarks"] if b["id"] == "B3")
    assert b3["old_achieved"] is False and b3["new_achieved"] is True and b3["change"] > 0
    # B3 became fully achieved: each of its criteria rose from in progress; B6.2 fell back
    statuses = [(c["id"], c["old_status"], c["new_status"]) for c in doc["improved"]]
    assert statuses == [(f"B3.{i}", "in_progress", "achieved") for i in range(1, 5)]
    statuses = [(c["id"], c["old_status"], c["new_status"]) for c in doc["fell_back"]]
    assert statuses == [("B6.2", "achieved", "in_progress")] and doc["other_changes"] == []
    changed = {a["question"]: a for a in doc["answers_changed"]}
    old, new = read_yaml(OLD)["answers"], read_yaml(NEW)["answers"]
    assert set(changed) == {q for q in set(old) | set(new) if old.get(q) != new.get(q)}
    assert all(a["text"] for a in changed.values())
    assert doc["not_comparable"] == []


def test_markdown_golden(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HUB.parent)
    old, new = (f"hub/leeds/aire-valley-academy-{term}.yaml" for term in ("2025-autumn", "2026-spring"))
    result = run(cli, old, new, "--format", "md")
    assert result.exit_code == 0
    path = GOLDEN / "compare.md"
    if os.environ.get(REGENERATE) == "1":
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")


def test_dates_in_the_wrong_order_are_noted(cli: CliRunner, tmp_path: Path) -> None:
    result = run(cli, str(NEW), str(OLD), "--format", "json", "-o", str(tmp_path / "c.json"))
    assert result.exit_code == 0
    assert "is dated after" in result.stderr
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["achieved_change"] == -1


def test_bad_file_is_a_clear_error(cli: CliRunner) -> None:
    result = run(cli, str(OLD), str(HUB / "york" / "half-saved.yaml"))
    assert result.exit_code == 2 and "not valid YAML" in result.stderr and "Traceback" not in result.stderr


def _older_edition(tmp_path: Path) -> Path:
    """A copy of the bundled framework posing as an older edition: B3.4 does not exist in it."""
    folder = tmp_path / "gatsby-old-schools"
    shutil.copytree(next(p for p in bundled_frameworks() if p.name == "gatsby-2025-schools"), folder)
    shutil.rmtree(folder / "migrations")  # its map into the criteria removed below would no longer fit
    meta = read_yaml(folder / "framework.yaml")
    meta.update(id="gatsby-old-schools", title="Old benchmarks for schools", edition="2014")
    write_yaml(folder / "framework.yaml", meta)
    b3 = folder / "b3-needs-of-each-pupil.yaml"
    data = yaml.safe_load(b3.read_text(encoding="utf-8"))
    data["criteria"] = [c for c in data["criteria"] if c["id"] != "B3.4"]
    write_yaml(b3, data)
    return folder


def test_across_editions_compares_by_criterion_id(cli: CliRunner, tmp_path: Path) -> None:
    folder = _older_edition(tmp_path)
    old = read_yaml(OLD)
    old["framework"] = str(folder)
    old["answers"] = {q: a for q, a in old["answers"].items() if not q.startswith("B3.4.")}
    old_path = write_yaml(tmp_path / "old.yaml", old)
    result = run(cli, str(old_path), str(NEW), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["same_framework"] is False and doc["answers_compared"] is False
    assert doc["old"]["framework"] == "gatsby-old-schools" and doc["old"]["edition"] == "2014"
    assert doc["not_comparable"] == ["B3.4"]
    assert doc["answers_changed"] == []
    assert [b["id"] for b in doc["benchmarks"]] == [f"B{i}" for i in range(1, 9)]
    table = run(cli, str(old_path), str(NEW)).stdout
    assert "Different frameworks" in table and "Not comparable" in table and "B3.4" in table
    md = run(cli, str(old_path), str(NEW), "--format", "md").stdout
    assert "compared by their ids" in md and "## Not comparable" in md and "## Answers that changed" not in md


def test_files_never_cut_an_answer(cli: CliRunner, tmp_path: Path) -> None:
    """Issue 21: ``-o changes.md`` showed a changed evidence answer as "short LMI session at the Ye…"."""
    from ..conftest import EXAMPLES

    old, new = EXAMPLES / "riverside-high-last-term.yaml", EXAMPLES / "riverside-high.yaml"
    before, after = read_yaml(old)["answers"]["B2.2.4"], read_yaml(new)["answers"]["B2.2.4"]
    assert len(before) > 100 and len(after) > 100
    out = tmp_path / "changes.md"
    assert run(cli, str(old), str(new), "-o", str(out)).exit_code == 0
    written = " ".join(out.read_text(encoding="utf-8").split())
    for answer in (before, after):
        assert " ".join(answer.split()) in written.replace("\\", "")
    assert "…" not in written
    doc = json.loads(run(cli, str(old), str(new), "--format", "json").stdout)
    b224 = next(a for a in doc["answers_changed"] if a["question"] == "B2.2.4")
    assert (b224["old_words"], b224["new_words"]) == (" ".join(before.split()), " ".join(after.split()))
