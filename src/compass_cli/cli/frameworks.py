"""The commands about frameworks and their files: ``frameworks``, ``questions``, ``template``,
``validate``, ``schema`` and ``migrate``.

A thin shell: the work is the core's (frameworks.py, checks.py, schemas.py, migrating.py)
and the outputs' (output/frameworks.py, output/blank.py, output/terminal/). The core is
imported inside each command, so ``compass --help`` does not wait for it.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compass_cli.cli.options import (
    FrameworkOption,
    FrameworksOption,
    TableJson,
    file_format,
    format_option,
    frameworks_search,
    output_option,
    refuse_existing,
    write_or_show,
)
from compass_cli.errors import CompassError, InputError, Problem, Reported, UsageError
from compass_cli.text import json_text, one_line, quantity

if TYPE_CHECKING:
    from compass_cli.core.framework import Framework
    from compass_cli.core.frameworks import Frameworks


def frameworks(
    format: Annotated[TableJson, format_option(TableJson)] = TableJson.table,
    search: FrameworksOption = None,
) -> None:
    """List the frameworks compass can use: bundled, and your own found on the search path.

    Each with where it came from; one hidden by an earlier one of the same id is marked.

    Examples:
      compass frameworks
      compass frameworks --frameworks hub-frameworks/
    """
    from compass_cli.output.frameworks import framework_facts

    found = frameworks_search(search)
    rows = [framework_facts(f, found) for f in found.found()]
    if format is TableJson.json:
        typer.echo(json_text(rows))
    else:
        from compass_cli.output.terminal.frameworks import print_frameworks

        print_frameworks(rows)


def questions(
    framework: FrameworkOption = None,
    search: FrameworksOption = None,
    benchmark: Annotated[str | None, typer.Option(
        "--benchmark", "-b", metavar="ID", show_default=False, help="Only this benchmark, e.g. B4.",
    )] = None,
    format: Annotated[TableJson, format_option(TableJson)] = TableJson.table,
) -> None:
    """Show every question: its id, kind, options and the criterion it serves.

    Examples:
      compass questions --benchmark B6
      compass questions -f gatsby-2025-colleges --format json
    """
    fw = frameworks_search(search).load(framework)
    benches = fw.benchmarks
    if benchmark:
        wanted = benchmark.upper()
        benches = [b for b in fw.benchmarks if b.id == wanted]
        if not benches:
            ids = ", ".join(b.id for b in fw.benchmarks)
            raise UsageError(f"no benchmark '{benchmark}' in {fw.id} (benchmarks: {ids})")
    if format is TableJson.json:
        from compass_cli.output.frameworks import questions_json

        typer.echo(json_text(questions_json(fw, benches)))
    else:
        from compass_cli.output.terminal.frameworks import print_questions

        print_questions(fw, benches)


def template(
    framework: FrameworkOption = None,
    kind: Annotated[str | None, typer.Option(
        "--type", metavar="TYPE", show_default=False,
        help="The type of institution, instead of --framework: one of the types the frameworks found evaluate, "
        "or the start of one (a type no framework evaluates lists them). The latest framework for it is used.",
    )] = None,
    search: FrameworksOption = None,
    output: Annotated[Path | None, output_option(["yaml"])] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the -o file if it exists.")] = False,
) -> None:
    """Write a blank answer file, with every question and its options in comments.

    Fill it in with any text editor, then score it with 'compass score'.

    Examples:
      compass template -o answers.yaml
      compass template --type college -o kelderbeck.yaml
    """
    from compass_cli.files import Claim, check_output, fingerprint
    from compass_cli.output.blank import blank_answer_file

    output = check_output(output, [])
    file_format(output, "yaml")
    found = frameworks_search(search)
    if kind is not None and framework is not None:
        raise UsageError("give --framework or --type, not both")
    fw = found.by_type(kind) if kind is not None else found.load(framework)
    text = blank_answer_file(fw, kind=kind and next(t for t in fw.meta.institution.types if t.startswith(kind)))
    if output is None:
        sys.stdout.write(text)
        return
    refuse_existing(output, force)
    with Claim(output, fingerprint(output), "template") as claim:  # not over an answer file an audit has open
        claim.write(output, text)
    typer.echo(f"Wrote {output} ({len(fw.questions())} questions). Fill it in, then: compass score {output}", err=True)


def validate(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", show_default=False,
        help="Framework folders (holding framework.yaml) and answer files, or folders of answer files.",
    )],
    search: FrameworksOption = None,
) -> None:
    """Check framework folders and answer files; list every problem at once.

    Each problem is given with its file, line and key path. Exit code 1 when anything is
    wrong, 0 when everything is valid.

    Examples:
      compass validate our-framework/
      compass validate hub/ answers.yaml
    """
    from compass_cli.core.evaluation import load_evaluation
    from compass_cli.core.frameworks import migration_files, read_framework
    from compass_cli.core.loading import answer_files
    from compass_cli.output.terminal.console import print_error

    found = frameworks_search(search)
    problems: list[CompassError] = []
    frameworks = answers = 0
    for path in paths:
        if not path.exists():
            problems.append(InputError.one(path, "no such file or folder"))
        elif (path / "framework.yaml").is_file():
            frameworks += 1
            try:
                fw = read_framework(path.resolve())  # afresh: a folder being edited
                for mig_path in migration_files(path):
                    problems += _migration_check(fw, mig_path, found)
            except CompassError as exc:
                problems.append(exc)
        else:
            walk: list[InputError] = []
            try:
                files = list(answer_files([path], walk))
            except CompassError as exc:
                problems.append(exc)
                continue
            problems += walk
            for file in files:
                answers += 1
                try:
                    load_evaluation(file, frameworks=found)
                except CompassError as exc:
                    problems.append(exc)
    for problem in problems:
        print_error(problem)
    count = sum(len(problem.problems) or 1 for problem in problems)
    checked = f"{quantity(frameworks, 'framework')} and {quantity(answers, 'answer file')}"
    if count:
        raise Reported(f"Checked {checked}: {quantity(count, 'problem')}.", 1)
    typer.echo(f"Checked {checked}: no problems.", err=True)


def _migration_check(fw: Framework, mig_path: Path, found: Frameworks) -> list[CompassError]:
    """A migration map's old side, checked against the framework it comes from, where that is found."""
    from compass_cli.core.frameworks import load_migration
    from compass_cli.core.migrating import migration_problems

    from_id = mig_path.stem
    migration = load_migration(fw, from_id)
    if migration is None:
        return [InputError.one(mig_path, f"'from' should be {from_id}, the file's name")]
    try:
        old = found.load(migration.from_)
    except CompassError:
        return []  # the older framework is not installed here: nothing to check it against
    return [InputError.one(mig_path, message, path=where) for where, message in migration_problems(migration, old, fw)]


class SchemaKind(str, Enum):
    answers = "answers"
    framework = "framework"
    benchmark = "benchmark"


def schema(
    kind: Annotated[SchemaKind, typer.Argument(
        metavar="answers|framework|benchmark", show_default=False,
        help="answers: an answer file of one framework; framework: framework.yaml; benchmark: a benchmark file.",
    )],
    framework: FrameworkOption = None,
    output: Annotated[Path | None, output_option(["json"])] = None,
    search: FrameworksOption = None,
) -> None:
    """JSON Schema for answer files or framework files, so an editor completes and checks them.

    'compass template' names the schema of its framework at the top of a new answer file
    (FRAMEWORK.answers.schema.json); write that schema beside it once and VS Code's YAML
    extension does the rest.

    Examples:
      compass schema answers -o gatsby-2025-schools.answers.schema.json
      compass schema framework -o framework.schema.json
    """
    from compass_cli.core import schemas
    from compass_cli.files import check_output

    output = check_output(output, [])
    file_format(output, "json")
    if kind is SchemaKind.answers:
        doc = schemas.answers_schema(frameworks_search(search).load(framework))
    elif framework is not None:
        raise UsageError("--framework is for 'compass schema answers'; framework and benchmark files share one schema")
    else:
        doc = schemas.framework_schema() if kind is SchemaKind.framework else schemas.benchmark_schema()
    write_or_show(json_text(doc) + "\n", output)


def migrate(
    old: Annotated[Path, typer.Argument(metavar="OLD", show_default=False, help="The answer file to move.")],
    to: Annotated[str, typer.Option(
        "--to", metavar="ID|DIR", show_default=False, help="The framework to move it to, e.g. gatsby-2025-schools.",
    )],
    output: Annotated[Path, output_option(["yaml"], "The new answer file to write, a name ending .yaml.",
                                          metavar="NEW")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite NEW if it exists.")] = False,
    search: FrameworksOption = None,
) -> None:
    """Move an evaluation to another edition of the framework, keeping the answers that still mean the same.

    Answers are carried where the question kept its meaning (a map kept as data in the new
    framework's folder, migrations/OLD-ID.yaml). Every question to answer afresh is listed, on
    the screen and as comments in NEW; 'compass audit NEW' then asks just those.

    Example:
      compass migrate spring-2025.yaml --to gatsby-2025-schools -o new.yaml
    """
    from compass_cli.core.evaluation import load_evaluation
    from compass_cli.core.frameworks import load_migration
    from compass_cli.core.migrating import migrate as move
    from compass_cli.core.migrating import migration_problems
    from compass_cli.core.writing import answer_file_text
    from compass_cli.files import Claim, check_output, fingerprint

    found = frameworks_search(search)
    path = check_output(output, [old], option="-o")
    file_format(path, "yaml", screen=False)
    assert path is not None  # file_format refuses the screen
    refuse_existing(path, force)
    seen = fingerprint(path)  # NEW as --force found it: a save made after this is never overwritten
    evaluation = load_evaluation(old, frameworks=found)
    old_fw = evaluation.framework
    new_fw = found.load(to)
    if new_fw.id == old_fw.id:
        raise UsageError(f"{old} is already an evaluation of {new_fw.id}")
    migration = load_migration(new_fw, old_fw.id)
    if migration is None:
        raise UsageError(f"there is no map from {old_fw.id} to {new_fw.id} (a migrations/{old_fw.id}.yaml in the "
                         f"folder of {new_fw.id}); answer {new_fw.id} afresh with: compass audit -f {new_fw.id}")
    wrong = migration_problems(migration, old_fw, new_fw)
    if wrong:
        raise InputError(f"the map from {old_fw.id} to {new_fw.id} is invalid",
                         [Problem(f"migrations/{old_fw.id}.yaml", m, path=w) for w, m in wrong])
    result = move(evaluation, new_fw, migration, dt.date.today())
    header = [
        f"# Moved from {one_line(old)} ({one_line(old_fw.meta.title)}, "
        f"{evaluation.answer_file.evaluation.date.isoformat()}) by compass migrate.",
        f"# {len(result.carried)} answers carried across; {len(result.to_answer)} questions to answer afresh:",
        *[f"#   {qid}" for qid in result.to_answer],
        "# Answer them with: compass audit THIS-FILE",
    ]
    with Claim(path, seen, "migrate") as claim:  # not over an answer file an audit has open
        claim.write(path, "\n".join(header) + "\n" + answer_file_text(result.evaluation, "'compass migrate'"))
    typer.echo(f"Wrote {path}: {len(result.carried)} answers carried from {old_fw.id} to {new_fw.id}.", err=True)
    if result.to_answer:
        typer.echo(f"To answer afresh ({len(result.to_answer)}): " + ", ".join(result.to_answer), err=True)
    if result.left_behind:
        typer.echo(f"Not carried, as {new_fw.id} asks them differently ({len(result.left_behind)}): "
                   + ", ".join(result.left_behind), err=True)
    typer.echo(f"Carry on with: compass audit {path}", err=True)
