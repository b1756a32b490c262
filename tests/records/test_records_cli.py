"""`compass records` end to end: every command and format, exit codes, suppression, the
mapping, fill's notes and what it keeps, and bad input listed with file and line."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil

import pytest

from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.records.rules import load_rules
from compass_cli.core.records.spreadsheets import load_mapping

from ..conftest import answer_doc, write_yaml
from .conftest import ACTIVITIES, EXAMPLES, FIXTURES, PUPILS, ROOT, records, run

YEAR = ("--year", "2025/26")
PUPIL_ID = re.compile(r"\bP\d{4}\b")


def coverage(*args):
    return run("coverage", PUPILS, *ACTIVITIES, *YEAR, *args)


# --------------------------------------------------------------------------- coverage


def test_coverage_table(tmp_path):
    result = coverage()
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "B5.1 At least one" in out and "28/30" in out and "Almost all (91-99%)" in out
    # plain words on screen (issue 22): band labels and the entitlement's text, never our ids
    assert not re.search(r"\b(almost_all|a_few|lmi-ks3|employer-encounter-this-year)\b", out)
    assert "<5/24" in out  # Y13 has none: withheld by default
    # the pupils file says who is considering higher education, so the HE visits are measured, over those pupils
    assert "Not measured" not in out
    b7_2 = out[out.index("B7.2 At least two visits"):out.index("B8.1")]
    assert re.search(r"Y12\s+5/18\s+28%\s+Some \(26-50%\)", b7_2)
    assert re.search(r"Y13\s+14/16\s+88%\s+Most \(76-90%\)", b7_2)
    assert not PUPIL_ID.search(out)


def test_coverage_table_exact_on_screen():
    result = coverage("--exact")
    assert result.exit_code == 0 and "0/24" in result.stdout and "<5" not in result.stdout


def test_exact_is_only_for_the_table(tmp_path):
    result = coverage("--exact", "--format", "md")
    assert result.exit_code == 2 and "own screen" in result.stderr


def test_coverage_json_is_documented_and_suppressed():
    result = coverage("--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["format"] == 1 and data["as_of"] == "2026-08-31" and data["academic_year"] == "2025/26"
    assert data["pupils"] == {"in_file": 201, "counted": 200, "left": 1, "not_yet_joined": 0, "ignored": 0,
                              "with_problems": 0, "kept_with_default": 0}
    b5 = next(e for e in data["entitlements"] if e["id"] == "employer-encounter-this-year")
    y8 = next(v for v in b5["groups"] if v["group"] == "Y8")
    assert y8 == {"group": "Y8", "have": 28, "pupils": 30, "percent": 93, "band": "almost_all",
                  "band_label": "Almost all (91-99%)", "suppressed": False}
    y13 = next(v for v in b5["groups"] if v["group"] == "Y13")
    assert y13 == {"group": "Y13", "have": None, "pupils": 24, "percent": None, "band": None, "band_label": None,
                   "suppressed": True}
    looked_after = next(f for f in b5["flags"] if f["flag"] == "looked_after")
    assert all(v["suppressed"] or v["pupils"] == 0 for v in looked_after["groups"])
    assert not PUPIL_ID.search(result.stdout)


def test_no_count_below_5_in_any_output_for_others():
    for fmt in ("json", "csv", "md", "html"):
        text = coverage("--format", fmt).stdout
        assert not PUPIL_ID.search(text), fmt
        # Y13 has fewer than 5 encounters (test_coverage_table): withheld, and said so
        assert ('"suppressed": true' if fmt == "json" else "fewer than 5") in text, fmt
    data = json.loads(coverage("--format", "json").stdout)
    for ent in data["entitlements"]:
        for view in ent["groups"] + [v for f in ent["flags"] for v in f["groups"]]:
            assert view["pupils"] == 0 or (view["have"] is None or view["have"] >= 5), (ent["id"], view)
            assert view["pupils"] in (0, None) or view["pupils"] >= 5


def test_coverage_csv():
    result = coverage("--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    row = next(r for r in rows if r["entitlement"] == "employer-encounter-this-year" and r["year_group"] == "Y9"
               and r["pupils"] == "all")
    assert (row["have"], row["in_group"], row["percent"], row["band"], row["question"]) == ("24", "30", "80", "most",
                                                                                             "B5.1.1")
    small = next(r for r in rows if r["entitlement"] == "employer-encounter-this-year" and r["year_group"] == "Y13")
    assert small["have"] == "fewer than 5" and small["percent"] == "" and small["band"] == ""


def test_coverage_markdown_and_html_files(tmp_path):
    md = tmp_path / "coverage.md"
    result = coverage("-o", md)
    assert result.exit_code == 0 and md.is_file()
    text = md.read_text()
    assert text.startswith("# Careers activity records: coverage")
    assert "| Y8 | 28 of 30 (93%) | 93% | Almost all" in text
    assert "| Y13 | fewer than 5 of 24 | – | – |" in text
    html = tmp_path / "coverage.html"
    assert coverage("-o", html).exit_code == 0
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "28 of 30 (93%)" in page


def test_the_table_cannot_go_to_a_file(tmp_path):
    result = coverage("--format", "table", "-o", tmp_path / "x.txt")
    assert result.exit_code == 2 and "for the screen" in result.stderr


def test_a_users_template_replaces_the_bundled_one(tmp_path):
    (tmp_path / "records.md.j2").write_text("{{ coverage.pupils.counted }} pupils\n")
    result = coverage("--format", "md", "--templates", tmp_path)
    assert result.stdout == "200 pupils\n"


def test_year_and_as_of(tmp_path):
    both = run("coverage", PUPILS, *ACTIVITIES, "--year", "2025/26", "--as-of", "2026-01-01")
    assert both.exit_code == 2 and "not both" in both.stderr
    bad = run("coverage", PUPILS, *ACTIVITIES, "--as-of", "02/30/2026")
    assert bad.exit_code == 2 and "--as-of" in bad.stderr
    uk = run("coverage", PUPILS, *ACTIVITIES, "--as-of", "31/08/2026", "--format", "json")
    assert json.loads(uk.stdout)["as_of"] == "2026-08-31"


def test_the_mapping_file():
    result = run("coverage", FIXTURES / "export-pupils.csv", FIXTURES / "export-activities.csv", *YEAR,
                 "--mapping", FIXTURES / "mapping.yaml", "--format", "json")
    assert result.exit_code == 0, result.stderr
    b5 = next(e for e in json.loads(result.stdout)["entitlements"] if e["id"] == "employer-encounter-this-year")
    assert [v["have"] for v in b5["groups"]] == [30, 28, 24, 18, 12, 5, None]


def test_a_bad_mapping_is_reported_with_line_and_key(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("pupils:\n  columns:\n    upn: UPN\nactivities:\n  activities:\n    Talk: talk\n")
    result = run("coverage", PUPILS, *ACTIVITIES, "--mapping", mapping)
    assert result.exit_code == 2
    assert "mapping.yaml:3: pupils.columns.upn: 'upn' is not a pupils column" in result.stderr
    assert "mapping.yaml:6: activities.activities.Talk: 'talk' is not one of ours" in result.stderr


@pytest.mark.parametrize(("text", "where", "message"), [
    ("pupils:\n  values:\n    sen: {N: no}\n", "mapping.yaml:3: pupils.values.sen",
     "'sen' is not a pupils column"),
    ("pupils:\n  values:\n    year_group: {Year 7: Y7}\n", "mapping.yaml:3: pupils.values.year_group",
     "not a yes/no column, so its values cannot be translated here (the yes/no columns: send, ehcp, disadvantaged, "
     "looked_after, considering_he); its words are translated under pupils.year_groups"),
    ("activities:\n  values:\n    date: {Today: no}\n", "mapping.yaml:3: activities.values.date",
     "the yes/no columns: meaningful, virtual"),
    ("pupils:\n  values:\n    send:\n      N: no\n      K: perhaps\n", "mapping.yaml:5: pupils.values.send.K",
     "'perhaps' is not yes or no (send is a yes/no column)"),
    ("activities:\n  values:\n    virtual: {In person: no, Virtual: Y7}\n",
     "mapping.yaml:3: activities.values.virtual.Virtual", "'Y7' is not yes or no"),
    ("activities:\n  values:\n    virtual: [In person, Virtual]\n", "mapping.yaml:3: activities.values.virtual",
     "expected keys and values (a mapping) here"),
    ("pupils:\n  columns:\n    year_group: [NC Year, Year]\n", "mapping.yaml:3: pupils.columns.year_group",
     "only name may list several"),
])
def test_a_bad_values_map_is_reported_with_file_line_and_key(tmp_path, text, where, message):
    """Issue 22, point 1: values: is checked strictly: only yes/no columns, and each word to yes or no."""
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text)
    result = run("coverage", PUPILS, *ACTIVITIES, *YEAR, "--mapping", mapping)
    assert result.exit_code == 2, result.stderr
    assert any(line.startswith(f"error: {tmp_path / where}: ") and message in line
               for line in result.stderr.splitlines()), result.stderr


def test_values_translate_yes_no_columns_and_an_unmapped_word_is_still_a_problem(tmp_path):
    pupils = tmp_path / "pupils.csv"
    pupils.write_text("UPN,Year,SEN Status\nA1,Year 7,N\nA2,Year 7,K\nA3,Year 7,E\nA4,Year 7,X\nA5,Year 7,\n"
                      "A6,Year 7,yes\n")
    activities = tmp_path / "activities.csv"
    activities.write_text("UPN,Date,Activity,Delivery,Meaningful\n"
                          "A1,2025-10-01,employer_encounter,In person,Y\nA2,2025-10-01,employer_encounter,Virtual,Y\n"
                          "A3,2025-10-01,employer_encounter,On the moon,Y\n")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("pupils:\n  columns: {pupil_id: UPN, year_group: Year, send: SEN Status, ehcp: SEN Status}\n"
                       "  values: {send: {N: no, K: yes, E: yes}, ehcp: {N: no, K: no, E: yes}}\n"
                       "activities:\n  columns: {pupil_id: UPN, virtual: Delivery}\n"
                       "  values:\n    virtual: {In person: no, Virtual: yes}\n")
    result = run("coverage", pupils, activities, *YEAR, "--mapping", mapping, "--format", "json")
    assert result.exit_code == 1
    err = result.stderr
    assert (f"{pupils}:5: send: 'X' is not yes or no, nor one of the words your mapping translates (N, K, E); "
            "read as no") in err
    assert f"{activities}:4: virtual: 'On the moon' is not yes or no, nor one of the words" in err
    assert err.count("error: ") == 3  # 'X' for send and for ehcp, and the moon
    measured = records(load_rules(), pupils, [activities], mapping=mapping)
    b5 = next(e for e in measured.entitlements if e.entitlement.id == "employer-encounter-this-year")
    assert b5.flags["send"][0].pupils == 3  # K, E and "yes" (our own word still reads)
    assert b5.flags["ehcp"][0].pupils == 2  # E and "yes"
    assert measured.tallies.counted == 2 and measured.problems.rows_in([pupils]).kept == 1


def test_a_missing_pupil_id_column_names_the_mapping_file(tmp_path):
    pupils = tmp_path / "export.csv"
    pupils.write_text("UPN,year_group\nA1,Year 7\n")
    result = run("coverage", pupils, ACTIVITIES[0], *YEAR)
    assert result.exit_code == 2
    assert ("has no pupil_id column; the columns found are: UPN, year_group; if your export calls it something "
            "else, name it in a mapping file with --mapping FILE ('compass records template -o DIR' writes one"
            ) in result.stderr


# --------------------------------------------------------------------------- bad input


def bad_files(tmp_path):
    pupils = tmp_path / "pupils.csv"
    shutil.copy(PUPILS, pupils)
    with open(pupils, "a") as handle:
        handle.write("P0701,Y8,,,,,,,\n")  # duplicate
        handle.write("P9901,Year 6,,,,,,,\n")  # unknown year group
        handle.write("P9902,Y7,maybe,,,,,,\n")  # a flag that is not yes or no
    activities = tmp_path / "activities.csv"
    lines = ["pupil_id,date,activity,days,meaningful,provider,virtual",
             "P0701,2025-10-01,employer_encounter,,yes,,",
             "NOBODY,2025-10-01,employer_encounter,,yes,,",
             "P0702,2025-10-01,assembly,,yes,,",
             "P0703,31/02/2026,employer_encounter,,yes,,",
             "P0704,2025-10-01,workplace_experience,-1,yes,,",
             "P0705,2025-10-01,workplace_experience,45,yes,,",
             "P0706,2025-10-01,employer_encounter,,perhaps,,",
             "P0707,10/31/2025,employer_encounter,,yes,,",
             "P0708,2025-10-01,provider_encounter,,yes,school,",
             "P0709",
             "",
             "P0710,2025-10-01,employer_encounter,,yes,,"]
    activities.write_text("\n".join(lines) + "\n")
    return pupils, activities


def test_bad_rows_are_listed_with_file_and_line_and_the_rest_counted(tmp_path):
    pupils, activities = bad_files(tmp_path)
    result = run("coverage", pupils, activities, *YEAR, "--format", "json")
    assert result.exit_code == 1
    err = result.stderr
    for where, what in [("pupils.csv:203", "the same pupil id as line 2"), ("pupils.csv:204", "year group 'Year 6'"),
                        ("pupils.csv:205", "send: 'maybe' is not yes or no"),
                        ("activities.csv:3", "pupil id not in the pupils file"),
                        ("activities.csv:4", "unknown activity 'assembly'"),
                        ("activities.csv:5", "date: '31/02/2026' is not a real date"),
                        ("activities.csv:6", "days: '-1' is negative"), ("activities.csv:7", "more than 30 days"),
                        ("activities.csv:8", "meaningful: 'perhaps' is not yes or no"),
                        ("activities.csv:9", "date: '10/31/2025' is not a real date"),
                        ("activities.csv:10", "unknown provider kind 'school'"),
                        ("activities.csv:11", "the row has 1 cells")]:
        assert any(where + ": " in line and what in line for line in err.splitlines()), (where, err)
    assert "Traceback" not in err
    assert "NOBODY" not in err + result.stdout  # an id that is not a pupil's is not echoed either
    data = json.loads(result.stdout)
    assert data["activities"]["counted"] == 2


def test_rows_after_a_note_over_several_lines_are_named_by_their_own_line(tmp_path):
    """A quoted cell over several lines is read apart from the other rows; the lines are still
    counted, so a later problem names the line it is on."""
    pupils = tmp_path / "pupils.csv"
    pupils.write_text('pupil_id,year_group,send,notes\nP1,Y7,,"Moved from\nanother school"\nP2,Y7,maybe,\n')
    activities = tmp_path / "activities.csv"
    activities.write_text('pupil_id,date,activity,notes\nP1,2025-10-01,employer_encounter,"Acme, the site\n\n'
                          'visit, went well"\nP1,2025-10-01,assembly,\n')
    result = run("coverage", pupils, activities, *YEAR, "--format", "json")
    assert result.exit_code == 1
    assert f"{pupils}:4: send: 'maybe' is not yes or no" in result.stderr
    assert f"{activities}:5: unknown activity 'assembly'" in result.stderr
    assert json.loads(result.stdout)["activities"]["counted"] == 1


def test_each_files_problems_are_counted_apart_left_out_or_kept(tmp_path):
    """Issue 22: "64 rows have problems and were left out" when 2 activity rows were bad and the
    other 62 were pupil rows, 61 of them kept with a flag read as no."""
    pupils, activities = bad_files(tmp_path)
    result = run("coverage", pupils, activities, *YEAR, "--format", "json")
    assert result.exit_code == 1
    counts = result.stderr.splitlines()[-3:]
    assert counts == [f"{pupils}: 3 rows with problems: 2 left out, 1 kept with a default (a flag read as no, a "
                      "date read as blank).",
                      f"{activities}: 9 rows with problems, left out.",
                      "Every other row was counted."]
    data = json.loads(result.stdout)
    assert data["activities"]["with_problems"] == 9
    assert (data["pupils"]["with_problems"], data["pupils"]["kept_with_default"]) == (3, 1)


def test_a_row_with_two_problems_is_one_row(tmp_path):
    pupils = tmp_path / "pupils.csv"
    pupils.write_text("pupil_id,year_group,send,ehcp,joined_on\nP1,Y7,maybe,perhaps,31/02/2026\n"
                      "P2,Year 6,maybe,,\nP3,Y7,,,\n")
    activities = tmp_path / "activities.csv"
    activities.write_text("pupil_id,date,activity\n")
    result = run("coverage", pupils, activities, *YEAR, "--format", "json")
    assert result.stderr.count("error: ") == 5
    assert f"{pupils}: 2 rows with problems: 1 left out, 1 kept with a default" in result.stderr
    assert str(activities) not in result.stderr.splitlines()[-2]


def test_a_row_refused_for_its_cells_is_named_for_them_and_every_row_is_counted_once(tmp_path):
    """A row whose activity or words are refused is reported for them even when its date or days
    are wrong too; an ignored activity's date must still be readable; and the rows counted, after
    the day measured, ignored and with problems add up to the rows read (blank ones left out)."""
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("activities:\n  ignore_activities: [Assembly]\n")
    activities = tmp_path / "activities.csv"
    activities.write_text("\n".join([
        "pupil_id,date,activity,days,meaningful,provider,virtual",
        "P0701,31/02/2026,assembly,,yes,,",  # 2: ignored, but its date is wrong
        "P0702,31/02/2026,employer_encounter,,perhaps,,",  # 3: refused words and a wrong date
        "P0703,2025-10-01,workplace_experience,-1,perhaps,,",  # 4: refused words and wrong days
        "P0704,2025-10-01,assembly,,yes,,",  # ignored
        "P0705,2026-10-01,employer_encounter,,yes,,",  # after the day measured
        "P0706,2025-10-01,employer_encounter,,yes,,",  # counted
        "",
        "P0707,2025-10-01",  # 9: short
        ",,,,,,",
    ]) + "\n")
    result = run("coverage", PUPILS, activities, *YEAR, "--format", "json", "--mapping", mapping)
    assert result.exit_code == 1
    err = result.stderr
    assert f"{activities}:2: date: '31/02/2026' is not a real date" in err
    assert f"{activities}:3: meaningful: 'perhaps' is not yes or no" in err
    assert f"{activities}:4: meaningful: 'perhaps' is not yes or no" in err
    assert f"{activities}:9: the row has 2 cells" in err
    assert f"{activities}:3: date" not in err and f"{activities}:4: days" not in err
    read = json.loads(result.stdout)["activities"]
    assert read == {"files": 1, "rows": 7, "counted": 1, "after_as_of": 1, "ignored": 1, "with_problems": 4}


def test_the_listing_is_capped_per_kind(tmp_path):
    activities = tmp_path / "activities.csv"
    activities.write_text("pupil_id,date,activity\n" + "P0701,2025-10-01,assembly\n" * 45)
    result = run("coverage", PUPILS, activities, *YEAR, "--format", "json")
    assert result.exit_code == 1
    assert result.stderr.count("unknown activity") == 20
    assert "... and 25 more unknown activities" in result.stderr


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.csv", None, "missing.csv: no such file"),
    ("latin1.csv", "pupil_id,date,activity\nP0701,2025-10-01,café\n".encode("latin-1"), "is not UTF-8"),
    ("nodate.csv", b"pupil_id,when,activity\n", "has no date column; the columns found are: pupil_id, when, activity"),
])
def test_files_that_cannot_be_read_exit_2(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("coverage", PUPILS, path, *YEAR)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("which", ["pupils", "activities"])
def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path, which):
    pipe = tmp_path / "export.csv"
    os.mkfifo(pipe)
    args = (pipe, ACTIVITIES[0]) if which == "pupils" else (PUPILS, pipe)
    result = run("coverage", *args, *YEAR)
    assert result.exit_code == 2
    assert f"{pipe}: is a named pipe, not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_a_renamed_column_that_is_missing_names_both(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("activities:\n  columns:\n    date: Event date\n")
    result = run("coverage", PUPILS, ACTIVITIES[0], "--mapping", mapping)
    assert result.exit_code == 2 and "has no date (your 'Event date') column" in result.stderr


# --------------------------------------------------------------------------- gaps


def test_gaps_lists_pupils_and_what_they_need(tmp_path):
    result = run("gaps", PUPILS, *ACTIVITIES, *YEAR, "--benchmark", "b5")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["entitlement"] for r in rows} == {"employer-encounter-this-year"}
    y8 = [r for r in rows if r["year_group"] == "Y8"]
    assert [r["pupil_id"] for r in y8] == ["P0829", "P0830"]
    assert y8[0]["has"] == "0 of 1" and y8[0]["needs"] == "1 more meaningful employer encounter"
    assert y8[0]["by"] == "2026-08-31"
    assert len(rows) == 2 + 6 + 12 + 18 + 21 + 24


def test_gaps_to_a_file_and_by_year_group(tmp_path):
    out = tmp_path / "gaps.csv"
    result = run("gaps", PUPILS, *ACTIVITIES, *YEAR, "--year-group", "Y9", "-o", out)
    assert result.exit_code == 0 and "names pupils" in result.stderr
    rows = list(csv.DictReader(out.open()))
    assert rows and {r["year_group"] for r in rows} == {"Y9"}


def test_gaps_refuses_unknown_benchmarks_and_groups():
    assert run("gaps", PUPILS, *ACTIVITIES, "--benchmark", "B4").exit_code == 2
    assert run("gaps", PUPILS, *ACTIVITIES, "--year-group", "Y14").exit_code == 2


def test_only_gaps_says_it_prints_pupil_ids():
    assert "ONLY compass command that prints pupil ids" in " ".join(run("gaps", "--help").stdout.split())
    for command in ("coverage", "fill", "template"):
        assert "prints pupil ids" not in run(command, "--help").stdout


# --------------------------------------------------------------------------- fill


def answers_file(tmp_path, **changes):
    doc = answer_doc(answers={"B1.1.1": "yes", "B5.1.1": "all", "B8.1.1": {"Y11": "some"}}, sixth_form=True,
                     notes={"B5.1.1": {"note": "Encounter map in the programme.", "owner": "Sam"},
                            "B1.1": {"note": "Governors backed it."}})
    doc["evaluation"]["date"] = "2026-08-31"
    doc.update(changes)
    return write_yaml(tmp_path / "answers.yaml", doc)


def test_fill_writes_the_answers_the_records_support(tmp_path):
    path = answers_file(tmp_path)
    result = run("fill", path, PUPILS, *ACTIVITIES)
    assert result.exit_code == 0, result.stderr
    assert "B5.1.1 Y8: All (100%) → Almost all (91-99%), from 28 of 30 (93%)" in result.stdout
    assert "B8.1.1 Y11: Some (26-50%) → All (100%)" in result.stdout
    loaded = load_evaluation(path)
    answers, notes = loaded.answers, loaded.answer_file.notes
    assert answers["B5.1.1"] == {"Y7": "all", "Y8": "almost_all", "Y9": "most", "Y10": "many", "Y11": "some",
                                 "Y12": "a_few", "Y13": "none"}
    assert answers["B1.1.1"] == "yes" and answers["B7.2.1"] == {"Y13": "most"}
    assert answers["B6.1.2"] == {"Y9": "many"} and answers["B2.1.1"] == {"Y9": "almost_all", "Y11": "all",
                                                                          "Y13": "almost_all"}
    note = notes["B5.1.1"].note
    assert note.startswith("Encounter map in the programme. From activity records, 31 August 2026: Y7 30 of 30 "
                           "pupils (100%); Y8 28 of 30 pupils (93%)")
    assert "Y13 fewer than 5 of 24 pupils." in note and notes["B5.1.1"].owner == "Sam"
    assert notes["B8.1.1"].note == "From activity records, 31 August 2026: 30 of 30 pupils (100%)."
    assert notes["B1.1"].note == "Governors backed it."
    assert not PUPIL_ID.search(path.read_text())


def test_fill_twice_replaces_its_own_note(tmp_path):
    path = answers_file(tmp_path)
    run("fill", path, PUPILS, *ACTIVITIES)
    second = run("fill", path, PUPILS, *ACTIVITIES, "--as-of", "2026-03-01")
    assert second.exit_code == 0
    note = load_evaluation(path).answer_file.notes["B5.1.1"].note
    assert note.count("From activity records") == 1 and "1 March 2026" in note
    assert note.startswith("Encounter map in the programme.")


def test_fill_leaves_alone_what_the_records_cannot_support(tmp_path):
    path = answers_file(tmp_path, institution={"name": "Test School", "urn": "100001", "sixth_form": False})
    pupils = tmp_path / "pupils.csv"
    with open(PUPILS, newline="") as source, open(pupils, "w", newline="") as out:
        writer = csv.writer(out)
        for row in csv.reader(source):
            writer.writerow(row[:6] + row[7:])  # no considering_he column
    result = run("fill", path, pupils, *ACTIVITIES)
    assert "Not filled: B7.2.1 Y13: cannot be measured" in result.stdout
    assert ("Not filled: B5.1.1 Y12: not asked: the answer file says the school does not have a sixth form"
            in result.stdout)
    answers = load_evaluation(path).answers
    assert "B7.2.1" not in answers and answers["B5.1.1"]["Y12"] == "all"  # as it was


def test_fill_dry_run_and_output(tmp_path):
    path = answers_file(tmp_path)
    before = path.read_text()
    dry = run("fill", path, PUPILS, *ACTIVITIES, "--dry-run")
    assert dry.exit_code == 0
    assert "B5.1.1 Y13: All (100%) → None (0%)" in dry.stdout and "Unchanged: B5.1.1 Y7 All (100%)" in dry.stdout
    assert not re.search(r"(: [a-z_]+ →|→ [a-z_]+,)", dry.stdout)  # labels, not the answer file's values
    assert path.read_text() == before
    other = tmp_path / "filled.yaml"
    assert run("fill", path, PUPILS, *ACTIVITIES, "-o", other).exit_code == 0
    assert path.read_text() == before and load_evaluation(other).answers["B5.1.1"]["Y8"] == "almost_all"


def test_fill_with_bad_rows_still_fills_and_exits_1(tmp_path):
    path = answers_file(tmp_path)
    pupils, activities = bad_files(tmp_path)
    result = run("fill", path, pupils, activities, *ACTIVITIES[1:])
    assert result.exit_code == 1 and "Wrote" in result.stdout


def test_fill_refuses_a_read_only_file(tmp_path):
    path = answers_file(tmp_path)
    path.chmod(0o444)
    result = run("fill", path, PUPILS, *ACTIVITIES)
    assert result.exit_code == 1 and "read-only" in result.stderr


# --------------------------------------------------------------------------- template and the example


def test_template_writes_files_that_load(tmp_path):
    folder = tmp_path / "records"
    result = run("template", "-o", folder)
    assert result.exit_code == 0
    assert (folder / "pupils.csv").read_text().startswith("pupil_id,year_group,send,ehcp,disadvantaged")
    assert (folder / "activities.csv").read_text() == "pupil_id,date,activity,days,meaningful,provider,virtual\n"
    assert load_mapping(folder / "mapping.yaml", load_rules()).activities.activities == {}
    assert "employer_encounter" in (folder / "mapping.yaml").read_text()
    again = run("template", "-o", folder)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run("template", "-o", folder, "--force").exit_code == 0
    empty = run("coverage", folder / "pupils.csv", folder / "activities.csv")
    assert empty.exit_code == 0


def test_a_college_s_template_is_in_its_words_and_its_hint_can_be_followed(tmp_path):
    """No UPN, Pupil Premium or "joined after the start of Year 7" for a college, and the closing hint
    keeps -f, so running it reads the college's entitlements (no year-group errors, no "0 pupils")."""
    folder = tmp_path / "records"
    result = run("template", "-o", folder, "-f", "gatsby-2025-colleges")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["activities.csv", "learners.csv", "mapping.yaml"]
    mapping = (folder / "mapping.yaml").read_text()
    for wrong in ("UPN", "Pupil Premium", "Year 7", "Year 6", "pupil ", "pupils who", "NC Year"):
        assert wrong not in mapping, wrong
    assert "THE LEARNERS FILE (one row per learner" in mapping and "P1, P2, P3" in mapping
    load_mapping(folder / "mapping.yaml", load_rules("gatsby-2025-colleges"))  # still a mapping that loads
    hint = " ".join(result.stderr.split())
    command = hint.split("then: ")[1]
    assert command.endswith("-f gatsby-2025-colleges")
    shutil.copy(ROOT / "tests" / "records" / "fixtures" / "colleges" / "pupils.csv", folder / "learners.csv")
    followed = run(*command.split()[2:], "--as-of", "2026-11-24")
    assert followed.exit_code == 0, followed.stderr
    assert "learners counted of" in followed.stdout and "pupils" not in followed.stdout
    assert "year group" not in followed.stderr


def test_a_college_s_filled_answers_are_noted_in_learners(tmp_path):
    """The note a fill leaves (and the report's evidence log shows) counts learners, not pupils."""
    answers = tmp_path / "kelderbeck.yaml"
    shutil.copy(EXAMPLES / "kelderbeck-college-town-centre.yaml", answers)
    folder = ROOT / "tests" / "records" / "fixtures" / "colleges"
    result = run("fill", answers, folder / "pupils.csv", folder / "activities.csv", "--as-of", "2026-11-24")
    assert result.exit_code == 0, result.stderr
    note = load_evaluation(answers).answer_file.notes["B5.1.1"].note or ""
    assert "fewer than 5 learners" in note and "pupil" not in note and "pupil" not in result.stdout


def test_the_riverside_example_tour(tmp_path):
    records = EXAMPLES / "records"
    pupils, activities = records / "riverside-pupils.csv", records / "riverside-activities.csv"
    shown = run("coverage", pupils, activities, "--as-of", "2026-11-20")
    assert shown.exit_code == 0 and "187/214" in shown.stdout
    filled = tmp_path / "riverside.yaml"
    result = run("fill", EXAMPLES / "riverside-high.yaml", pupils, activities, "-o", filled)
    assert result.exit_code == 0
    answers = load_evaluation(filled).answers
    assert answers["B6.1.6"] == {"Y11": "most"} and answers["B7.1.2"] == {"Y11": "all"}
    assert answers["B5.1.1"]["Y10"] == "most"
    before = load_evaluation(EXAMPLES / "riverside-high.yaml")
    changed = {qid for qid in before.answers if before.answers[qid] != answers.get(qid)}
    assert changed == {"B5.1.1"} and set(answers) == set(before.answers)
    notes = load_evaluation(filled).answer_file.notes
    for key, note in before.answer_file.notes.items():  # every note kept; a filled question's gains one sentence
        assert notes[key].model_dump(exclude={"note"}) == note.model_dump(exclude={"note"})
        assert (notes[key].note or "").startswith((note.note or "").strip()), key
    assert notes["B6.1.6"].note.endswith("From activity records, 20 November 2026: 187 of 214 pupils (87%).")


def test_every_records_command_is_in_the_readme_and_docs():
    from compass_cli.cli.records import app as records_app

    readme = (ROOT / "README.md").read_text()
    doc = (ROOT / "docs" / "records.md").read_text()
    for command in records_app.registered_commands:
        assert f"compass records {command.name}" in readme, command.name
        assert f"records {command.name}" in doc, command.name


def test_the_documented_json_has_the_keys_coverage_prints():
    doc = (ROOT / "docs" / "records.md").read_text()
    example = json.loads(re.findall(r"```json\n(.*?)```", doc, re.S)[0])
    actual = json.loads(coverage("--format", "json").stdout)
    assert set(example) == set(actual)
    assert example["pupils"] == actual["pupils"] and example["activities"] == actual["activities"]
    ent = next(e for e in actual["entitlements"] if e["id"] == example["entitlements"][0]["id"])
    assert set(example["entitlements"][0]) == set(ent)
    for cell in example["entitlements"][0]["groups"]:
        assert cell in ent["groups"]
