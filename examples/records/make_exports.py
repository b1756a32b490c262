"""Write the three example exports: SIMS, Arbor and Bromcom shapes, each with made-up pupils.

Run from the repository root:  python examples/records/make_exports.py
Each pair of files (pupils and activities) is shaped as a school using that MIS might export it:
the system's own column names and value words, its separator and date style. Every pupil, name,
UPN and id is invented (UPNs use the local authority code 999, which does not exist). The mapping
files beside them (sims-mapping.yaml ...) are written by hand: they are the lesson, these files
only the exercise. Measured with --year 2025/26 (as of 31 August 2026), as docs/records.md shows.

- sims-*: SEN Status as census codes (N, K, E), Pupil Premium Indicator as True or blank, In Care
  as Y/N, Date of Admission the first day of term; an activity register keyed by UPN with
  Delivery "In person" or "Virtual". An 11-16 school, 30 pupils a year.
- arbor-*: Arbor's own Student ID as the key of both files, SEN Status in words ("SEN Support",
  "Monitoring" ...), Pupil Premium Eligible Yes/No, a Post-18 Intention column; an activity log
  with Format "Face to face" or "Online". An 11-18 school, 20 pupils a year, one joiner in January.
- bromcom-*: Excel's CSV UTF-8 (a byte-order mark, CRLF), SEN Status as "K - SEN Support", Pupil
  Premium as PP or blank, Admission Date with a time; Mode "Face-to-Face", "Remote" or "Hybrid",
  and days written with a decimal comma. An 11-16 school, 25 pupils a year.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORENAMES = ["Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hamza", "Isla", "Jack", "Keira", "Leo",
             "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rory", "Sofia", "Theo", "Uma", "Vinny", "Willow",
             "Xander", "Yasmin", "Zac", "Aisha", "Callum", "Daisy", "Ethan"]
SURNAMES = ["Ashworth", "Bramley", "Cotter", "Dunmore", "Elland", "Farrow", "Gatley", "Holme", "Ingleby",
            "Jessop", "Kirkham", "Lintott", "Marden", "Northey", "Oakes", "Pellow", "Quarrie", "Redfern",
            "Stainton", "Tolley", "Upcott", "Varley", "Wrenfield", "Yeadon"]
#: The first day of the autumn term, by the calendar year it falls in (what a MIS gives as the
#: date of admission of a pupil who started with their year group).
FIRST_DAY = {2019: dt.date(2019, 9, 4), 2020: dt.date(2020, 9, 3), 2021: dt.date(2021, 9, 2),
             2022: dt.date(2022, 9, 5), 2023: dt.date(2023, 9, 4), 2024: dt.date(2024, 9, 3),
             2025: dt.date(2025, 9, 3)}


def name(year: int, n: int) -> tuple[str, str]:
    """A made-up forename and surname for pupil ``n`` of Year ``year``."""
    return FORENAMES[(n * 7 + year) % len(FORENAMES)], SURNAMES[(n * 5 + year * 3) % len(SURNAMES)]


def started(year: int) -> int:
    """The calendar year a pupil in Year ``year`` in 2025/26 started Year 7 (or Year 12)."""
    return 2025 - (year - (12 if year >= 12 else 7))


def when(year: int, school_year: int, month: int, day: int) -> dt.date:
    """A day in school year ``school_year`` of a pupil in Year ``year`` in 2025/26."""
    first = 2025 - (year - school_year)
    return dt.date(first if month >= 9 else first + 1, month, day)


def uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def write(name_: str, header: list[str], rows: list[list[str]], *, delimiter: str = ",", excel: bool = False) -> None:
    """A CSV file as the MIS writes it: Excel's CSV UTF-8 (a byte-order mark and CRLF) or plain."""
    with open(HERE / name_, "w", newline="", encoding="utf-8-sig" if excel else "utf-8") as handle:
        out = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n" if excel else "\n")
        out.writerow(header)
        out.writerows(rows)


# --------------------------------------------------------------------------- SIMS


def sims() -> None:
    pupils, rows = [], []
    for year in range(7, 12):
        for n in range(1, 31):
            upn = f"X99940012{year:02d}{n:02d}"  # 13 characters, like a UPN
            forename, surname = name(year, n)
            sen = "E" if n % 15 == 0 else ("K" if n % 6 == 0 else "N")
            left = uk(dt.date(2026, 2, 13)) if (year, n) == (9, 29) else ""
            pupils.append([str(9000 + year * 100 + n), upn, surname, forename, f"Year {year}", f"{year}{'AB'[n % 2]}",
                           "M" if n % 2 else "F", sen, "True" if n % 4 == 0 else "", "Y" if n == 13 else "N",
                           uk(FIRST_DAY[started(year)]), left])

            def add(day: dt.date, activity: str, delivery: str = "In person", meaningful: str = "Y",
                    days: str = "", _upn: str = upn) -> None:
                rows.append([_upn, uk(day), activity, delivery, meaningful, days])

            # B5: an employer talk this year for most; a few virtual, a few that did not meet the standard
            if n <= 30 - (year - 7) * 2:
                add(when(year, year, 9 + n % 4, 1 + n % 27), "Employer talk",
                    "Virtual" if n % 9 == 0 else "In person", "N" if n % 11 == 0 else "Y")
            # B6: workplace experience: a day in Year 8, a placement week in Year 10 (July)
            if year >= 8:
                add(when(year, 8, 6, 20), "Workplace experience", days="1")
            if year == 11 and n <= 27:
                add(when(year, 10, 7, 7), "Workplace experience", days="5")
            if year == 10 and n <= 20:
                add(when(year, 10, 3, 2), "Workplace experience", "Virtual", days="2")
            # B8: a careers interview in Year 11 this autumn, and for some in Year 10
            if year == 11 and n <= 28:
                add(when(year, 11, 11, 3 + n % 20), "Careers interview")
            if year == 10 and n % 3 == 0:
                add(when(year, 10, 5, 11), "Careers interview")
    rows.sort(key=lambda r: (r[1][6:] + r[1][3:5] + r[1][:2], r[0]))
    write("sims-pupils.csv", ["Adno", "UPN", "Legal Surname", "Legal Forename", "Year", "Reg Group", "Gender",
                              "SEN Status", "Pupil Premium Indicator", "In Care", "Date of Admission",
                              "Date of Leaving"], pupils)
    write("sims-activities.csv", ["UPN", "Date", "Activity", "Delivery", "Meaningful", "Days"], rows)


# --------------------------------------------------------------------------- Arbor


def arbor() -> None:
    sen_words = {"E": "Education, Health and Care Plan", "K": "SEN Support", "M": "Monitoring",
                 "N": "No Special Educational Need"}
    intentions = ["University", "Apprenticeship", "Employment", "Undecided"]
    pupils, rows = [], []
    for year in range(7, 14):
        for n in range(1, 21):
            student = 1000 + year * 40 + n
            forename, surname = name(year + 3, n)
            sen = "E" if n % 10 == 0 else ("K" if n % 4 == 0 else ("M" if n % 7 == 0 else "N"))
            start = FIRST_DAY[started(year)] + dt.timedelta(days=1)
            if (year, n) == (9, 17):
                start = dt.date(2026, 1, 12)  # a real late joiner: moved house over Christmas
            intention = intentions[n % 4] if year >= 12 else ""
            pupils.append([str(student), f"X99940023{year:02d}{n:02d}", forename, surname, f"Year {year}",
                           f"{year}{'NS'[n % 2]}", sen_words[sen], "Yes" if n % 3 == 0 else "No", intention,
                           uk(start), ""])

            def add(day: dt.date, activity: str, fmt: str = "Face to face", meets: str = "Yes", provider: str = "",
                    days: str = "", _id: int = student) -> None:
                rows.append([str(_id), uk(day), activity, fmt, meets, provider, days])

            if n <= 18:
                add(when(year, year, 11, 2 + n), "Employer Talk", "Online" if n % 5 == 0 else "Face to face")
            add(when(year, year, 9, 24), "Assembly")
            # B2: a careers lesson with labour market information in Years 9, 11 and 13
            if year in (9, 11, 13) and n != 3:
                add(when(year, year, 10, 14), "Careers Lesson (LMI)")
            # B7: provider visits from Year 8, a university visit in the sixth form
            if year >= 9:
                add(when(year, 8, 2, 5), "Provider Visit", provider="Apprenticeship Provider")
                add(when(year, 9, 1, 20), "Provider Visit", provider="FE College")
            if year >= 11:
                add(when(year, 10, 11, 18), "Provider Visit", provider="FE College")
                add(when(year, 10, 6, 10), "Provider Visit", provider="Sixth Form")
                add(when(year, 10, 7, 1), "Provider Visit", provider="University")
                if year == 11 and n <= 16:
                    add(when(year, 11, 1, 27), "Provider Visit", provider="Apprenticeship Provider")
            if year == 13:
                add(when(year, 12, 11, 6), "Provider Visit", "Online", provider="Apprenticeship Provider")
                add(when(year, 13, 2, 10), "Provider Visit", provider="FE College")
            if year >= 12 and n % 4 in (0, 1):
                add(when(year, 12, 3, 4), "University Visit", provider="University")
                if year == 13 and n != 20:
                    add(when(year, 13, 10, 8), "University Visit", provider="University")
            # B6: work experience in Years 9, 10 and 12; B8: a careers interview in Year 11 and Year 13
            if year >= 10:
                add(when(year, 9, 6, 16), "Work Experience", days="1")
            if year >= 11 and year != 12:
                add(when(year, 10, 6, 23), "Work Experience", days="5" if n != 9 else "3")
            if year == 13:
                add(when(year, 12, 7, 7), "Work Experience", days="3")
            if year in (11, 13) and n <= 19:
                add(when(year, year, 12, 1 + n), "Careers Interview")
    rows.sort(key=lambda r: (r[1][6:] + r[1][3:5] + r[1][:2], int(r[0])))
    write("arbor-pupils.csv", ["Student ID", "UPN", "First Name", "Last Name", "Year", "Registration Form",
                               "SEN Status", "Pupil Premium Eligible", "Post-18 Intention", "Start Date",
                               "Leaving Date"], pupils)
    write("arbor-activities.csv", ["Student ID", "Date", "Activity Type", "Format", "Meets Gatsby Standard",
                                   "Provider Type", "Days"], rows)


# --------------------------------------------------------------------------- Bromcom


def bromcom() -> None:
    sen_words = {"E": "E - Education, Health and Care Plan", "K": "K - SEN Support",
                 "N": "N - No Special Educational Need"}
    pupils, rows = [], []
    for year in range(7, 12):
        for n in range(1, 26):
            upn = f"X99940034{year:02d}{n:02d}"
            forename, surname = name(year + 5, n)
            sen = "E" if n % 12 == 0 else ("K" if n % 5 == 0 else "N")
            admitted = dt.datetime.combine(FIRST_DAY[started(year)], dt.time())
            pupils.append([upn, forename, surname, f"Yr {year}", f"{year}{'BW'[n % 2]}{'RT'[n % 3 % 2]}",
                           sen_words[sen], "PP" if n % 4 == 1 else "", "Yes" if n == 8 else "No",
                           admitted.strftime("%d/%m/%Y %H:%M"), ""])

            def add(day: dt.date, activity: str, mode: str = "Face-to-Face", meaningful: str = "Y", days: str = "",
                    provider: str = "", _upn: str = upn) -> None:
                rows.append([_upn, uk(day), activity, mode, meaningful, days, provider])

            if n <= 25 - (11 - year):
                add(when(year, year, 1, 5 + n), "Careers Fair", "Hybrid" if year == 9 else "Face-to-Face")
            # the guarantee: a week's worth of workplace activity in Years 7-9, half days included
            if year >= 8:
                add(when(year, 7, 7, 2), "Workplace Visit", days="0,5")
                add(when(year, 8, 7, 1), "Work Shadowing", days="2,5")
            if year >= 9:
                add(when(year, 9, 3, 16), "Virtual Work Experience", "Remote", days="2")
                add(when(year, 9, 6, 15), "Work Shadowing", days="2" if n % 6 else "1,5")
            if year == 11:
                add(when(year, 10, 7, 6), "Work Experience Week", days="5")
            if year >= 10:
                add(when(year, 10, 11, 20), "College Taster Day", provider="FE College")
            if year == 11 and n <= 22:
                add(when(year, 11, 10, 1 + n), "Careers Guidance (Level 6)")
    rows.sort(key=lambda r: (r[1][6:] + r[1][3:5] + r[1][:2], r[0]))
    write("bromcom-pupils.csv", ["UPN", "Preferred Forename", "Preferred Surname", "Year Group", "Tutor Group",
                                 "SEN Status", "Pupil Premium", "CLA", "Admission Date", "Leaving Date"],
          pupils, excel=True)
    write("bromcom-activities.csv", ["UPN", "Activity Date", "Activity", "Mode", "Meaningful?", "Days",
                                     "Provider"], rows, excel=True)


MAKERS: list[Callable[[], None]] = [sims, arbor, bromcom]

if __name__ == "__main__":
    for make in MAKERS:
        make()
