"""Many files read by several processes, the answers handed back in the order of the files.

A hub's folder of thousands of answer files is parsed, checked and scored file by file, and
each file's work is independent of the others, so it spreads over the machine's cores. The
files are shared out in chunks, and the answers come back in the order the files were given,
so a summary or a batch of scores built from them is the same, figure for figure and line for
line, as one made in one process. Each answer is small (a row, a result, a bad file's
reasons) and is consumed as it arrives: no process holds every file.

A worker can be killed from outside (``kill -9``, or the system stopping the largest process
when memory runs short). ``multiprocessing.Pool`` then starts another and waits for ever for
the chunk the dead one held; here each worker has a pipe of its own, and the parent waits on
the pipes and on the workers' own exit at once, so a lost worker is noticed at once: the
others are stopped and ProcessLost says what happened. Nothing is guessed or redone (a worker
killed for want of memory would most likely be killed again).

Processes are started with ``fork`` on Linux: a worker starts in a few milliseconds and
inherits what the parent has loaded already (the frameworks found, the framework of the first
file). Elsewhere the platform's default (``spawn`` on macOS and Windows) is used, which
starts a fresh interpreter per worker and is only worth it for many files.

Workers ignore Ctrl-C: the terminal sends SIGINT to every process of the command, and only
the parent should answer it (it stops the workers, and the command says it was stopped).
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from compass_cli.errors import ProcessLost

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import DefaultContext, ForkContext
    from multiprocessing.process import BaseProcess

T = TypeVar("T")
R = TypeVar("R")

#: With fewer files than this no worker is started. Starting and stopping two forked workers
#: costs 20 to 40 ms on a 2-core machine, and a file about 3 ms, so two processes win from
#: some 15 to 30 files on; below 32 the gain would be a few milliseconds at best, and a loss
#: on a busy machine.
MIN_FILES_FOR_PROCESSES = 32

#: Files sent to a worker at a time: enough to make the round trip cheap, few enough that the
#: last files are shared out evenly and the first answers arrive at once.
MAX_CHUNK = 32


def cores() -> int:
    """The cores this process may use (its CPU affinity where the platform says, else every core)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _context() -> DefaultContext | ForkContext:
    """fork on Linux (quick, and the workers inherit the loaded frameworks); the platform's default elsewhere.

    multiprocessing is imported only here, when a pool is started: a run of a few files never pays for it."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _serve(task: Callable[[Any], Any], conn: Connection) -> None:
    """A worker: ignore Ctrl-C (the parent answers it), then do each chunk sent and send back its answers.

    A chunk's answers go back as ``(answers, error)``: the answers up to the item that raised,
    and what it raised (or None). An answer or error that cannot be sent back (it cannot be
    pickled) becomes an error about the chunk, rather than the end of the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):  # the parent has gone
            return
        answers: list[Any] = []
        error: BaseException | None = None
        try:
            for item in chunk:
                answers.append(task(item))
        except Exception as exc:  # noqa: BLE001 - raised in the parent, at its item
            error = exc
        try:
            conn.send((answers, error))
        except Exception as exc:  # noqa: BLE001 - an answer that cannot be pickled
            conn.send(([], RuntimeError(f"an answer could not be sent back from a worker process: {exc!r}")))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    #: the chunks sent and not yet answered, oldest first (a worker answers in the order it is sent)
    given: deque[int] = field(default_factory=deque)


#: Chunks given to a worker at a time: with a second one waiting, it never stops to wait for the parent.
_AHEAD = 2


@contextmanager
def in_order(task: Callable[[T], R], items: Sequence[T], jobs: int = 1) -> Iterator[Iterator[R]]:
    """``task`` applied to each of ``items``, with up to ``jobs`` processes, the answers in the order of ``items``.

    ``task`` must be picklable where the start method is not fork (a top-level function, or an
    instance of a top-level class); an instance keeps its own state in each worker (a cache).
    Its answers must be picklable, and so must any exception it lets out (a CompassError is:
    its problems travel with it); an exception is raised here, at the item that raised it.
    With one job, or fewer than MIN_FILES_FOR_PROCESSES items, everything happens in this
    process. The first item is always done here, before any worker starts, so what it loads
    (its framework, usually every file's) is loaded once and inherited. A worker that stops
    before it has answered (killed from outside) raises ProcessLost. Leaving the ``with``
    block, however it is left (the end, an error, Ctrl-C), stops the workers at once.
    """
    if jobs <= 1 or len(items) < MIN_FILES_FOR_PROCESSES:
        yield map(task, items)
        return
    workers: list[_Worker] = []
    try:
        yield _answers(task, items, jobs, workers)
    finally:
        for worker in workers:
            worker.process.terminate()
        for worker in workers:
            worker.process.join()
            worker.conn.close()


def _answers(task: Callable[[T], R], items: Sequence[T], jobs: int, workers: list[_Worker]) -> Iterator[R]:
    """The answers in order: the first item here, the rest in chunks shared out among ``workers``
    (started here; in_order stops them)."""
    from multiprocessing.connection import wait

    yield task(items[0])
    rest = items[1:]
    processes = min(jobs, len(rest))
    size = max(1, min(MAX_CHUNK, len(rest) // (processes * 4)))
    chunks = [rest[i:i + size] for i in range(0, len(rest), size)]
    context = _context()
    for _ in range(processes):
        conn, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(task, theirs), daemon=True)
        try:
            process.start()
        except OSError as exc:  # too many processes, or too little memory to start one
            raise ProcessLost(f"the {processes} processes to read the files could not be started "
                              f"({exc.strerror or exc}). Run the command again with --jobs 1.") from None
        finally:
            theirs.close()
        workers.append(_Worker(process, conn))
    unsent = deque(range(len(chunks)))
    answered: dict[int, tuple[list[R], BaseException | None]] = {}

    def give(worker: _Worker) -> None:
        while unsent and len(worker.given) < _AHEAD:
            try:
                worker.conn.send(chunks[unsent[0]])
            except OSError:  # it has gone: the wait below sees it
                return
            worker.given.append(unsent.popleft())

    for worker in workers:
        give(worker)
    for number in range(len(chunks)):
        while number not in answered:
            waiting = [w.conn for w in workers if w.given] + [w.process.sentinel for w in workers]
            ready = set(wait(waiting))
            for worker in workers:
                try:
                    while worker.given and worker.conn in ready and worker.conn.poll():
                        answered[worker.given.popleft()] = worker.conn.recv()
                except (EOFError, OSError):
                    raise _lost(worker, len(workers)) from None
                if worker.process.sentinel in ready:
                    raise _lost(worker, len(workers))
                give(worker)
        answers, error = answered.pop(number)
        yield from answers
        if error is not None:
            raise error


def _lost(worker: _Worker, processes: int) -> ProcessLost:
    """What to tell a hub lead when a worker stopped before it had finished."""
    worker.process.join(timeout=5)
    code = worker.process.exitcode
    if code is None:
        how = "it stopped answering"
    elif code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = (f"it was stopped from outside ({name}), perhaps by the system because the computer ran short "
               "of memory")
    else:
        how = f"it ended unexpectedly (exit code {code})"
    return ProcessLost(
        f"one of the {processes} processes reading the files stopped before it had finished: {how}. Nothing "
        "was written. Run the command again, or with --jobs 1 to read the files in one process (slower, but "
        "it needs less memory)."
    )
