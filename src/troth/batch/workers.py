"""Both cores for the bulk commands: forked worker processes.

Workers are forked, so they start with the parent's memory (large arrays are shared copy-on-write,
not sent). `ordered_map` pickles tasks and results and gives the results in task order;
`write_in_order` has each worker write its own result to a file descriptor when its turn comes,
because sending hundreds of megabytes back through a pipe costs more than computing them
(about 7 ms a megabyte here). With one core, few tasks, or no `fork` on the platform, the work
runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

WORKERS = 2
"""The machine this is built for has two cores; more workers than cores only add switching."""


def worker_count() -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(WORKERS, available))


@contextmanager
def ordered_map(function: Callable[[Task], Result], tasks: Sequence[Task]) -> Iterator[Iterator[Result]]:
    """`function(task)` for each task, in order, over forked workers when that can help.

    A context manager, so that the workers are stopped when the caller stops early (an error in
    the input): `with ordered_map(f, tasks) as results: ...`.
    """
    workers = worker_count()
    if workers < 2 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield map(function, tasks)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield pool.imap(function, tasks, chunksize=1)


_TURN: list[Any] = []
"""The condition and the shared index of the next task to write (inherited by forked workers)."""


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _take_turn(task: tuple[Callable[[int], bytes], int, int]) -> None:
    """Compute task `index`, then wait for its turn to write it: the writes keep the task order."""
    function, index, fd = task
    data = function(index)
    condition, turn = _TURN
    with condition:
        condition.wait_for(lambda: turn.value == index)
        write_all(fd, data)
        turn.value = index + 1
        condition.notify_all()


def write_in_order(function: Callable[[int], bytes], count: int, fd: int) -> None:
    """Write `function(0)`, ..., `function(count - 1)` to `fd` in that order, computed over forked workers.

    Tasks are handed out in order, so the task a worker waits for is done or being done by the
    other: no worker waits for one that never starts.
    """
    workers = worker_count()
    if workers < 2 or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for index in range(count):
            write_all(fd, function(index))
        return
    context = multiprocessing.get_context("fork")
    _TURN[:] = [context.Condition(), context.Value("q", 0, lock=False)]
    try:
        with context.Pool(workers) as pool:
            for _ in pool.imap(_take_turn, [(function, i, fd) for i in range(count)], chunksize=1):
                pass
    finally:
        _TURN.clear()
