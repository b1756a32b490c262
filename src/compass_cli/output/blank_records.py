"""The blank files ``compass records template`` writes: two CSV headers and a commented mapping."""

from __future__ import annotations

from compass_cli.core.records.rules import Rules
from compass_cli.core.records.spreadsheets import ACTIVITY_OPTIONAL, ACTIVITY_REQUIRED, PUPIL_DATES, PUPIL_REQUIRED


def files(rules: Rules) -> dict[str, str]:
    """File name -> text, for the framework's entitlements (its flags, activities and provider kinds)."""
    flags = [f.id for f in rules.data.flags]
    pupils = ",".join([*PUPIL_REQUIRED, *flags, *PUPIL_DATES]) + "\n"
    activities = ",".join([*ACTIVITY_REQUIRED, *ACTIVITY_OPTIONAL]) + "\n"
    return {"pupils.csv": pupils, "activities.csv": activities, "mapping.yaml": mapping_text(rules)}


def mapping_text(rules: Rules) -> str:
    data = rules.data
    flag_lines = "\n".join(f"#   {f.id}: yes/no, {f.label}" for f in data.flags)
    activity_lines = "\n".join(f"#   {a}: {label}" for a, label in data.activities.items())
    kind_lines = "\n".join(f"#   {k}: {label}" for k, label in data.provider_kinds.items())
    groups = ", ".join(rules.groups)
    return f"""\
# How your own exports map to the columns and labels compass reads.
# Use it with: compass records coverage PUPILS.csv ACTIVITIES.csv --mapping mapping.yaml
# Everything is optional: a file that already uses our column names and labels needs no mapping.
# Column names are matched in any case, and spaces or hyphens count as underscores.
#
# THE PUPILS FILE (one row per pupil on roll this academic year)
#   pupil_id:    your own id (UPN, admission number or an MIS id; no names are needed)
#   year_group:  {groups} (7, "Year 7" and "Y7" are read too)
{flag_lines}
#   left_on:     the date the pupil left, if they have (pupils who left before the as-of date
#                are not counted, except those who left at the end of the summer term)
#   joined_on:   the date the pupil joined, if after the start of Year 7 (measured against what
#                remained possible in each window)
#   name, reg_group: optional, for the gaps list only (so a form tutor knows who to see); never in
#                coverage or an answer file. name may be several of your columns: [Forename, Surname]
# Yes/no columns read yes/no, y/n, true/false or 1/0; blank is no. Other words (SEN Status N/K/E,
# "In person"/"Virtual") are translated under values: below.
#
# THE ACTIVITIES FILE (one row per pupil per activity; several files may be given)
#   pupil_id, date (2026-11-20 or 20/11/2026, never month first), activity:
{activity_lines}
#   days:        workplace time in days (a half day is 0.5)
#   meaningful:  yes/no: did it meet the framework's points for "meaningful"?
#   provider:    for a provider encounter, the kind of provider:
{kind_lines}
#   virtual:     yes/no (blank is no): virtual activity does not count where in person is required
#
# Below, map YOUR names (left) ... to OURS (right) for values, and OURS: YOURS for columns.
pupils:
  columns: {{}}
    # pupil_id: UPN
    # year_group: NC Year
    # disadvantaged: Pupil Premium
  values: {{}}
    # send: {{N: no, K: yes, E: yes}}      your words in a yes/no column: SIMS's SEN Status codes
    # ehcp: {{N: no, K: no, E: yes}}       (one column of yours may feed two of ours)
  year_groups: {{}}
    # "Year 7 (2026)": Y7
  ignore_year_groups: []
    # ["Year 6", Reception]       pupils in these year groups are left out quietly
activities:
  columns: {{}}
    # pupil_id: UPN
    # date: Event date
    # activity: Activity type
  activities: {{}}
    # Employer talk: employer_encounter
    # Work experience placement: workplace_experience
    # College taster day: provider_encounter
    # University open day: he_visit
    # Careers interview: guidance_meeting
  ignore_activities: []
    # [Assembly, Parents evening]   rows with these activities are left out quietly
  providers: {{}}
    # FE college: college
    # ITP: training_provider
  values: {{}}
    # virtual: {{In person: no, Virtual: yes}}
"""
