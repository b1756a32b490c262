"""Write the Riverside High School example records (fictional; see ../riverside-high.yaml).

Run from the repository root:  python examples/records/make_riverside.py
An 11-16 school of 1,128 pupils, measured on 20 November 2026 (the evaluation's date). The
register goes back to 2022, so every pupil's earlier years are in it. Built (deterministically)
to agree with the answer file where the records can speak: all of Year 11 have met the four
kinds of provider and had a guidance meeting this autumn; 187 of 214 completed five days of
placement in July 2026 (the answer file's note); almost all of Year 9 have had a week's worth of
workplace activity. Where the guess and the records differ, the records win: Year 10's
employer encounters this term have reached most pupils, not all.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {7: 236, 8: 231, 9: 228, 10: 219, 11: 214}


def main() -> None:
    rng = random.Random(137845)
    pupils: list[list[str]] = []
    rows: list[list[str]] = []

    def add(pupil: str, day: dt.date, activity: str, days: str = "", meaningful: str = "yes",
            provider: str = "") -> None:
        rows.append([pupil, day.isoformat(), activity, days, meaningful, provider])

    for year, size in SIZES.items():
        entry = 2026 - (year - 7)  # the calendar year the pupil started Year 7
        for n in range(size):
            pupil = f"{entry % 100:02d}{n + 1:04d}"
            send = rng.random() < 0.14
            pupils.append([pupil, f"Y{year}", "yes" if send else "", "yes" if send and rng.random() < 0.2 else "",
                           "yes" if rng.random() < 0.28 else "", "yes" if rng.random() < 0.012 else "", "", ""])

            def when(school_year: int, month: int, day: int, _entry: int = entry) -> dt.date:
                """A day in the pupil's Year ``school_year``."""
                first = _entry + (school_year - 7)
                return dt.date(first if month >= 9 else first + 1, month, day)

            # B5: an employer encounter in every year so far (this year: all but a few in Year 8 and
            # Year 10, whose careers fair is in the spring)
            for school_year in range(7, year + 1):
                this_year = school_year == year
                if this_year and year == 8 and n >= 221:
                    continue
                if this_year and year == 10 and n >= 180:
                    continue
                add(pupil, when(school_year, 10, 5 + n % 20), "employer_encounter")
            # B2: an LMI session in Year 8 (options) and in Year 10 (post-16 routes)
            if year >= 9:
                add(pupil, when(8, 3, 10), "lmi_session")
            if year >= 11:
                add(pupil, when(10, 6, 16), "lmi_session")
            # B6: workplace activity in Years 7-9 (two days in Year 7, three in Year 8), placements in July of Year 10
            if year >= 8 and not (year == 9 and n >= 216) and not (year == 11 and n >= 190):
                add(pupil, when(7, 6, 24), "workplace_experience", "2")
            if year >= 9 and not (year == 9 and n >= 216) and not (year == 11 and n >= 190):
                add(pupil, when(8, 7, 1), "workplace_experience", "3")
            if year == 11:
                add(pupil, when(10, 7, 6), "workplace_experience", "5" if n < 187 else "2")
            # B7: Year 8 apprenticeship assembly, Year 9 college taster and visit, Year 10 university
            # day, Year 11 post-16 fair, plus a T Level talk in Year 10
            if year >= 9:  # this year's Year 8 have theirs in February
                add(pupil, when(8, 2, 5), "provider_encounter", provider="training_provider")
            if year >= 9:
                add(pupil, when(9, 11, 12), "provider_encounter", provider="college")
            if year >= 10:
                add(pupil, when(9, 5, 14), "provider_encounter", provider="college")
                add(pupil, when(10, 11, 17), "provider_encounter", meaningful="no", provider="training_provider")
            if year >= 11:
                add(pupil, when(10, 7, 9), "provider_encounter", provider="university")
                add(pupil, when(11, 10, 8), "provider_encounter", provider="sixth_form")
                add(pupil, when(11, 10, 8), "provider_encounter", provider="college")
                add(pupil, when(11, 10, 8), "provider_encounter", provider="training_provider")
            # B8: a guidance meeting for every Year 11 pupil this autumn
            if year == 11:
                add(pupil, when(11, 9, 15) + dt.timedelta(days=n % 60), "guidance_meeting")
    rows.sort(key=lambda r: (r[1], r[0]))
    with open(HERE / "riverside-pupils.csv", "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["pupil_id", "year_group", "send", "ehcp", "disadvantaged", "looked_after", "left_on",
                      "joined_on"])
        out.writerows(pupils)
    with open(HERE / "riverside-activities.csv", "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["pupil_id", "date", "activity", "days", "meaningful", "provider"])
        out.writerows(rows)


if __name__ == "__main__":
    main()
