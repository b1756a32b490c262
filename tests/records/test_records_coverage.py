"""Coverage of the fixture cohort: every band, every window edge, leavers and joiners, the
mapping, and a slow row-by-row reference that the streaming tallies must agree with."""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compass_cli.core.records import tallies
from compass_cli.core.records.coverage import gaps, measure
from compass_cli.core.records.spreadsheets import Mapping, parse_date, parse_days, parse_yes_no

from .conftest import ACTIVITIES, END_OF_YEAR, FIXTURES, PUPILS, cells, records


def test_every_band_is_hit_in_b5(fixture_coverage, rules):
    got = cells(fixture_coverage, "employer-encounter-this-year")
    assert got == {"Y7": (30, 30), "Y8": (28, 30), "Y9": (24, 30), "Y10": (18, 30), "Y11": (12, 30), "Y12": (5, 26),
                   "Y13": (0, 24)}
    bands = [rules.band(have, pupils)[1].value for have, pupils in got.values()]
    assert bands == ["all", "almost_all", "most", "many", "some", "a_few", "none"]


def test_the_pupils_counted(fixture_coverage):
    cohort = fixture_coverage.cohort
    assert (cohort.in_file, cohort.pupils, cohort.left) == (201, 200, 1)
    assert fixture_coverage.tallies.later == 2  # two activities after 31 August 2026
    assert fixture_coverage.problems.total == 0


def test_31_august_is_last_year_and_1_september_this_year(measured):
    coverage, evaluation = measured
    waiting = {s.pupil_id for s in gaps(coverage, evaluation, "B5", "Y8")}
    assert waiting == {"P0829", "P0830"}  # 31 August 2025, and one not meaningful
    assert "P0801" not in waiting


def test_the_day_before_year_7_does_not_count(measured):
    coverage, evaluation = measured
    assert cells(coverage, "lmi-ks3")["Y9"] == (28, 30)
    waiting = {s.pupil_id for s in gaps(coverage, evaluation, "B2", "Y9")}
    assert waiting == {"P0928", "P0930"}  # P0930's only session was on 31 August before Year 7
    by_16 = {s.pupil_id for s in gaps(coverage, evaluation, "B6", "Y11") if s.entitlement.id.startswith("two-")}
    assert by_16 == {"P1128"}  # 31 August 2021; P1129's 1 September 2021 counts


def test_the_end_of_year_11(measured):
    coverage, evaluation = measured
    assert cells(coverage, "guidance-meeting-by-16")["Y11"] == (30, 30)  # P1130's meeting on 31 August 2026
    earlier = measure(coverage.rules, PUPILS, ACTIVITIES, Mapping(), dt.date(2026, 8, 30))[0]
    assert cells(earlier, "guidance-meeting-by-16")["Y11"] == (29, 30)


def test_28_february_and_1_march_in_the_provider_access_phases(measured):
    coverage, evaluation = measured
    assert cells(coverage, "provider-access-phase-1")["Y9"] == (25, 30)
    phase_1 = {s.pupil_id for s in gaps(coverage, evaluation, "B7", "Y9")}
    assert "P0902" not in phase_1 and {"P0926", "P0927"} <= phase_1  # 28 Feb counts; 1 March and Year 7 do not
    phase_2 = {s.pupil_id for s in gaps(coverage, evaluation, "B7", "Y11") if s.entitlement.id.endswith("phase-2")}
    assert phase_2 == {"P1127"}  # its second on 1 March; P1128's on 28 February counts


def test_days_add_up_and_virtual_days_do_not_count_in_person(measured):
    coverage, evaluation = measured
    assert cells(coverage, "guarantee-week-ks3")["Y9"] == (20, 30)
    short = {s.pupil_id: s for s in gaps(coverage, evaluation, "B6", "Y9")}
    assert {"P0919", "P0920"}.isdisjoint(short)  # 2.5 + 2,5 and 5
    assert short["P0921"].has == "4.5 of 5 days" and short["P0921"].needs.startswith("0.5 more days of")
    assert "P0922" in short  # five days, not meaningful


def test_the_full_range_of_providers(measured):
    coverage, evaluation = measured
    assert cells(coverage, "provider-full-range-by-16")["Y11"] == (16, 30)
    short = [s for s in gaps(coverage, evaluation, "B7", "Y11") if s.entitlement.id == "provider-full-range-by-16"]
    assert short[0].has == "3 of 4 provider kinds"
    assert short[0].needs == "encounters with: independent training or apprenticeship provider"


def test_leavers_and_joiners(measured):
    coverage, evaluation = measured
    item = next(e for e in coverage.entitlements if e.entitlement.id == "two-workplace-experiences-by-16")
    assert item.joined == 1  # P1130, who joined in Year 11, needs one experience, and has it
    every = {s.pupil_id for s in gaps(coverage, evaluation)}
    assert "P1031" not in every  # left in January
    assert cells(coverage, "lmi-ks4")["Y11"] == (30, 30)  # P1101 left in July, still counted
    assert cells(coverage, "guidance-meeting-by-16")["Y11"][1] == 30


def test_among_counts_only_the_flagged_pupils(fixture_coverage, tmp_path, rules):
    assert cells(fixture_coverage, "he-visits-by-18") == {"Y12": (5, 18), "Y13": (14, 16)}
    without = tmp_path / "pupils.csv"
    with open(PUPILS, newline="") as source, open(without, "w", newline="") as out:
        writer = csv.writer(out)
        for row in csv.reader(source):
            writer.writerow(row[:6] + row[7:])
    coverage = records(rules, without, ACTIVITIES)
    item = next(e for e in coverage.entitlements if e.entitlement.id == "he-visits-by-18")
    assert not item.measurable and "considering_he" in (item.reason or "")


def test_flags_split_coverage(fixture_coverage):
    item = next(e for e in fixture_coverage.entitlements if e.entitlement.id == "employer-encounter-this-year")
    disadvantaged = {c.group: (c.have, c.pupils) for c in item.flags["disadvantaged"]}
    assert disadvantaged["Y11"] == (3, 7) and disadvantaged["Y7"] == (7, 7)
    assert "considering_he" not in item.flags  # split: false


def test_the_mapping_reads_another_systems_export(rules, fixture_coverage):
    mapped = records(rules, FIXTURES / "export-pupils.csv", [FIXTURES / "export-activities.csv"],
                     mapping=FIXTURES / "mapping.yaml")
    assert mapped.problems.total == 0 and mapped.tallies.ignored == 1  # the assembly
    for item in mapped.entitlements:
        if item.entitlement.activities == ["workplace_experience"]:
            continue  # those are in the Excel file, not in this export
        assert cells(mapped, item.entitlement.id) == cells(fixture_coverage, item.entitlement.id), item.entitlement.id


def test_measured_as_of_an_earlier_day(rules):
    autumn = records(rules, PUPILS, ACTIVITIES, dt.date(2025, 10, 15))
    assert cells(autumn, "employer-encounter-this-year")["Y7"] == (17, 30)  # 1 to 15 October (k % 28)
    assert autumn.tallies.later > 0


def test_a_missing_column_makes_an_entitlement_unmeasurable(rules, tmp_path):
    plain = tmp_path / "activities.csv"
    plain.write_text("pupil_id,date,activity\nP0701,2025-10-01,lmi_session\n")
    coverage = records(rules, PUPILS, [plain])
    reasons = {e.entitlement.id: e.reason for e in coverage.entitlements}
    assert reasons["lmi-ks3"] is None
    assert "'meaningful'" in reasons["employer-encounter-this-year"]
    assert "'provider'" in reasons["provider-access-phase-1"]


# --------------------------------------------------------------------------- a slow reference


def reference(rules, as_of):
    """Coverage the slow way: every pupil, every entitlement, every row of the fixture files."""
    pupils = {}
    with open(PUPILS, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            left = parse_date(row["left_on"]) if row["left_on"] else None
            joined = parse_date(row["joined_on"]) if row["joined_on"] else None
            if left and rules.left_before(left, as_of):
                continue
            pupils[row["pupil_id"]] = (row["year_group"], parse_yes_no(row["considering_he"]), joined)
    rows = []
    for path in ACTIVITIES:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                row = {k.lower().replace(" ", "_"): v for k, v in row.items()}
                rows.append((row["pupil_id"], parse_date(row["date"]), row["activity"].lower().replace(" ", "_"),
                             parse_days(row["days"]), parse_yes_no(row["meaningful"]), row["provider"],
                             parse_yes_no(row["virtual"])))
    result = {}
    for ent in rules.entitlements:
        table = {}
        for group in ent.groups:
            lo, hi = rules.window(ent, group, as_of)
            have = total = 0
            for pupil, (year, considering, joined) in pupils.items():
                if year != group or (ent.among and not considering):
                    continue
                fraction = 1.0
                if joined and joined > lo:
                    if joined > hi:
                        continue
                    fraction = ((hi - joined).days + 1) / ((hi - lo).days + 1)
                mine = [r for r in rows if r[0] == pupil and r[2] in ent.activities and lo <= r[1] <= min(hi, as_of)
                        and (r[4] or not ent.meaningful) and not (ent.in_person and r[6])
                        and (not ent.providers or r[5] in ent.providers)]
                if ent.days is not None:
                    ok = sum(r[3] for r in mine) >= max(0.5, math.ceil(ent.days * fraction * 2 - 1e-9) / 2)
                elif ent.kinds is not None:
                    ok = len({r[5] for r in mine} & set(ent.kinds)) >= max(1, math.ceil(len(ent.kinds) * fraction
                                                                                         - 1e-9))
                else:
                    ok = len(mine) >= max(1, math.ceil(ent.at_least * fraction - 1e-9))
                total += 1
                have += ok
            table[group] = (have, total)
        result[ent.id] = table
    return result


@pytest.mark.parametrize("as_of", [END_OF_YEAR, dt.date(2026, 2, 28), dt.date(2026, 3, 1), dt.date(2025, 9, 1)])
def test_the_streaming_tallies_agree_with_a_slow_reference(rules, as_of):
    coverage = records(rules, PUPILS, ACTIVITIES, as_of)
    expected = reference(rules, as_of)
    for ent in rules.entitlements:
        assert cells(coverage, ent.id) == expected[ent.id], ent.id


def test_the_counts_are_the_same_when_the_caches_are_emptied_as_they_fill(rules, monkeypatch):
    """Parsed dates, days and activity words are cached, and the caches emptied when they reach
    CACHE_LIMIT: with a limit of 2 they are emptied all the time, and nothing changes."""
    whole = records(rules, PUPILS, ACTIVITIES)
    monkeypatch.setattr(tallies, "CACHE_LIMIT", 2)
    emptied = records(rules, PUPILS, ACTIVITIES)
    for ent in rules.entitlements:
        assert cells(emptied, ent.id) == cells(whole, ent.id), ent.id
    assert emptied.problems.lines() == whole.problems.lines()


def test_rows_stream_in_constant_memory(rules, tmp_path):
    """The tallies are per pupil; doubling the rows does not grow what is kept."""
    import tracemalloc

    big = tmp_path / "activities.csv"
    shutil.copy(FIXTURES / "activities.csv", big)
    body = (FIXTURES / "activities.csv").read_text().split("\n", 1)[1]

    def peak(copies: int) -> int:
        with open(big, "w") as handle:
            handle.write("pupil_id,date,activity,days,meaningful,provider,virtual\n" + body * copies)
        tracemalloc.start()
        records(rules, PUPILS, [big])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak(5), peak(40)
    assert large < small * 1.2


def test_pupils_admitted_on_the_first_day_of_term_are_not_late_joiners(rules, tmp_path):
    """Issue 22, point 3: "126 pupils joined during the window" when Date of Admission was 3 September,
    the first day of Year 7. Only the pupil admitted in January joined during the window."""
    pupils = tmp_path / "pupils.csv"
    rows = [f"P{n},Y7,03/09/2025" for n in range(1, 7)] + ["P7,Y7,12/01/2026", "P8,Y11,02/09/2021"]
    pupils.write_text("pupil_id,year_group,joined_on\n" + "\n".join(rows) + "\n")
    activities = tmp_path / "activities.csv"
    activities.write_text("pupil_id,date,activity,days,meaningful\n"
                          + "".join(f"P{n},2026-03-02,workplace_experience,4.5,yes\n" for n in range(1, 8)))
    coverage = records(rules, pupils, [activities])
    joined = {e.entitlement.id: e.joined for e in coverage.entitlements}
    assert joined["employer-encounter-this-year"] == 1 and joined["guarantee-week-ks3"] == 1
    assert joined["two-workplace-experiences-by-16"] == 0  # P8 joined Year 7 on its second day
    # 4.5 days is enough for the January joiner only (seven eighths of Years 7-9 were left: 4.5 of the
    # 5 days), not for those who were there from the first day of term
    assert cells(coverage, "guarantee-week-ks3")["Y7"] == (1, 7)


# --------------------------------------------------------------------------- the rest of a line as one key

#: Cells for an activity row, some of each kind wrong, some quoted when written (a comma or a quote).
ROW = st.tuples(
    st.sampled_from(["P0701", "P0702", " P0703 ", "NOBODY", ""]),
    st.sampled_from(["2025-10-01", "01/03/2026", "31/02/2026", "2026-10-01", ""]),
    st.sampled_from(["employer_encounter", "Workplace Experience", "provider_encounter", "assembly", "",
                     'say "hi"']),
    st.sampled_from(["", "1", "0.5", "-1", "45", "1,5"]),
    st.sampled_from(["yes", "no", "", "perhaps"]),
    st.sampled_from(["", "college", "university", "school, maybe"]),
    st.sampled_from(["", "yes", "no", "maybe"]),
)
#: A whole row, the row cut short after some cells, or a blank row.
ROWS = st.lists(st.one_of(ROW.map(list), st.tuples(ROW, st.integers(0, 6)).map(lambda r: list(r[0][:r[1]])),
                          st.just(["", "", "", "", "", "", ""])), max_size=20)
HEADER = ["pupil_id", "date", "activity", "days", "meaningful", "provider", "virtual"]


@settings(deadline=None, max_examples=60)
@given(ROWS, st.sampled_from(["", "x", "a note, with a comma", 'a "quoted" note']))
def test_the_rest_of_a_line_read_as_one_key_counts_as_its_cells_read_one_by_one(tmp_path_factory, rules, rows,
                                                                                  note):
    """With the pupil id and date first and every other column read, the rest of a line is one key
    (never split per row); with a column more (a note nobody reads), the cells are read one by one.
    The counts, the rows with problems and what is said of each are the same."""
    folder = tmp_path_factory.mktemp("rest")
    seen = []
    for name, extra in (("whole.csv", None), ("cells.csv", note)):
        path = folder / name
        with open(path, "w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(HEADER + (["notes"] if extra is not None else []))
            out.writerows(row + ([extra] if extra is not None and len(row) == len(HEADER) and any(row)
                          else []) for row in rows)
        coverage = records(rules, PUPILS, [path])
        problems = [line.replace(str(path), "FILE") for line in coverage.problems.lines()]
        counted = (coverage.tallies.rows, coverage.tallies.counted, coverage.tallies.later, coverage.tallies.ignored)
        seen.append(([cells(coverage, ent.id) for ent in rules.entitlements], counted, problems))
    assert seen[0] == seen[1]
