"""One invalid questionnaire per validation rule; every problem names its file and key path."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from compass_cli.core.frameworks import load_framework
from compass_cli.errors import InputError

from .conftest import MINI


def q(doc: dict, crit: int, question: int) -> dict:
    return doc["criteria"][crit]["questions"][question]


# (rule, file to break, how, words the problem must contain)
CASES: list[tuple[str, str, Callable[[dict], Any], str]] = [
    ("unknown key", "b1.yaml", lambda d: q(d, 0, 0).update(colour="red"), "unknown key"),
    ("missing key", "b1.yaml", lambda d: q(d, 0, 0).pop("text"), "required key is missing"),
    ("unknown kind", "b1.yaml", lambda d: q(d, 0, 0).update(kind="slider"), "kind"),
    ("duplicate question id", "b1.yaml", lambda d: q(d, 0, 1).update(id="B1.1.1"), "used twice"),
    ("duplicate criterion id", "b1.yaml", lambda d: d["criteria"][1].update(id="B1.1"), "used twice"),
    ("question id outside its criterion", "b1.yaml", lambda d: q(d, 0, 0).update(id="B1.9.1"), "should start with"),
    ("criterion id outside its benchmark", "b2.yaml", lambda d: d["criteria"][0].update(id="B3.1"), "should start"),
    ("when names a later question", "b1.yaml",
     lambda d: q(d, 0, 0).update(when={"question": "B1.3.1", "equals": "yes"}), "later question"),
    ("when names no question", "b1.yaml",
     lambda d: q(d, 0, 1).update(when={"question": "B9.9.9", "equals": "yes"}), "no question"),
    ("unknown operator", "b1.yaml",
     lambda d: q(d, 0, 1).update(when={"question": "B1.1.1", "matches": "y.*"}), "matches"),
    ("two operators", "b1.yaml",
     lambda d: q(d, 0, 1).update(when={"question": "B1.1.1", "equals": "yes", "answered": True}), "exactly one"),
    ("option that does not exist", "b1.yaml",
     lambda d: q(d, 0, 1).update(when={"question": "B1.1.1", "equals": "maybe"}), "no option 'maybe'"),
    ("includes on a non-checklist", "b1.yaml",
     lambda d: q(d, 2, 0).update(when={"question": "B1.1.1", "includes": "a"}), "needs a checklist"),
    ("criterion without questions", "b1.yaml", lambda d: d["criteria"][0].update(questions=[]), "at least 1"),
    ("criterion with nothing scored", "b1.yaml", lambda d: d["criteria"][1]["questions"].pop(0), "no scored question"),
    ("no actions", "b1.yaml", lambda d: d["criteria"][0].update(actions=[]), "at least 1"),
    ("action without the gap it closes", "b1.yaml", lambda d: d["criteria"][0]["actions"][0].pop("addresses"),
     "required key is missing"),
    ("action for another criterion's question", "b1.yaml",
     lambda d: d["criteria"][0]["actions"][0].update(addresses={"question": "B1.3.1"}), "not a question of this"),
    ("action for an unscored question", "b1.yaml",
     lambda d: d["criteria"][1]["actions"][0].update(addresses={"question": "B1.2.2"}), "not scored"),
    ("action for an item that does not exist", "b1.yaml",
     lambda d: d["criteria"][1]["actions"][0]["addresses"].update(items=["z"]), "no item 'z'"),
    ("action for a full-credit option", "b1.yaml",
     lambda d: d["criteria"][0]["actions"][1]["addresses"].update(options=["trained"]), "earns full credit"),
    ("action narrowed two ways", "b1.yaml",
     lambda d: d["criteria"][1]["actions"][0]["addresses"].update(groups=["Y10"]), "not items and groups"),
    ("groups on a checklist", "b1.yaml",
     lambda d: d["criteria"][1]["actions"][0].update(addresses={"question": "B1.2.1", "groups": ["Y10"]}),
     "narrows a share question"),
    ("credit_above on free text", "b1.yaml",
     lambda d: q(d, 1, 1).update(when={"question": "B1.2.1", "answered": True}) or q(d, 2, 0).update(
         when={"question": "B1.2.2", "credit_above": 0}), "has no credit"),
    ("if_not_asked without when", "b1.yaml", lambda d: q(d, 0, 0).update(if_not_asked="does_not_apply"),
     "'if_not_asked' is for"),
    ("unknown effort", "b1.yaml", lambda d: d["criteria"][0]["actions"][0].update(effort="tiny"), "effort"),
    ("unknown scale", "b1.yaml", lambda d: q(d, 0, 0).update(scale="stars"), "unknown scale"),
    ("unknown group", "b2.yaml", lambda d: q(d, 0, 0).update(groups=["Y10", "Y14"]), "unknown group 'Y14'"),
    ("key that does not fit the kind", "b1.yaml", lambda d: q(d, 0, 0).update(items=[]), "cannot have"),
    ("choice without a full-credit option", "b1.yaml",
     lambda d: [o.update(credit=0.5) for o in q(d, 0, 1)["options"]], "full credit"),
    ("credit above 1", "b1.yaml", lambda d: q(d, 0, 1)["options"][0].update(credit=2),
     "more than 1, the most it can be"),
    ("rule asks too much", "b2.yaml", lambda d: d["criteria"][1].update(rule={"at_least": 3}), "only 1 are scored"),
    ("bad benchmark id", "b1.yaml", lambda d: d.update(id="B 9"), "pattern"),
    ("year group not in groups", "framework.yaml", lambda d: d["year_groups"].append("Y14"), "not in groups"),
    ("words for a type it does not evaluate", "framework.yaml",
     lambda d: d["institution"].update(wording={"itp": {"learners": "apprentices"}}), "not one of the institution"),
    ("a word that is not a word", "framework.yaml",
     lambda d: d["institution"].pop("learners") and d["institution"].update(words={"learners": "<b>pupils</b>"}),
     "pattern"),
    ("the learners word twice", "framework.yaml",
     lambda d: d["institution"].update(words={"learners": "students"}), "given twice"),
    ("unknown word", "framework.yaml", lambda d: d["institution"].update(words={"teachers": "staff"}), "unknown key"),
    # the institution section, checked against the table of fields (core/institution.py)
    ("unknown institution field", "framework.yaml",
     lambda d: d["institution"]["fields"].append({"field": "phase", "text": "Which phase?"}), "'local_authority'"),
    ("no name asked", "framework.yaml",
     lambda d: d["institution"].update(fields=d["institution"]["fields"][1:]),
     "must ask 'name': every evaluation names its institution"),
    ("no learner numbers asked", "framework.yaml",
     lambda d: d["institution"].update(fields=[f for f in d["institution"]["fields"] if f["field"] != "learners"]),
     "must ask 'learners'"),
    ("the type asked of one type", "framework.yaml",
     lambda d: d["institution"]["fields"].append({"field": "type", "text": "Which type?"}),
     "'type' is asked but never used: there is one type"),
]


def broken_copy(tmp_path: Path, file: str, how: Callable[[dict], Any]) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    doc = yaml.safe_load((folder / file).read_text())
    how(doc)
    (folder / file).write_text(yaml.safe_dump(doc, sort_keys=False))
    return folder


@pytest.mark.parametrize(("rule", "file", "how", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_is_enforced(tmp_path, rule, file, how, words):
    folder = broken_copy(tmp_path, file, how)
    with pytest.raises(InputError) as caught:
        load_framework(folder)
    lines = caught.value.lines()
    assert any(words in line for line in lines), lines
    assert all(file in line for line in lines), lines


def test_every_problem_is_reported_with_line_and_path(tmp_path):
    def two_faults(d: dict) -> None:
        q(d, 0, 0).update(colour="red")
        d["criteria"][2]["actions"][0].update(effort="tiny")

    folder = broken_copy(tmp_path, "b1.yaml", two_faults)
    with pytest.raises(InputError) as caught:
        load_framework(folder)
    lines = caught.value.lines()
    assert len(lines) == 2, lines
    assert any("criteria[B1.1].questions[B1.1.1].colour" in line for line in lines)
    assert any("criteria[B1.3].actions[0].effort" in line for line in lines)
    assert all(":" in line.split("b1.yaml")[1][:2] for line in lines)  # file:line
    first = next(p for p in caught.value.problems if "colour" in (p.path or ""))
    text = (folder / "b1.yaml").read_text().splitlines()
    assert "colour" in text[first.line - 1]


def test_problems_in_several_files_are_all_reported(tmp_path):
    folder = broken_copy(tmp_path, "b1.yaml", lambda d: q(d, 0, 0).update(colour="red"))
    doc = yaml.safe_load((folder / "b2.yaml").read_text())
    q(doc, 0, 0).update(size=3)
    (folder / "b2.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    with pytest.raises(InputError) as caught:
        load_framework(folder)
    files = {Path(p.file).name for p in caught.value.problems}
    assert files == {"b1.yaml", "b2.yaml"}


def test_malformed_questionnaire_yaml(tmp_path):
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    (folder / "b2.yaml").write_text("id: B2\ncriteria: [\n")
    with pytest.raises(InputError) as caught:
        load_framework(folder)
    assert "not valid YAML" in caught.value.lines()[0]


def test_missing_benchmark_file(tmp_path):
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    (folder / "b2.yaml").unlink()
    with pytest.raises(InputError) as caught:
        load_framework(folder)
    assert "b2.yaml: no such file" in caught.value.lines()[0]
