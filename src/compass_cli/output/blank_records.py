"""The blank files ``compass records template`` writes: two CSV headers and a commented mapping.

Everything is worded for the framework's setting (its ``institution.words`` and entitlements):
a college's files are about learners and years of their programme, never about pupils, UPNs or
Year 7. Column names are the records format's own and the same for every framework.
"""

from __future__ import annotations

import re

from compass_cli.core.records.rules import Rules
from compass_cli.core.records.spreadsheets import ACTIVITY_OPTIONAL, ACTIVITY_REQUIRED, PUPIL_DATES, PUPIL_REQUIRED


def learners_file(rules: Rules) -> str:
    """The name of the blank file of learners: "pupils.csv" for a school, "learners.csv" for a college."""
    return re.sub(r"[^a-z0-9]+", "-", rules.framework.meta.words().learners.lower()).strip("-") + ".csv"


def files(rules: Rules) -> dict[str, str]:
    """File name -> text, for the framework's entitlements (its flags, activities and provider kinds)."""
    flags = [f.id for f in rules.data.flags]
    learners = ",".join([*PUPIL_REQUIRED, *flags, *PUPIL_DATES]) + "\n"
    activities = ",".join([*ACTIVITY_REQUIRED, *ACTIVITY_OPTIONAL]) + "\n"
    return {learners_file(rules): learners, "activities.csv": activities, "mapping.yaml": mapping_text(rules)}


#: Examples of another system's activity names, by our activity id (only those the framework counts are shown).
_THEIR_ACTIVITIES = {
    "employer_encounter": "Employer talk",
    "workplace_experience": "Work placement",
    "provider_encounter": "Taster day",
    "he_visit": "University open day",
    "guidance_meeting": "Careers interview",
}
#: Examples of another system's provider kinds, by our kind.
_THEIR_PROVIDERS = {"college": "FE college", "university": "HE provider", "training_provider": "ITP"}


def mapping_text(rules: Rules) -> str:
    data = rules.data
    words = rules.framework.meta.words()
    learner, learners = words.learner, words.learners
    flag_lines = "\n".join(f"#   {f.id}: yes/no, {f.label}" for f in data.flags)
    activity_lines = "\n".join(f"#   {a}: {label}" for a, label in data.activities.items())
    kind_lines = "\n".join(f"#   {k}: {label}" for k, label in data.provider_kinds.items())
    groups = ", ".join(rules.groups)
    first = rules.groups[0]
    number = data.year_groups[first]
    label = rules.group_label(first)
    flag = next((f for f in data.flags if f.split), None)
    flag_example = f"\n    # {flag.id}: {flag.label} flag" if flag else ""
    their_activities = "\n".join(f"    # {theirs}: {ours}" for ours, theirs in _THEIR_ACTIVITIES.items()
                                 if ours in data.activities)
    their_providers = "\n".join(f"    # {theirs}: {ours}" for ours, theirs in _THEIR_PROVIDERS.items()
                                if ours in data.provider_kinds)
    file = learners_file(rules)
    return f"""\
# How your own exports map to the columns and labels compass reads.
# Use it with: compass records coverage {file} ACTIVITIES.csv --mapping mapping.yaml
# Everything is optional: a file that already uses our column names and labels needs no mapping.
# Column names are matched in any case, and spaces or hyphens count as underscores.
#
# THE {learners.upper()} FILE (one row per {learner} on roll this academic year)
#   pupil_id:    your own id for each {learner}, as your MIS exports it (no names are needed)
#   year_group:  {groups} ({number}, "{label}" and "{first}" are read too)
{flag_lines}
#   left_on:     the date the {learner} left, if they have ({learners} who left before the as-of date
#                are not counted, except those who left at the end of the summer term)
#   joined_on:   the date the {learner} joined, if they joined part-way through (measured against what
#                remained possible in each window)
#   name, reg_group: optional, for the gaps list only (so a form tutor knows who to see); never in
#                coverage or an answer file. name may be several of your columns: [Forename, Surname]
# Yes/no columns read yes/no, y/n, true/false or 1/0; blank is no. Other words (SEN Status N/K/E,
# "In person"/"Virtual") are translated under values: below.
#
# THE ACTIVITIES FILE (one row per {learner} per activity; several files may be given)
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
    # pupil_id: {learner.capitalize()} reference
    # year_group: {words.group.capitalize()}{flag_example}
  values: {{}}
    # send: {{N: no, K: yes, E: yes}}      your words in a yes/no column (here SEN codes N, K, E);
    # ehcp: {{N: no, K: no, E: yes}}       one column of yours may feed two of ours
  year_groups: {{}}
    # "{label} (2026)": {first}
  ignore_year_groups: []
    # [Leavers, "Not on roll"]     {learners} in these groups are left out quietly
activities:
  columns: {{}}
    # pupil_id: {learner.capitalize()} reference
    # date: Event date
    # activity: Activity type
  activities: {{}}
{their_activities}
  ignore_activities: []
    # [Assembly, Parents evening]   rows with these activities are left out quietly
  providers: {{}}
{their_providers}
  values: {{}}
    # virtual: {{In person: no, Virtual: yes}}
"""
