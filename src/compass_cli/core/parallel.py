"""Many files read by several processes, the answers handed back in the order of the files.

A hub's folder of thousands of answer files is parsed, checked and scored file by file, and
each file's work is independent of the others, so it spreads over the machine's cores. The
answers come back in the order the files were given (``Pool.imap``), so a summary or a batch
of scores built from them is the same, figure for figure and line for line, as one made in
one process. Each answer is small (a row, a result, a bad file's reasons) and is consumed as
it arrives: no process holds every file.

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
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

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


def _context() -> BaseContext:
    """fork on Linux (quick, and the workers inherit the loaded frameworks); the platform's default elsewhere.

    multiprocessing is imported only here, when a pool is started: a run of a few files never pays for it."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


_task: Callable[[Any], Any] | None = None


def _start_worker(task: Callable[[Any], Any]) -> None:
    """In each worker: leave Ctrl-C to the parent, and keep the task (its state lives as long as the worker)."""
    global _task
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _task = task


def _run(item: Any) -> Any:
    assert _task is not None, "a worker runs only after _start_worker"
    return _task(item)


@contextmanager
def in_order(task: Callable[[T], R], items: Sequence[T], jobs: int = 1) -> Iterator[Iterator[R]]:
    """``task`` applied to each of ``items``, with up to ``jobs`` processes, the answers in the order of ``items``.

    ``task`` must be picklable where the start method is not fork (a top-level function, or an
    instance of a top-level class); an instance keeps its own state in each worker (a cache).
    Its answers must be picklable, and so must any exception it lets out (a CompassError is:
    its problems travel with it); an exception is raised here, at the item that raised it.
    With one job, or fewer than MIN_FILES_FOR_PROCESSES items, everything happens in this
    process. The first item is always done here, before any worker starts, so what it loads
    (its framework, usually every file's) is loaded once and inherited. Leaving the ``with``
    block early (an error, Ctrl-C) stops the workers at once.
    """
    if jobs <= 1 or len(items) < MIN_FILES_FOR_PROCESSES:
        yield map(task, items)
        return
    with ExitStack() as stack:

        def answers() -> Iterator[R]:
            yield task(items[0])
            rest = items[1:]
            processes = min(jobs, len(rest))
            chunk = max(1, min(MAX_CHUNK, len(rest) // (processes * 4)))
            pool = stack.enter_context(_context().Pool(processes, initializer=_start_worker, initargs=(task,)))
            yield from pool.imap(_run, rest, chunksize=chunk)

        yield answers()
        # leaving the block terminates the pool: every answer has been taken by now, or none is wanted
