"""The bulk engine on both cores: the tickets cut into ranges, each range evaluated in its own thread.

Most of the engine's time is spent inside NumPy operations over millions of rows (sorts, gathers,
arithmetic), which release the GIL, so two threads evaluate two halves of the tickets in about
60 % of the time one thread takes for the whole (1.2 s against 2.1 s of CPU on 1,000,000
tickets). A ticket is judged from its own events alone, so the ranges' clocks joined in ticket
order are the clocks of the whole; the tests hold them equal.

Ranges are cut only when the events are already grouped by ticket, as exports usually are: each
range is then a view of the columns. Otherwise cutting them would copy every column, and memory,
not time, is the tighter bound on a large file: the whole is evaluated in one thread.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait

from troth.batch.workers import worker_count
from troth.core.clocks.bulk import Assignment, evaluate_columns
from troth.core.clocks.columns import ClockColumns, EventColumns, joined_clocks

PARALLEL_EVENTS = 400_000
"""Fewer events are evaluated in one thread: splitting them would not pay."""


def evaluate_in_threads(events: EventColumns, assignment: Assignment, *, at: int) -> ClockColumns:
    """`evaluate_columns(events, assignment, at=at)`, over ranges of tickets in threads when that helps."""
    threads = worker_count()
    if threads < 2 or len(events) < PARALLEL_EVENTS or not events.grouped():
        return evaluate_columns(events, assignment, at=at)
    ranges = events.ticket_ranges(threads)
    with ThreadPoolExecutor(len(ranges)) as pool:
        futures = [
            pool.submit(evaluate_columns, events.tickets(a, b), assignment.tickets(a, b), at=at) for a, b in ranges
        ]
        wait(futures)
    if any(f.exception() is not None for f in futures):
        # Which of several bad tickets is reported depends on all of them (the first in ticket order
        # for some errors, the earliest line for others): the whole file decides, as without threads.
        return evaluate_columns(events, assignment, at=at)
    return joined_clocks([(a, f.result()) for (a, _), f in zip(ranges, futures, strict=True)], events.ticket_ids)
