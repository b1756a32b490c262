"""The publish section of framework.yaml is checked as strictly as the rest: one broken copy per rule, each
problem named with its file, line and key path; every bundled framework says who must publish each item, and
where that is written down."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from compass_cli.core.frameworks import bundled_frameworks, load_framework
from compass_cli.core.institution import FIELDS
from compass_cli.core.models import InstitutionFieldName
from compass_cli.core.schemas import framework_schema
from compass_cli.errors import InputError

from ..conftest import ROOT


def _item(doc: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for i in doc["publish"]["items"] if i["id"] == item_id)


def _fields(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["institution"]["fields"]


# (rule, how to break the schools framework's framework.yaml, words the problem must contain)
CASES: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("unknown key", lambda d: _item(d, "careers_leader").update(colour="red"), "unknown key"),
    ("unknown duty", lambda d: _item(d, "careers_leader").update(duty={"school": "ought"}),
     "'must', 'should' or 'good_practice'"),
    ("a duty for a type the framework does not have", lambda d: _item(d, "careers_leader").update(
        duty={"college": "must"}), "'college' is not one of the institution types"),
    ("an item twice", lambda d: _item(d, "impact").update(id="careers_leader"), "appears twice"),
    ("an item with nothing to show", lambda d: d["publish"]["items"].append(
        {"id": "empty", "label": "x", "heading": "x", "who": "x", "duty": {"school": "must"}, "source": "x"}),
     "shows institution fields, a part of the evaluation"),
    ("an unknown field", lambda d: _item(d, "careers_leader")["fields"].append({"field": "twitter"}),
     "Input should be 'name'"),
    ("a field the institution section does not ask", lambda d: d["institution"].update(
        fields=[f for f in _fields(d) if f["field"] != "careers_leader_phone"]),
     "'careers_leader_phone' is not asked by the institution section"),
    ("who completes the evaluation is not the website's", lambda d: _item(d, "careers_leader")["fields"].append(
        {"field": "completed_by"}), "is about who completes the evaluation"),
    ("a need the institution section does not ask", lambda d: (
        _item(d, "how_to_access").update(needs=[["careers_leader_email", "site"]])),
     "'site' is not asked by the institution section"),
    ("a website question that does not exist", lambda d: _item(d, "impact").update(
        website={"question": "B1.9.9", "item": "impact"}), "B1.9.9 is not a question"),
    ("a checklist item that does not exist", lambda d: _item(d, "impact").update(
        website={"question": "B1.3.5", "item": "mission"}), "B1.3.5 has no item 'mission'"),
    ("an item of a question that is not a checklist", lambda d: _item(d, "impact").update(
        website={"question": "B1.3.1", "item": "impact"}), "'item' names a checklist item"),
    ("a question that earns no credit", lambda d: _item(d, "impact").update(website={"question": "B7.1.9"}),
     "earns no credit"),
    ("a when on a question that does not exist", lambda d: _item(d, "provider_access").update(
        when={"question": "B7.9.9", "equals": "yes"}), "no question"),
    ("a when with an option that does not exist", lambda d: _item(d, "provider_access").update(
        when={"question": "B7.1.10", "equals": "maybe"}), "no option 'maybe'"),
    ("an unknown part of the evaluation", lambda d: _item(d, "impact").update(evaluation="ofsted"),
     "'results' or 'next_review'"),
    ("a field of the website that no item shows", lambda d: d["publish"].update(
        items=[i for i in d["publish"]["items"] if i["id"] != "provider_access"]),
     "'provider_access_url' is asked but never used"),
    ("a field of the website without a publish section", lambda d: d.pop("publish"),
     "'careers_leader_name' is asked but never used"),
]


def broken_copy(tmp_path: Path, how: Callable[[dict[str, Any]], Any]) -> Path:
    folder = tmp_path / "schools"
    shutil.copytree(ROOT / "questionnaires" / "gatsby-2025-schools", folder)
    doc = yaml.safe_load((folder / "framework.yaml").read_text(encoding="utf-8"))
    how(doc)
    (folder / "framework.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("rule", "how", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_is_enforced(tmp_path: Path, rule: str, how: Callable[[dict[str, Any]], Any], words: str) -> None:
    folder = broken_copy(tmp_path, how)
    with pytest.raises(InputError) as caught:
        load_framework(folder)
    lines = caught.value.lines()
    assert any(words in line for line in lines), lines
    assert all("framework.yaml:" in line for line in lines), lines  # file and line


def test_compass_validate_reports_the_publish_section_with_its_key_path(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from compass_cli.cli import app

    folder = broken_copy(tmp_path, lambda d: _item(d, "impact").update(website={"question": "B1.3.5", "item": "x"}))
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "publish.items[" in result.stdout + result.stderr and "has no item 'x'" in result.stdout + result.stderr


def test_the_framework_schema_describes_the_publish_section() -> None:
    schema = framework_schema()
    assert "publish" in schema["properties"]
    item = schema["$defs"]["PublishItem"]
    assert {"label", "who", "duty", "source", "fields", "needs", "website", "evaluation", "when"} <= set(
        item["properties"])
    assert schema["$defs"]["Duty"]["enum"] == ["must", "should", "good_practice"]


@pytest.mark.parametrize("folder", bundled_frameworks(), ids=lambda p: p.name)
def test_every_bundled_framework_says_who_must_publish_what_and_where_it_is_written(folder: Path) -> None:
    fw = load_framework(folder)
    publish = fw.meta.publish
    assert publish is not None
    ids = [item.id for item in publish.items]
    assert {"careers_leader", "programme_summary", "how_to_access", "impact", "next_review"} <= set(ids)
    for item in publish.items:
        assert set(item.duty) == set(fw.meta.institution.types), item.id  # every type is told how firmly
        assert item.who.strip() and item.source.strip() and item.website is not None, item.id
    schools = "college" not in fw.meta.institution.types
    # the provider access policy statement is a school's; a college's framework says why it is not asked
    assert ("provider_access" in ids) == schools
    assert bool(publish.not_required) == (not schools)
    asked = {f.field for f in fw.meta.institution.fields}
    website = {n for n in InstitutionFieldName if n.value.startswith(("careers_", "provider_"))}
    assert asked & website == website - (set() if schools else {InstitutionFieldName.provider_access_url})
    for name in website & asked:
        assert FIELDS[name].unused(fw) is None
