"""``compass records``: coverage, answers and gaps from a school's activity records.

A thin shell over records.py (reading and counting), records_output.py (formats) and
records_fill.py (the answer file). Exit codes: 0 every row read; 1 done, but some rows
were wrong (each listed with file and line, the rest counted), or a file could not be
saved; 2 a file could not be read at all, or a usage error.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from compass_cli.errors import UsageError

if TYPE_CHECKING:
    from compass_cli.core.records.coverage import Coverage, Evaluation
    from compass_cli.core.records.spreadsheets import ProblemLog

app = typer.Typer(
    name="records",
    help=(
        "Coverage of each entitlement (an employer encounter every year, two workplace experiences by 16 ...) "
        "from your pupils and activity spreadsheets, answers filled from them, and the pupils still waiting. "
        "Start with: compass records template -o records/"
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class CoverageFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


PUPILS_ARG = typer.Argument(
    ..., metavar="PUPILS", help="The pupils file (CSV: pupil_id, year_group, optional flags).", show_default=False
)
ACTIVITIES_ARG = typer.Argument(
    ..., metavar="ACTIVITIES",
    help="One or more activity files (CSV: pupil_id, date, activity, days, meaningful, provider).",
    show_default=False,
)
FRAMEWORK = typer.Option(None, "--framework", "-f", help="Framework id or folder (default gatsby-2025-schools).")
MAPPING = typer.Option(None, "--mapping", "-m", help="A mapping file for other exports' column names and labels.")
YEAR = typer.Option(None, "--year", help="Measure as of the end of this academic year, e.g. 2025/26.")
AS_OF = typer.Option(None, "--as-of", help="Measure as of this date (2026-11-20 or 20/11/2026). Default: today.")


def _measure(framework: str | None, pupils: Path, activities: list[Path], mapping: Path | None,
             year: str | None, as_of: str | None, default: dt.date | None = None) -> tuple[Coverage, Evaluation]:
    from compass_cli.core.records.coverage import as_of_date, measure
    from compass_cli.core.records.rules import load_rules
    from compass_cli.core.records.spreadsheets import load_mapping

    rules = load_rules(framework)
    day = as_of_date(rules, year, as_of, default or dt.date.today())
    return measure(rules, pupils, activities, load_mapping(mapping, rules), day)


def _problems(log: ProblemLog) -> None:
    """Every row problem on stderr, then exit 1 (the output above is still right for the other rows)."""
    if not log.total:
        return
    err = Console(stderr=True, highlight=False)
    for line in log.lines():
        err.print(Text("error: ", style="bold red") + Text(line), soft_wrap=True)
    noun = "row has" if log.total == 1 else "rows have"
    err.print(f"{log.total:,} {noun} problems and {'was' if log.total == 1 else 'were'} left out; "
              "every other row was counted.", soft_wrap=True)
    raise typer.Exit(1)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from compass_cli.files import write_atomic

    write_atomic(output, text)
    typer.echo(f"Wrote {output}", err=True)


# --------------------------------------------------------------------------- template


def template(
    output: Path = typer.Option(..., "--output", "-o", help="A folder to write pupils.csv, activities.csv and "
                                "mapping.yaml into (made if missing).", show_default=False),
    framework: str = FRAMEWORK,
    force: bool = typer.Option(False, "--force", help="Overwrite the files if they exist."),
) -> None:
    """Write blank pupils.csv and activities.csv with the right columns, and a mapping.yaml to adapt other exports.

    Example: compass records template -o records/
    """
    from compass_cli.core.records.rules import load_rules
    from compass_cli.files import write_atomic
    from compass_cli.output.blank_records import files

    rules = load_rules(framework)
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output} is a file; give a folder")
    texts = files(rules)
    clash = [name for name in texts if (output / name).exists()]
    if clash and not force:
        raise UsageError(f"{', '.join(str(output / n) for n in clash)} exist already; add --force to overwrite")
    output.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        write_atomic(output / name, text)
    typer.echo(f"Wrote {', '.join(str(output / n) for n in texts)}. Fill in the CSV files (or export yours and "
               f"adapt mapping.yaml), then: compass records coverage {output / 'pupils.csv'} "
               f"{output / 'activities.csv'}", err=True)


# --------------------------------------------------------------------------- coverage


def coverage(
    pupils: Path = PUPILS_ARG,
    activities: list[Path] = ACTIVITIES_ARG,
    year: str = YEAR,
    as_of: str = AS_OF,
    framework: str = FRAMEWORK,
    mapping: Path = MAPPING,
    format: CoverageFormat = typer.Option(None, "--format", show_default=False,
                                          help="table (the default), json, csv, md or html. With -o, the file's "
                                          "ending chooses."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of the screen."),
    exact: bool = typer.Option(False, "--exact", help="Show counts below 5 in the table (your own screen only; "
                               "every other format withholds them)."),
    templates: Path = typer.Option(None, "--templates", help="A folder whose records.md.j2 / records.html.j2 "
                                   "replace the bundled ones."),
) -> None:
    """Per entitlement and year group: pupils who have it, the percent and the answer band. Counts only.

    The same is shown for each group of pupils (SEND, disadvantaged ...), so gaps between them show.

    Counts below 5 are shown as "fewer than 5" (as schools do for published statistics).

    Examples: compass records coverage pupils.csv activities.csv --as-of 2026-11-20 ·
    compass records coverage pupils.csv activities.csv --year 2025/26 -o coverage.html
    """
    from compass_cli.files import format_of
    from compass_cli.output import records as records_output

    fmt = format.value if format is not None else (format_of(output) if output is not None else None) or "table"
    if output is not None and fmt == "table":
        raise UsageError("the table is for the screen; for a file choose --format json, csv, md or html "
                         "(or a file name ending .json, .csv, .md or .html)")
    if exact and fmt != "table":
        raise UsageError("--exact is for the table on your own screen; other formats always withhold counts below 5")
    result, _ = _measure(framework, pupils, activities, mapping, year, as_of)
    if fmt == "table":
        _print_table(result, suppress=not exact)
    elif fmt == "json":
        _write(records_output.to_json(result), output)
    elif fmt == "csv":
        _write(records_output.to_csv(result), output)
    else:
        _write(records_output.render(result, fmt, templates), output)
    _problems(result.problems)


def _print_table(result: Coverage, suppress: bool) -> None:
    from compass_cli.output.records import coverage_context

    ctx = coverage_context(result, suppress)
    out = Console(highlight=False)
    p, a = ctx["pupils"], ctx["activities"]
    out.print(Text(f"Activity records as of {ctx['as_of_text']} ({ctx['academic_year']})", style="bold")
              + Text(f"  {ctx['framework']}"))
    out.print(f"{p['counted']} pupils counted of {p['in_file']} in the file"
              + (f" ({p['left']} left)" if p["left"] else "")
              + f"; {a['counted']:,} of {a['rows']:,} activity rows counted"
              + (f", {a['after_as_of']:,} after the as-of date" if a["after_as_of"] else ""))
    flags = ctx["flags"]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Entitlement", ratio=1, overflow="fold")
    table.add_column("Year", no_wrap=True)
    table.add_column("Have", justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    table.add_column("Band", no_wrap=True)
    split = Table(title="Percent who have it, by group of pupils", title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False)
    split.add_column("Entitlement", no_wrap=True)
    split.add_column("Year", no_wrap=True)
    split.add_column("All", justify="right", no_wrap=True)
    for f in flags:
        split.add_column(f["label"], justify="right")
    hidden = []
    for ent in ctx["entitlements"]:
        views = [v for v in ent["groups"] if v["pupils"] != 0]
        if not ent["measurable"] or not views:
            hidden.append(ent)
            continue
        title = Text(f"{ent['criterion']} ", style="bold") + Text(ent["text"])
        for n, v in enumerate(views):
            last = n == len(views) - 1
            table.add_row(title if n == 0 else "", v["group"], _have(v),
                          "" if v["percent"] is None else f"{v['percent']}%", v["band"] or "", end_section=last)
            cells = [_pct(w) for f in ent["flags"] for w in f["groups"] if w["group"] == v["group"]]
            split.add_row(ent["id"] if n == 0 else "", v["group"], _pct(v), *cells, end_section=last)
    out.print(table)
    if flags:
        out.print(split)
    for ent in hidden:
        why = ent["reason"] or "no pupils in " + ", ".join(v["group"] for v in ent["groups"])
        out.print(Text(f"Not measured: {ent['criterion']} {ent['text']}: {why}", style="dim"), soft_wrap=True)
    if suppress:
        out.print("[dim]<5: fewer than 5 pupils, withheld (add --exact to see them on your own screen).[/dim]")


def _have(v: dict) -> str:
    if v["suppressed"]:
        return "<5" if v["pupils"] is None else f"<5/{v['pupils']}"
    return f"{v['have']}/{v['pupils']}"


def _pct(v: dict) -> str:
    if v["pupils"] == 0:
        return ""
    return "<5" if v["percent"] is None else f"{v['percent']}%"


# --------------------------------------------------------------------------- fill


def fill(
    answers: Path = typer.Argument(..., metavar="ANSWERS", help="The answer file to fill (YAML).",
                                   show_default=False),
    pupils: Path = PUPILS_ARG,
    activities: list[Path] = ACTIVITIES_ARG,
    year: str = YEAR,
    as_of: str = typer.Option(None, "--as-of", help="Measure as of this date. Default: the evaluation's date."),
    mapping: Path = MAPPING,
    output: Path = typer.Option(None, "--output", "-o", help="Write the filled answer file here instead of "
                                "updating ANSWERS."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would change."),
) -> None:
    """Write the share answers the records support into an answer file, each with a note of the counts.

    Answers the records cannot support are left alone, and so is every other answer and note.
    The file is rewritten as 'compass audit' writes it (comments typed by hand are not kept).

    Example: compass records fill answers.yaml pupils.csv activities.csv
    """
    from compass_cli.audit.saving import answer_file_text, check_writable
    from compass_cli.core.loading import load_answers
    from compass_cli.core.records.fill import fill as fill_answers
    from compass_cli.files import write_atomic

    target = output or answers
    loaded, fw = load_answers(answers)
    if not dry_run:
        check_writable(target)
    result, _ = _measure(fw.id, pupils, activities, mapping, year, as_of, loaded.model.evaluation.date)
    filled = fill_answers(result, fw, loaded.model, loaded.answers)
    out = Console(highlight=False)
    for c in filled.changes:
        out.print(f"{c.question} {c.group}: {c.old or '(unanswered)'} → [bold]{c.new}[/bold], from {c.evidence}")
    if filled.unchanged:
        out.print("Unchanged: " + ", ".join(f"{c.question} {c.group} ({c.new})" for c in filled.unchanged),
                  soft_wrap=True)
    for s in filled.skipped:
        out.print(Text(f"Not filled: {s.question} {', '.join(s.groups)}: {s.reason}", style="dim"), soft_wrap=True)
    if dry_run:
        out.print(f"Dry run: {target} is unchanged.")
    else:
        write_atomic(target, answer_file_text(fw, filled.model, filled.answers))
        n = len(filled.changes)
        out.print(f"Wrote {target}: {n} answer{'s' if n != 1 else ''} changed, notes on "
                  f"{', '.join(filled.questions) or 'no questions'} (as of {result.as_of.isoformat()}). "
                  f"Score it with: compass score {target}", soft_wrap=True)
    _problems(result.problems)


# --------------------------------------------------------------------------- gaps


def gaps(
    pupils: Path = PUPILS_ARG,
    activities: list[Path] = ACTIVITIES_ARG,
    year: str = YEAR,
    as_of: str = AS_OF,
    framework: str = FRAMEWORK,
    mapping: Path = MAPPING,
    benchmark: str = typer.Option(None, "--benchmark", "-b", help="Only this benchmark's entitlements, e.g. B5."),
    year_group: str = typer.Option(None, "--year-group", "-y", help="Only this year group, e.g. Y9."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the CSV here instead of to the screen."),
) -> None:
    """The pupils who do not yet have each entitlement, by year group, with what they still need (a CSV for tutors).

    This is the ONLY compass command that prints pupil ids: it is personal data, so keep its
    output on the school's own systems and share it only with the staff who act on it.

    Example: compass records gaps pupils.csv activities.csv --benchmark B5 -o b5-gaps.csv
    """
    from compass_cli.core.records.coverage import gaps as find_gaps
    from compass_cli.output.records import gaps_csv

    result, evaluation = _measure(framework, pupils, activities, mapping, year, as_of)
    rules = result.rules
    bench = None
    if benchmark:
        bench = benchmark.strip().upper()
        known = sorted({e.benchmark for e in rules.entitlements}, key=lambda b: (len(b), b))
        if bench not in known:
            raise UsageError(f"no entitlements for benchmark '{benchmark}' (they cover {', '.join(known)})")
    if year_group and year_group not in rules.groups:
        raise UsageError(f"unknown year group '{year_group}' (year groups: {', '.join(rules.groups)})")
    found = find_gaps(result, evaluation, bench, year_group)
    _write(gaps_csv(found), output)
    if output is not None:
        typer.echo(f"{len(found):,} missing entitlements listed. This file names pupils: keep it on the school's "
                   "systems.", err=True)
    _problems(result.problems)


def register(parent: typer.Typer) -> None:
    """Add ``compass records ...`` to the compass app."""
    from compass_cli.cli import handle_errors

    for command in (template, coverage, fill, gaps):
        app.command(command.__name__)(handle_errors(command))
    parent.add_typer(app, name="records")
