"""Both cores for the bulk commands: an ordered map over forked worker processes.

Workers are forked, so they start with the parent's memory (large arrays are shared copy-on-write,
not sent); tasks and results are pickled. Results come back in task order. With one core, few
tasks, or no `fork` on the platform, the map runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
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
