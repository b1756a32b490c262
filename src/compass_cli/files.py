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
  where it is, and only once a complete copy is safe: the full new text is first written
  and flushed to a temporary file beside it, the old text is kept in memory and the space
  the new text needs is reserved. The original is then overwritten with its first byte
  set to NUL until everything else is written and flushed, so a file cut off part-way (a
  power cut, ``kill -9``) is never read as a complete one (:func:`read_regular` refuses it
  and names the complete copy). If the overwrite fails (the disk filled up), the old text
  is put back and the temporary copy removed; only if putting it back fails too does the
  copy stay, and the error names it as the one to keep (``SaveError.kept``).
* A read-only file, or something that is not a regular file (a folder, a device, a pipe),
  is never replaced, and a pipe swapped in for the file is never waited on.
* A writer that holds a :class:`Claim` passes a ``check`` that is run just before the
  rename (or the overwrite): the file on disk must still be the one it read.

Before writing (:func:`check_output`). Every command that writes asks here first: an
output that is one of the command's own input files (after following links), or that
exists and is not a regular file (``/dev/full``, a pipe, a folder), is refused; ``-`` means
the screen. A command that saves an answer file in place (the audit, ``records fill``) also
asks :func:`check_writable` before it starts.

Reading (:func:`read_regular`). Only a regular file is opened (a pipe would wait for ever,
``/dev/zero`` never ends), and never more than the size limit is read, whatever the file
claims its size is.

One writer at a time (:class:`Claim`). Every command that writes an answer file (the
audit for as long as it runs; ``records fill``, ``migrate`` and ``template`` while they
write) holds an OS lock on a small file beside it (``.answers.yaml.lock``); the OS
releases it however the process ends, and a second writer is refused at once. The lock
file is opened without following a link and used only if it is a regular file with one
name, so a link planted in a shared folder can never make compass write to another file;
nothing that matters is ever written into it. A writer also remembers a fingerprint of
the answer file (size, modification time, SHA-256) from before it read it, and checks just
before each save that the file on disk is still that one, so a change made by another
program is never overwritten. Temporary copies of our own left beside the answer file by
a save that was cut off (``.answers.yaml.x1y2z3a4.tmp``) are removed when it is next claimed.

No rich and no typer here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import re
import shlex
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
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


def check_writable(path: Path) -> None:
    """Refuse, before anything is asked or worked out, an answer file that could not be saved later."""
    folder = path.parent if str(path.parent) else Path(".")
    if is_read_only(path):
        raise SaveError(f"cannot save to {path}: the file is read-only. Make it writable, or copy it and "
                        f"carry on with the copy: compass audit COPY.yaml")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"cannot save to {path}: the folder {folder} is read-only")


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
    if data[:1] == INCOMPLETE:
        raise InputError.one(name, cut_off(path))
    return data


def cut_off(path: Path) -> str:
    """What to say about a file whose in-place save was cut off (it starts with :data:`INCOMPLETE`)."""
    target = Path(os.path.realpath(path))
    copies = [copy for name in _names(target) for copy in temporaries(target.parent / name)]
    said = "was cut off while compass was saving it, so it is incomplete"
    if not copies:
        return (f"{said}. If it has another name (a hard link), the complete copy to keep is beside that one "
                "(.NAME.x1y2z3a4.tmp); otherwise put back your last copy of it")
    newest = beside(path, max(copies, key=lambda p: p.stat().st_mtime_ns).name)
    return (f"{said}. The complete copy to keep is {newest}: copy it over the file "
            f"(cp {shlex.quote(str(newest))} {shlex.quote(str(path))}), then run the command again")


def _names(target: Path) -> list[str]:
    """The names of ``target``'s file in its folder: a file with several names is saved under any of them."""
    try:
        me, names = os.stat(target), os.listdir(target.parent)
    except OSError:
        return [target.name]
    found = []
    for name in names:
        with contextlib.suppress(OSError):
            if os.path.samestat(os.stat(target.parent / name, follow_symlinks=False), me):
                found.append(name)
    return found


def beside(path: Path, name: str) -> Path:
    """The file ``name`` in the folder of the file ``path`` leads to, named as the user would find it:
    beside ``path`` as given, unless ``path`` is a link to another folder."""
    target = Path(os.path.realpath(path))
    shown = path.parent / name
    return shown if os.path.realpath(path.parent) == str(target.parent) else target.parent / name


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

#: Flags that keep ``os.open`` from waiting on a pipe or taking over a terminal (none on Windows).
_NOT_WAITING = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
#: The first byte of a file while it is overwritten in place: a NUL, which no answer file,
#: report or template starts with, so a file cut off part-way is never taken for a whole one.
INCOMPLETE = b"\0"
#: Our temporary copies beside ``NAME``: ``.NAME.`` + mkstemp's eight characters + ``.tmp``.
_TEMPORARY = "[a-z0-9_]{8}"


@dataclass(frozen=True)
class Fingerprint:
    """A file's content and when it was last written: changed if any of the three differs."""

    size: int
    mtime_ns: int
    sha256: str


def fingerprint(path: str | Path) -> Fingerprint | None:
    """The file as it is on disk now; None when there is no file.

    Something that is not a regular file gets a fingerprint of its kind, without being
    opened at all or, if it is swapped in after the check, without waiting: reading a named
    pipe nobody writes to would wait for ever.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return Fingerprint(-1, info.st_mtime_ns, _kind(info.st_mode))
        fd = os.open(path, os.O_RDONLY | _NOT_WAITING)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Fingerprint(-1, info.st_mtime_ns, _kind(info.st_mode))
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return Fingerprint(info.st_size, info.st_mtime_ns, digest.hexdigest())


def write_atomic(path: str | Path, content: str | bytes, *, check: Callable[[], None] | None = None) -> Fingerprint:
    """Write ``content`` to ``path`` so that either the old or the new file survives anything.

    Text is written as UTF-8; bytes (a PDF) as they are. See the module docstring for links,
    hard links, permissions and read-only files. ``check`` is called once the new text is
    safely on disk, just before it takes the place of the old, and stops the save by raising
    SaveError (a :class:`Claim` checks there that nobody else saved the file meanwhile).
    Returns the fingerprint of what was written. Raises SaveError, with the previous copy
    unchanged (or, rarely, for a file with hard links, a complete copy kept and named in ``kept``).
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
            return _write_in_place(path, target, data, check)
    return _replace(path, target, data, info, check)


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
        _drop(tmp)
        raise SaveError(f"cannot write {path}: {_reason(exc)}; the previous copy is unchanged") from None
    return tmp


def _drop(tmp: str) -> None:
    """Remove a temporary copy no longer wanted (one already gone is no matter)."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _replace(path: Path, target: Path, data: bytes, info: os.stat_result | None,
             check: Callable[[], None] | None) -> Fingerprint:
    mode = info.st_mode & 0o7777 if info is not None else 0o666 & ~_umask()
    tmp = _temporary(path, target, data, mode)
    _checked(check, tmp)
    try:
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # an administrator saving a colleague's file keeps it theirs
                os.chown(tmp, info.st_uid, info.st_gid)
        written = os.stat(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        _drop(tmp)
        raise SaveError(f"cannot write {path}: {_reason(exc)}; the previous copy is unchanged") from None
    _sync_folder(target.parent)
    return Fingerprint(len(data), written.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _checked(check: Callable[[], None] | None, tmp: str) -> None:
    """Run the writer's last check; if it stops the save, the temporary copy goes too."""
    if check is None:
        return
    try:
        check()
    except BaseException:
        _drop(tmp)
        raise


def _write_in_place(path: Path, target: Path, data: bytes, check: Callable[[], None] | None) -> Fingerprint:
    """Update a file with several hard links where it is, only once a complete copy is safe beside it.

    The temporary copy is removed afterwards, whether the file was updated or left as it was;
    it is kept only when the file may be incomplete (``SaveError.kept`` names it).
    """
    tmp = _temporary(path, target, data, 0o600)
    _checked(check, tmp)
    try:
        written = _overwrite_or_put_back(path, target, data, tmp)
    except SaveError as exc:
        if exc.kept is None:
            _drop(tmp)
        raise
    _drop(tmp)
    _sync_folder(target.parent)
    return Fingerprint(len(data), written.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _overwrite_or_put_back(path: Path, target: Path, data: bytes, tmp: str) -> os.stat_result:
    """Overwrite ``target`` with ``data`` where it is; what it is then (``os.fstat``), or SaveError.

    The old text is kept in memory and the space the new one needs is reserved before the
    file is touched; if the overwrite fails all the same, the old text is put back, so the
    file is either wholly old or wholly new. Only when putting it back fails too is the file
    left incomplete (its first byte a NUL, so it is never read as whole), and the complete
    copy ``tmp`` is named as the one to keep.
    """
    failed = f"cannot write {path}"
    try:
        fd = os.open(target, os.O_RDWR | _NOT_WAITING)
    except OSError as exc:
        raise SaveError(f"{failed}: {_reason(exc)}; the previous copy is unchanged") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise SaveError(f"{failed}: it is {_kind(mode)}, not a regular file; it is unchanged")
        old = _read_all(fd)
        try:
            _reserve(fd, len(data))
            _overwrite(fd, data)
            return os.fstat(fd)
        except OSError as exc:
            try:
                _overwrite(fd, old)
            except OSError:
                kept = beside(path, os.path.basename(tmp))
                raise SaveError(f"{failed}: {_reason(exc)}, and its previous text could not be put back, so "
                                f"{path} is incomplete: do not use it. The complete copy to keep is {kept}: copy it "
                                f"over {path} (cp {shlex.quote(str(kept))} {shlex.quote(str(path))})",
                                kept=kept) from None
            raise
    except OSError as exc:
        raise SaveError(f"{failed}: {_reason(exc)}; the previous copy is unchanged") from None
    finally:
        os.close(fd)


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    blocks = []
    while block := os.read(fd, 1 << 16):
        blocks.append(block)
    return b"".join(blocks)


def _reserve(fd: int, size: int) -> None:
    """Make sure the disk has room for ``size`` bytes of this file before any of it is overwritten.

    Not every system or file system can (Windows, macOS, some network drives): there the
    old text, kept in memory, is what protects the file.
    """
    if size and hasattr(os, "posix_fallocate"):
        try:
            os.posix_fallocate(fd, 0, size)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.EOPNOTSUPP, errno.ENOSYS):
                raise


def _overwrite(fd: int, data: bytes) -> None:
    """Make the file ``data``, its first byte :data:`INCOMPLETE` until all the rest is on disk."""
    if data:
        _write_at(fd, 0, INCOMPLETE)
        os.fsync(fd)
        _write_at(fd, 1, data[1:])
    os.ftruncate(fd, len(data))
    os.fsync(fd)
    if data:
        _write_at(fd, 0, data[:1])
        os.fsync(fd)


def _write_at(fd: int, offset: int, data: bytes) -> None:
    os.lseek(fd, offset, os.SEEK_SET)
    view = memoryview(data)
    while view:
        done = os.write(fd, view)
        if done <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[done:]


def temporaries(target: Path) -> list[Path]:
    """Our temporary copies beside ``target`` (``.NAME.x1y2z3a4.tmp``), left by saves that were cut off."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.{_TEMPORARY}\.tmp")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    return sorted(target.parent / name for name in names if pattern.fullmatch(name))


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


# --------------------------------------------------------------------------- one writer at a time


class Claim:
    """A command's hold on the answer file it writes: an audit's from before the first question
    to the end, ``records fill``'s, ``migrate``'s or ``template``'s while they work.

    Two writers of one file would each overwrite the other's answers, so the first holds an
    exclusive OS lock on a lock file beside the answer file (``.NAME.lock``, beside the file a
    link points to, so two links to one file share it) and a second is refused at once,
    told which command holds it. The lock is not waited for, and the OS releases it however
    the process ends (Ctrl-C, a crash, a closed terminal). The lock file is left in place:
    removing it could let a third writer lock a new file while the second still holds the old one.

    The lock file may be in a shared folder where anyone can put a file of that name, so it
    is opened without following a link, without being emptied, and used only if it is a
    regular file with no other name (anything else is refused, saying to remove it). The
    holder's words ("compass audit, process 4242, since 10:05") are written into it only if
    it holds nothing else, as a lock file of ours does.

    Programs other than compass do not take the lock, so :meth:`write` also checks, just
    before every save, that the answer file is still the one last read or written; if not,
    nothing is written and SaveError says so. Where the file system cannot lock (some network
    drives), the command runs without the lock and this check still guards every save.
    """

    def __init__(self, path: Path, seen: Fingerprint | None, command: str = "audit") -> None:
        """``seen``: the answer file as it was before it was read (None: there was none)."""
        self.path = path
        self.target = Path(os.path.realpath(path))
        self.lock_path = self.target.parent / f".{self.target.name}.lock"
        self.known = seen
        self.command = command
        self._fd: int | None = None

    def __enter__(self) -> Claim:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()

    def acquire(self) -> None:
        """Lock, or UsageError naming the file and the command that has it, or a lock file that is not ours."""
        fd = _open_lock(self.lock_path, beside(self.path, self.lock_path.name), self.path)
        if fd is None:
            return  # a read-only folder: the save that follows says so, in the usual words
        try:
            _lock(fd)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise UsageError(_held(self.path, holder)) from None
        except OSError:
            os.close(fd)  # the file system cannot lock: the fingerprint check still guards each save
            return
        self._fd = fd
        _sign(fd, f"compass {self.command}, process {os.getpid()}, since {dt.datetime.now():%H:%M}")
        if fingerprint(self.target) != self.known:
            self.release()
            raise SaveError(f"{self.path} changed on disk while compass was reading it; run the command again")
        _remove_temporaries(self.target)

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    def write(self, path: Path, text: str) -> Fingerprint:
        """Save, unless the file changed on disk since it was read or last saved here."""
        self.known = write_atomic(path, text, check=lambda: self._unchanged(path))
        return self.known

    def _unchanged(self, path: Path) -> None:
        now = fingerprint(self.target)
        if now == self.known:
            return
        if now is not None and now.size < 0:
            raise SaveError(f"{path} is now {now.sha256}, not the answer file compass read; the answer on screen "
                            "was not saved")
        raise SaveError(f"{path} changed on disk since compass read it (another program or person saved it); "
                        "the answer on screen was not saved, and the file is as they left it")


def _open_lock(lock: Path, shown: Path, path: Path) -> int | None:
    """The lock file open (made if missing), None if it cannot be, or UsageError (naming the lock
    file as ``shown``) if it is not one we may use.

    A link there (``ln -s precious.txt .answers.yaml.lock``) could make compass write to
    another file, a second name of another file (a hard link) likewise, and a pipe or device
    could hang it, so none of them is opened for writing: O_NOFOLLOW refuses a link at the
    moment of opening, and the open file is checked again.
    """
    try:
        info: os.stat_result | None = os.lstat(lock)
    except FileNotFoundError:
        info = None
    except OSError:
        return None
    if info is not None and (not stat.S_ISREG(info.st_mode) or info.st_nlink != 1):
        raise UsageError(_bad_lock(shown, path, info))
    flags = getattr(os, "O_NOFOLLOW", 0) | _NOT_WAITING
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | flags, 0o666)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # a link put there since the check
            raise UsageError(_bad_lock(shown, path, None)) from None
        if exc.errno not in (errno.EACCES, errno.EPERM) or info is None:
            return None
        try:  # a colleague's lock file we may not write: locking needs only to read it
            fd = os.open(lock, os.O_RDONLY | flags)
        except OSError:
            return None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise UsageError(_bad_lock(shown, path, info))
    return fd


def _bad_lock(lock: Path, path: Path, info: os.stat_result | None) -> str:
    if info is None or stat.S_ISLNK(info.st_mode):
        what = "a link"
    elif stat.S_ISREG(info.st_mode):
        what = "a file with another name too (a hard link)"
    else:
        what = _kind(info.st_mode)
    return (f"{lock} is {what}, not the lock file compass keeps beside {path}; compass will not use it, as it "
            f"could make compass write to another file. Remove it (rm {shlex.quote(str(lock))}) and run the "
            "command again")


#: Who holds a lock, as written after the first byte of a lock file of ours (that byte, a
#: NUL, is the one locked on Windows, where a locked byte cannot be read by anyone else).
_HOLDER = re.compile(rb"(?:compass ([a-z ]{1,20}), )?process (\d{1,10}), since (\d\d:\d\d)\n?")


def _sign(fd: int, words: str) -> None:
    """Write who holds the lock after its first byte, but only over what a lock file of ours holds."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        held = os.read(fd, 100)
        if held[:1] not in (b"", b"\0") or (held[1:] and not _HOLDER.fullmatch(held[1:])):
            return  # someone else's content: the lock works all the same, and it is left as it is
        os.ftruncate(fd, 1)
        _write_at(fd, 1, f"{words}\n".encode())
    except OSError:
        pass  # a lock file we may only read: the lock works all the same


def _holder(fd: int) -> tuple[str, str]:
    """The command holding the lock and its process ("audit", "process 4242, since 10:05"),
    from the lock file's words; only words of ours are repeated, never whatever is there."""
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        said = _HOLDER.fullmatch(os.read(fd, 100))
    except OSError:
        said = None
    if said is None:
        return "command", "another process"
    command = (said.group(1) or b"audit").decode()  # older lock files name only the process: an audit
    return command, f"process {said.group(2).decode()}, since {said.group(3).decode()}"


def _held(path: Path, holder: tuple[str, str]) -> str:
    command, process = holder
    if command == "audit":
        return f"{path} is open in another compass audit ({process}); close that one first"
    return f"{path} is being written by another compass {command} ({process}); try again when it has finished"


def _remove_temporaries(target: Path) -> None:
    """Remove our temporary copies beside a claimed answer file: the claim means no save of ours is under way.

    Kept when the answer file is incomplete: then one of them is the complete copy to keep
    (read_regular names it). Only our own are removed: a regular file with one name, of
    this user, named as mkstemp names ours.
    """
    try:
        fd = os.open(target, os.O_RDONLY | _NOT_WAITING)
    except OSError:
        pass  # no answer file yet
    else:
        try:
            if os.read(fd, 1) == INCOMPLETE:
                return
        except OSError:
            return
        finally:
            os.close(fd)
    me = os.geteuid() if hasattr(os, "geteuid") else None
    for tmp in temporaries(target):
        try:
            info = os.lstat(tmp)
            if stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and me in (None, info.st_uid):
                os.unlink(tmp)
        except OSError:
            pass


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

