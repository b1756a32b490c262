"""Entitlements as data: the shipped file loads, windows and bands are right, and every broken
rule is reported with its file, line and key path (one broken file per rule)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from compass_cli.core.frameworks import bundled_frameworks
from compass_cli.core.records.rules import fill_groups, load_rules, parse_academic_year
from compass_cli.errors import InputError, UsageError

from ..conftest import MINI


def test_every_bundled_entitlements_file_loads():
    found = [folder for folder in bundled_frameworks() if (folder / "entitlements.yaml").is_file()]
    assert found, "no bundled framework has entitlements"
    for folder in found:
        rules = load_rules(folder.name)
        assert rules.entitlements


def test_the_schools_entitlements_fill_the_share_questions_of_part_10(rules):
    filled = {(e.fills.question, g) for e in rules.entitlements if e.fills for g in fill_groups(rules, e)}
    assert filled == {
        ("B2.1.1", "Y9"), ("B2.1.1", "Y11"), ("B2.1.1", "Y13"),
        *{("B5.1.1", f"Y{n}") for n in range(7, 14)},
        ("B6.1.2", "Y9"), ("B6.1.6", "Y11"), ("B6.1.8", "Y11"), ("B6.2.4", "Y13"),
        ("B7.1.2", "Y11"), ("B7.1.11", "Y9"), ("B7.1.12", "Y11"), ("B7.2.1", "Y13"),
        ("B8.1.1", "Y11"), ("B8.1.2", "Y13"),
    }
    phase_3 = next(e for e in rules.entitlements if e.id == "provider-access-phase-3")
    assert phase_3.fills is None and "offered" in (phase_3.note or "")


@pytest.mark.parametrize(("entitlement", "group", "window"), [
    ("employer-encounter-this-year", "Y8", ("2025-09-01", "2026-08-31")),
    ("two-workplace-experiences-by-16", "Y11", ("2021-09-01", "2026-08-31")),
    ("two-workplace-experiences-by-16", "Y10", ("2022-09-01", "2027-08-31")),
    ("lmi-ks3", "Y7", ("2025-09-01", "2028-08-31")),
    ("provider-access-phase-1", "Y9", ("2024-09-01", "2026-02-28")),
    ("provider-access-phase-2", "Y10", ("2025-09-01", "2027-02-28")),
    ("provider-access-phase-3", "Y13", ("2024-09-01", "2026-02-28")),
    ("he-visits-by-18", "Y12", ("2025-09-01", "2027-08-31")),
])
def test_windows_are_relative_to_the_pupils_year_group_now(rules, entitlement, group, window):
    ent = next(e for e in rules.entitlements if e.id == entitlement)
    for as_of in (dt.date(2025, 9, 1), dt.date(2026, 2, 28), dt.date(2026, 8, 31)):
        start, end = rules.window(ent, group, as_of)
        assert (start.isoformat(), end.isoformat()) == window


def test_the_academic_year(rules):
    assert rules.year_start(dt.date(2026, 8, 31)) == dt.date(2025, 9, 1)
    assert rules.year_start(dt.date(2026, 9, 1)) == dt.date(2026, 9, 1)
    assert rules.academic_year(dt.date(2026, 11, 20)) == "2026/27"
    assert rules.year_end("2025/26") == rules.year_end("2025-26") == rules.year_end("2025/2026") == dt.date(2026, 8, 31)
    assert rules.academic_year(dt.date(2099, 12, 1)) == "2099/00"
    for bad in ("2025", "2025/27", "26/27", "2025/2027", "twenty"):
        with pytest.raises(UsageError):
            parse_academic_year(bad)


def test_leavers_at_the_end_of_the_summer_term_are_counted(rules):
    as_of = dt.date(2026, 8, 31)
    assert rules.left_before(dt.date(2026, 1, 15), as_of)
    assert not rules.left_before(dt.date(2026, 7, 17), as_of)  # completed the year
    assert rules.left_before(dt.date(2025, 7, 17), as_of)  # completed last year: gone
    assert not rules.left_before(dt.date(2026, 9, 30), as_of)  # leaves after the as-of date


@pytest.mark.parametrize(("have", "pupils", "shown", "band"), [
    (0, 30, 0, "none"), (1, 300, 1, "a_few"), (25, 100, 25, "a_few"), (26, 100, 26, "some"), (51, 100, 51, "many"),
    (76, 100, 76, "most"), (181, 200, 91, "almost_all"), (180, 200, 90, "most"), (599, 600, 99, "almost_all"),
    (30, 30, 100, "all"), (1, 1000, 1, "a_few"),
])
def test_bands_follow_the_percent_shown(rules, have, pupils, shown, band):
    got_shown, got_band = rules.band(have, pupils)
    assert (got_shown, got_band.value) == (shown, band)


def test_joining_late_asks_for_what_remained_possible(rules):
    by_id = {e.id: e for e in rules.entitlements}
    assert rules.needed(by_id["two-workplace-experiences-by-16"], 0.2) == 1
    assert rules.needed(by_id["two-workplace-experiences-by-16"], 0.6) == 2
    assert rules.needed(by_id["guarantee-placement-ks4"], 0.5) == 2.5
    assert rules.needed(by_id["guarantee-placement-ks4"], 0.01) == 0.5
    assert rules.needed(by_id["provider-full-range-by-16"], 0.3) == 2


def test_admissions_in_the_first_days_of_term_count_from_the_start_of_the_year(rules):
    """Issue 22, point 3: a MIS gives the first day of term (3 September) as the date of admission."""
    assert rules.measured_from(dt.date(2025, 9, 3)) == dt.date(2025, 9, 1)
    assert rules.measured_from(dt.date(2025, 9, 15)) == dt.date(2025, 9, 1)
    assert rules.measured_from(dt.date(2025, 9, 16)) == dt.date(2025, 9, 16)  # a late joiner
    assert rules.measured_from(dt.date(2026, 1, 12)) == dt.date(2026, 1, 12)
    assert rules.measured_from(dt.date(2025, 8, 20)) == dt.date(2025, 8, 20)  # before the year: left alone
    colleges = load_rules("gatsby-2025-colleges")  # the ILR year starts in August; programmes in September
    assert colleges.measured_from(dt.date(2025, 9, 8)) == dt.date(2025, 8, 1)


def test_a_framework_without_entitlements_says_so():
    with pytest.raises(UsageError, match="has no entitlements.yaml"):
        load_rules(MINI)


# --------------------------------------------------------------------------- one broken file per rule

SCHOOLS = Path(bundled_frameworks()[0]).parent / "gatsby-2025-schools"


def broken(tmp_path: Path, change: Any) -> Path:
    """A copy of the schools framework whose entitlements.yaml has one change."""
    folder = tmp_path / "framework"
    shutil.copytree(SCHOOLS, folder)
    data = yaml.safe_load((folder / "entitlements.yaml").read_text())
    change(data)
    (folder / "entitlements.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def first(data: dict[str, Any], **changes: Any) -> None:
    data["entitlements"][0].update(changes)


CASES = {
    "unknown key": (lambda d: first(d, colour="red"), "entitlements[lmi-ks3].colour", "unknown key"),
    "two requirements": (lambda d: first(d, days=5), "entitlements[lmi-ks3]", "exactly one of"),
    "no requirement": (lambda d: d["entitlements"][0].pop("at_least"), "entitlements[lmi-ks3]", "exactly one of"),
    "bad month-day": (lambda d: d.update(academic_year_starts="02-29"), "academic_year_starts", "MM-DD"),
    "unknown criterion": (lambda d: first(d, criterion="B9.1"), "entitlements[lmi-ks3].criterion", "no criterion"),
    "unknown activity": (lambda d: first(d, activity="assembly"), "entitlements[lmi-ks3].activity",
                         "not in activities"),
    "unknown provider kind": (lambda d: first(d, providers=["school"]), "entitlements[lmi-ks3].providers",
                              "not in provider_kinds"),
    "unknown flag": (lambda d: first(d, among="gifted"), "entitlements[lmi-ks3].among", "not one of the flags"),
    "unknown year group": (lambda d: first(d, groups=["Y7", "Y14"]), "entitlements[lmi-ks3].groups",
                           "not in year_groups"),
    "window reversed": (lambda d: first(d, window={"from": {"year": 9}, "to": {"year": 7}}),
                        "entitlements[lmi-ks3].window", "ends before it starts"),
    "window not started": (lambda d: first(d, window={"from": {"year": 8}, "to": {"year": 9}}),
                           "entitlements[lmi-ks3].groups", "starts only in Year 8"),
    "unknown question": (lambda d: first(d, fills={"question": "B2.1.9"}), "entitlements[lmi-ks3].fills.question",
                         "no question"),
    "not a share question": (lambda d: first(d, fills={"question": "B2.1.2"}),
                             "entitlements[lmi-ks3].fills.question", "only a share question"),
    "question of another criterion": (lambda d: first(d, fills={"question": "B5.1.1"}),
                                      "entitlements[lmi-ks3].fills.question", "not a question of criterion B2.1"),
    "group the question does not ask": (lambda d: first(d, fills={"question": "B2.1.1", "groups": ["Y8"]}),
                                        "entitlements[lmi-ks3].fills.groups", "does not ask about Y8"),
    "no group in common": (lambda d: first(d, fills={"question": "B2.1.1", "groups": []}),
                           "entitlements[lmi-ks3].fills", "none of B2.1.1's groups"),
    "filled twice": (lambda d: d["entitlements"][1].update(groups=["Y9", "Y10", "Y11"], window={
        "from": {"year": 7}, "to": {"year": 11}}, fills={"question": "B2.1.1", "groups": ["Y9"]}),
        "entitlements[lmi-ks4].fills.groups", "filled by 'lmi-ks3' already"),
    "duplicate id": (lambda d: d["entitlements"][1].update(id="lmi-ks3"), "entitlements[lmi-ks3].id",
                     "used twice"),
    "bands not the scale": (lambda d: d.update(bands={"none": 0, "all": 100}), "bands", "scale's options"),
    "bands not rising": (lambda d: d["bands"].update(some=1), "bands", "must rise"),
    "year group not in framework": (lambda d: d["year_groups"].update(Y14=14), "year_groups.Y14", "not a group"),
    "admissions at the start until the spring": (lambda d: d.update(admitted_at_start_until="01-10"),
                                                 "admitted_at_start_until", "more than 61 days after"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_broken_rule_is_reported_with_file_line_and_key_path(tmp_path, case):
    change, path, message = CASES[case]
    folder = broken(tmp_path, change)
    with pytest.raises(InputError) as caught:
        load_rules(folder)
    problems = caught.value.problems
    assert any(p.path == path and message in p.message for p in problems), [str(p) for p in problems]
    found = next(p for p in problems if p.path == path)
    assert found.file.endswith("entitlements.yaml") and found.line is not None


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    def two(data: dict[str, Any]) -> None:
        first(data, criterion="B9.1")
        data["entitlements"][1].update(activity="assembly")

    with pytest.raises(InputError) as caught:
        load_rules(broken(tmp_path, two))
    assert len(caught.value.problems) == 2


def test_the_colleges_framework_has_its_own_entitlements_by_year_of_programme():
    """Issue 13, point 5: a college counts learners by the year of their programme, and "by the end of
    the programme" among the learners completing it this year."""
    import datetime as dt

    from compass_cli.core.records.coverage import measure
    from compass_cli.core.records.spreadsheets import load_mapping

    rules = load_rules("gatsby-2025-colleges")
    assert set(rules.data.year_groups) == {"P1", "P2", "P3"}
    folder = Path(__file__).parent / "fixtures" / "colleges"
    coverage, _ = measure(rules, folder / "pupils.csv", [folder / "activities.csv"], load_mapping(None, rules),
                          dt.date(2026, 11, 24))
    views = {(e.entitlement.id, v.group): (v.have, v.pupils) for e in coverage.entitlements for v in e.cells}
    assert views["two-employer-encounters-this-year", "P1"] == (1, 2)
    # the workplace experience of last year (when the learner was in P1) counts for a completer now in P2
    assert views["workplace-experience-during-programme", "P2"] == (1, 2)
    assert views["guidance-meeting-during-programme", "P1"] == (0, 1)  # L2 is not completing, so not counted
