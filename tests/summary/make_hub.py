"""Writes the fixture hub folder (tests/summary/hub/): run it again if the framework changes.

Twelve fictional institutions (schools, special schools and a college, each evaluated with its
own framework) in three local authorities, evaluated in the autumn term of
2025/26 and (most of them) again in the spring term; one broken answer file and a README
that must be ignored. The answers are generated from the bundled framework with a fixed
seed per institution, term and benchmark, so the folder (and the golden files made from it)
only change where the questions do: a change to one benchmark's questions leaves the answers
to the other benchmarks as they were. A benchmark that is not "in place" always keeps at
least one scored question short of full credit, so that only the benchmarks in place are
fully achieved.

    python tests/summary/make_hub.py
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import Question, QuestionKind

HUB = Path(__file__).resolve().parent / "hub"
AUTUMN, SPRING = dt.date(2025, 11, 20), dt.date(2026, 3, 19)

# name, URN, local authority folder, type, sixth form, benchmarks in place (autumn, spring or None)
INSTITUTIONS: list[tuple[str, str | None, str, str, bool, str, str | None]] = [
    ("Aire Valley Academy", "990101", "Leeds", "school", True, "B1 B2 B4 B8", "B1 B2 B3 B4 B8"),
    ("Kirkgate High School", "990102", "Leeds", "school", False, "B2 B5", "B2 B5 B6 B7"),
    ("Roundhay Park School", "990103", "Leeds", "school", True, "", "B1"),
    ("Beckside Special School", "990104", "Leeds", "special_school", False, "B3 B8", "B3 B8"),
    ("Minster View School", "990201", "York", "school", True, "B1 B2 B3 B4 B5 B6 B7 B8", None),
    ("Ouse Bridge Academy", "990202", "York", "school", False, "B4", "B4 B5"),
    ("Foss Meadow School", "990203", "York", "school", False, "B1 B2 B5 B6 B7", "B1 B2 B4 B5 B6 B7 B8"),
    ("Harrogate Road College", None, "North Yorkshire", "college", True, "B2 B7", "B2 B7 B8"),
    ("Dales Community School", "990302", "North Yorkshire", "school", False, "B6", None),
    ("Swaledale Academy", "990303", "North Yorkshire", "school", True, "B1 B3 B5", "B1 B3 B5 B6"),
    ("Whitby Coast School", "990304", "North Yorkshire", "school", False, "", "B8"),
    ("Ripon Vale School", "990305", "North Yorkshire", "special_school", False, "B5 B8", None),
]


def best(fw: Framework, q: Question, sixth_form: bool) -> Any:
    if q.kind is QuestionKind.checklist:
        return [i.id for i in q.items or []]
    if q.kind is QuestionKind.share:
        return {g: "all" for g in q.groups or [] if sixth_form or not fw.group(g).sixth_form} or None
    if q.kind is QuestionKind.number:
        return int(q.target) if q.target is not None else 12
    if q.kind is QuestionKind.text:
        return "Evidence is in the careers folder on the shared drive."
    return max(fw.options(q), key=lambda o: o.credit).value


def partial(fw: Framework, q: Question, sixth_form: bool, rng: random.Random) -> Any:
    if rng.random() < 0.55:
        return best(fw, q, sixth_form)
    if q.kind is QuestionKind.checklist:
        return [i.id for i in q.items or [] if rng.random() < 0.5]
    if q.kind is QuestionKind.share:
        bands = ["a_few", "some", "many", "most", "almost_all"]
        return {g: rng.choice(bands) for g in q.groups or [] if sixth_form or not fw.group(g).sixth_form} or None
    if q.kind is QuestionKind.number:
        return rng.randint(0, max(0, int(q.target or 4) - 1))
    if q.kind is QuestionKind.text:
        return None
    return rng.choice([o.value for o in fw.options(q) if o.credit < 1])


def short_of_best(fw: Framework, q: Question, sixth_form: bool, rng: random.Random) -> Any:
    """An answer to a scored question that earns less than full credit (never "none" for a share)."""
    if q.kind is QuestionKind.checklist:
        items = [i.id for i in q.items or []]
        return [i for i in items if i != rng.choice(items)]
    if q.kind is QuestionKind.share:
        groups = [g for g in q.groups or [] if sixth_form or not fw.group(g).sixth_form]
        return {g: rng.choice(["some", "many", "most", "almost_all"]) for g in groups} or None
    if q.kind is QuestionKind.number:
        return rng.randint(0, max(0, int(q.target or 4) - 1))
    return rng.choice([o.value for o in fw.options(q) if o.credit < 1])


def answer_file(fw: Framework, row: tuple[Any, ...], date: dt.date, in_place: str) -> str:
    name, urn, la, kind, sixth_form, *_ = row
    wanted = set(in_place.split())
    answers = {}
    for bench in fw.benchmarks:
        rng = random.Random(f"6-{name}-{date.isoformat()}-{bench.id}")
        for q in bench.questions():
            value = best(fw, q, sixth_form) if bench.id in wanted else partial(fw, q, sixth_form, rng)
            if value is not None:
                answers[q.id] = value
        if bench.id not in wanted:
            # keep the benchmark short of fully achieved: its first scored question falls short
            scored = [q for q in bench.questions() if q.is_scored and best(fw, q, sixth_form) is not None]
            if scored and all(answers.get(q.id) == best(fw, q, sixth_form) for q in scored):
                answers[scored[0].id] = short_of_best(fw, scored[0], sixth_form, rng)
    doc = {
        "format": 1,
        "framework": fw.id,
        "institution": {"name": name, "urn": urn, "type": kind, "local_authority": la,
                        "sixth_form": sixth_form and any(g.sixth_form for g in fw.meta.groups)},
        "evaluation": {"date": date, "completed_by": {"name": "Careers leader", "role": "Careers leader"}},
        "answers": answers,
    }
    if urn is None:
        doc["institution"] = {k: v for k, v in doc["institution"].items() if k != "urn"}
        doc["institution"]["ukprn"] = "10099999"
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)


#: The framework each kind of institution is evaluated with: a mixed hub, as in the North East.
FRAMEWORK_OF = {"school": "gatsby-2025-schools", "special_school": "gatsby-2025-special",
                "college": "gatsby-2025-colleges"}


def main() -> None:
    if HUB.exists():
        shutil.rmtree(HUB)
    for row in INSTITUTIONS:
        name, urn, la, kind, _, autumn, spring = row
        fw = load_framework(FRAMEWORK_OF[kind])
        folder = HUB / la.lower().replace(" ", "-")
        folder.mkdir(parents=True, exist_ok=True)
        slug = name.lower().replace(" ", "-")
        (folder / f"{slug}-2025-autumn.yaml").write_text(answer_file(fw, row, AUTUMN, autumn), encoding="utf-8")
        if spring is not None:
            (folder / f"{slug}-2026-spring.yaml").write_text(answer_file(fw, row, SPRING, spring), encoding="utf-8")
    (HUB / "york" / "half-saved.yaml").write_text(
        "format: 1\nframework: gatsby-2025-schools\ninstitution:\n  name: Half Saved School\n"
        "  urn: \"990299\"\nevaluation:\n  date: 2026-03-18\nanswers:\n  B1.1.1: yes\n   B1.1.2: trained\n",
        encoding="utf-8",
    )
    (HUB / "README.md").write_text(
        "# Hub answer files\n\nOne folder per local authority; one file per institution and term.\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
