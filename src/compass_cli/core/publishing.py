"""The careers page of the institution's website as one typed object: what ``compass publish`` shows, as data.

What a school or college publishes about its careers programme is the framework's own
(framework.yaml ``publish``: each item, who must publish it and the source, in the setting's
words). A :class:`Publication` holds, for one evaluation, each item that applies to this
institution with its values from the answer file's institution section (the careers leader,
the links) or from the evaluation (the results, the date of the next review), and whether it
is given, shown on the website already by the evaluation's own answer (B1.3.5 says what the
careers page shows), or missing; and the results: each benchmark's score now, at the previous
evaluation and nationally, with the number fully achieved. output/publication.py puts it into
words. Pure functions: no I/O, no words beyond the framework's and the answer file's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from compass_cli.core.evaluation import ScoredEvaluation
from compass_cli.core.framework import Framework
from compass_cli.core.institution import FIELDS
from compass_cli.core.kinds import FULL
from compass_cli.core.models import (
    Duty,
    Institution,
    InstitutionFieldName,
    NationalFigures,
    NationalYear,
    NotPublished,
    PublishItem,
    PublishSection,
    Result,
    WebsiteShows,
)
from compass_cli.core.reporting import BenchmarkFigures, benchmark_figures
from compass_cli.core.scoring import Asked, answer_credit, condition_state, question_states
from compass_cli.core.terms import next_snapshot
from compass_cli.errors import UsageError


class ItemStatus(str, Enum):
    """Where one item of the careers page stands."""

    #: the answer file holds everything it needs: the page shows it
    given = "given"
    #: the answer file does not hold it, but the evaluation says the website shows it already
    on_website = "on_website"
    #: neither: the website still lacks it
    missing = "missing"

    @property
    def label(self) -> str:
        return {"given": "Given", "on_website": "On the website already", "missing": "Missing"}[self.value]


@dataclass(frozen=True)
class FieldValue:
    """One institution field as the page shows it."""

    field: InstitutionFieldName
    #: the label before it ("Email"), or the text of its link; None for a name or a role
    label: str | None
    value: str
    #: "text", "email", "phone" or "link" (institution.FIELDS)
    shown_as: str


@dataclass(frozen=True)
class PublishedItem:
    """One item of the careers page for this institution: its values, and whether it is given."""

    item: PublishItem
    #: how firmly an institution of this type is asked to publish it
    duty: Duty
    status: ItemStatus
    values: tuple[FieldValue, ...]
    #: each need the answer file does not meet: the fields, any one of which would do
    missing: tuple[tuple[InstitutionFieldName, ...], ...]
    #: what the evaluation says the website shows (None: the framework does not ask, or it is not answered)
    on_website: bool | None


@dataclass(frozen=True)
class Publication:
    """One evaluation's careers page (see the module docstring)."""

    current: ScoredEvaluation
    previous: Result | None
    section: PublishSection
    items: tuple[PublishedItem, ...]
    #: what this framework's institutions are not asked to publish, and why
    not_required: tuple[NotPublished, ...]
    #: each benchmark now, at the previous evaluation and nationally (the shares of :attr:`national_year`)
    results: tuple[BenchmarkFigures, ...]
    #: the one year whose national figures sit beside the results (its shares and its average), if any
    national_year: NationalYear | None
    #: the latest national average, when it is of a later year than :attr:`national_year`
    latest_national: NationalYear | None

    @property
    def result(self) -> Result:
        return self.current.result

    @property
    def framework(self) -> Framework:
        return self.current.framework

    @property
    def national(self) -> NationalFigures | None:
        return self.framework.national

    @property
    def next_review(self) -> dt.date:
        """When the information is next reviewed: the national snapshot after this evaluation's, when the next
        evaluation is due (the report's "evaluate next by")."""
        return next_snapshot(self.result.date)

    @property
    def missing(self) -> tuple[PublishedItem, ...]:
        """The items the website still lacks."""
        return tuple(i for i in self.items if i.status is ItemStatus.missing)


def build_publication(current: ScoredEvaluation, previous: ScoredEvaluation | None = None) -> Publication:
    """The careers page of ``current``, with the scores of ``previous`` beside its own.

    Raises UsageError when the framework says nothing about what to publish (a hub's own framework without a
    ``publish`` section)."""
    fw = current.framework
    section = fw.meta.publish
    if section is None:
        raise UsageError(f"the framework {fw.id} has no publish section, so compass cannot tell what its "
                         "institutions publish on their website (docs/publish.md says how to add one)")
    kind = current.result.institution.type or fw.meta.institution.default_type
    states = question_states(fw, current.answers, current.answer_file.institution.sixth_form)
    items = tuple(found for item in section.items
                  if (found := _item(current, item, kind, states)) is not None)
    national = fw.national
    by_bench = national.latest_by_benchmark if national else None
    year = by_bench or (national.latest if national else None)
    latest = national.latest if national is not None and year is not None and national.latest is not year else None
    return Publication(
        current=current,
        previous=previous.result if previous is not None else None,
        section=section,
        items=items,
        not_required=tuple(section.not_required),
        results=benchmark_figures(current.result, previous.result if previous is not None else None, year),
        national_year=year,
        latest_national=latest,
    )


def _item(current: ScoredEvaluation, item: PublishItem, kind: str, states: Mapping[str, Asked]) -> PublishedItem | None:
    """The item as this institution publishes it, or None when it is not asked of it (another type of
    institution, or its ``when`` does not hold: the provider access duty does not apply)."""
    duty = item.duty.get(kind)
    if duty is None:
        return None
    fw, answers, inst = current.framework, current.answers, current.answer_file.institution
    if item.when is not None and condition_state(item.when, answers, inst.sixth_form, fw) is False:
        return None
    values = tuple(
        FieldValue(shown.field, shown.label, value, FIELDS[shown.field].shown_as)
        for shown in item.fields
        if (value := _given(inst, shown.field)) is not None
    )
    missing = tuple(tuple(need) for need in item.needed() if not any(_given(inst, f) for f in need))
    on_website = _on_website(current, item.website, states) if item.website is not None else None
    if not missing and (values or item.evaluation is not None or item.text):
        status = ItemStatus.given
    elif on_website:
        status = ItemStatus.on_website
    else:
        status = ItemStatus.missing
    if status is not ItemStatus.given and not missing and item.fields:  # nothing needed, nothing given: any will do
        missing = (tuple(shown.field for shown in item.fields),)
    return PublishedItem(item=item, duty=duty, status=status, values=values, missing=missing, on_website=on_website)


def _given(inst: Institution, name: InstitutionFieldName) -> str | None:
    value = getattr(inst, FIELDS[name].key, None)
    return value if isinstance(value, str) and value.strip() else None


def _on_website(current: ScoredEvaluation, shows: WebsiteShows, states: Mapping[str, Asked]) -> bool | None:
    """What the evaluation's answer says about the website: True, False, or None when it is not answered (a
    question not asked, because there is no careers page, says no). ``states``: which questions are asked."""
    fw, answers = current.framework, current.answers
    sixth_form = current.answer_file.institution.sixth_form
    if not states[shows.question].shown:
        return False
    value = answers.get(shows.question)
    if value is None:
        return None
    if shows.item is not None:
        return isinstance(value, list) and shows.item in value
    credit = answer_credit(fw, fw.question(shows.question), value, sixth_form)
    return credit is not None and credit >= FULL
