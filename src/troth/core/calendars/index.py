"""A calendar compiled for one time zone: working intervals as UTC epoch seconds, with a running
total of working seconds, so that business-time arithmetic is a vectorised look-up (lookup.py).

Conventions (they hold for the scalar and the vectorised operations alike):
- Instants are whole UTC epoch seconds (`int` / `int64`); intervals are half-open `[start, end)`.
- Each day's working hours are that day's wall-clock hours. A local time that does not exist
  (the hour skipped when clocks go forward) moves forward by the gap; an ambiguous local time
  (the hour repeated when clocks go back) means its first occurrence. A working interval that lies
  wholly inside a skipped hour is empty. (Each end is resolved on its own, so 02:30-04:00 on a
  night that jumps from 02:00 to 03:00 is 03:30-04:00.)
- Intervals belong to the local date they start on; a holiday closes the shifts that start on it.
- `add(start, d)` is the first instant at which `d` working seconds have accumulated since `start`,
  so outside working hours the clock waits for the next opening; reaching the target exactly at
  closing time is due at closing, not at the next opening. A zero duration is due at `start` itself.
- `elapsed(a, b)` counts working seconds in `[a, b)`; it is additive and zero when `b <= a`.

The index covers whole local years. It grows on demand in both directions; each year's intervals
are built once and kept, and a grown index replaces the old one whole (see CumulativeIndex).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from troth.core.calendars.breaks import Break, merge_breaks
from troth.core.calendars.days import YearBuilder
from troth.core.calendars.lookup import CumulativeIndex, Epochs, build_index
from troth.core.calendars.spec import CalendarSpec
from troth.core.errors import CalendarError
from troth.core.instants import from_epoch, to_epoch

__all__ = ["Break", "CompiledCalendar", "Epochs", "compile_calendar", "merge_breaks"]

_MAX_YEARS_WITHOUT_WORK: Final = 20
_FIRST_YEAR: Final = 2
_LAST_YEAR: Final = 9_997


@dataclass(frozen=True, slots=True, kw_only=True)
class _Coverage:
    """An index of the local years `first..last`."""

    first: int
    last: int
    index: CumulativeIndex


class CompiledCalendar:
    """Business-time arithmetic for one calendar in one time zone."""

    def __init__(self, spec: CalendarSpec, zone_name: str) -> None:
        self.spec = spec
        self.zone_name = zone_name
        self._zone = _zone(zone_name)
        self._builder = YearBuilder(spec, self._zone)
        self._years: dict[int, tuple[Epochs, Epochs]] = {}
        self._coverage: _Coverage | None = None
        self._growing = threading.Lock()

    # ----- index coverage -----------------------------------------------------------------

    def _index_for(self, lo: int, hi: int) -> CumulativeIndex:
        return self._coverage_for(lo, hi).index

    def _coverage_for(self, lo: int, hi: int) -> _Coverage:
        """An index that covers every instant of `[lo, hi]`."""
        coverage = self._coverage
        if coverage is not None and coverage.index.lo <= lo and hi < coverage.index.hi:
            return coverage
        return self._cover(self._year_of(lo), self._year_of(hi))

    def _cover(self, first: int, last: int) -> _Coverage:
        with self._growing:
            current = self._coverage
            if current is not None:
                if current.first <= first and last <= current.last:
                    return current
                # Never shrink: another thread may have grown the index the other way meanwhile.
                first, last = min(first, current.first), max(last, current.last)
            parts = [self._year(year) for year in range(first, last + 1)]
            starts = np.concatenate([part[0] for part in parts])
            ends = np.concatenate([part[1] for part in parts])
            lo, hi = self._builder.bounds(first)[0], self._builder.bounds(last)[1]
            coverage = _Coverage(first=first, last=last, index=build_index(lo, hi, starts, ends))
            self._coverage = coverage
            return coverage

    def _year(self, year: int) -> tuple[Epochs, Epochs]:
        if not _FIRST_YEAR <= year <= _LAST_YEAR:
            raise CalendarError(f"calendar '{self.spec.name}' cannot reach the year {year}")
        if year not in self._years:
            self._years[year] = self._builder.intervals(year)
        return self._years[year]

    def _year_of(self, epoch: int) -> int:
        try:
            return from_epoch(epoch).astimezone(self._zone).year
        except (OverflowError, ValueError) as error:
            raise CalendarError(f"instant {epoch} is outside the years a calendar can reach") from error

    def _index_with_targets(self, start: Epochs, seconds: Epochs) -> tuple[CumulativeIndex, Epochs]:
        """An index holding every target, and the targets as running totals of that index."""
        coverage = self._coverage_for(int(start.min()), int(start.max()))
        barren = 0
        while True:
            targets = coverage.index.cumulative(start)
            targets += seconds
            if int(targets.max()) <= coverage.index.total:
                return coverage.index, targets
            # One more year at a time: each year is built once, and joining them is cheap.
            grown = self._cover(coverage.first, coverage.last + 1)
            barren = barren + 1 if grown.index.total == coverage.index.total else 0
            if barren > _MAX_YEARS_WITHOUT_WORK:
                raise CalendarError(f"calendar '{self.spec.name}' has no working time for {barren} years")
            coverage = grown

    # ----- vectorised operations over int64 UTC epoch seconds ------------------------------

    def elapsed_array(self, a: Epochs, b: Epochs) -> Epochs:
        """Working seconds in `[a, b)` for each pair; zero where `b <= a`."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        if a.size == 0:
            return np.zeros(a.shape, dtype=np.int64)
        if self.spec.always_open:
            clock: Epochs = np.maximum(b - a, 0)
            return clock
        index = self._index_for(int(min(a.min(), b.min())), int(max(a.max(), b.max())))
        counted = index.cumulative(b)
        counted -= index.cumulative(a)
        return np.maximum(counted, 0, out=counted)

    def add_array(self, start: Epochs, seconds: Epochs) -> Epochs:
        """Due instants: `seconds` working seconds after each `start` (closing-time rule applies).

        Outside working hours the clock waits for the next opening; a zero duration is due at start.
        """
        start = np.asarray(start, dtype=np.int64)
        seconds = np.asarray(seconds, dtype=np.int64)
        if seconds.size and int(seconds.min()) < 0:
            raise ValueError("a business-time duration cannot be negative")
        if self.spec.always_open:
            return start + seconds
        if start.size == 0:
            return np.zeros(start.shape, dtype=np.int64)
        start, seconds = np.broadcast_arrays(start, seconds)
        if int(seconds.max()) == 0:
            return start.copy()
        index, targets = self._index_with_targets(start, seconds)
        due = index.reaching(targets)
        return np.where(seconds == 0, start, due)

    def is_open_array(self, t: Epochs) -> npt.NDArray[np.bool_]:
        """Whether each instant lies inside working hours (`[opening, closing)`)."""
        t = np.asarray(t, dtype=np.int64)
        if self.spec.always_open:
            return np.ones(t.shape, dtype=np.bool_)
        if t.size == 0:
            return np.zeros(t.shape, dtype=np.bool_)
        return self._index_for(int(t.min()), int(t.max())).is_open(t)

    def next_opening_array(self, t: Epochs) -> Epochs:
        """Each instant itself when open, else the next instant the calendar opens."""
        t = np.asarray(t, dtype=np.int64)
        if self.spec.always_open or t.size == 0:
            return t.copy()
        # The instant one working second is reached, less that second, is the next opening.
        opens = self.add_array(t, np.ones(t.shape, dtype=np.int64)) - 1
        return np.where(self.is_open_array(t), t, opens)

    # ----- scalar conveniences over datetimes and epoch seconds ----------------------------

    def is_open(self, at: datetime) -> bool:
        return bool(self.is_open_array(np.array([to_epoch(at)]))[0])

    def next_opening(self, at: datetime) -> datetime:
        return from_epoch(int(self.next_opening_array(np.array([to_epoch(at)]))[0]))

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """`duration` of working time after `start` (whole seconds; sub-second parts are dropped)."""
        seconds = duration // timedelta(seconds=1)
        return from_epoch(self.add_seconds(to_epoch(start), seconds))

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Working time in `[a, b)`."""
        return timedelta(seconds=self.elapsed_seconds(to_epoch(a), to_epoch(b)))

    def add_seconds(self, start: int, seconds: int) -> int:
        """`add_array` of one start: the same answer, without NumPy's cost per call."""
        if self.spec.always_open or seconds <= 0:
            if seconds < 0:
                raise ValueError("a business-time duration cannot be negative")
            return start + seconds
        index = self._index_for(start, start)
        target = index.cumulative_at(start) + seconds
        if target > index.total:  # beyond the years indexed so far: the array path grows the index
            return int(self.add_array(np.array([start]), np.array([seconds]))[0])
        return index.reaching_at(target)

    def elapsed_seconds(self, a: int, b: int) -> int:
        """`elapsed_array` of one pair."""
        if b <= a:
            return 0
        if self.spec.always_open:
            return b - a
        index = self._index_for(a, b)
        return index.cumulative_at(b) - index.cumulative_at(a)

    def working_intervals(self, a: int, b: int) -> list[tuple[int, int]]:
        """The working intervals clipped to `[a, b)`, for explanations and uptime measurement."""
        if b <= a:
            return []
        if self.spec.always_open:
            return [(a, b)]
        starts, ends = self._index_for(a, b).intervals
        lo = int(np.searchsorted(ends, a, side="right"))
        hi = int(np.searchsorted(starts, b, side="left"))
        found: list[tuple[int, int]] = []
        for start, end in zip(starts[lo:hi].tolist(), ends[lo:hi].tolist(), strict=True):
            start, end = max(start, a), min(end, b)
            if found and found[-1][1] == start:  # years are indexed apart; a shift may span New Year
                found[-1] = (found[-1][0], end)
            elif end > start:
                found.append((start, end))
        return found

    # ----- breaks: pauses subtracted exactly like closed hours ----------------------------

    def elapsed_with_breaks(self, a: int, b: int, breaks: Sequence[Break]) -> int:
        """Working seconds in `[a, b)` outside the breaks (which may overlap each other)."""
        total = self.elapsed_seconds(a, b)
        for lo, hi in merge_breaks(breaks, until=b):
            total -= self.elapsed_seconds(max(a, lo), b if hi is None else min(b, hi))
        return total

    def add_with_breaks(self, start: int, seconds: int, breaks: Sequence[Break]) -> int | None:
        """The due instant when the breaks do not count; None while an open break holds the clock.

        A break is treated exactly like closed hours, so pausing and resuming gives the same due
        time as if those hours had been closed in the calendar. A zero duration is due at `start`.
        """
        if seconds == 0:
            return start
        cursor, remaining = start, seconds
        for lo, hi in merge_breaks(breaks, until=None):
            if hi is not None and hi <= cursor:
                continue
            if lo > cursor:
                available = self.elapsed_seconds(cursor, lo)
                if available >= remaining:
                    return self.add_seconds(cursor, remaining)
                remaining -= available
            if hi is None:
                return None
            cursor = max(cursor, hi)
        return self.add_seconds(cursor, remaining)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CalendarError(f"unknown time zone '{name}'") from error


@lru_cache(maxsize=256)
def compile_calendar(spec: CalendarSpec, zone_name: str) -> CompiledCalendar:
    """The compiled calendar for `spec` in `zone_name` (the spec's own zone, or the customer's)."""
    return CompiledCalendar(spec, zone_name)
