"""Writing files so that nothing already saved is ever lost.

A write goes to a temporary file in the same folder, is flushed to disk, and then
replaces the target in one step (``os.replace``), so a power cut or Ctrl-C leaves either
the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from compass_cli.errors import SaveError


def is_read_only(path: Path) -> bool:
    """An existing file that must not be replaced.

    ``os.replace`` needs only a writable folder, so without this check a write would quietly
    replace a file its owner made read-only. A file with no write bit at all counts as
    read-only even for an administrator, who could write to it anyway.
    """
    return path.is_file() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222)


def write_atomic(path: str | Path, text: str) -> None:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if is_read_only(path):
        raise SaveError(f"cannot write {path}: the file is read-only; it is unchanged")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SaveError(f"cannot write {path}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            # keep the old file's permissions where we can; a new file gets the usual ones
            # (mkstemp makes it private, which would hide a report from colleagues on a shared drive)
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise SaveError(f"cannot write {path}: {_reason(exc)}; the previous copy is unchanged") from None


def _umask() -> int:
    """The process umask (it can only be read by setting it, so set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (is the folder or file read-only?)"
    if exc.errno == errno.ENOENT:
        return "the folder does not exist"
    return exc.strerror or str(exc)


#: The output format a file's ending names, for commands whose -o can stand for --format.
FORMAT_OF_SUFFIX = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def format_of(path: Path) -> str | None:
    """The format a file name asks for (plan.html: "html"), or None when its ending says nothing."""
    return FORMAT_OF_SUFFIX.get(path.suffix.lower())
