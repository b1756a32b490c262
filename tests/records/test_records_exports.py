"""The example exports in SIMS, Arbor and Bromcom shapes (examples/records/), each read with its
mapping as docs/records.md shows; the mapping of issue 22 on the SIMS export; names and
registration groups in the gaps list and nowhere else."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from compass_cli.core.evaluation import load_evaluation

from .conftest import ACTIVITIES, EXAMPLES, PUPILS, records, run

HERE = EXAMPLES / "records"
YEAR = ("--year", "2025/26")
SHAPES = ["sims", "arbor", "bromcom"]

#: The mapping of issue 22, word for word.
ISSUE_MAPPING = """\
pupils:
  columns: {pupil_id: UPN, year_group: Year, send: SEN Status, joined_on: Date of Admission}
  values: {send: {N: no, K: yes, E: yes}}
activities:
  columns: {pupil_id: UPN, date: Date, activity: Activity, virtual: Delivery, meaningful: Meaningful}
  activities: {Employer talk: employer_encounter, Careers interview: guidance_meeting}
  values: {virtual: {In person: no, Virtual: yes}}
"""


def files(shape: str) -> tuple[Path, Path, Path]:
    return HERE / f"{shape}-pupils.csv", HERE / f"{shape}-activities.csv", HERE / f"{shape}-mapping.yaml"


def export_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def entitlement(coverage, ent_id):
    return next(e for e in coverage.entitlements if e.entitlement.id == ent_id)


def test_the_issues_mapping_reads_the_sims_export(rules, tmp_path):
    """Every SEND pupil counted, every activity row counted, no late joiners, no problems."""
    pupils, activities, _ = files("sims")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(ISSUE_MAPPING)
    coverage = records(rules, pupils, [activities], mapping=mapping)
    assert coverage.problems.total == 0
    assert coverage.tallies.counted == coverage.tallies.rows == len(export_rows(activities))
    on_roll = [r for r in export_rows(pupils) if not r["Date of Leaving"]]
    send = sum(r["SEN Status"] in ("K", "E") for r in on_roll)
    b5 = entitlement(coverage, "employer-encounter-this-year")
    assert send == 30 and sum(c.pupils for c in b5.flags["send"]) == send
    assert all(item.joined == 0 for item in coverage.entitlements)


@pytest.mark.parametrize("shape", SHAPES)
def test_each_example_export_is_read_with_its_mapping(shape):
    pupils, activities, mapping = files(shape)
    result = run("coverage", pupils, activities, "--mapping", mapping, *YEAR, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pupils"]["with_problems"] == data["activities"]["with_problems"] == 0
    assert data["activities"]["counted"] + data["activities"]["ignored"] == data["activities"]["rows"]
    assert {"send", "ehcp", "disadvantaged"} <= {f["id"] for f in data["flags"]}
    assert len(export_rows(activities)) == data["activities"]["rows"]


def test_what_the_sims_export_teaches(rules):
    """SEN Status feeds two flags, each with its own translation; Y/N and True/blank read as they are."""
    pupils, activities, mapping = files("sims")
    coverage = records(rules, pupils, [activities], mapping=mapping)
    b5 = entitlement(coverage, "employer-encounter-this-year")
    assert [c.pupils for c in b5.flags["send"]][:5] == [6, 6, 6, 6, 6]  # K and E, the Year 9 leaver was not SEND
    assert [c.pupils for c in b5.flags["ehcp"]][:5] == [2, 2, 2, 2, 2]  # E only
    assert [c.pupils for c in b5.flags["disadvantaged"]][:5] == [7, 7, 7, 7, 7]  # "True"
    assert sum(c.pupils for c in b5.flags["looked_after"]) == 5  # "Y"
    # virtual placements add to workplace experience but not to the in-person placement week
    assert entitlement(coverage, "two-workplace-experiences-by-16").cells[0].have == 20
    assert entitlement(coverage, "guarantee-placement-ks4").cells[0].have == 0


def test_what_the_arbor_export_teaches(rules):
    """Words, not codes ("Monitoring" is not SEN); a word column makes a flag; a January joiner."""
    pupils, activities, mapping = files("arbor")
    coverage = records(rules, pupils, [activities], mapping=mapping)
    b5 = entitlement(coverage, "employer-encounter-this-year")
    rows = export_rows(pupils)
    monitoring = sum(r["SEN Status"] == "Monitoring" for r in rows)
    send = sum(r["SEN Status"] in ("SEN Support", "Education, Health and Care Plan") for r in rows)
    assert monitoring and sum(c.pupils for c in b5.flags["send"]) == send
    he = entitlement(coverage, "he-visits-by-18")
    assert he.measurable and [c.pupils for c in he.cells] == [5, 5]  # Post-18 Intention: University
    assert b5.joined == 1 and entitlement(coverage, "two-workplace-experiences-by-16").joined == 0
    assert coverage.tallies.ignored == 140  # the assemblies, left out quietly


def test_what_the_bromcom_export_teaches(rules):
    """Code and words in one cell, PP or blank, Excel's dates with a time, days with a decimal comma."""
    pupils, activities, mapping = files("bromcom")
    coverage = records(rules, pupils, [activities], mapping=mapping)
    b5 = entitlement(coverage, "employer-encounter-this-year")
    assert [c.pupils for c in b5.flags["send"]][:5] == [7, 7, 7, 7, 7]
    assert [c.pupils for c in b5.flags["ehcp"]][:5] == [2, 2, 2, 2, 2]
    assert [c.pupils for c in b5.flags["disadvantaged"]][:5] == [7, 7, 7, 7, 7]  # "PP"
    assert all(item.joined == 0 for item in coverage.entitlements)
    # 0,5 + 2,5 + 2 (or 1,5) days in person; the remote days do not count in person
    assert entitlement(coverage, "guarantee-week-ks3").cells[2].have == 21
    assert b5.cells[2].have == 23  # a Hybrid careers fair is in person here, and counts as any other


@pytest.mark.parametrize("shape", SHAPES)
def test_gaps_name_each_pupil_and_their_registration_group(shape):
    """Issue 22, point 4: a form tutor knows who to see."""
    pupils, activities, mapping = files(shape)
    result = run("gaps", pupils, activities, "--mapping", mapping, *YEAR, "--benchmark", "B5")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:4] == ["year_group", "reg_group", "pupil_id", "name"]
    assert rows and all(r["name"] and r["reg_group"] for r in rows)
    y7 = [r for r in rows if r["year_group"] == "Y7"]
    assert [r["reg_group"] for r in y7] == sorted(r["reg_group"] for r in y7)  # each tutor's pupils together


def test_gaps_of_a_pupils_file_without_names_have_no_name_columns():
    plain = run("gaps", PUPILS, *ACTIVITIES, *YEAR, "--benchmark", "B5")
    assert plain.stdout.splitlines()[0] == "year_group,pupil_id,entitlement,criterion,has,needs,by"


def test_names_and_registration_groups_stay_out_of_everything_shared(tmp_path):
    """Privacy: only the gaps list (for the school's own staff) has them; not coverage in any format,
    not fill's screen, not the answer file it writes."""
    pupils, activities, mapping = files("arbor")
    rows = export_rows(pupils)
    surnames = {r["Last Name"] for r in rows}
    forms = {r["Registration Form"] for r in rows}
    seen = re.compile(r"\b(" + "|".join(sorted(surnames | forms)) + r")\b")
    args = (pupils, activities, "--mapping", mapping, *YEAR)
    shared = [run("coverage", *args).stdout, run("coverage", *args, "--exact").stdout]
    for fmt in ("json", "csv", "md", "html"):
        shared.append(run("coverage", *args, "--format", fmt).stdout)
    filled = tmp_path / "filled.yaml"
    fill = run("fill", EXAMPLES / "riverside-high.yaml", pupils, activities, "--mapping", mapping, "--as-of",
               "2026-08-31", "-o", filled)
    assert fill.exit_code == 0, fill.stderr
    shared += [fill.stdout, fill.stderr, filled.read_text()]
    assert load_evaluation(filled).answers  # it is a real answer file, filled from these records
    for text in shared:
        assert not seen.search(text), seen.search(text)
    gaps = run("gaps", *args).stdout
    assert seen.search(gaps)


def test_every_example_export_is_in_the_docs():
    doc = (HERE.parent.parent / "docs" / "records.md").read_text()
    for shape in SHAPES:
        assert f"| `{shape}-*` (" in doc, shape  # a row of the table of examples
    assert {p.name for p in HERE.glob("*-mapping.yaml")} == {f"{shape}-mapping.yaml" for shape in SHAPES}
