"""From a scored evaluation to a prioritised action plan.

Every action in the questionnaire names the gap it closes (``addresses``: a question, and
for a checklist its items, for a share question its groups, for a question with options the
answers that fall short). The plan proposes an action only when that gap is there, so a
school that already does something is never told to start doing it. An action that names
several checklist items asks for all of them, so it is proposed only when every one is
unticked; with some ticked, the actions for the unticked items alone are proposed instead.
A gap that no action addresses still gets a plain "close this gap" line, so nothing unmet
is left out.

A question that an earlier answer rules out (no careers leader, so no training question)
is a gap too; only the actions for the whole question are proposed for it, since there is
no answer to narrow them by, and the earlier answer's own actions come first in sense.

A careers leader cannot do everything at once, so the plan puts first the actions most
likely to move the headline figure (benchmarks fully achieved) for the least effort. Every
criterion with a gap is placed in one of four priority bands, from two questions: would
closing its gaps complete its benchmark (it is the only criterion left there)? and is it
nearly there (at most ``NEARLY_THERE`` things missing: gaps plus unanswered questions)?

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

from compass_cli.core.framework import Framework
from compass_cli.core.models import Action, Effort, Gap, Model, Note, Result, Status

#: A criterion with at most this many things missing is "nearly there".
NEARLY_THERE = 2

#: How many actions the report leads with; the rest follow as "later actions".
TOP = 10

EFFORT_ORDER = {Effort.quick_win: 0, Effort.moderate: 1, Effort.major: 2}
#: A gap with no tailored action: its effort is not known, so it sorts with moderate actions.
_UNKNOWN_EFFORT = 1

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


class PlannedAction(Model):
    """One row of the action plan: an action and the gap (or gaps) it closes."""

    rank: int
    band: Band
    benchmark: str
    benchmark_title: str
    criterion: str
    criterion_status: Status
    missing: int
    criteria_left: int
    question: str
    #: The gaps this action closes, in plain words ("Pupils are not given time to reflect ...").
    gaps: list[str]
    action: str
    #: None for the generic "close this gap" line of a gap with no tailored action.
    effort: Effort | None
    success_measure: str
    owner: str | None = None
    due: dt.date | None = None
    status: str = DEFAULT_STATUS

    @property
    def generic(self) -> bool:
        return self.effort is None


class Plan(Model):
    """The prioritised actions, and the criteria that could not be planned for yet."""

    actions: list[PlannedAction]
    #: Criteria that apply but have no answers yet: answer them before trusting the plan.
    unanswered_criteria: list[str]
    #: How many actions lead the report; the rest are "later actions".
    top: int = TOP

    def count(self, band: Band) -> int:
        return sum(1 for a in self.actions if a.band is band)

    @property
    def first(self) -> list[PlannedAction]:
        return self.actions[: self.top]

    @property
    def later(self) -> list[PlannedAction]:
        return self.actions[self.top:]


def closes(action: Action, gap: Gap) -> bool:
    """Does this action close this gap? Its question, narrowed to the answers that fall short."""
    addr = action.addresses
    if addr.question != gap.question:
        return False
    if gap.ruled_out_by:  # not asked: there is no answer to narrow by, so only whole-question actions
        return addr.items is None and addr.groups is None and addr.options is None
    if addr.items is not None:
        return bool(set(addr.items) & set(gap.items))
    if addr.groups is not None:
        return bool(set(addr.groups) & set(gap.groups))
    if addr.options is not None:
        return gap.option in addr.options
    return True


def _preset(notes: Mapping[str, Note], keys: list[str], field: str) -> object | None:
    """The first note (most specific key first) that sets ``field``."""
    for key in keys:
        note = notes.get(key)
        value: object = getattr(note, field) if note is not None else None
        if value:
            return value
    return None


def _band(completes: bool, near: bool) -> Band:
    if completes and near:
        return Band.completes_benchmark
    if near:
        return Band.nearly_there
    return Band.last_step if completes else Band.longer_term


def _asks_only_for_missing(action: Action, unticked: set[tuple[str, str]], chosen: set[tuple[str, str]]) -> bool:
    """An action for checklist items asks for every item it names: propose it only when all
    are unticked, and not when actions naming more items already close all of them."""
    items = action.addresses.items
    if not items:
        return True
    wanted = {(action.addresses.question, item) for item in items}
    return wanted <= unticked and not wanted <= chosen


def _matched(actions: list[Action], gaps: list[Gap]) -> list[tuple[Action | None, list[Gap]]]:
    """Each action with the gaps it closes (in questionnaire order), then, per question, the
    gaps no action closes (one "close this gap" line for a question, however many items).

    Of the actions for checklist items, those naming more items are considered first: one
    action for three unticked items beats three, and it leaves out the actions for each.
    """
    unticked = {(g.question, item) for g in gaps for item in g.items}
    chosen: set[tuple[str, str]] = set()
    proposed: dict[int, list[Gap]] = {}
    for index in sorted(range(len(actions)), key=lambda i: -len(actions[i].addresses.items or ())):
        action = actions[index]
        if not _asks_only_for_missing(action, unticked, chosen):
            continue
        closed = [g for g in gaps if closes(action, g)]
        if closed:
            proposed[index] = closed
            chosen.update((action.addresses.question, item) for item in action.addresses.items or ())
    out: list[tuple[Action | None, list[Gap]]] = [(actions[i], proposed[i]) for i in sorted(proposed)]
    covered = {id(g) for _, closed in out for g in closed}
    open_by_question: dict[str, list[Gap]] = {}
    for g in gaps:
        if id(g) not in covered and not g.ruled_out_by:
            open_by_question.setdefault(g.question, []).append(g)
    out += [(None, found) for found in open_by_question.values()]
    return out


def plan(result: Result, framework: Framework, notes: Mapping[str, Note] | None = None, *, top: int = TOP) -> Plan:
    """The prioritised action plan of one evaluation (see the module docstring for the order)."""
    notes = notes or {}
    criteria = {c.id: c for c in framework.criteria()}
    rows: list[tuple[tuple[int, ...], PlannedAction]] = []
    unanswered: list[str] = []
    order = 0
    for bench in result.benchmarks:
        # criteria standing between this benchmark and 100%: a gap, or a question still to answer
        left = [c for c in bench.criteria if c.gaps or c.unanswered]
        for crit in bench.criteria:
            if not crit.gaps:
                if crit.unanswered:
                    unanswered.append(crit.id)  # nothing to plan until it is answered
                continue
            missing = len(crit.gaps) + len(crit.unanswered)
            band = _band(len(left) == 1, missing <= NEARLY_THERE)
            definition = criteria[crit.id]
            keys = [crit.id] + [q.id for q in definition.questions] + [bench.id]
            owner = _preset(notes, keys, "owner")
            due = _preset(notes, keys, "due")
            for action, gaps in _matched(definition.actions, crit.gaps):
                order += 1
                effort = action.effort if action is not None else None
                rank_effort = EFFORT_ORDER[effort] if effort is not None else _UNKNOWN_EFFORT
                key = (band.value, rank_effort, missing, len(left), order)
                texts = [g.text for g in gaps]
                rows.append((key, PlannedAction(
                    rank=0,
                    band=band,
                    benchmark=bench.id,
                    benchmark_title=bench.title,
                    criterion=crit.id,
                    criterion_status=crit.status,
                    missing=missing,
                    criteria_left=len(left),
                    question=gaps[0].question,
                    gaps=texts,
                    action=" ".join(action.text.split()) if action else _generic(texts),
                    effort=effort,
                    success_measure=(
                        " ".join(action.evidence.split()) if action
                        else "The answer to " + gaps[0].question + " earns full credit at the next evaluation."
                    ),
                    owner=str(owner) if owner else None,
                    due=due if isinstance(due, dt.date) else None,
                )))
    rows.sort(key=lambda pair: pair[0])
    actions = [row.model_copy(update={"rank": i}) for i, (_, row) in enumerate(rows, start=1)]
    return Plan(actions=actions, unanswered_criteria=unanswered, top=top)


def _generic(gaps: list[str]) -> str:
    """The line for gaps that no action in the questionnaire addresses."""
    if len(gaps) == 1:
        return f"Close this gap: {gaps[0]}"
    return "Close these gaps: " + " ".join(gaps)
