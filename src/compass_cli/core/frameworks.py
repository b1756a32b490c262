"""Frameworks as folders: where they are looked for, and each one loaded and cross-checked once.

The search path is the ``--frameworks`` folders, then ``COMPASS_FRAMEWORKS``, then the bundled
frameworks; the first framework with an id wins, and one it hides is listed as hidden. A
framework is read with every problem in every file reported at once (loading.validate,
checks.check_framework), and its migration maps are checked with it. Each folder is loaded
once per process, so a batch of thousands of answer files loads its framework once, and kept
in the user's cache folder, so the next command does not read it again (framework_cache.py).

A framework folder is data from elsewhere (a hub shares its own), so it is read with bounds:
every file it is made of must lie inside the folder once links are followed (a benchmark
named ``../shared/b1.yaml`` or ``/etc/x.yaml``, or a link to a file or folder elsewhere, is
refused: the cache could not see such a file change, and a folder should be complete in
itself), no file is read past MAX_QUESTIONNAIRE_BYTES, and no file may use YAML anchors and
aliases (loading.py). The files read are listed, each with a digest of its text, in
``Framework.sources``: what the cache is fingerprinted by.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from compass_cli.core.framework import Framework
from compass_cli.core.loading import (
    MAX_QUESTIONNAIRE_BYTES,
    Document,
    parse_document,
    read_document,
    read_text,
    validate,
)
from compass_cli.core.models import Benchmark, FrameworkFile, Migration, NationalFigures
from compass_cli.errors import CompassError, InputError, Problem, UsageError
from compass_cli.files import read_regular
from compass_cli.resources import bundled


def bundled_frameworks() -> list[Path]:
    """The folders of the bundled frameworks, by name."""
    root = bundled("questionnaires")
    return sorted(p for p in root.iterdir() if (p / "framework.yaml").is_file()) if root.is_dir() else []


DEFAULT_FRAMEWORK = "gatsby-2025-schools"
#: Folders of a hub's own frameworks, separated like PATH (":" on Linux and macOS, ";" on Windows).
FRAMEWORKS_ENV = "COMPASS_FRAMEWORKS"


@dataclass(frozen=True)
class FoundFramework:
    """A framework folder and where it was found."""

    id: str
    folder: Path
    #: "--frameworks", "COMPASS_FRAMEWORKS" or "bundled"
    origin: str
    #: The folder of an earlier framework with the same id, which this one hides.
    hidden_by: Path | None = None


class Frameworks:
    """Where frameworks are looked for, in order: the ``--frameworks`` folders, the
    ``COMPASS_FRAMEWORKS`` folders, then the bundled ones. The first framework with an id wins.

    A folder on the search path is either a framework folder itself (it holds framework.yaml)
    or a folder of framework folders. A framework is known by the id in its framework.yaml, so
    a copied folder can have any name. Frameworks are found once and loaded once per process.
    """

    def __init__(self, folders: Sequence[Path] = (), *, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.search: list[tuple[Path, str]] = [(Path(f), "--frameworks") for f in folders]
        self.search += [(Path(p), FRAMEWORKS_ENV) for p in env.get(FRAMEWORKS_ENV, "").split(os.pathsep) if p]
        self._found: list[FoundFramework] | None = None

    def found(self) -> list[FoundFramework]:
        """Every framework found, in search order; one hidden by an earlier one says by which."""
        if self._found is None:
            out: list[FoundFramework] = []
            first: dict[str, Path] = {}
            places = [(folder, origin) for root, origin in self.search for folder in _framework_folders(root, origin)]
            places += [(folder, "bundled") for folder in bundled_frameworks()]
            for folder, origin in places:
                fid = _framework_id(folder)
                out.append(FoundFramework(fid, folder, origin, first.get(fid)))
                first.setdefault(fid, folder)
            self._found = out
        return self._found

    def folder(self, ref: str | Path | None) -> Path:
        """The folder of a framework id (searched), or of a path to a framework folder."""
        ref = ref or DEFAULT_FRAMEWORK
        for found in self.found():
            if found.id == str(ref) and found.hidden_by is None:
                return found.folder
        path = Path(ref)
        try:
            if path.is_dir() and (path / "framework.yaml").is_file():
                return path
        except (OSError, ValueError) as exc:  # a name too long, a folder that cannot be entered, a NUL byte
            raise UsageError(f"the framework folder '{ref}' cannot be read ({getattr(exc, 'strerror', None) or exc})"
                             ) from None
        known = ", ".join(sorted({f.id for f in self.found()})) or "none"
        raise UsageError(f"unknown framework '{ref}' (known: {known}; or give a folder holding framework.yaml, "
                         f"or add the folder of your own frameworks with --frameworks DIR or {FRAMEWORKS_ENV})")

    def load(self, ref: str | Path | None = None) -> Framework:
        """Load and cross-check a framework; every problem in every file is reported at once."""
        try:
            folder = self.folder(ref).resolve()
        except (OSError, RuntimeError) as exc:  # a link that leads round in a circle
            raise UsageError(f"the framework folder '{ref}' cannot be read ({exc})") from None
        return _read_once(folder)

    def current(self, today: dt.date) -> list[Framework]:
        """The frameworks a new evaluation can use today (not hidden, not of a replaced edition),
        the default first."""
        out = []
        for found in self.found():
            if found.hidden_by is not None:
                continue
            try:
                fw = self.load(found.folder)
            except CompassError:
                continue  # a broken framework is reported when it is named, not offered
            if fw.meta.applies_until is None or fw.meta.applies_until >= today:
                out.append(fw)
        return sorted(out, key=lambda fw: (fw.id != DEFAULT_FRAMEWORK, fw.id))

    def by_type(self, kind: str) -> Framework:
        """The framework of the latest edition that evaluates this kind of institution (for --type)."""
        matches = []
        for found in self.found():
            if found.hidden_by is not None:
                continue
            fw = self.load(found.folder)
            types = fw.meta.institution.types
            if fw.meta.applies_until is None and any(t == kind or t.startswith(kind) for t in types):
                matches.append(fw)
        if not matches:
            kinds = sorted({t for f in self.found() if f.hidden_by is None
                            for t in self.load(f.folder).meta.institution.types})
            raise UsageError(f"no framework evaluates a '{kind}' (types: {', '.join(kinds)})")
        return max(matches, key=lambda fw: (fw.meta.edition, fw.id))


def _framework_folders(root: Path, origin: str) -> list[Path]:
    """The framework folders in one search-path entry (itself, or its subfolders)."""
    try:
        if (root / "framework.yaml").is_file():
            return [root]
        if not root.is_dir():
            raise UsageError(f"{origin} {root}: no such folder")
        return sorted(p for p in root.iterdir() if (p / "framework.yaml").is_file())
    except OSError as exc:
        raise UsageError(f"{origin} {root}: cannot be read ({exc.strerror or exc})") from None


def _framework_id(folder: Path) -> str:
    """The id a framework.yaml gives, or the folder's name where the file cannot be read (loading
    it later reports why).

    Every command looks at every framework on the search path to find the one it needs; the id
    of each is kept in the cache by the digest of its framework.yaml (framework_cache.py), so
    that none is parsed again until its text changes."""
    from compass_cli.core.framework_cache import framework_ids

    try:
        path = framework_file(folder, "framework.yaml")
        text = read_text(path, max_bytes=MAX_QUESTIONNAIRE_BYTES, what="a questionnaire file")
    except InputError:
        return folder.name
    ids = framework_ids()
    digest = text_digest(text)
    fid = ids.get(digest)
    if fid is None:
        try:
            fid = parse_document(path, text, "a questionnaire file").data.get("id")
        except InputError:
            return folder.name
        if not isinstance(fid, str) or not fid:
            return folder.name
        ids.remember(digest, fid)
    return fid


@lru_cache(maxsize=16)
def _default_frameworks(search: str) -> Frameworks:
    """The frameworks found with the COMPASS_FRAMEWORKS in force (one per value, so a batch of
    thousands of answer files finds each framework once)."""
    return Frameworks(environ={FRAMEWORKS_ENV: search})


def load_framework(ref: str | Path | None = None, frameworks: Frameworks | None = None) -> Framework:
    """Load and cross-check a framework by id or folder; every problem in every file is reported."""
    return (frameworks or _default_frameworks(os.environ.get(FRAMEWORKS_ENV, ""))).load(ref)


_KEEP_INSIDE = "a framework reads only the files in its own folder: copy the file into the folder"


def _outside(folder: Path, name: str) -> str | None:
    """Why the file ``name`` of a framework folder is not in it, or None when it is.

    Lexically first (an absolute name, or one that climbs out with ``..``), then with every
    link followed, so neither a linked file nor a linked sub-folder can lead elsewhere."""
    if Path(name).is_absolute() or os.path.normpath(name).split(os.sep)[0] == os.pardir:
        return "is outside the framework folder"
    try:
        base, real = folder.resolve(), (folder / name).resolve()
    except (OSError, RuntimeError):  # a link that leads round in a circle: reading it says so
        return None
    if not real.is_relative_to(base):
        return f"is a link to {real}, outside the framework folder {base}"
    return None


def framework_file(folder: Path, name: str) -> Path:
    """The file ``name`` of the framework folder ``folder``; InputError about it if it lies outside."""
    why = _outside(folder, name)
    if why is not None:
        raise InputError.one(folder / name, f"{why}; {_KEEP_INSIDE}")
    return folder / name


def _read_questionnaire(folder: Path, name: str, sources: dict[str, str] | None = None) -> Document:
    """One file of a framework folder (framework.yaml, a benchmark, national.yaml, a migration map),
    never one outside it; its digest is added to ``sources`` (what the cache is fingerprinted by)."""
    doc = read_document(framework_file(folder, name), max_bytes=MAX_QUESTIONNAIRE_BYTES, what="a questionnaire file")
    if sources is not None:
        sources[name] = text_digest(doc.text)
    return doc


def text_digest(text: str) -> str:
    """The digest of a file's text, as ``Framework.sources`` keeps it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_digest(folder: Path, name: str) -> str | None:
    """The digest of the file ``name`` of a framework folder as it is now, read no further than the
    size limit; None if it is outside the folder, too large, or cannot be read (reading the
    framework afresh then says why)."""
    if _outside(folder, name) is not None:
        return None
    try:
        return text_digest(read_regular(folder / name, MAX_QUESTIONNAIRE_BYTES).decode("utf-8-sig"))
    except (InputError, UnicodeDecodeError):
        return None


def optional_files(folder: Path) -> list[str]:
    """The files a framework folder may hold besides framework.yaml and its benchmarks (national.yaml,
    the migration maps) that are there now: a file added later must make the cache read afresh."""
    found = ["national.yaml"] if (folder / "national.yaml").is_file() else []
    return found + [f"migrations/{p.name}" for p in migration_files(folder)]


def read_framework(folder: Path) -> Framework:
    """Read and cross-check the framework in ``folder`` afresh (``compass validate`` of a folder being
    edited); every problem in every file is reported at once."""
    problems: list[Problem] = []
    sources: dict[str, str] = {}
    meta_doc = _read_questionnaire(folder, "framework.yaml", sources)
    try:
        meta: FrameworkFile = validate(FrameworkFile, meta_doc)
    except InputError as exc:
        raise InputError(f"{folder}: invalid questionnaire", exc.problems) from None
    benchmarks: list[Benchmark] = []
    docs: dict[str, Document] = {"framework.yaml": meta_doc}
    for n, name in enumerate(meta.benchmarks):
        why = _outside(folder, name)
        if why is not None:
            problems.append(Problem(str(folder / "framework.yaml"), f"'{name}' {why}; {_KEEP_INSIDE}",
                                    meta_doc.line_of(("benchmarks", n)), f"benchmarks[{n}]"))
            continue
        try:
            doc = _read_questionnaire(folder, name, sources)
            benchmarks.append(validate(Benchmark, doc))
            docs[benchmarks[-1].id] = doc
        except InputError as exc:
            problems += exc.problems
    national = None
    if (folder / "national.yaml").is_file():
        try:
            doc = _read_questionnaire(folder, "national.yaml", sources)
            national = validate(NationalFigures, doc)
            docs["national.yaml"] = doc
        except InputError as exc:
            problems += exc.problems
    framework = Framework(meta=meta, benchmarks=benchmarks, national=national, folder=folder, sources=sources)
    if not problems:
        from compass_cli.core.checks import check_framework  # only when a folder is read afresh

        problems += check_framework(framework, folder, docs)
        problems += _migration_problems(framework, folder, sources)
    if problems:
        raise InputError(f"{folder}: invalid questionnaire", problems)
    return framework


@lru_cache(maxsize=16)
def _read_once(folder: Path) -> Framework:
    """Each framework folder read once per process (a batch of thousands of answer files shares
    it), and kept between commands in the user's cache folder (framework_cache.py)."""
    from compass_cli.core.framework_cache import load_cached

    return load_cached(folder, read_framework)


def migration_files(folder: Path) -> list[Path]:
    """The migration maps of a framework folder: ``migrations/<from-id>.yaml``."""
    found = folder / "migrations"
    return sorted(found.glob("*.yaml")) if found.is_dir() else []


def load_migration(framework: Framework, from_id: str) -> Migration | None:
    """The migration map from framework ``from_id`` to ``framework``, or None if it has none."""
    if framework.folder is None:
        return None
    for path in migration_files(framework.folder):
        doc = _read_questionnaire(framework.folder, f"migrations/{path.name}")
        migration: Migration = validate(Migration, doc)
        if migration.from_ == from_id:
            return migration
    return None


def _migration_problems(framework: Framework, folder: Path, sources: dict[str, str]) -> list[Problem]:
    """Each migration map must load, and carry answers only to questions of this framework."""
    problems: list[Problem] = []
    for path in migration_files(folder):
        try:
            doc = _read_questionnaire(folder, f"migrations/{path.name}", sources)
            migration = validate(Migration, doc)
        except InputError as exc:
            problems += exc.problems
            continue
        for old_id, new_id in migration.carry.items():
            if not framework.has_question(new_id):
                problems.append(Problem(str(path), f"{new_id} is not a question of {framework.id}",
                                        doc.line_of(("carry", old_id)), f"carry.{old_id}"))
    return problems
