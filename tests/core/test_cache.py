"""The cache between commands (compass_cli/cache.py): frameworks and compiled templates.

It must never serve something stale, never be trusted when someone else could have written
it, and never be a reason to fail: a cache that cannot be read or written is passed over.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compass_cli.core import framework_cache, loading
from compass_cli.core.framework import Framework
from compass_cli.core.framework_cache import load_cached
from compass_cli.core.frameworks import Frameworks, read_framework
from compass_cli.errors import InputError
from compass_cli.resources import bundled

from ..conftest import EXAMPLES

B1 = "b1-stable-programme.yaml"


@pytest.fixture
def framework(tmp_path: Path) -> Path:
    """A copy of the bundled schools framework, to edit."""
    folder = tmp_path / "schools"
    shutil.copytree(bundled("questionnaires") / "gatsby-2025-schools", folder)
    return folder.resolve()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COMPASS_CACHE", str(folder))
    return folder


def cached_files(cache: Path) -> list[Path]:
    return sorted((cache / "frameworks").glob("*.pickle")) if (cache / "frameworks").is_dir() else []


def load(folder: Path) -> tuple[str, int]:
    """The framework's title, and how many times the folder had to be read to get it."""
    reads = []

    def read(f: Path) -> Framework:
        reads.append(f)
        return read_framework(f)

    return load_cached(folder, read).meta.title, len(reads)


def retitle(folder: Path, title: str) -> None:
    path = folder / "framework.yaml"
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(old, f"title: {title}"), encoding="utf-8")


def test_a_framework_is_read_once_then_taken_from_the_cache(framework: Path, cache: Path) -> None:
    first = load(framework)
    assert first[1] == 1
    assert len(cached_files(cache)) == 1
    assert load(framework) == (first[0], 0)


def test_a_changed_framework_file_is_read_afresh_and_the_cache_rewritten(framework: Path, cache: Path) -> None:
    load(framework)
    before = cached_files(cache)[0].read_bytes()
    retitle(framework, "Our hub's edition")
    assert load(framework) == ("Our hub's edition", 1)
    assert cached_files(cache)[0].read_bytes() != before
    assert load(framework) == ("Our hub's edition", 0)


def test_a_change_to_a_benchmark_file_is_seen_too(framework: Path, cache: Path) -> None:
    load(framework)
    b1 = framework / B1
    b1.write_text(b1.read_text(encoding="utf-8") + "\n# a comment is a change too\n", encoding="utf-8")
    assert load(framework)[1] == 1


def plant(cache: Path, framework: Path, title: str, mode: int) -> None:
    """Put a framework with another title in the cache, under the right fingerprint."""
    load(framework)
    path = cached_files(cache)[0]
    with path.open("rb") as f:
        fingerprint = f.readline()
        fw = pickle.load(f)
    fw.meta.__dict__["title"] = title
    path.write_bytes(fingerprint + pickle.dumps(fw))
    path.chmod(mode)


def test_the_cache_is_what_is_used_when_it_can_be_trusted(framework: Path, cache: Path) -> None:
    original = load(framework)[0]
    plant(cache, framework, "Planted", 0o600)
    assert load(framework) == ("Planted", 0)  # so the next test can fail
    assert original != "Planted"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="ownership and modes are POSIX")
def test_a_cache_file_others_could_have_written_is_not_trusted(framework: Path, cache: Path) -> None:
    original = load(framework)[0]
    plant(cache, framework, "Planted", 0o666)
    assert load(framework) == (original, 1)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="ownership and modes are POSIX")
def test_a_cache_folder_others_could_write_to_is_not_trusted(framework: Path, cache: Path) -> None:
    original = load(framework)[0]
    plant(cache, framework, "Planted", 0o600)
    (cache / "frameworks").chmod(0o777)
    assert load(framework) == (original, 1)


@pytest.mark.parametrize("garbage", [b"", b"not a fingerprint\n", None])
def test_a_broken_cache_file_is_passed_over(framework: Path, cache: Path, garbage: bytes | None) -> None:
    original = load(framework)[0]
    path = cached_files(cache)[0]
    data = path.read_bytes()
    # None: the right fingerprint, then half a pickle
    path.write_bytes(garbage if garbage is not None else data[: len(data) // 2])
    assert load(framework) == (original, 1)


def test_a_cache_that_cannot_be_written_is_no_reason_to_fail(framework: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COMPASS_CACHE", str(blocker))
    assert load(framework)[1] == 1
    assert load(framework)[1] == 1
    assert blocker.read_text() == "not a folder"


def test_the_cache_can_be_turned_off(framework: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPASS_CACHE", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert load(framework)[1] == 1
    assert load(framework)[1] == 1
    assert list(tmp_path.rglob("*.pickle")) == []


def test_an_invalid_framework_is_never_cached(framework: Path, cache: Path) -> None:
    (framework / B1).write_text("id: B1\n", encoding="utf-8")
    with pytest.raises(Exception, match="invalid questionnaire"):
        load(framework)
    assert cached_files(cache) == []


# --------------------------------------------------------------------------- the ids of the frameworks found


def ids_of(folder: Path) -> list[str]:
    """The id of the framework in ``folder``, as the next command finds it (what this process kept is forgotten)."""
    framework_cache._IDS.clear()
    return [f.id for f in Frameworks([folder]).found() if f.origin == "--frameworks"]


def set_id(folder: Path, fid: str) -> None:
    path = folder / "framework.yaml"
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("id:"))
    path.write_text(text.replace(old, f"id: {fid}"), encoding="utf-8")


def test_the_id_of_each_framework_is_kept_so_no_framework_yaml_is_parsed_again(
        framework: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 24: every command looks at every framework on the search path; parsing each framework.yaml to learn
    its id took a few milliseconds of every command."""
    assert ids_of(framework) == ["gatsby-2025-schools"]

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a framework.yaml was parsed")

    monkeypatch.setattr(loading, "_parse_yaml", parse)
    assert ids_of(framework) == ["gatsby-2025-schools"]
    assert {f.id for f in Frameworks().found()} >= {"gatsby-2025-schools", "gatsby-2025-colleges"}


def test_an_edited_id_is_seen_by_the_next_command(framework: Path, cache: Path) -> None:
    assert ids_of(framework) == ["gatsby-2025-schools"]
    set_id(framework, "our-own-schools")
    assert ids_of(framework) == ["our-own-schools"]
    set_id(framework, "gatsby-2025-schools")
    assert ids_of(framework) == ["gatsby-2025-schools"]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="ownership and modes are POSIX")
def test_ids_others_could_have_written_are_not_trusted(framework: Path, cache: Path) -> None:
    ids_of(framework)
    path = cache / "frameworks" / "ids.json"
    path.write_text(json.dumps({digest: "planted" for digest in json.loads(path.read_text())}))
    path.chmod(0o666)
    assert ids_of(framework) == ["gatsby-2025-schools"]
    path.write_text(json.dumps({digest: "planted" for digest in json.loads(path.read_text())}))
    path.chmod(0o600)
    assert ids_of(framework) == ["planted"]  # so the line above can fail


@pytest.mark.parametrize("garbage", ["", "{", "[1, 2]", '{"a": 1}', "{" + '"x": "y", ' * 20_000 + '"z": "z"}'])
def test_a_broken_ids_file_is_passed_over(framework: Path, cache: Path, garbage: str) -> None:
    ids_of(framework)
    (cache / "frameworks" / "ids.json").write_text(garbage)
    assert ids_of(framework) == ["gatsby-2025-schools"]


# --------------------------------------------------------------------------- end to end


def compass(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COMPASS_CACHE=str(cache))
    return subprocess.run([sys.executable, "-m", "compass_cli", *args], capture_output=True, text=True, env=env)


def test_an_edited_framework_shows_in_the_next_command(framework: Path, tmp_path: Path) -> None:
    answers = tmp_path / "riverside.yaml"
    shutil.copy(EXAMPLES / "riverside-high.yaml", answers)
    first = compass("score", str(answers), "--frameworks", str(framework), "--format", "json", cache=tmp_path / "c")
    assert first.returncode == 0, first.stderr
    retitle(framework, "Edited between two commands")
    second = compass("score", str(answers), "--frameworks", str(framework), "--format", "json", cache=tmp_path / "c")
    assert second.returncode == 0, second.stderr
    assert "Edited between two commands" not in first.stdout
    assert "Edited between two commands" in second.stdout
    assert json.loads(first.stdout)[0]["benchmarks"] == json.loads(second.stdout)[0]["benchmarks"]


def test_an_edited_template_shows_in_the_next_report(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(bundled("templates") / "report.md.j2", templates / "report.md.j2")
    answers = EXAMPLES / "riverside-high.yaml"
    args = ("report", str(answers), "--templates", str(templates), "--format", "md")
    first = compass(*args, cache=tmp_path / "c")
    assert first.returncode in (0, 1), first.stderr
    source = (templates / "report.md.j2").read_text(encoding="utf-8")
    (templates / "report.md.j2").write_text("Our hub's own first line\n" + source, encoding="utf-8")
    second = compass(*args, cache=tmp_path / "c")
    assert not first.stdout.startswith("Our hub's own first line")
    assert second.stdout.startswith("Our hub's own first line")
    assert list((tmp_path / "c" / "templates").glob("*.jinja"))


@pytest.mark.parametrize("args", [
    ["score", str(EXAMPLES / "riverside-high.yaml"), "--format", "json"],
    ["score", str(EXAMPLES / "riverside-high.yaml"), str(EXAMPLES / "oakfield-academy.yaml"), "--format", "csv"],
    ["summary", str(EXAMPLES / "riverside-high.yaml"), str(EXAMPLES / "oakfield-academy.yaml"), "--format", "json"],
    ["questions", "--format", "json"],
])
def test_json_and_csv_are_written_without_loading_rich(args: list[str], tmp_path: Path) -> None:
    code = ("import sys, runpy\n"
            f"sys.argv = ['compass', *{args!r}]\n"
            "try:\n    runpy.run_module('compass_cli', run_name='__main__')\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "loaded = sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.'))\n"
            "sys.stderr.write(f'rich modules: {loaded}')\n")
    env = dict(os.environ, COMPASS_CACHE=str(tmp_path / "c"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stderr.endswith("rich modules: []")


# --------------------------------------------------------------------------- issue 18.4: the files fingerprinted


def test_a_benchmark_outside_the_folder_is_refused_so_it_is_never_served_stale(framework: Path, cache: Path) -> None:
    """Issue 18.4(b): `../shared/b1.yaml` was read but not fingerprinted, so an edit to it went unseen."""
    shared = framework.parent / "shared"
    shared.mkdir()
    shutil.move(framework / B1, shared / B1)
    meta = framework / "framework.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(f"- {B1}", f"- ../shared/{B1}"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(framework)
    assert f"'../shared/{B1}' is outside the framework folder" in caught.value.problems[0].message
    assert cached_files(cache) == []


def test_a_stray_file_in_the_folder_is_not_read(framework: Path, cache: Path) -> None:
    """Issue 18.4(c): every file of the folder was read in full; one over 8 MB turned the cache off."""
    with (framework / "minutes-of-the-hub-meeting.pdf").open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    assert load(framework)[1] == 1
    assert load(framework)[1] == 0
    (framework / "README.md").write_text("Our hub's notes on this framework\n", encoding="utf-8")
    assert load(framework)[1] == 0  # not a file of the framework: no reason to read it again


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_file_read_through_a_link_inside_the_folder_is_fingerprinted_by_what_it_holds(framework: Path,
                                                                                       cache: Path) -> None:
    (framework / "editions").mkdir()
    shutil.move(framework / B1, framework / "editions" / B1)
    (framework / B1).symlink_to(Path("editions") / B1)
    assert load(framework)[1] == 1
    assert load(framework)[1] == 0
    target = framework / "editions" / B1
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited through the link\n", encoding="utf-8")
    assert load(framework)[1] == 1


@pytest.mark.parametrize("added", ["national.yaml", "migrations/gatsby-2014-schools.yaml"])
def test_a_file_added_that_the_framework_would_read_is_seen(framework: Path, cache: Path, added: str) -> None:
    source = framework / added
    kept = source.read_bytes()
    source.unlink()
    assert load(framework)[1] == 1
    assert load(framework)[1] == 0
    source.write_bytes(kept)
    assert load(framework)[1] == 1
    assert load(framework)[1] == 0
