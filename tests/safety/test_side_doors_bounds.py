"""Issue 18 ("no side doors"), items 4 and 6: a hostile framework folder or CSV file is data with bounds.

A framework folder may use no YAML anchors or aliases (a chain of them expands a small file into
billions of nodes), may name no file outside itself, and is fingerprinted for the cache by the
files it reads and no others, each read no further than its size limit. A records file has a
limit on each cell and each row, and a row is never read whole into memory before it is checked.

The runaway cases are run in a subprocess with a limit on its memory (Linux): before the fixes
they ended in a MemoryError traceback, or ran for minutes, so the tests fail rather than hang
the machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.resources import bundled

from ..conftest import EXAMPLES, MINI

SCHOOLS = bundled("questionnaires") / "gatsby-2025-schools"
LINKS = pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def copy_of(source: Path, folder: Path) -> Path:
    shutil.copytree(source, folder)
    return folder


def alias_chain(levels: int, width: int) -> list[str]:
    """YAML lines of a chain of anchors, each list holding ``width`` aliases of the one before:
    ``width ** levels`` strings once expanded."""
    lines = [f"  l0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"  l{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, levels)]
    return lines


def plant_chain(folder: Path, levels: int, width: int) -> range:
    """framework.yaml of ``folder`` with a chain of aliases among its scales, used by year_groups;
    returns the lines of the anchors."""
    path = folder / "framework.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^year_groups:.*\n", "", text)
    text = text.replace("scales:\n", "scales:\n" + "\n".join(alias_chain(levels, width)) + "\n", 1)
    path.write_text(text + f"year_groups: *a{levels - 1}\n", encoding="utf-8")
    first = text.splitlines().index(alias_chain(levels, width)[0]) + 1
    return range(first, first + levels)


def refused_at(err: str, file: str) -> int:
    """The line at which ``file`` is refused for its aliases."""
    found = re.search(re.escape(file) + r":(\d+): uses YAML anchors and aliases \(& and \*\), which compass does not "
                      r"read; write the repeated part out in full", err)
    assert found, err
    return int(found[1])


def limited(*args: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """compass in a subprocess with at most 1 GB of address space (it needs a few hundred MB), given a
    minute at most; with its cache in ``cache`` (else the tests' own)."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = dict(os.environ, **({"COMPASS_CACHE": str(cache)} if cache is not None else {}))
    return subprocess.run([sys.executable, "-m", "compass_cli", *args], capture_output=True, text=True,
                          preexec_fn=limit, timeout=60, env=env)


ON_LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memory limits as on Linux")


# --------------------------------------------------------------------------- 4(a) anchors and aliases


def test_a_framework_file_with_aliases_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = copy_of(MINI, tmp_path / "mini")
    anchors = plant_chain(folder, 3, 3)
    code, _, err = invoke("validate", str(folder))
    assert code == 1  # validate: a failed check
    assert refused_at(err, "framework.yaml") in anchors
    code, _, err = invoke("questions", "--framework", str(folder))
    assert code == 2
    assert refused_at(err, "framework.yaml") in anchors


@pytest.mark.parametrize(("text", "line"), [
    ("shared: &shared {level: 1}\nother: *shared\n", 25),  # the anchor's line
    ("base: &base {a: 1}\nmerged:\n  <<: *base\n  b: 2\n", 27),  # a merge key is refused where it is
    ("word: &w lol\nagain: *w\n", 25),  # even of a single value
])
def test_a_benchmark_file_with_an_alias_is_refused(tmp_path: Path, text: str, line: int) -> None:
    folder = copy_of(MINI, tmp_path / "mini")
    b2 = folder / "b2.yaml"
    b2.write_text(b2.read_text(encoding="utf-8") + text, encoding="utf-8")
    code, _, err = invoke("questions", "--framework", str(folder))
    assert code == 2
    assert refused_at(err, "b2.yaml") == line


@LINKS
def test_entitlements_with_an_alias_are_refused(tmp_path: Path) -> None:
    folder = copy_of(SCHOOLS, tmp_path / "schools")
    path = folder / "entitlements.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "spare: &s [1]\nalso: *s\n", encoding="utf-8")
    records = tmp_path / "records"
    code, _, err = invoke("records", "template", "-f", str(folder), "-o", str(records))
    assert code == 2
    assert refused_at(err, "entitlements.yaml")


@ON_LINUX
def test_an_alias_bomb_in_a_framework_is_refused_before_it_expands(tmp_path: Path) -> None:
    """Nine levels of nine: 28 KB that once took 44 s and 4 GB, then a MemoryError traceback."""
    folder = copy_of(MINI, tmp_path / "mini")
    anchors = plant_chain(folder, 9, 9)
    done = limited("validate", str(folder))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert refused_at(done.stderr, "framework.yaml") in anchors


@ON_LINUX
def test_a_summary_carries_on_past_an_answer_file_naming_an_alias_bomb(tmp_path: Path) -> None:
    folder = copy_of(MINI, tmp_path / "mini")
    plant_chain(folder, 9, 9)
    hub = tmp_path / "hub"
    hub.mkdir()
    for name in ("riverside-high.yaml", "oakfield-academy.yaml"):
        shutil.copy(EXAMPLES / name, hub / name)
    doc = yaml.safe_load((EXAMPLES / "riverside-high.yaml").read_text(encoding="utf-8"))
    doc["framework"] = str(folder)
    (hub / "hostile.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    done = limited("summary", str(hub), "--format", "json")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "uses YAML anchors and aliases" in done.stderr
    summary = json.loads(done.stdout)
    assert summary["evaluations"] == 2
    [bad] = summary["bad_files"]
    assert bad["file"] == str(hub / "hostile.yaml")
    assert "uses YAML anchors and aliases" in bad["reasons"][0] and "framework.yaml" in bad["reasons"][0]


# --------------------------------------------------------------------------- 4(b) files outside the folder


def name_benchmark(folder: Path, old: str, new: str) -> int:
    """framework.yaml of ``folder`` naming ``new`` instead of ``old``; returns the line of the entry."""
    path = folder / "framework.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new), encoding="utf-8")
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("benchmarks:"))


@pytest.mark.parametrize("outside", ["../shared/b1.yaml", "ABSOLUTE"])
def test_a_benchmark_outside_the_folder_is_refused(tmp_path: Path, outside: str) -> None:
    folder = copy_of(MINI, tmp_path / "mini")
    (tmp_path / "shared").mkdir()
    shutil.move(folder / "b1.yaml", tmp_path / "shared" / "b1.yaml")
    entry = str(tmp_path / "shared" / "b1.yaml") if outside == "ABSOLUTE" else outside
    line = name_benchmark(folder, "b1.yaml, b2.yaml", f"'{entry}', b2.yaml")
    code, _, err = invoke("questions", "--framework", str(folder))
    assert code == 2
    assert f"framework.yaml:{line}: benchmarks[0]: '{entry}' is outside the framework folder" in err


@LINKS
@pytest.mark.parametrize("how", ["file", "folder"])
def test_a_link_that_leads_out_of_the_folder_is_refused(tmp_path: Path, how: str) -> None:
    folder = copy_of(MINI, tmp_path / "mini")
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.move(folder / "b1.yaml", shared / "b1.yaml")
    if how == "file":
        (folder / "b1.yaml").symlink_to(shared / "b1.yaml")
        culprit = "b1.yaml"
    else:
        (folder / "parts").symlink_to(shared, target_is_directory=True)
        name_benchmark(folder, "b1.yaml, b2.yaml", "parts/b1.yaml, b2.yaml")
        culprit = "parts/b1.yaml"
    code, _, err = invoke("questions", "--framework", str(folder))
    assert code == 2
    assert f"'{culprit}' is a link to {shared / 'b1.yaml'}, outside the framework folder" in err


@LINKS
def test_a_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    folder = copy_of(MINI, tmp_path / "mini")
    (folder / "editions").mkdir()
    shutil.move(folder / "b1.yaml", folder / "editions" / "b1.yaml")
    (folder / "b1.yaml").symlink_to(Path("editions") / "b1.yaml")
    code, out, err = invoke("questions", "--framework", str(folder), "--format", "json")
    assert code == 0, err
    assert "B1.1.1" in out


@LINKS
@pytest.mark.parametrize("name", ["national.yaml", "migrations", "entitlements.yaml"])
def test_the_other_files_of_a_framework_may_not_lead_out_either(tmp_path: Path, name: str) -> None:
    folder = copy_of(SCHOOLS, tmp_path / "schools")
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.move(folder / name, shared / name)
    (folder / name).symlink_to(shared / name)
    if name == "entitlements.yaml":
        code, _, err = invoke("records", "template", "-f", str(folder), "-o", str(tmp_path / "records"))
    else:
        code, _, err = invoke("questions", "--framework", str(folder))
    assert code == 2, err
    assert "outside the framework folder" in err and name in err


# --------------------------------------------------------------------------- 4(c) what the cache reads


def sparse(path: Path, size: int) -> None:
    """A file of ``size`` bytes that takes no room on disk."""
    with path.open("wb") as f:
        f.truncate(size)


@ON_LINUX
def test_a_stray_file_of_gigabytes_beside_a_framework_is_never_read(tmp_path: Path) -> None:
    """The fingerprint read every file of the folder in full: 3 GB took 12 s and 3 GB of memory, and
    under a memory limit ended in a MemoryError traceback."""
    folder = copy_of(SCHOOLS, tmp_path / "schools")
    sparse(folder / "backup.zip", 3 * 1024**3)
    for _ in range(2):  # read afresh, then from the cache
        done = limited("score", str(EXAMPLES / "riverside-high.yaml"), "--frameworks", str(folder),
                       "--format", "json", cache=tmp_path / "cache")
        assert done.returncode == 0, done.stderr
    assert list((tmp_path / "cache" / "frameworks").glob("*.pickle"))


@ON_LINUX
def test_a_framework_file_over_the_limit_is_named_and_never_read_in_full(tmp_path: Path) -> None:
    folder = copy_of(SCHOOLS, tmp_path / "schools")
    sparse(folder / "b1-stable-programme.yaml", 3 * 1024**3)
    done = limited("score", str(EXAMPLES / "riverside-high.yaml"), "--frameworks", str(folder),
                   cache=tmp_path / "cache")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert (f"{folder / 'b1-stable-programme.yaml'}: is 3,221,225,472 bytes; files over 4,194,304 bytes are "
            "refused as too large to be a questionnaire file") in done.stderr


# --------------------------------------------------------------------------- 6 records files


RECORDS = Path(__file__).resolve().parent.parent / "records" / "fixtures"
ACTIVITY_HEADER = "pupil_id,date,activity,days,meaningful,provider,virtual\n"
ACTIVITY_ROW = "P0701,2025-10-01,employer_encounter,,yes,,\n"


def coverage(pupils: Path, activities: Path) -> tuple[int, str, str]:
    return invoke("records", "coverage", str(pupils), str(activities), "--year", "2025/26", "--format", "json")


def activities_with(tmp_path: Path, row: str, before: int = 2) -> Path:
    """An activities file whose line ``before + 2`` is ``row``."""
    path = tmp_path / "activities.csv"
    path.write_text(ACTIVITY_HEADER + ACTIVITY_ROW * before + row + ACTIVITY_ROW, encoding="utf-8")
    return path


def test_a_header_cell_of_200_kb_is_a_clean_error(tmp_path: Path) -> None:
    """It was a _csv.Error traceback (field larger than field limit), exit 1."""
    pupils = tmp_path / "pupils.csv"
    pupils.write_text("pupil_id,year_group," + "x" * 200_000 + "\nP1,Y7,\n", encoding="utf-8")
    code, out, err = coverage(pupils, RECORDS / "activities.csv")
    assert code == 2, err
    assert f"{pupils}:1: this row is over 100,000 characters long" in err
    assert out == ""


def test_a_row_of_many_small_cells_over_the_limit_is_refused(tmp_path: Path) -> None:
    activities = activities_with(tmp_path, "P0701,2025-10-01,employer_encounter" + ",x" * 60_000 + "\n")
    code, _, err = coverage(RECORDS / "pupils.csv", activities)
    assert code == 2, err
    assert f"{activities}:4: this row is over 100,000 characters long" in err


@pytest.mark.parametrize("which", ["pupils", "activities"])
def test_a_cell_over_the_limit_is_refused_with_its_column(tmp_path: Path, which: str) -> None:
    if which == "activities":
        pupils, culprit = RECORDS / "pupils.csv", activities_with(tmp_path, "P0701,2025-10-01,employer_encounter,,yes,"
                                                                  + "Acme " * 3000 + ",\n")
        column, line = "provider", 4
    else:
        lines = (RECORDS / "pupils.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        lines[5] = 'P9999,Y7,"' + "yes\n" * 3750 + '",,,,,,\n'
        pupils = culprit = tmp_path / "pupils.csv"
        pupils.write_text("".join(lines), encoding="utf-8")
        column, line = "send", 6
    code, _, err = coverage(pupils, RECORDS / "activities.csv" if which == "pupils" else culprit)
    assert code == 2, err
    assert (f"{culprit}:{line}: the cell in column '{column}' is 15,000 characters long; a cell may hold at most "
            "10,000") in err


def test_a_quoted_cell_over_many_lines_is_refused_where_its_row_begins(tmp_path: Path) -> None:
    notes = "\n".join(["a line of a very long note"] * 5000)
    activities = activities_with(tmp_path, f'P0701,2025-10-01,employer_encounter,,yes,"{notes}",\n')
    code, _, err = coverage(RECORDS / "pupils.csv", activities)
    assert code == 2, err
    assert f"{activities}:4: this row is over 100,000 characters long" in err


def test_cells_and_rows_within_the_limits_are_read(tmp_path: Path) -> None:
    """A long note (a few paragraphs, over several lines) is well within the limits."""
    note = "\n".join(["Visited the site with the Year 10 group; everyone asked questions."] * 100)
    activities = activities_with(tmp_path, f'P0701,2025-10-02,employer_encounter,,yes,"{note}",\n')
    assert coverage(RECORDS / "pupils.csv", activities)[0] == 0


@ON_LINUX
@pytest.mark.parametrize("which", ["pupils", "activities"])
def test_a_line_of_50_mb_is_never_read_whole(tmp_path: Path, which: str) -> None:
    """A header line of 50 MB took 39 s and 5.6 GB of memory."""
    huge = "a," * (25 * 1024 * 1024)
    pupils, activities = tmp_path / "pupils.csv", tmp_path / "activities.csv"
    shutil.copy(RECORDS / "pupils.csv", pupils)
    shutil.copy(RECORDS / "activities.csv", activities)
    target = pupils if which == "pupils" else activities
    target.write_text(huge + "\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    done = limited("records", "coverage", str(pupils), str(activities), "--year", "2025/26", "--format", "json")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{target}:1: this row is over 100,000 characters long" in done.stderr
