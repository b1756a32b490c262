"""compass validate, compass schema and compass migrate (issue 11, points 6 to 8)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.audit.interview import Interview
from compass_cli.cli import app
from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.frameworks import load_framework
from compass_cli.core.scoring import score

from ..audit.audit_helpers import Scripted
from ..conftest import EXAMPLES, answer_doc, write_yaml
from ..test_validation import CASES, broken_copy

# --------------------------------------------------------------------------- validate


@pytest.mark.parametrize(("rule", "file", "how", "words"), CASES, ids=[c[0] for c in CASES])
def test_validate_reports_each_framework_rule(runner: CliRunner, tmp_path: Path, rule, file, how, words) -> None:
    folder = broken_copy(tmp_path, file, how)
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1, result.output
    assert words in " ".join(result.stderr.split()) and file in result.stderr
    assert "Traceback" not in result.output


ANSWER_RULES = {
    "unknown question": ({"answers": {"B9.9.9": "yes"}}, "unknown question id 'B9.9.9'"),
    "option that does not exist": ({"answers": {"B1.1.1": "maybe"}}, "expected one of: yes; no"),
    "item that does not exist": ({"answers": {"B1.1.4": ["nobody"]}}, "unknown item nobody"),
    "group that does not exist": ({"answers": {"B5.1.1": {"Y99": "all"}}}, "unknown group 'Y99'"),
    "type of another framework": ({"institution": {"name": "X", "type": "college"}}, "is not a type this framework"),
    "URN that is not six digits": ({"institution": {"name": "X", "urn": "12"}}, "a URN is six digits"),
    "unknown year group": ({"institution": {"name": "X", "learners": {"Y99": 3}}}, "unknown year group 'Y99'"),
    "note on nothing": ({"notes": {"B9.9": {"note": "x"}}}, "'B9.9' is not a question, criterion or benchmark"),
    "date in the future": ({"evaluation": {"date": "2999-01-01"}}, "in the future"),
}


@pytest.mark.parametrize("rule", sorted(ANSWER_RULES))
def test_validate_reports_each_answer_file_rule(runner: CliRunner, tmp_path: Path, rule: str) -> None:
    change, words = ANSWER_RULES[rule]
    doc = answer_doc()
    for key, value in change.items():
        doc[key] = doc[key] | value if isinstance(doc.get(key), dict) else value
    path = write_yaml(tmp_path / "a.yaml", doc)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert words in " ".join(result.stderr.split()), result.stderr
    assert "a.yaml:" in result.stderr


def test_validate_lists_every_problem_and_passes_good_input(runner: CliRunner, tmp_path: Path) -> None:
    bad = write_yaml(tmp_path / "bad.yaml", answer_doc(answers={"B1.1.1": "maybe", "B9.9.9": "x"}))
    result = runner.invoke(app, ["validate", str(bad), str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1 and "3 problems" in result.stderr
    good = runner.invoke(app, ["validate", *map(str, sorted(EXAMPLES.glob("*.yaml"))),
                               *map(str, sorted(Path(EXAMPLES.parent / "questionnaires").iterdir()))])
    assert good.exit_code == 0, good.output
    assert "no problems" in good.stderr


# --------------------------------------------------------------------------- schema


def _as_json(path: Path) -> object:
    """An answer file as an editor's YAML 1.2 reader sees it: dates are text."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_the_schema_accepts_every_example(runner: CliRunner, example: Path) -> None:
    doc = _as_json(example)
    result = runner.invoke(app, ["schema", "answers", "-f", doc["framework"]])  # type: ignore[index]
    assert result.exit_code == 0
    jsonschema.Draft202012Validator(json.loads(result.stdout)).validate(doc)


def test_the_schema_rejects_an_invalid_answer_file(runner: CliRunner) -> None:
    schema = json.loads(runner.invoke(app, ["schema", "answers"]).stdout)
    doc = _as_json(EXAMPLES / "riverside-high.yaml")
    for key, value in (("B1.1.1", "maybe"), ("B1.1.4", ["nobody"]), ("B9.9.9", "yes"), ("B5.1.1", {"Y7": "lots"})):
        broken = json.loads(json.dumps(doc))
        broken["answers"][key] = value
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
        assert errors, key


def test_framework_and_benchmark_schemas_accept_the_bundled_files(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "framework.schema.json"
    assert runner.invoke(app, ["schema", "framework", "-o", str(out)]).exit_code == 0
    framework = json.loads(out.read_text())
    benchmark = json.loads(runner.invoke(app, ["schema", "benchmark"]).stdout)
    for folder in sorted((EXAMPLES.parent / "questionnaires").iterdir()):
        jsonschema.validate(_as_json(folder / "framework.yaml"), framework)
        for name in yaml.safe_load((folder / "framework.yaml").read_text())["benchmarks"]:
            jsonschema.validate(_as_json(folder / name), benchmark)


def test_template_names_the_schema_in_its_first_line(runner: CliRunner) -> None:
    first = runner.invoke(app, ["template"]).stdout.splitlines()[0]
    assert first == "# yaml-language-server: $schema=gatsby-2025-schools.answers.schema.json"


# --------------------------------------------------------------------------- migrate

OLD = EXAMPLES / "riverside-high-2025-spring-2014-edition.yaml"


def test_a_2014_evaluation_moves_to_2025_and_the_audit_asks_just_what_is_new(runner: CliRunner,
                                                                               tmp_path: Path) -> None:
    new = tmp_path / "autumn.yaml"
    result = runner.invoke(app, ["migrate", str(OLD), "--to", "gatsby-2025-schools", "-o", str(new)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "answers carried from gatsby-2014-schools to gatsby-2025-schools" in said
    assert "To answer afresh (" in said and "B4.1.6" in said  # every subject, new in 2025
    text = new.read_text()
    assert text.startswith("# Moved from") and "#   B4.1.6" in text
    loaded = load_evaluation(new)
    fw = loaded.framework
    assert fw.id == "gatsby-2025-schools" and loaded.answers["B1.1.1"] == "yes"
    result = score(loaded)
    assert not result.complete  # scores under 2025, with the new questions still to answer
    to_answer = [line.strip("# ").strip() for line in text.splitlines() if line.startswith("#   ")]
    assert set(result.unanswered) <= set(to_answer)
    # compass audit NEW carries on at the first question to answer afresh
    prompter = Scripted(["q"])
    Interview(fw, new, prompter, evaluation=loaded).run()
    assert prompter.asked[0] == to_answer[0]


def test_migrate_refuses_what_it_cannot_do(runner: CliRunner, tmp_path: Path) -> None:
    same = runner.invoke(app, ["migrate", str(EXAMPLES / "riverside-high.yaml"), "--to", "gatsby-2025-schools",
                               "-o", str(tmp_path / "x.yaml")])
    assert same.exit_code == 2 and "already an evaluation of gatsby-2025-schools" in same.stderr
    no_map = runner.invoke(app, ["migrate", str(OLD), "--to", "gatsby-2025-colleges", "-o", str(tmp_path / "y.yaml")])
    assert no_map.exit_code == 2 and "there is no map from gatsby-2014-schools" in " ".join(no_map.stderr.split())
    over = runner.invoke(app, ["migrate", str(OLD), "--to", "gatsby-2025-schools", "-o", str(OLD)])
    assert over.exit_code == 2


def test_the_bundled_migration_maps_are_valid(runner: CliRunner) -> None:
    from compass_cli.core.frameworks import load_migration
    from compass_cli.core.migrating import migration_problems

    new = load_framework("gatsby-2025-schools")
    migration = load_migration(new, "gatsby-2014-schools")
    assert migration is not None and len(migration.carry) >= 20
    assert migration_problems(migration, load_framework("gatsby-2014-schools"), new) == []
