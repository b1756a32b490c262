"""From a scored evaluation to a prioritised action plan.

A careers leader cannot do every suggested action at once, so the plan puts first the
actions most likely to move the headline figure (benchmarks fully achieved) for the least
effort. Every criterion that is not yet achieved is placed in one of four priority bands,
from two questions: would achieving it complete its benchmark (it is the only criterion
left there)? and is it nearly there (at most ``NEARLY_THERE`` things still missing: unmet
answers, in plain words, plus questions not yet answered)?

1. **Completes a benchmark**: both.
2. **Nearly there**: nearly there, but the benchmark needs other criteria too.
3. **Last step to a benchmark**: completes a benchmark, but more is missing.
4. **Longer term**: neither.

Within a band, quick wins come before moderate and major actions (the effort level is data
in the questionnaire), then criteria with fewer things missing, then benchmarks with fewer
criteria left to achieve, then framework order, so the same evaluation always gives the
same plan. Owner and achieve-by date can be preset in the answer file's notes: the
criterion's note first (it is about the whole criterion, which is what the actions serve),
then the notes of its questions in order, then the benchmark's note.

Pure functions: no I/O, no user interface.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import IntEnum

from pydantic import BaseModel

from compass_cli.models import Effort, Framework, Note, Result, Status

#: A criterion with at most this many things missing is "nearly there".
NEARLY_THERE = 2

EFFORT_ORDER = {Effort.quick_win: 0, Effort.moderate: 1, Effort.major: 2}

#: What the careers leader starts from in the status column.
DEFAULT_STATUS = "Not started"


class Band(IntEnum):
    """Priority bands, most urgent first."""

    completes_benchmark = 1
    nearly_there = 2
    last_step = 3
    longer_term = 4

    @property
    def label(self) -> str:
        return {
            1: "Completes a benchmark",
            2: "Nearly there",
            3: "Last step to a benchmark",
            4: "Longer term",
        }[self.value]

    @property
    def description(self) -> str:
        """What puts a criterion in this band, in a few words for the report."""
        return {
            1: "the last criterion left in its benchmark, and nearly there",
            2: f"{NEARLY_THERE} things or fewer missing",
            3: "the last criterion left in its benchmark, with more to do",
            4: "the benchmark needs other criteria too, and more is missing",
        }[self.value]


class PlannedAction(BaseModel):
    """One row of the action plan."""

    rank: int
    band: Band
    benchmark: str
    benchmark_title: str
    criterion: str
    criterion_status: Status
    missing: int
    criteria_left: int
    action: str
    effort: Effort
    success_measure: str
    owner: str | None = None
    due: dt.date | None = None
    status: str = DEFAULT_STATUS


class Plan(BaseModel):
    """The prioritised actions, and the criteria that could not be planned for yet."""

    actions: list[PlannedAction]
    #: Criteria that apply but have no answers yet: answer them before trusting the plan.
    unanswered_criteria: list[str]

    def count(self, band: Band) -> int:
        return sum(1 for a in self.actions if a.band is band)


def _preset(notes: Mapping[str, Note], keys: list[str], field: str) -> object | None:
    """The first note (most specific key first) that sets ``field``."""
    for key in keys:
        note = notes.get(key)
        value = getattr(note, field) if note is not None else None
        if value:
            return value
    return None


def plan(result: Result, framework: Framework, notes: Mapping[str, Note] | None = None) -> Plan:
    """The prioritised action plan of one evaluation (see the module docstring for the order)."""
    notes = notes or {}
    criteria = {c.id: c for c in framework.criteria()}
    rows: list[tuple[tuple[int, ...], PlannedAction]] = []
    unanswered: list[str] = []
    order = 0
    for bench in result.benchmarks:
        # Criteria that count against the benchmark: scored and not achieved, or applicable
        # but unanswered (the same reading as scoring).
        left = [c for c in bench.criteria if c.applies and c.status is not Status.achieved]
        for crit in bench.criteria:
            if crit.status is Status.unscored:
                if crit.unanswered:
                    unanswered.append(crit.id)
                continue
            if crit.status is Status.achieved:
                continue
            missing = len(crit.gaps) + len(crit.unanswered)
            completes, near = len(left) == 1, missing <= NEARLY_THERE
            if completes and near:
                band = Band.completes_benchmark
            elif near:
                band = Band.nearly_there
            elif completes:
                band = Band.last_step
            else:
                band = Band.longer_term
            definition = criteria[crit.id]
            keys = [crit.id] + [q.id for q in definition.questions] + [bench.id]
            owner = _preset(notes, keys, "owner")
            due = _preset(notes, keys, "due")
            for action in definition.actions:
                order += 1
                key = (band.value, EFFORT_ORDER[action.effort], missing, len(left), order)
                rows.append((key, PlannedAction(
                    rank=0,
                    band=band,
                    benchmark=bench.id,
                    benchmark_title=bench.title,
                    criterion=crit.id,
                    criterion_status=crit.status,
                    missing=missing,
                    criteria_left=len(left),
                    action=" ".join(action.text.split()),
                    effort=action.effort,
                    success_measure=" ".join(action.evidence.split()),
                    owner=str(owner) if owner else None,
                    due=due if isinstance(due, dt.date) else None,
                )))
    rows.sort(key=lambda pair: pair[0])
    actions = [row.model_copy(update={"rank": i}) for i, (_, row) in enumerate(rows, start=1)]
    return Plan(actions=actions, unanswered_criteria=unanswered)
