"""The user's cache folder: what compass keeps between commands so that the next one starts faster.

Two things are kept there: each framework as loaded and cross-checked (core/framework_cache.py),
and each report template as compiled (output/templating.py). Both are fingerprinted by what
they were made from, so a changed questionnaire or template is read afresh, never served stale.

The cache is a convenience and never a reason to fail: one that cannot be found, read,
written or trusted is passed over, and compass reads the originals as if there were no cache.
A cached file is trusted only when it belongs to the user running compass and nobody else can
write to it or to its folder, because what is kept is Python objects and code, and loading
them runs code.

Where: ``COMPASS_CACHE`` if set (``off`` turns the cache off); otherwise the user's cache
folder (``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux, ``~/Library/Caches`` on macOS,
``%LOCALAPPDATA%`` on Windows), in ``compass-cli``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO

CACHE_ENV = "COMPASS_CACHE"


def cache_folder(part: str) -> Path | None:
    """The folder for one kind of cached thing, or None when the cache is off or has nowhere to go."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off") else Path(chosen) / part
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "compass-cli" / "Cache" / part if base else None
    try:
        home = Path.home()
    except RuntimeError:  # no home folder to be found
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "compass-cli" / part
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache") / "compass-cli" / part


def open_trusted(path: Path) -> BinaryIO | None:
    """The cached file open for reading, if it is there and can be trusted; otherwise None."""
    try:
        f = path.open("rb")
    except OSError:
        return None
    try:
        if _trusted(os.fstat(f.fileno())) and _trusted(path.parent.stat()):
            return f
    except OSError:
        pass
    f.close()
    return None


def _trusted(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (always so on Windows, where the cache
    folder is the user's own)."""
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def keep(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write a cached file atomically (readers see the old one or the new one, whole), or
    quietly not, if the folder will not take it (read-only, full, or not there and not makeable)."""
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
        tmp = None
    except Exception:  # noqa: BLE001 - the cache is never a reason to fail
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
