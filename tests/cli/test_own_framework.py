"""A framework is a folder, and only a folder (issue 11, point 1).

The bundled schools framework is copied to a temporary folder, given another id, cut to six
benchmarks, and given another institution section; then every command runs on it, found once
through COMPASS_FRAMEWORKS and once through --frameworks. No code knows about it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.cli import audit as cli_audit

from ..best_answers import best_answers
from ..conftest import ROOT

FID = "hub-six-2026"


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of frameworks holding the hub's own six-benchmark framework."""
    root = tmp_path_factory.mktemp("hub-frameworks")
    folder = root / "our-six"
    shutil.copytree(ROOT / "questionnaires" / "gatsby-2025-schools", folder)
    meta = yaml.safe_load((folder / "framework.yaml").read_text())
    dropped = [name for name in meta["benchmarks"] if name.startswith(("b7-", "b8-"))]
    for name in dropped:
        (folder / name).unlink()
    meta.update(id=FID, title="A hub's own six benchmarks", edition="2026",
                benchmarks=[n for n in meta["benchmarks"] if n not in dropped], retired={})
    meta["institution"].update(title="About your academy", types={"academy": "Academy"})
    meta["institution"]["words"].update(institution="academy", learner="student", learners="students")
    meta["institution"]["fields"] = [f for f in meta["institution"]["fields"]
                                     if f["field"] not in ("local_authority", "provider_access_url")]
    # what the website shows: the hub's one type of institution, and no provider access (its B7 is gone)
    meta["publish"]["items"] = [dict(item, duty={"academy": "should"}) for item in meta["publish"]["items"]
                                if item["id"] != "provider_access"]
    (folder / "framework.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    national = yaml.safe_load((folder / "national.yaml").read_text())
    for year in national["years"]:
        for bid in ("B7", "B8"):
            (year.get("percent_achieving") or {}).pop(bid, None)
    (folder / "national.yaml").write_text(yaml.safe_dump(national, sort_keys=False))
    (folder / "migrations" / "gatsby-2014-schools.yaml").unlink()
    (folder / "migrations" / "gatsby-2025-schools.yaml").write_text(
        "from: gatsby-2025-schools\ncarry:\n  B1.1.1: B1.1.1\n  B1.1.2: B1.1.2\n  B5.1.1: B5.1.1\n")
    return root


@pytest.fixture(params=["env", "option"])
def how(request: pytest.FixtureRequest, own: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Extra arguments that find the framework: none (COMPASS_FRAMEWORKS is set) or --frameworks."""
    if request.param == "env":
        monkeypatch.setenv("COMPASS_FRAMEWORKS", str(own))
        return []
    monkeypatch.delenv("COMPASS_FRAMEWORKS", raising=False)
    return ["--frameworks", str(own)]


def answer_file(path: Path, fw_folder: Path, date: str, best: bool = True) -> Path:
    from compass_cli.core.frameworks import load_framework

    fw = load_framework(fw_folder)
    answers = best_answers(fw, False)
    if not best:
        answers["B1.1.1"] = "no"
    doc = {"format": 1, "framework": FID,
           "institution": {"name": "Brightwater Academy", "urn": "123456", "type": "academy",
                           "learners": {g: 100 for g in fw.meta.year_groups if not fw.group(g).sixth_form}},
           "evaluation": {"date": date}, "answers": answers}
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def run(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result


def test_every_command_works_on_a_framework_that_is_only_a_folder(
    runner: CliRunner, own: Path, how: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = own / "our-six"
    listed = json.loads(run(runner, "frameworks", "--format", "json", *how).stdout)
    mine = next(f for f in listed if f["id"] == FID)
    assert mine["benchmarks"] == 6 and mine["origin"] in ("COMPASS_FRAMEWORKS", "--frameworks")
    assert "Academy" in mine["types"].values()
    assert "B6" in run(runner, "questions", "-f", FID, "-b", "B6", *how).stdout
    run(runner, "template", "-f", FID, "-o", "blank.yaml", *how)
    assert "# What is the name of your school?" in Path("blank.yaml").read_text()
    assert "local_authority" not in Path("blank.yaml").read_text()
    (tmp_path / "hub").mkdir()
    new = answer_file(tmp_path / "hub" / "new.yaml", folder, "2026-11-20")
    old = answer_file(tmp_path / "hub" / "old.yaml", folder, "2026-07-10", best=False)
    table = run(runner, "score", str(new), *how).stdout
    assert "Benchmarks fully achieved: 6/6" in table and "B7" not in table
    scores = json.loads(run(runner, "score", str(new), "--format", "json", *how).stdout)[0]
    assert [b["id"] for b in scores["benchmarks"]] == ["B1", "B2", "B3", "B4", "B5", "B6"]
    assert scores["institution"]["type"] == "academy"
    md = run(runner, "report", str(new), "--previous", str(old), "--format", "md", *how).stdout
    assert "**6 of 6**" in md and "Academy" in md
    run(runner, "report", str(new), "-o", "plan.html", *how)
    assert "6 of 6" in " ".join(Path("plan.html").read_text().split())
    page = run(runner, "publish", str(new), "--previous", str(old), *how).stdout
    assert "6 of 6" in page and "students" in page and "Provider access" not in page
    summary = json.loads(run(runner, "summary", str(tmp_path / "hub"), "--format", "json", "--all-terms", *how).stdout)
    assert summary["frameworks"][0]["id"] == FID and summary["overall"]["distribution"] == [0, 0, 0, 0, 0, 1, 1]
    assert "B1" in run(runner, "compare", str(old), str(new), *how).stdout
    run(runner, "validate", str(folder), str(new), *how)
    schema = json.loads(run(runner, "schema", "answers", "-f", FID, *how).stdout)
    assert "B6.1.8" in schema["properties"]["answers"]["properties"]
    assert "B7.1.1" not in schema["properties"]["answers"]["properties"]
    schools = tmp_path / "schools.yaml"
    schools.write_text((ROOT / "examples" / "riverside-high.yaml").read_text())
    run(runner, "migrate", str(schools), "--to", FID, "-o", "moved.yaml", *how)
    moved = yaml.safe_load(Path("moved.yaml").read_text())
    assert moved["framework"] == FID and set(moved["answers"]) == {"B1.1.1", "B1.1.2", "B5.1.1"}
    # and the audit finds it too: a new file with --framework, then answering from the keyboard
    monkeypatch.setattr(cli_audit, "is_interactive", lambda: True)
    started = runner.invoke(app, ["audit", "mine.yaml", "-f", FID, *how], input="Brightwater Academy\nq\n")
    assert started.exit_code == 0, started.output
    assert "About your academy" in started.stdout
    assert yaml.safe_load(Path("mine.yaml").read_text())["framework"] == FID


def test_without_the_search_path_the_framework_is_unknown(runner: CliRunner, own: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPASS_FRAMEWORKS", raising=False)
    path = answer_file(tmp_path / "a.yaml", own / "our-six", "2026-11-20")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2
    assert f"unknown framework '{FID}'" in " ".join(result.stderr.split())
    assert "--frameworks" in result.stderr


def test_an_own_framework_can_hide_a_bundled_one_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "ours" / "schools-copy"
    shutil.copytree(ROOT / "questionnaires" / "gatsby-2025-schools", folder)
    listed = json.loads(runner.invoke(app, ["frameworks", "--format", "json", "--frameworks",
                                            str(tmp_path / "ours")]).stdout)
    same = [f for f in listed if f["id"] == "gatsby-2025-schools"]
    assert [f["origin"] for f in same] == ["--frameworks", "bundled"]
    assert same[1]["hidden_by"] == str(folder)


def test_a_missing_search_folder_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["frameworks", "--frameworks", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such folder" in result.stderr
