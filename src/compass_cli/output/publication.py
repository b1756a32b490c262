"""The careers page in words: a Publication (core/publishing.py) as an HTML fragment, a whole page, or Markdown.

The fragment pastes into any school or college website editor: headings from h2, real tables
with captions and header cells, links only to the web addresses the answer file gives (http
and https, checked when the file is read), no scripts, nothing fetched, a few inline styles.
``page`` wraps the same fragment in a page of its own (``compass publish --standalone``).
Every figure and every sentence is put into words here, in the setting's own words (a
college's page speaks of learners), so a template only lays things out. No I/O.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compass_cli.core.institution import FIELDS
from compass_cli.core.models import InstitutionFieldName, NationalYear, Words, phone_digits
from compass_cli.core.publishing import FieldValue, ItemStatus, Publication, PublishedItem
from compass_cli.output.report import national_note
from compass_cli.text import every, long_date, percent, quantity, short_date

#: The template of each form: the fragment, a whole page around it, and Markdown.
TEMPLATES = {"fragment": "publish.html.j2", "page": "publish-page.html.j2", "md": "publish.md.j2"}


def build_context(publication: Publication) -> dict[str, Any]:
    """Everything the careers page shows, in words."""
    result, fw = publication.result, publication.framework
    inst = result.institution
    words = fw.meta.words(inst.type)
    return {
        "institution": {"name": inst.name or "(institution not named)", "urn": inst.urn, "ukprn": inst.ukprn,
                        "site": inst.site, "type": result.type_label or inst.type},
        "words": words.model_dump(),
        "title": _fill(words, publication.section.title),
        "summary": _fill(words, publication.section.summary) if publication.section.summary else "",
        "evaluation": {"date": result.date.isoformat(), "date_long": long_date(result.date)},
        "items": [_item(found, words) for found in publication.items],
        "results": _results(publication),
        "next_review": long_date(publication.next_review),
        "missing": len(publication.missing),
    }


def _item(found: PublishedItem, words: Words) -> dict[str, Any]:
    item = found.item
    return {
        "id": item.id,
        "label": _fill(words, item.label),
        "heading": _fill(words, item.heading),
        "text": _fill(words, item.text) if item.text else "",
        "status": found.status.value,
        "status_label": found.status.label,
        "given": found.status is ItemStatus.given,
        "duty": found.duty.value,
        "duty_label": found.duty.label,
        "who": " ".join(item.who.split()),
        "source": " ".join(item.source.split()),
        "shown": [_value(v) for v in found.values],
        "evaluation": item.evaluation.value if item.evaluation else "",
        "website": item.website.question if item.website else "",
        "on_website": found.on_website,
        #: the fields the answer file lacks, each need as "the careers leader's email or phone (careers_leader_email
        #: or careers_leader_phone)"
        "lacks": [_need(need) for need in found.missing],
        "note": _note(found),
    }


def _fill(words: Words, text: str) -> str:
    """The framework's text in the setting's words; ``{group}`` is what one of its groups is called ("year group")."""
    return words.fill(text, group=words.group)


def _need(need: tuple[InstitutionFieldName, ...]) -> str:
    """One need in words, with the answer-file keys that meet it."""
    return (" or ".join(f"the {FIELDS[f].ref}" for f in need)
            + " (" + " or ".join(FIELDS[f].key for f in need) + ")")


def _note(found: PublishedItem) -> str:
    """What the careers leader is told where an item is not given: what is missing, and how to add it."""
    if found.status is ItemStatus.given:
        return ""
    add = (f"add {every([_need(need) for need in found.missing])} under institution in the answer file, then run "
           "compass publish again")
    if found.status is ItemStatus.on_website:
        ref = found.item.website.question if found.item.website else ""
        return f"Your evaluation ({ref}) says the website shows this already. To show it here too, {add}."
    return f"The website still lacks this. To show it here, {add}."


def _value(v: FieldValue) -> dict[str, str]:
    """A field as the page shows it, with the link it carries: mailto:, tel: (+44 and the digits) or the address."""
    href = ""
    if v.shown_as == "email":
        href = f"mailto:{v.value}"
    elif v.shown_as == "phone":
        digits = phone_digits(v.value)
        href = f"tel:+44{digits[1:]}" if digits else ""
    elif v.shown_as == "link":
        href = v.value
    return {"field": v.field.value, "label": v.label or "", "value": v.value, "href": href, "shown_as": v.shown_as}


def _national_note(year: NationalYear, by_benchmark: bool) -> str:
    what = (f"the share of schools and colleges that fully achieved each benchmark in {year.year}, and the "
            "average number of benchmarks they fully achieved" if by_benchmark else
            f"the average number of benchmarks schools and colleges fully achieved in {year.year}")
    count = f", across {year.institutions_text} schools and colleges" if year.institutions_text else ""
    return f"National: {what} ({year.source}{count}). A share of institutions is a different measure from a score."


def _results(publication: Publication) -> dict[str, Any]:
    """The results table: each benchmark now, last time and nationally, each column dated, and the number achieved."""
    result, before = publication.result, publication.previous
    year, latest, national = publication.national_year, publication.latest_national, publication.national
    total = len(result.benchmarks)
    by_benchmark = year is not None and bool(year.percent_achieving)
    return {
        "caption": "Our Gatsby Benchmark scores" + (", now and at our previous evaluation" if before else "")
                   + (", beside the national figures" if by_benchmark else ""),
        #: each column's date, short enough for a phone's width, and in full
        "now": short_date(result.date),
        "now_long": long_date(result.date),
        "previous": short_date(before.date) if before is not None else "",
        "previous_long": long_date(before.date) if before is not None else "",
        "same_framework": before is None or before.framework == result.framework,
        "previous_framework": before.framework_title if before is not None else "",
        "national": year.year if year is not None else "",
        "by_benchmark": by_benchmark,
        "rows": [
            {"id": b.id, "title": b.title, "score": percent(b.score), "achieved": b.achieved,
             "previous": percent(b.previous) if before is not None else "",
             "national": percent(b.national) if by_benchmark else ""}
            for b in publication.results
        ],
        "achieved": f"{result.benchmarks_achieved} of {total}",
        "previous_achieved": f"{before.benchmarks_achieved} of {len(before.benchmarks)}" if before is not None else "",
        "national_achieved": f"{year.average_achieved:g} on average" if year is not None else "",
        "national_note": _national_note(year, by_benchmark) if year is not None else "",
        "edition_note": national_note(national, publication.framework),
        "latest_note": (f"The latest national average, from {latest.year}, is {latest.average_achieved:g} benchmarks "
                        f"fully achieved ({latest.source})." if latest is not None else ""),
    }


def checklist(publication: Publication) -> list[str]:
    """What the careers leader reads on the screen after ``compass publish``: how many items are given, each one
    that is not, and what the framework's institutions are not asked to publish, in the setting's words."""
    words = publication.framework.meta.words(publication.result.institution.type)
    counts = {status: sum(1 for i in publication.items if i.status is status) for status in ItemStatus}
    lines = [f"{quantity(len(publication.items), 'item')}: {counts[ItemStatus.given]} given, "
             f"{counts[ItemStatus.on_website]} on the website already but not in the answer file, "
             f"{counts[ItemStatus.missing]} missing."]
    for found in publication.items:
        if found.status is not ItemStatus.given:
            add = every([_need(n) for n in found.missing])
            lines.append(f"  {found.status.label}: {_fill(words, found.item.label)}. Add {add}.")
    for absent in publication.not_required:
        lines.append(f"  Not asked: {_fill(words, absent.label)}. {_fill(words, absent.why)}")
    return lines


def render_publication(publication: Publication, fmt: str = "html", templates: Path | None = None) -> str:
    """The careers page as text: "html" (the fragment to paste into a website), "page" (a whole HTML page around
    it) or "md" (Markdown). ``templates``: a folder of the user's own templates, as for the report."""
    if fmt == "html":
        fmt = "fragment"
    if fmt not in TEMPLATES:
        raise ValueError(f"a careers page is written as html, page or md, not {fmt!r}")
    from compass_cli.output import templating  # Jinja2 only when a page is asked for

    return templating.render(templating.environment(templates), TEMPLATES[fmt], build_context(publication))
