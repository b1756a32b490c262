"""Write the records fixtures: a cohort of 200 pupils (Years 7-13, 2025/26) and their activities.

Run from the repository root:  python tests/records/make_fixtures.py
The output is committed; this script is kept so that the files can be rebuilt and their
design read. Everything is deterministic (no randomness). Measured as of the end of 2025/26
(31 August 2026, ``--year 2025/26``), the data is built so that:

- B5.1 (an employer encounter this year) falls in a different band in every year group:
  Y7 all, Y8 almost all, Y9 most, Y10 many, Y11 some, Y12 a few, Y13 none;
- window edges are hit: 31 August 2025 (last year, not counted) vs 1 September 2025; the day
  before Year 7 vs its first day; 28 February vs 1 March for the provider access phases; the
  last day of Year 11 vs the day after (after the as-of date);
- days add up across rows, half days included, and virtual days do not count in person;
- one pupil left in January (not counted), one Year 11 pupil left in July (counted: they
  completed the year), one Year 11 and one Year 13 pupil joined at the start of the year;
- activities-excel.csv is Excel's export: a byte-order mark, CRLF, dd/mm/yyyy, quoted cells,
  labels in title case and an extra column;
- export-pupils.csv, export-activities.csv and mapping.yaml are the same records as another
  system exports them (other column names and labels, ';' separator).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent / "fixtures"
SIZES = {7: 30, 8: 30, 9: 30, 10: 30, 11: 30, 12: 26, 13: 24}
#: Pupils with an employer encounter this year, per year: the bands none ... all.
ENCOUNTERS = {7: 30, 8: 28, 9: 24, 10: 18, 11: 12, 12: 5, 13: 0}


def pid(year: int, k: int) -> str:
    return f"P{year:02d}{k + 1:02d}"


def start(year_now: int, year: int) -> int:
    """The calendar year in which school year ``year`` began, for a pupil in ``year_now`` in 2025/26."""
    return 2025 - (year_now - year)


def pupils() -> list[dict[str, str]]:
    rows = []
    for year, size in SIZES.items():
        for k in range(size):
            n = k + 1
            rows.append({
                "pupil_id": pid(year, k),
                "year_group": f"Y{year}",
                "send": "yes" if n % 7 == 0 else "",
                "ehcp": "Y" if n % 14 == 0 else "N",
                "disadvantaged": "1" if n % 4 == 0 else "0",
                "looked_after": "true" if n == 13 else "",
                "considering_he": "yes" if year >= 12 and n % 3 != 0 else "",
                "left_on": "",
                "joined_on": "",
            })
    by_id = {r["pupil_id"]: r for r in rows}
    by_id["P1130"]["joined_on"] = "2025-09-01"  # joined at the start of Year 11
    by_id["P1324"]["joined_on"] = "01/09/2025"  # joined the sixth form for Year 13
    by_id["P1101"]["left_on"] = "2026-07-17"  # a Year 11 leaver in July: completed the year, counted
    rows.append({**by_id["P1001"], "pupil_id": "P1031", "left_on": "2026-01-15"})  # left in January: not counted
    return rows


def activities() -> tuple[list[list[str]], list[list[str]]]:
    """(rows for activities.csv, rows for activities-excel.csv): [pupil, date, activity, days, meaningful, provider]."""
    iso: list[list[str]] = []
    excel: list[list[str]] = []

    def add(p: str, day: dt.date, activity: str, days: str = "", meaningful: str = "yes", provider: str = "",
            virtual: str = "", to: list[list[str]] | None = None) -> None:
        (iso if to is None else to).append([p, day.isoformat(), activity, days, meaningful, provider, virtual])

    # B5.1 employer encounters this year (2025/26); the bands come from ENCOUNTERS
    for year, have in ENCOUNTERS.items():
        for k in range(SIZES[year]):
            if k < have:
                add(pid(year, k), dt.date(2025, 10, 1 + k % 28), "employer_encounter")
    add("P0801", dt.date(2025, 9, 1), "employer_encounter")  # first day of the year: counted (P0801 has two)
    add("P0829", dt.date(2025, 8, 31), "employer_encounter")  # last day of last year: not counted
    add("P0830", dt.date(2025, 10, 10), "employer_encounter", meaningful="no")  # not meaningful
    add("P0701", dt.date(2026, 9, 1), "employer_encounter")  # after the as-of date
    add("P1031", dt.date(2025, 10, 2), "employer_encounter")  # the pupil who left

    # B2.1 LMI sessions, one per key stage
    for k in range(SIZES[9]):
        if k < 27:
            add(pid(9, k), dt.date(2024, 3, 5), "lmi_session")
    add("P0930", dt.date(2023, 8, 31), "lmi_session")  # the day before Year 7: not counted
    add("P0929", dt.date(2023, 9, 1), "lmi_session")  # the first day of Year 7: counted
    for k in range(SIZES[11]):
        add(pid(11, k), dt.date(2025, 11, 12), "lmi_session")
    for k in range(15):
        add(pid(10, k), dt.date(2026, 2, 3), "lmi_session")
    for k in range(23):
        add(pid(13, k), dt.date(2025, 1, 20), "lmi_session")
    for k in range(13):
        add(pid(12, k), dt.date(2026, 1, 20), "lmi_session")

    # B8.1 guidance meetings
    for k in range(29):
        add(pid(11, k), dt.date(2026, 1, 8 + k % 20), "guidance_meeting")
    add("P1130", dt.date(2026, 8, 31), "guidance_meeting")  # the last day of Year 11: counted
    add("P1129", dt.date(2026, 9, 1), "guidance_meeting")  # the day after: not counted
    for k in range(8):
        add(pid(10, k), dt.date(2026, 5, 4), "guidance_meeting")
    for k in range(24):
        add(pid(13, k), dt.date(2025, 11, 3), "guidance_meeting")
    for k in range(10):
        add(pid(12, k), dt.date(2026, 6, 1), "guidance_meeting")

    # B7.1 provider encounters: the full range by 16, and the provider access phases
    kinds = ["sixth_form", "college", "university", "training_provider"]
    for k in range(SIZES[11]):
        met = kinds if k < 15 else kinds[:3]
        for n, kind in enumerate(met):
            add(pid(11, k), dt.date(2024, 10, 1 + n), "provider_encounter", provider=kind)
    for k in range(SIZES[10]):
        met = kinds if k < 6 else ["sixth_form"]
        for n, kind in enumerate(met):
            add(pid(10, k), dt.date(2025, 10, 6 + n), "provider_encounter", provider=kind)
    # phase 1 (Year 8 to 28 February of Year 9): the Y9 pupils
    for k in range(SIZES[9]):
        p = pid(9, k)
        if k < 25:
            add(p, dt.date(2025, 3, 3), "provider_encounter", meaningful="no", provider="college")
            second = dt.date(2026, 2, 28) if k == 1 else dt.date(2025, 11, 4)  # P0902: the last day, counted
            add(p, second, "provider_encounter", meaningful="no", provider="training_provider")
        elif k == 25:  # P0926: the second is on 1 March, too late
            add(p, dt.date(2025, 3, 3), "provider_encounter", provider="college")
            add(p, dt.date(2026, 3, 1), "provider_encounter", provider="college")
        elif k == 26:  # P0927: two, but before Year 8
            add(p, dt.date(2024, 6, 3), "provider_encounter", provider="college")
            add(p, dt.date(2024, 8, 31), "provider_encounter", provider="college")
    for k in range(10):
        add(pid(8, k), dt.date(2025, 11, 4), "provider_encounter", provider="college")
        add(pid(8, k), dt.date(2026, 1, 14), "provider_encounter", provider="training_provider")
    # phase 2 (Year 10 to 28 February of Year 11): Y11 already met a college and a training provider
    # in Year 10 (2024-10-02 and -04) when they met all four kinds; the three-kind pupils met a
    # college only, so they get a second encounter in Year 11
    for k in range(15, 29):  # P1128: on 28 February, counted; P1127: on 1 March, too late
        day = dt.date(2026, 3, 1) if k == 26 else dt.date(2026, 2, 28) if k == 27 else dt.date(2025, 12, 1)
        add(pid(11, k), day, "provider_encounter", meaningful="no", provider="training_provider")
    for k in range(12):
        add(pid(10, k), dt.date(2025, 12, 2), "provider_encounter", meaningful="no", provider="college")
        add(pid(10, k), dt.date(2026, 2, 2), "provider_encounter", meaningful="no", provider="training_provider")
    # phase 3 (Year 12 to 28 February of Year 13): Y13 pupils who attended two
    for k in range(12):
        add(pid(13, k), dt.date(2024, 11, 5), "provider_encounter", provider="college")
        add(pid(13, k), dt.date(2025, 11, 5), "provider_encounter", provider="training_provider")

    # B7.2 HE visits, pupils considering HE (n % 3 != 0)
    for year, have in ((13, 14), (12, 5)):
        considering = [k for k in range(SIZES[year]) if (k + 1) % 3 != 0]
        for k in considering[:have]:
            add(pid(year, k), dt.date(start(year, 12) + 1, 3, 10), "he_visit", meaningful="")
            add(pid(year, k), dt.date(start(year, 12) + 1, 6, 12), "he_visit", meaningful="")
    add("P1315", dt.date(2025, 6, 12), "he_visit", meaningful="")  # considering HE? no (15 % 3 == 0)

    # B6 workplace experiences, in the Excel export
    def work(p: str, day: dt.date, days: str, meaningful: str = "Yes", virtual: str = "") -> None:
        add(p, day, "Workplace Experience", days=days, meaningful=meaningful, virtual=virtual, to=excel)

    for k in range(SIZES[9]):  # the KS3 week's worth, for Y9
        p = pid(9, k)
        if k < 18:
            work(p, dt.date(2024, 6, 20), "3")
            work(p, dt.date(2025, 7, 1), "2")
        elif k == 18:  # halves add up
            work(p, dt.date(2024, 6, 20), "2.5")
            work(p, dt.date(2025, 7, 1), "2,5")
        elif k == 19:  # exactly five in one row
            work(p, dt.date(2025, 7, 1), "5")
        elif k == 20:  # 4.5 in person and a virtual day: not enough
            work(p, dt.date(2025, 7, 1), "4.5")
            work(p, dt.date(2025, 7, 8), "1", virtual="Yes")
        elif k == 21:  # five days, but not meaningful
            work(p, dt.date(2025, 7, 1), "5", meaningful="No")
    for k in range(SIZES[11]):  # KS4 placements (in Year 10) and a KS3 experience, for Y11
        p = pid(11, k)
        work(p, dt.date(2025, 7, 7), "5" if k < 26 else "3")
        if k < 27:
            work(p, dt.date(2023, 6, 15), "1")
        elif k == 27:
            work(p, dt.date(2021, 8, 31), "1")  # the day before Year 7: not counted
        elif k == 28:
            work(p, dt.date(2021, 9, 1), "1")  # the first day of Year 7: counted
    for k in range(5):
        work(pid(10, k), dt.date(2026, 7, 6), "5")
    for k in range(10, 13):
        work(pid(10, k), dt.date(2026, 7, 6), "0.5")
    for k in range(20):  # sixth form
        work(pid(12, k), dt.date(2026, 6, 22), "5")
    for k in range(22):
        work(pid(13, k), dt.date(2025, 6, 23), "5")
    work("P1323", dt.date(2025, 6, 23), "5", meaningful="No")
    return iso, excel


def write(path: Path, header: list[str], rows: list[list[str]], **options: object) -> None:
    encoding = options.pop("encoding", "utf-8")
    with open(path, "w", newline="", encoding=encoding) as handle:  # type: ignore[call-overload]
        csv.writer(handle, **options).writerows([header, *rows])


def main() -> None:
    HERE.mkdir(exist_ok=True)
    cohort = pupils()
    columns = list(cohort[0])
    write(HERE / "pupils.csv", columns, [[r[c] for c in columns] for r in cohort], lineterminator="\n")
    iso, excel = activities()
    header = ["pupil_id", "date", "activity", "days", "meaningful", "provider", "virtual"]
    write(HERE / "activities.csv", header, iso, lineterminator="\n")
    uk = [[p, dt.date.fromisoformat(d).strftime("%d/%m/%Y"), a, days, m, prov, v, f"Placement {n}, Smith & Co"]
          for n, (p, d, a, days, m, prov, v) in enumerate(excel)]
    write(HERE / "activities-excel.csv", ["Pupil ID", "Date", "Activity", "Days", "Meaningful", "Provider", "Virtual",
                                          "Notes"], uk, encoding="utf-8-sig", lineterminator="\r\n",
          quoting=csv.QUOTE_ALL)

    # the same records as another system exports them
    years = {f"Y{y}": f"Year {y}" for y in SIZES}
    write(HERE / "export-pupils.csv", ["UPN", "NC Year", "SEN", "EHCP", "Pupil Premium", "CLA", "HE", "Leaving Date",
                                       "Entry Date"],
          [[r[c] if c != "year_group" else years[r[c]] for c in columns] for r in cohort], delimiter=";",
          lineterminator="\r\n")
    labels = {"employer_encounter": "Employer talk", "lmi_session": "LMI lesson",
              "guidance_meeting": "Careers interview", "provider_encounter": "Provider visit",
              "he_visit": "University visit"}
    providers = {"sixth_form": "Sixth form", "college": "FE college", "university": "Uni", "training_provider": "ITP",
                 "": ""}
    rows = [[p, dt.date.fromisoformat(d).strftime("%d/%m/%Y"), labels[a], m, providers[prov]]
            for p, d, a, _days, m, prov, _v in iso]
    rows.append(["P0701", "12/12/2025", "Assembly", "", ""])  # ignored by the mapping
    write(HERE / "export-activities.csv", ["UPN", "Event date", "Type", "Met standard", "Provider type"], rows,
          delimiter=";", lineterminator="\r\n")


if __name__ == "__main__":
    main()
