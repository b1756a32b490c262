"""``compass validate``, ``compass schema`` and ``compass migrate``: working with frameworks as folders.

A thin shell: the checks are loading's and checks.py's, the schemas are schemas.py's and the
move between editions is migrating.py's. Registered in cli.py.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from compass_cli.cli_options import FrameworkOption, FrameworksOption, frameworks_search
from compass_cli.errors import CompassError, InputError, Problem, UsageError


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

    Examples: compass validate our-framework/ · compass validate hub/ answers.yaml
    """
    from compass_cli.core.loading import answer_files, load_answers, load_migration, migration_files
    from compass_cli.output import tables as ui

    found = frameworks_search(search)
    problems: list[CompassError] = []
    frameworks = answers = 0
    for path in paths:
        if not path.exists():
            problems.append(InputError.one(path, "no such file or folder"))
        elif (path / "framework.yaml").is_file():
            frameworks += 1
            try:
                from compass_cli.core.loading import _load_framework_cached

                fw = _load_framework_cached.__wrapped__(path.resolve())  # fresh: a folder being edited
                for mig_path in migration_files(path):
                    problems += _migration_check(fw, mig_path, found, load_migration)
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
                    load_answers(file, frameworks=found)
                except CompassError as exc:
                    problems.append(exc)
    for exc in problems:
        ui.print_error(exc)
    count = sum(len(exc.problems) or 1 for exc in problems)
    checked = (f"{frameworks} framework{'' if frameworks == 1 else 's'} and "
               f"{answers} answer file{'' if answers == 1 else 's'}")
    if count:
        typer.echo(f"Checked {checked}: {count} problem{'' if count == 1 else 's'}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Checked {checked}: no problems.", err=True)


def _migration_check(fw, mig_path, found, load_migration) -> list[CompassError]:  # type: ignore[no-untyped-def]
    """A migration map's old side, checked against the framework it comes from, where that is found."""
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
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output", "-o", metavar="FILE", show_default=False, help="Write the schema here instead of to the screen.",
    )] = None,
    search: FrameworksOption = None,
) -> None:
    """JSON Schema for answer files or framework files, so an editor completes and checks them.

    'compass template' writes '# yaml-language-server: $schema=FRAMEWORK.answers.schema.json' at the top
    of a new answer file; write that schema beside it once and VS Code's YAML extension does the rest.

    Example: compass schema answers -o gatsby-2025-schools.answers.schema.json
    """
    from compass_cli.core import schemas
    from compass_cli.files import check_output, write_atomic

    output = check_output(output, [])
    if kind is SchemaKind.answers:
        doc = schemas.answers_schema(frameworks_search(search).load(framework))
    elif framework is not None:
        raise UsageError("--framework is for 'compass schema answers'; framework and benchmark files share one schema")
    else:
        doc = schemas.framework_schema() if kind is SchemaKind.framework else schemas.benchmark_schema()
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, text)
    typer.echo(f"Wrote {output}", err=True)


def migrate(
    old: Annotated[Path, typer.Argument(metavar="OLD", show_default=False, help="The answer file to move.")],
    to: Annotated[str, typer.Option(
        "--to", metavar="ID|DIR", show_default=False, help="The framework to move it to, e.g. gatsby-2025-schools.",
    )],
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="NEW", show_default=False, help="The new answer file to write.",
    )],
    force: Annotated[bool, typer.Option("--force", help="Overwrite NEW if it exists.")] = False,
    search: FrameworksOption = None,
) -> None:
    """Move an evaluation to another edition of the framework, keeping the answers that still mean the same.

    Answers are carried where the question kept its meaning (a map kept as data in the new
    framework's folder, migrations/OLD-ID.yaml). Every question to answer afresh is listed, on
    the screen and as comments in NEW; 'compass audit NEW' then asks just those.

    Example: compass migrate spring-2025.yaml --to gatsby-2025-schools -o autumn-2025.yaml
    """
    from compass_cli.audit.saving import answer_file_text
    from compass_cli.core.loading import load_answers, load_migration
    from compass_cli.core.migrating import migrate as move
    from compass_cli.core.migrating import migration_problems
    from compass_cli.files import check_output, write_atomic

    found = frameworks_search(search)
    path = check_output(output, [old], option="-o")
    assert path is not None
    if path.exists() and not force:
        raise UsageError(f"{path} exists already; choose another name or add --force to overwrite it")
    loaded, old_fw = load_answers(old, frameworks=found)
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
    result = move(loaded.model, loaded.answers, old_fw, new_fw, migration, dt.date.today())
    header = [
        f"# Moved from {old} ({old_fw.meta.title}, {loaded.model.evaluation.date.isoformat()}) by compass migrate.",
        f"# {len(result.carried)} answers carried across; {len(result.to_answer)} questions to answer afresh:",
        *[f"#   {qid}" for qid in result.to_answer],
        "# Answer them with: compass audit THIS-FILE",
    ]
    write_atomic(path, "\n".join(header) + "\n" + answer_file_text(new_fw, result.answer_file, result.answers))
    typer.echo(f"Wrote {path}: {len(result.carried)} answers carried from {old_fw.id} to {new_fw.id}.", err=True)
    if result.to_answer:
        typer.echo(f"To answer afresh ({len(result.to_answer)}): " + ", ".join(result.to_answer), err=True)
    if result.left_behind:
        typer.echo(f"Not carried, as {new_fw.id} asks them differently ({len(result.left_behind)}): "
                   + ", ".join(result.left_behind), err=True)
    typer.echo(f"Carry on with: compass audit {path}", err=True)
