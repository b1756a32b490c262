"""A framework read once, then kept in the user's cache folder (compass_cli/cache.py) for the next command.

Reading a framework means parsing, validating and cross-checking a dozen questionnaire
files: most of what a one-file command such as ``compass score answers.yaml`` would spend,
were the result not kept. One cache file per framework folder; its first line is a
fingerprint of everything the framework was made from, and the names of the files it was
read from. The fingerprint covers exactly those files (``Framework.sources``: framework.yaml,
its benchmarks, national.yaml, its migration maps), by a digest of the text read, and which
of the files a framework may hold besides its benchmarks (national.yaml, migration maps) are
there, and the versions of compass, its core code, pydantic and Python. Nothing else in the
folder is read: a stray file of gigabytes beside the framework costs nothing. The framework
is taken from the cache only while the fingerprint matches, so an edited questionnaire is
read afresh the next time (and the cache rewritten), never served stale; a file over the
size limit is never read past it here, and reading the framework afresh names it.

The digests written are those of the text the framework was built from, and which optional
files were there is looked at before it is read, so a file changed while it is being read
makes the next command read it again rather than keep a stale copy.

Beside them, ``ids.json`` keeps the id of each framework.yaml met on the search path, by the
digest of its text (:func:`framework_ids`): every command looks at every framework found to
pick the one it needs, and would otherwise parse each framework.yaml to learn its id. JSON
runs no code, but the file is read only if it can be trusted all the same: the ids decide
which folder a framework id means.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, BinaryIO

from compass_cli import __version__
from compass_cli.cache import cache_folder, keep, open_trusted
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import optional_files, source_digest

#: The longest first line of a cache file read (the fingerprint, and the names of a framework's files).
MAX_HEADER = 64 * 1024
#: The most framework ids kept: more are a sign of a folder of frameworks edited again and again; start afresh.
MAX_IDS = 1000
#: The largest ids.json read.
MAX_IDS_BYTES = 256 * 1024
#: The core package: a change to the models changes what a cached framework means.
_CODE = Path(__file__).resolve().parent


def load_cached(folder: Path, read: Callable[[Path], Framework]) -> Framework:
    """The framework in ``folder`` (a resolved path), from the cache when it is up to date;
    otherwise ``read(folder)``, then kept for next time. An error of ``read`` (an invalid
    framework) passes through, and nothing is kept."""
    where = cache_folder("frameworks")
    if where is None:
        return read(folder)
    path = where / (hashlib.sha256(str(folder).encode()).hexdigest()[:32] + ".pickle")
    cached = _read(path, folder)
    if cached is not None:
        return cached
    try:
        present = optional_files(folder)  # before reading: one added meanwhile is seen next time
    except OSError:
        return read(folder)
    framework = read(folder)
    if not framework.sources:  # nothing to tell a changed framework by: never kept
        return framework
    header = _fingerprint(present, framework.sources) + b" " + json.dumps(sorted(framework.sources)).encode()
    if len(header) >= MAX_HEADER:
        return framework

    def write(f: IO[bytes]) -> None:
        f.write(header + b"\n")
        pickle.dump(framework, f, protocol=pickle.HIGHEST_PROTOCOL)

    keep(path, write)
    return framework


def _fingerprint(present: Sequence[str], sources: Mapping[str, str | None]) -> bytes:
    """What the framework is made of, hashed: the versions and core code, the optional files there,
    and the digest of each file it was read from."""
    from pydantic.version import VERSION

    digest = hashlib.sha256()
    for part in (__version__, sys.version, VERSION):
        digest.update(part.encode() + b"\0")
    for code in sorted(_CODE.glob("*.py")):
        st = code.stat()
        digest.update(f"{code.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    digest.update(json.dumps([sorted(present), sorted(sources.items())]).encode())
    return digest.hexdigest().encode()


def _read(path: Path, folder: Path) -> Framework | None:
    """The cached framework if the file is there, trusted and up to date; otherwise None."""
    f = open_trusted(path)
    if f is None:
        return None
    with f:
        try:
            if not _up_to_date(f, folder):
                return None
            framework = pickle.load(f)
        except Exception:  # noqa: BLE001 - a cache that cannot be read only means reading the folder
            return None
    return framework if isinstance(framework, Framework) else None


def _up_to_date(f: BinaryIO, folder: Path) -> bool:
    """Whether the first line of a cache file is the fingerprint of the framework's files as they are now."""
    fingerprint, _, names = f.readline(MAX_HEADER).rstrip(b"\n").partition(b" ")
    listed = json.loads(names)
    if not isinstance(listed, list) or not listed or not all(isinstance(n, str) for n in listed):
        return False
    sources = {name: source_digest(folder, name) for name in listed}
    return None not in sources.values() and _fingerprint(optional_files(folder), sources) == fingerprint


class FrameworkIds:
    """The id of each framework.yaml by the digest of its text: read from ids.json once, written when one is added."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, str] = self._read() if path is not None else {}

    def get(self, digest: str) -> str | None:
        return self.known.get(digest)

    def remember(self, digest: str, fid: str) -> None:
        if len(self.known) >= MAX_IDS:
            self.known = {}
        self.known[digest] = fid
        if self.path is not None:
            text = json.dumps(self.known, sort_keys=True).encode()

            def write(f: IO[bytes]) -> None:
                f.write(text)

            keep(self.path, write)

    def _read(self) -> dict[str, str]:
        assert self.path is not None
        f = open_trusted(self.path)
        if f is None:
            return {}
        with f:
            try:
                found = json.loads(f.read(MAX_IDS_BYTES + 1))
            except ValueError:  # cut short, or not JSON: learnt again
                return {}
        if not isinstance(found, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in found.items()):
            return {}
        return found


#: The ids kept, for each cache folder in use (tests and scripts may point COMPASS_CACHE elsewhere meanwhile).
_IDS: dict[Path | None, FrameworkIds] = {}


def framework_ids() -> FrameworkIds:
    """The framework ids kept in the cache folder in use (in this process only, when there is none)."""
    where = cache_folder("frameworks")
    found = _IDS.get(where)
    if found is None:
        found = _IDS[where] = FrameworkIds(None if where is None else where / "ids.json")
    return found
