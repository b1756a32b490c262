"""``compass records``: coverage, answers and gaps from a school's activity records.

A thin shell over core/records/ (reading and counting, the fill), output/records.py (the
formats) and output/terminal/records.py (the tables). Exit codes: 0 every row read; 1 done,
but some rows were wrong (each listed with file and line, the rest counted), or a file
could not be saved; 2 a file could not be read at all, or a usage error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compass_cli.cli.handler import handle_errors
from compass_cli.cli.help import CompassCommand, CompassGroup
from compass_cli.cli.options import (
    CoverageFormat,
    FrameworkOption,
    FrameworksOption,
    file_format,
    format_option,
    frameworks_search,
    output_format,
    output_option,
    templates_option,
    write_or_show,
)
from compass_cli.errors import Reported, UsageError

if TYPE_CHECKING:
    from compass_cli.core.records.coverage import Coverage, PupilEntitlements
    from compass_cli.core.records.rules import Rules
    from compass_cli.core.records.spreadsheets import ProblemLog

app = typer.Typer(
    name="records",
    help=(
        "Coverage of each entitlement (an employer encounter every year, two workplace experiences by 16 ...) "
        "from your pupils and activity spreadsheets, answers filled from them, and the pupils still waiting.\n\n"
        "Examples:\n"
        "  compass records template -o records/\n"
        "  compass records coverage pupils.csv activities.csv"
    ),
    cls=CompassGroup,
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# The arguments and options the records commands share.
Pupils = Annotated[Path, typer.Argument(
    metavar="PUPILS", help="The pupils file (CSV: pupil_id, year_group, optional flags).", show_default=False,
)]
Activities = Annotated[list[Path], typer.Argument(
    metavar="ACTIVITIES...",
    help="One or more activity files (CSV: pupil_id, date, activity, days, meaningful, provider).",
    show_default=False,
)]
MappingOption = Annotated[Path | None, typer.Option(
    "--mapping", "-m", metavar="FILE", show_default=False,
    help="A mapping file for other exports' column names, labels and yes/no words.")]
YearOption = Annotated[str | None, typer.Option(
    "--year", metavar="YEAR", show_default=False, help="Measure as of the end of this academic year, e.g. 2025/26.")]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", metavar="DATE", show_default="today", help="Measure as of this date (2026-11-20 or 20/11/2026).")]


def _measure(rules: Rules, pupils: Path, activities: list[Path], mapping: Path | None, year: str | None,
             as_of: str | None, default: dt.date | None = None) -> tuple[Coverage, PupilEntitlements]:
    """Read the records and count who has each entitlement, as of the day the flags say."""
    from compass_cli.core.records.coverage import as_of_date, measure
    from compass_cli.core.records.spreadsheets import load_mapping

    day = as_of_date(rules, year, as_of, default or dt.date.today())
    return measure(rules, pupils, activities, load_mapping(mapping, rules), day)


def _problems(log: ProblemLog) -> None:
    """Every row problem on stderr, then each file's count of rows left out or kept, and exit 1 (the
    output above is still right for the other rows)."""
    if not log.total:
        return
    from compass_cli.output.terminal.console import print_error_lines
    from compass_cli.output.terminal.records import problem_counts

    print_error_lines(log.lines())
    raise Reported("\n".join(problem_counts(log)), 1)


def template(
    output: Annotated[Path, output_option(
        [], "The folder to write the learners file (pupils.csv for a school, learners.csv for a college), "
        "activities.csv and mapping.yaml into (made if missing).",
        metavar="DIR")],
    framework: FrameworkOption = None,
    search: FrameworksOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the files if they exist.")] = False,
) -> None:
    """Write blank pupils.csv (learners.csv for a college) and activities.csv, and a mapping.yaml for other exports.

    Example:
      compass records template -o records/
    """
    from compass_cli.core.records.rules import load_rules
    from compass_cli.files import write_atomic
    from compass_cli.output.blank_records import files

    rules = load_rules(framework, frameworks=frameworks_search(search))
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output} is a file; give a folder")
    texts = files(rules)
    clash = [name for name in texts if (output / name).exists()]
    if clash and not force:
        raise UsageError(f"{', '.join(str(output / n) for n in clash)} exist already; add --force to overwrite")
    output.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        write_atomic(output / name, text)
    learners = next(iter(texts))  # pupils.csv, or learners.csv for a college
    again = f" -f {shlex.quote(framework)}" if framework is not None else ""  # the same entitlements next time
    typer.echo(f"Wrote {', '.join(str(output / n) for n in texts)}. Fill in the CSV files (or export yours and "
               f"adapt mapping.yaml), then: compass records coverage {shlex.quote(str(output / learners))} "
               f"{shlex.quote(str(output / 'activities.csv'))}{again}", err=True)


def coverage(
    pupils: Pupils,
    activities: Activities,
    year: YearOption = None,
    as_of: AsOfOption = None,
    framework: FrameworkOption = None,
    search: FrameworksOption = None,
    mapping: MappingOption = None,
    format: Annotated[CoverageFormat | None, format_option(CoverageFormat, "table")] = None,
    output: Annotated[Path | None, output_option(CoverageFormat)] = None,
    exact: Annotated[bool, typer.Option(
        "--exact", help="Show counts below 5 in the table (your own screen only; every other format withholds "
        "them).",
    )] = False,
    templates: Annotated[Path | None, templates_option("records.md.j2, records.html.j2")] = None,
) -> None:
    """Per entitlement and year group: pupils who have it, the percent and the answer band. Counts only.

    The same is shown for each group of pupils (SEND, disadvantaged ...), so gaps between them show.

    Counts below 5 are shown as "fewer than 5" (as schools do for published statistics).

    Examples:
      compass records coverage pupils.csv activities.csv --as-of 2026-11-20
      compass records coverage pupils.csv activities.csv -o coverage.html
    """
    from compass_cli.files import check_output

    output = check_output(output, [pupils, *activities])
    fmt = output_format(output, format, CoverageFormat, CoverageFormat.table)
    if exact and fmt is not CoverageFormat.table:
        raise UsageError("--exact is for the table on your own screen; other formats always withhold counts below 5")
    from compass_cli.core.records.rules import load_rules

    result, _ = _measure(load_rules(framework, frameworks=frameworks_search(search)), pupils, activities, mapping,
                         year, as_of)
    if fmt is CoverageFormat.table:
        from compass_cli.output.terminal.records import print_coverage

        print_coverage(result, suppress=not exact)
    else:
        from compass_cli.output import records as formats

        if fmt is CoverageFormat.json:
            write_or_show(formats.to_json(result), output)
        elif fmt is CoverageFormat.csv:
            write_or_show(formats.to_csv(result), output)
        else:
            write_or_show(formats.render(result, fmt.value, templates), output)
    _problems(result.problems)


def fill(
    answers: Annotated[Path, typer.Argument(
        metavar="ANSWERS", help="The answer file to fill (YAML).", show_default=False,
    )],
    pupils: Pupils,
    activities: Activities,
    year: YearOption = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", show_default="the evaluation's date",
        help="Measure as of this date (2026-11-20 or 20/11/2026).")] = None,
    mapping: MappingOption = None,
    output: Annotated[Path | None, output_option(
        ["yaml"], "Write the filled answer file to FILE, a name ending .yaml, instead of updating ANSWERS.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what would change.")] = False,
    search: FrameworksOption = None,
) -> None:
    """Write the share answers the records support into an answer file, each with a note of the counts.

    Answers the records cannot support are left alone, and so is every other answer and note.
    The file is rewritten as 'compass audit' writes it (comments typed by hand are not kept).

    Examples:
      compass records fill answers.yaml pupils.csv activities.csv
      compass records fill answers.yaml pupils.csv activities.csv -o filled.yaml
    """
    from compass_cli.core.evaluation import load_evaluation
    from compass_cli.core.records.fill import fill as fill_answers
    from compass_cli.core.records.rules import load_rules
    from compass_cli.core.writing import answer_file_text
    from compass_cli.files import Claim, check_output, check_writable, fingerprint
    from compass_cli.output.terminal.records import print_fill_saved, print_filled

    if output is not None:
        output = check_output(output, [pupils, *activities], option="-o")  # -o ANSWERS: the same as no -o
        file_format(output, "yaml", screen=False)
    target = output or answers
    seen = fingerprint(target)  # before reading: a save made after this (by an audit, say) is never overwritten
    evaluation = load_evaluation(answers, frameworks=frameworks_search(search))
    if not dry_run:
        check_writable(target)
    # held from here to the save, so an audit of the file is refused while we work, and we while it runs
    with contextlib.nullcontext(None) if dry_run else Claim(target, seen, "records fill") as claim:
        result, _ = _measure(load_rules(framework=evaluation.framework), pupils, activities, mapping, year, as_of,
                             evaluation.answer_file.evaluation.date)
        filled = fill_answers(result, evaluation)
        print_filled(filled)
        if claim is not None:
            claim.write(target, answer_file_text(filled.evaluation, "'compass records fill'"))
    print_fill_saved(filled, target, written=not dry_run, as_of=result.as_of)
    _problems(result.problems)


def gaps(
    pupils: Pupils,
    activities: Activities,
    year: YearOption = None,
    as_of: AsOfOption = None,
    framework: FrameworkOption = None,
    search: FrameworksOption = None,
    mapping: MappingOption = None,
    benchmark: Annotated[str | None, typer.Option(
        "--benchmark", "-b", metavar="ID", show_default=False,
        help="Only this benchmark's entitlements, e.g. B5.")] = None,
    year_group: Annotated[str | None, typer.Option(
        "--year-group", "-y", metavar="GROUP", show_default=False, help="Only this year group, e.g. Y9.")] = None,
    output: Annotated[Path | None, output_option(["csv"])] = None,
) -> None:
    """The pupils who do not yet have each entitlement, by year group, with what they still need (a CSV for tutors).

    This is the ONLY compass command that prints pupil ids (and names and registration groups, where
    the pupils file has them): it is personal data, so keep its output on the school's own systems
    and share it only with the staff who act on it.

    Example:
      compass records gaps pupils.csv activities.csv --benchmark B5 -o b5-gaps.csv
    """
    from compass_cli.core.records.coverage import gaps as find_gaps
    from compass_cli.core.records.rules import load_rules
    from compass_cli.files import check_output
    from compass_cli.output.records import gaps_csv

    output = check_output(output, [pupils, *activities])
    file_format(output, "csv")
    rules = load_rules(framework, frameworks=frameworks_search(search))
    result, entitlements = _measure(rules, pupils, activities, mapping, year, as_of)
    bench = None
    if benchmark:
        bench = benchmark.strip().upper()
        known = sorted({e.benchmark for e in rules.entitlements}, key=lambda b: (len(b), b))
        if bench not in known:
            raise UsageError(f"no entitlements for benchmark '{benchmark}' (they cover {', '.join(known)})")
    if year_group and year_group not in rules.groups:
        raise UsageError(f"unknown year group '{year_group}' (year groups: {', '.join(rules.groups)})")
    found = find_gaps(result, entitlements, bench, year_group)
    write_or_show(gaps_csv(found, result.cohort.tutor_columns), output)
    if output is not None:
        typer.echo(f"{len(found):,} missing entitlements listed. This file names pupils: keep it on the school's "
                   "systems.", err=True)
    _problems(result.problems)


for _command in (template, coverage, fill, gaps):
    app.command(_command.__name__, cls=CompassCommand)(handle_errors(_command))
