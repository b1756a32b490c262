"""``compass publish``: the careers page for the school or college website, from an evaluation.

The page's items are the framework's (core/publishing.py builds a Publication); its words
are output/publication.py's, rendered by the templates. What the website still lacks is
marked on the page and listed on stderr, so the careers leader sees it at once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from compass_cli.cli.options import (
    FrameworksOption,
    PartialCreditOption,
    PublishFormat,
    format_option,
    frameworks_search,
    output_format,
    output_option,
    previous_option,
    templates_option,
)
from compass_cli.errors import UsageError
from compass_cli.text import terminal


def publish(
    answers: Annotated[Path, typer.Argument(
        metavar="FILE", help="The answer file (YAML or JSON) of the latest evaluation.", show_default=False,
    )],
    previous: Annotated[Path | None, previous_option(
        "An earlier answer file of the same school or college, whose scores are shown beside these.",
    )] = None,
    format: Annotated[PublishFormat | None, format_option(PublishFormat, "md")] = None,
    output: Annotated[Path | None, output_option(PublishFormat)] = None,
    standalone: Annotated[bool, typer.Option(
        "--standalone", help="A whole HTML page, rather than a part to paste into your website.",
    )] = False,
    templates: Annotated[Path | None, templates_option("publish.html.j2, publish-page.html.j2, publish.md.j2")] = None,
    partial_credit: PartialCreditOption = 0.0,
    search: FrameworksOption = None,
) -> None:
    """Write the careers page for your website: what you must publish, and your results.

    The careers leader's name and contact details, the programme, how to find out more,
    how the programme's impact is measured, the date of the next review and (for a school)
    the provider access policy statement, each from the answer file's institution section,
    with what the website still lacks marked. Then each benchmark's score now, at the
    previous evaluation and nationally, with the number fully achieved.

    The HTML is a part to paste into your website's editor (no scripts, nothing fetched);
    --standalone makes it a whole page. Markdown suits a website that takes Markdown.

    Examples:
      compass publish answers.yaml -o careers.html
      compass publish answers.yaml --previous last-term.yaml -o careers.md
      compass publish answers.yaml --standalone -o careers.html
    """
    from compass_cli.core.evaluation import evaluate
    from compass_cli.core.publishing import ItemStatus, build_publication
    from compass_cli.files import check_output, write_atomic
    from compass_cli.output.publication import checklist, render_publication
    from compass_cli.output.report import institution_named

    output = check_output(output, [answers] + ([previous] if previous is not None else []))
    fmt = output_format(output, format, PublishFormat, PublishFormat.md)
    if standalone and fmt is not PublishFormat.html:
        raise UsageError("--standalone makes a whole HTML page; write HTML (-o careers.html, or --format html)")

    found = frameworks_search(search)
    current = evaluate(answers, frameworks=found, partial_credit=partial_credit)
    earlier = evaluate(previous, frameworks=found, partial_credit=partial_credit) if previous is not None else None
    publication = build_publication(current, earlier)
    if earlier is not None and earlier.result.institution.key != current.result.institution.key:
        place = current.framework.meta.words(current.result.institution.type).institution
        typer.echo(f"note: {previous} is for '{terminal(institution_named(earlier.result.institution))}', which does "
                   f"not look like the same {place} (its reference number, name or site differ).", err=True)
    if earlier is not None and earlier.result.framework != current.result.framework:
        typer.echo(f"note: {previous} uses framework '{earlier.result.framework}', not "
                   f"'{current.result.framework}'; benchmarks are compared by number.", err=True)

    form = ("page" if standalone else "html") if fmt is PublishFormat.html else "md"
    text = render_publication(publication, form, templates)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)

    lines = checklist(publication)
    typer.echo(terminal(f"{f'Wrote {output}' if output is not None else 'The careers page'}: {lines[0]}"), err=True)
    for line in lines[1:]:
        typer.echo(terminal(line), err=True)
    if any(i.status is not ItemStatus.given for i in publication.items):
        typer.echo(f"Add them under institution in {answers} (or: compass audit {answers} --review --at institution), "
                   "then run compass publish again.", err=True)
