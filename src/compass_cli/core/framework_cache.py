"""A framework read once, then kept in the user's cache folder (compass_cli/cache.py) for the next command.

Reading a framework means parsing, validating and cross-checking a dozen questionnaire
files: most of what a one-file command such as ``compass score answers.yaml`` would spend,
were the result not kept. One cache file per framework folder; its first line is a
fingerprint of everything the framework was made from: the name and bytes of every file in
the folder, and the versions of compass, its core code, pydantic and Python. The framework is
taken from the cache only while the fingerprint matches, so an edited questionnaire is read
afresh the next time (and the cache rewritten), never served stale.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from compass_cli import __version__
from compass_cli.cache import cache_folder, keep, open_trusted
from compass_cli.core.framework import Framework

#: A folder bigger than this is read every time: hashing it would cost what the cache saves.
MAX_FILES = 200
MAX_BYTES = 8 * 1024 * 1024
#: The core package: a change to the models changes what a cached framework means.
_CODE = Path(__file__).resolve().parent


def load_cached(folder: Path, read: Callable[[Path], Framework]) -> Framework:
    """The framework in ``folder`` (a resolved path), from the cache when it is up to date;
    otherwise ``read(folder)``, then kept for next time. An error of ``read`` (an invalid
    framework) passes through, and nothing is kept."""
    where = cache_folder("frameworks")
    fingerprint = _fingerprint(folder) if where is not None else None
    if where is None or fingerprint is None:
        return read(folder)
    path = where / (hashlib.sha256(str(folder).encode()).hexdigest()[:32] + ".pickle")
    cached = _read(path, fingerprint)
    if cached is not None:
        return cached
    framework = read(folder)

    def write(f: IO[bytes]) -> None:
        f.write(fingerprint + b"\n")
        pickle.dump(framework, f, protocol=pickle.HIGHEST_PROTOCOL)

    keep(path, write)
    return framework


def _fingerprint(folder: Path) -> bytes | None:
    """What the framework is made of, hashed; None for a folder too big (or too odd) to be worth it."""
    from pydantic.version import VERSION

    digest = hashlib.sha256()
    for part in (__version__, sys.version, VERSION):
        digest.update(part.encode() + b"\0")
    total = 0
    try:
        for code in sorted(_CODE.glob("*.py")):
            st = code.stat()
            digest.update(f"{code.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        if len(files) > MAX_FILES:
            return None
        for file in files:
            data = file.read_bytes()
            total += len(data)
            if total > MAX_BYTES:
                return None
            digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(len(data).to_bytes(8, "big") + data)
    except (OSError, ValueError):
        return None
    return digest.hexdigest().encode()


def _read(path: Path, fingerprint: bytes) -> Framework | None:
    """The cached framework if the file is there, trusted and up to date; otherwise None."""
    f = open_trusted(path)
    if f is None:
        return None
    with f:
        try:
            if f.readline().rstrip(b"\n") != fingerprint:
                return None
            framework = pickle.load(f)
        except Exception:  # noqa: BLE001 - a cache that cannot be read only means reading the folder
            return None
    return framework if isinstance(framework, Framework) else None
