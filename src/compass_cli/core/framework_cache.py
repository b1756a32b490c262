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
