"""Reading and writing files so that nothing already saved is ever lost, and nothing else is touched.

Writing (:func:`write_atomic`). The new text (or bytes, for a PDF) goes to a temporary file in the same folder,
is flushed to disk (``fsync``) and then replaces the target in one step (``os.replace``),
after which the folder itself is flushed, so a power cut or Ctrl-C leaves either the old
file or the new one, never half of one, and the new name survives the power cut too. (The
folder cannot be flushed on Windows; there the rename is as durable as the OS makes it.)

* A link is followed: ``sl.yaml -> shared/real.yaml`` updates ``shared/real.yaml`` and the
  link stays a link, so everyone reading the shared copy sees the change.
* The file keeps its permissions (and its owner, where the OS allows).
* A file with several names (hard links) cannot be replaced by a rename: only the name
  written would get the new text, the others would keep the old. Such a file is updated
  where it is: the full new text is first written and flushed to a temporary file beside
  it (a complete copy that survives anything), then the original is overwritten in place
  (truncated, written, flushed), then the temporary copy is removed. If the overwrite
  fails, the temporary copy stays and the error says where it is.
* A read-only file, or something that is not a regular file (a folder, a device, a pipe),
  is never replaced.

Before writing (:func:`check_output`). Every command that writes asks here first: an
output that is one of the command's own input files (after following links), or that
exists and is not a regular file (``/dev/full``, a pipe, a folder), is refused; ``-`` means
the screen.

Reading (:func:`read_regular`). Only a regular file is opened (a pipe would wait for ever,
``/dev/zero`` never ends), and never more than the size limit is read, whatever the file
claims its size is.

One audit at a time (:class:`Claim`). An audit holds an OS lock on a small file beside the
answer file (``.answers.yaml.lock``) for as long as it runs; the OS releases it however
the process ends. It also remembers a fingerprint of the answer file (size, modification
time, SHA-256) when it reads it and after every save, and before each save checks that the
file on disk is still the one it knows, so a change made by another program is never
overwritten.

No rich and no typer here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from compass_cli.errors import InputError, SaveError, UsageError

# --------------------------------------------------------------------------- what a path is


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def same_file(a: str | Path, b: str | Path) -> bool:
    """The same file, after following links (also when one of them does not exist yet)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        pass
    try:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
    except (OSError, ValueError):
        return False


def is_read_only(path: Path) -> bool:
    """An existing file that must not be replaced.

    ``os.replace`` needs only a writable folder, so without this check a write would quietly
    replace a file its owner made read-only. A file with no write bit at all counts as
    read-only even for an administrator, who could write to it anyway.
    """
    return path.is_file() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222)


# --------------------------------------------------------------------------- before writing


def check_output(output: Path | None, inputs: Iterable[Path], *, option: str = "--output") -> Path | None:
    """Where a command may write: None for the screen (no ``-o``, or ``-o -``), else ``output``.

    Every command that writes calls this before it writes anything. Refused (UsageError,
    exit 2): an output that is one of ``inputs`` (the same file after following links, so
    a link to an answer file counts), and an output that exists but is not a regular file
    (a folder, a device such as ``/dev/full``, a named pipe): replacing a device node or
    writing into a pipe is never what a report was meant to do.
    """
    if output is None or str(output) == "-":
        return None
    for source in inputs:
        if same_file(output, source):
            same = "" if str(source) == str(output) else f" (the same file as {source})"
            raise UsageError(f"{option} {output} is one of the answer files this command reads{same}; "
                             "choose another name for the output")
    try:
        mode = os.stat(output).st_mode
    except FileNotFoundError:
        return output
    except (OSError, ValueError) as exc:
        raise UsageError(f"{option} {output} cannot be used: {_reason(exc)}") from None
    if not stat.S_ISREG(mode):
        raise UsageError(f"{option} {output} is {_kind(mode)}, not a regular file; compass writes only files "
                         f"(leave out {option}, or give -, to write to the screen)")
    return output


# --------------------------------------------------------------------------- reading


def read_regular(path: Path, max_bytes: int, what: str = "an answer file") -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or InputError saying why not.

    The size on disk is checked first for a clear message, but never trusted alone: a file
    in /proc says 0, and a file can grow between the check and the read. So at most
    ``max_bytes + 1`` bytes are read.
    """
    name = str(path)
    too_large = f"files over {max_bytes:,} bytes are refused as too large to be {what}"
    with open_regular(path, what) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise InputError.one(name, f"is {size:,} bytes; {too_large}")
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise InputError.one(name, f"cannot be read ({_reason(exc)})") from None
    if len(data) > max_bytes:
        raise InputError.one(name, f"is over {max_bytes:,} bytes; {too_large}")
    return data


def open_regular(path: Path, what: str) -> BinaryIO:
    """A regular file open for reading (the caller closes it), or InputError saying why not:
    no such file, a folder, or a pipe, device or socket, which would hang or never end.

    The file is opened without waiting (a pipe swapped in after the check would otherwise
    hang the command) and checked again once open.
    """
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError.one(name, "no such file") from None
    except (OSError, ValueError) as exc:
        raise InputError.one(name, f"cannot be read ({_reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError.one(name, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError.one(name, f"is {_kind(info.st_mode)}, not a regular file; give {what} itself")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError.one(name, f"cannot be read ({_reason(exc)})") from None
    handle = os.fdopen(fd, "rb")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        handle.close()
        raise InputError.one(name, f"is {_kind(mode)}, not a regular file; give {what} itself")
    return handle


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Fingerprint:
    """A file's content and when it was last written: changed if any of the three differs."""

    size: int
    mtime_ns: int
    sha256: str


def fingerprint(path: str | Path) -> Fingerprint | None:
    """The file as it is on disk now; None when there is no file."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return Fingerprint(-1, info.st_mtime_ns, _kind(info.st_mode))
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except FileNotFoundError:
        return None
    return Fingerprint(info.st_size, info.st_mtime_ns, digest.hexdigest())


def write_atomic(path: str | Path, content: str | bytes) -> Fingerprint:
    """Write ``content`` to ``path`` so that either the old or the new file survives anything.

    Text is written as UTF-8; bytes (a PDF) as they are. See the module docstring for links,
    hard links, permissions and read-only files. Returns the fingerprint of what was written.
    Raises SaveError, with the previous copy unchanged (or, for a file with hard links, a complete copy kept and named).
    """
    path = Path(path)
    target = Path(os.path.realpath(path))  # a link is followed; the link itself stays
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except (OSError, ValueError) as exc:
        raise SaveError(f"cannot write {path}: {_reason(exc)}") from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise SaveError(f"cannot write {path}: it is {_kind(info.st_mode)}, not a regular file; it is unchanged")
        if is_read_only(target):
            raise SaveError(f"cannot write {path}: the file is read-only; it is unchanged")
        if info.st_nlink > 1:
            return _write_in_place(path, target, data)
    return _replace(path, target, data, info)


def _temporary(path: Path, target: Path, data: bytes, mode: int) -> str:
    """A flushed temporary copy of ``data`` beside ``target``; SaveError if it cannot be made."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise SaveError(f"cannot write {path}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            with contextlib.suppress(OSError):
                # mkstemp makes the file private, which would hide a report from colleagues on a shared drive
                os.chmod(tmp, mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise SaveError(f"cannot write {path}: {_reason(exc)}; the previous copy is unchanged") from None
    return tmp


def _replace(path: Path, target: Path, data: bytes, info: os.stat_result | None) -> Fingerprint:
    mode = info.st_mode & 0o7777 if info is not None else 0o666 & ~_umask()
    tmp = _temporary(path, target, data, mode)
    try:
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # an administrator saving a colleague's file keeps it theirs
                os.chown(tmp, info.st_uid, info.st_gid)
        written = os.stat(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise SaveError(f"cannot write {path}: {_reason(exc)}; the previous copy is unchanged") from None
    _sync_folder(target.parent)
    return Fingerprint(len(data), written.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _write_in_place(path: Path, target: Path, data: bytes) -> Fingerprint:
    """Update a file with several hard links where it is, with a complete copy kept until it is done."""
    tmp = _temporary(path, target, data, 0o600)
    try:
        with open(target, "r+b") as handle:
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
            written = os.fstat(handle.fileno())
    except OSError as exc:
        raise SaveError(f"cannot write {path}: {_reason(exc)}; it may be incomplete, and the complete new copy "
                        f"is in {tmp}") from None
    with contextlib.suppress(OSError):
        os.unlink(tmp)
    _sync_folder(target.parent)
    return Fingerprint(len(data), written.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _sync_folder(folder: Path) -> None:
    """Flush a folder, so that a rename in it survives a power cut (not possible on Windows)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot flush a folder; the rename has happened all the same
    finally:
        os.close(fd)


def _umask() -> int:
    """The process umask (it can only be read by setting it, so set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reason(exc: OSError | ValueError) -> str:
    if not isinstance(exc, OSError):
        return str(exc)
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (is the folder or file read-only?)"
    if exc.errno == errno.ENOENT:
        return "the folder does not exist"
    if exc.errno == errno.ENAMETOOLONG:
        return "the name is too long"
    if exc.errno == errno.ELOOP:
        return "it is a link that leads round in a circle"
    return exc.strerror or str(exc)


# --------------------------------------------------------------------------- one audit at a time


class Claim:
    """An audit's hold on its answer file, from before the first question to the end.

    Two audits of one file would each overwrite the other's answers, so the first holds an
    exclusive OS lock on a lock file beside the answer file (``.NAME.lock``, beside the file a
    link points to, so two links to one file share it) and a second is refused at once.
    The lock is not waited for, and the OS releases it however the process ends (Ctrl-C,
    a crash, a closed terminal). The lock file is left in place: removing it could let a
    third audit lock a new file while the second still holds the old one.

    Programs other than compass do not take the lock, so :meth:`write` also checks, before
    every save, that the answer file is still the one last read or written; if not, nothing
    is written and SaveError says so. Where the file system cannot lock (some network
    drives), the audit runs without the lock and this check still guards every save.
    """

    def __init__(self, path: Path, seen: Fingerprint | None) -> None:
        self.path = path
        self.target = Path(os.path.realpath(path))
        self.lock_path = self.target.parent / f".{self.target.name}.lock"
        self.known = seen
        self._fd: int | None = None

    def __enter__(self) -> Claim:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()

    def acquire(self) -> None:
        """Lock, or UsageError naming the file when another audit has it open."""
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            return  # a read-only folder: the save that follows says so, in the usual words
        try:
            _lock(fd)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise UsageError(f"{self.path} is open in another compass audit ({holder}); close that one first") from None
        except OSError:
            os.close(fd)  # the file system cannot lock: the fingerprint check still guards each save
            return
        self._fd = fd
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 1)
            os.lseek(fd, 1, os.SEEK_SET)
            os.write(fd, f"process {os.getpid()}, since {dt.datetime.now():%H:%M}\n".encode())
        if fingerprint(self.target) != self.known:
            self.release()
            raise SaveError(f"{self.path} changed on disk while compass was reading it; run the command again")

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    def write(self, path: Path, text: str) -> None:
        """Save, unless the file changed on disk since it was read or last saved here."""
        if fingerprint(self.target) != self.known:
            raise SaveError(f"{path} changed on disk since compass read it (another program or person saved it); "
                            "the answer on screen was not saved, and the file is as they left it")
        self.known = write_atomic(path, text)


def _holder(fd: int) -> str:
    """What the lock file says about the audit holding it ("process 4242, since 10:05")."""
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        words = os.read(fd, 200).decode("utf-8", "replace").strip()
    except OSError:
        words = ""
    return words or "another process"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        """Lock the first byte (Windows locks ranges; the holder's words come after it)."""
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                raise BlockingIOError(exc.errno, exc.strerror) from None
            raise

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)

