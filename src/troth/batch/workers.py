"""Both cores for the bulk commands: forked worker processes, or threads.

Workers are forked, so they start with the parent's memory (large arrays are shared copy-on-write,
not sent). `ordered_map` pickles tasks and results and gives the results in task order: for work
done by Python code (decoding JSON), which threads could not run at once. Work NumPy does with
the GIL released (the engine, encoding the output) runs in threads instead (`ordered_in_threads`):
no process to fork, nothing to send back. With one core, few tasks, or no `fork` on the
platform, the work runs in this thread.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

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


def ordered_in_threads(function: Callable[[int], Result], count: int) -> Iterator[Result]:
    """`function(0)`, ..., `function(count - 1)`, computed in threads (one a core) and yielded in order.

    For work that NumPy does with the GIL released. At most two results a thread wait to be
    taken, so a slow consumer (a pipe) does not make all of them pile up in memory.
    """
    threads = worker_count()
    if threads < 2 or count < 2:
        yield from map(function, range(count))
        return
    with ThreadPoolExecutor(threads) as pool:
        pending: deque[Future[Result]] = deque()
        for index in range(count):
            pending.append(pool.submit(function, index))
            if len(pending) > 2 * threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
