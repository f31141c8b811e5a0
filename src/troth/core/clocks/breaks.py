"""Pauses as breaks in a calendar, over arrays: the k-th pause of every row at once.

This mirrors `CompiledCalendar.add_with_breaks` and `elapsed_with_breaks` step for step (the
property tests hold them equal), so a pause is closed time exactly as in the single-ticket engine.
Breaks are `[lo, hi)` in epoch seconds; an open break (`is_open`) has not ended. Each row's
breaks are sorted and disjoint, and nothing from `until` on counts (the row's clock has stopped).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from troth.core.calendars import CompiledCalendar
from troth.core.clocks.columns import Flags, Ints


@dataclass(frozen=True, slots=True, kw_only=True)
class RowBreaks:
    """Row r's breaks are `lo/hi/is_open[first[r] : first[r] + count[r]]`, clipped at `until[r]` when `has_until[r]`."""

    first: Ints
    count: Ints
    lo: Ints
    hi: Ints
    is_open: Flags
    until: Ints
    has_until: Flags

    def subset(self, rows: Ints) -> RowBreaks:
        return RowBreaks(
            first=self.first[rows],
            count=self.count[rows],
            lo=self.lo,
            hi=self.hi,
            is_open=self.is_open,
            until=self.until[rows],
            has_until=self.has_until[rows],
        )

    def kth(self, rows: Ints, k: int) -> tuple[Ints, Ints, Ints, Flags]:
        """The k-th break of each of `rows` that starts before the row's `until`, clipped there:
        (rows that have one, lo, hi, is_open)."""
        index = self.first[rows] + k
        lo, hi, is_open = self.lo[index], self.hi[index], self.is_open[index]
        until, limited = self.until[rows], self.has_until[rows]
        keep = ~limited | (lo < until)
        clipped = limited & (is_open | (hi > until))
        hi = np.where(clipped, until, hi)
        is_open = is_open & ~limited
        return rows[keep], lo[keep], hi[keep], is_open[keep]


def add_with_breaks(calendar: CompiledCalendar, start: Ints, seconds: Ints, breaks: RowBreaks) -> tuple[Ints, Flags]:
    """Due instants `seconds` of working time after `start` outside the breaks, and where an open
    break holds the clock (there the due instant is unknown and its value meaningless)."""
    cursor, remaining = start.copy(), seconds.copy()
    due = np.zeros_like(start)
    done = np.zeros(start.shape, dtype=np.bool_)
    held = np.zeros(start.shape, dtype=np.bool_)
    for k in range(int(breaks.count.max(initial=0))):
        rows, lo, hi, is_open = breaks.kth(np.flatnonzero(~done & (breaks.count > k)), k)
        passed = ~is_open & (hi <= cursor[rows])
        rows, lo, hi, is_open = rows[~passed], lo[~passed], hi[~passed], is_open[~passed]
        ahead = lo > cursor[rows]
        front = rows[ahead]
        available = calendar.elapsed_array(cursor[front], lo[ahead])
        fits = available >= remaining[front]
        due[front[fits]] = calendar.add_array(cursor[front[fits]], remaining[front[fits]])
        done[front[fits]] = True
        remaining[front[~fits]] -= available[~fits]
        going = np.ones(rows.shape, dtype=np.bool_)
        going[np.flatnonzero(ahead)[fits]] = False
        rows, hi, is_open = rows[going], hi[going], is_open[going]
        held[rows[is_open]] = True
        done[rows[is_open]] = True
        moved = rows[~is_open]
        cursor[moved] = np.maximum(cursor[moved], hi[~is_open])
    rest = np.flatnonzero(~done)
    due[rest] = calendar.add_array(cursor[rest], remaining[rest])
    return due, held


def elapsed_with_breaks(calendar: CompiledCalendar, a: Ints, b: Ints, breaks: RowBreaks) -> Ints:
    """Working seconds in `[a, b)` outside the breaks (breaks open at `b` end there)."""
    total = calendar.elapsed_array(a, b)
    for k in range(int(breaks.count.max(initial=0))):
        rows, lo, hi, is_open = breaks.kth(np.flatnonzero(breaks.count > k), k)
        end = b[rows]
        inside = lo < end
        rows, lo, hi, is_open, end = rows[inside], lo[inside], hi[inside], is_open[inside], end[inside]
        upper = np.where(is_open, end, np.minimum(hi, end))
        total[rows] -= calendar.elapsed_array(np.maximum(a[rows], lo), upper)
    return total
