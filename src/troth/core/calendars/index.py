"""A calendar compiled for one time zone: working intervals as UTC epoch seconds, with a running
total of working seconds, so that business-time arithmetic is a `searchsorted` away.

Conventions (they hold for the scalar and the vectorised operations alike):
- Instants are whole UTC epoch seconds (`int` / `int64`); intervals are half-open `[start, end)`.
- Each day's working hours are that day's wall-clock hours. A local time that does not exist
  (the hour skipped when clocks go forward) moves forward by the gap; an ambiguous local time
  (the hour repeated when clocks go back) means its first occurrence. A working interval that lies
  wholly inside a skipped hour is empty.
- Intervals belong to the local date they start on; a holiday closes the shifts that start on it.
- `add(start, d)` is the first instant at which `d` working seconds have accumulated since `start`;
  reaching the target exactly at closing time is due at closing, not at the next opening. A zero
  duration is due at `start` itself.
- `elapsed(a, b)` counts working seconds in `[a, b)`; it is additive and zero when `b <= a`.

The index covers whole local years and grows on demand in both directions. Values of the running
total are relative to the index's current origin, so only differences leave this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

import holidays as holiday_data
import numpy as np
import numpy.typing as npt

from troth.core.calendars.spec import CalendarSpec, DayHours
from troth.core.errors import CalendarError
from troth.core.instants import from_epoch, to_epoch

Epochs = npt.NDArray[np.int64]
Break = tuple[int, int | None]
"""A pause `[start, end)` in epoch seconds; an end of None means it has not ended yet."""

_MAX_YEARS_WITHOUT_WORK: Final = 20


def _local_to_epoch(day: date, seconds: int, zone: ZoneInfo) -> int:
    # Aware datetime + timedelta is wall-clock arithmetic. With fold=0 a skipped time takes the
    # offset before the change (so it moves forward by the gap) and a repeated time its first
    # occurrence.
    wall = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(seconds=seconds)
    return to_epoch(wall.replace(fold=0))


class CompiledCalendar:
    """Business-time arithmetic for one calendar in one time zone."""

    def __init__(self, spec: CalendarSpec, zone_name: str) -> None:
        self.spec = spec
        self.zone_name = zone_name
        self._zone = ZoneInfo(zone_name)
        self._special = dict(spec.special_days)
        self._first_year = 0
        self._last_year = -1
        self._starts: Epochs = np.zeros(0, dtype=np.int64)
        self._ends: Epochs = np.zeros(0, dtype=np.int64)
        self._cum_before: Epochs = np.zeros(0, dtype=np.int64)
        self._cum_after: Epochs = np.zeros(0, dtype=np.int64)

    # ----- index construction -------------------------------------------------------------

    def _hours_on(self, day: date, holidays: set[date]) -> DayHours:
        if day in self._special:
            return self._special[day]
        if day in self.spec.closed_dates or day in holidays:
            return ()
        return self.spec.weekly[day.weekday()]

    def _holidays(self, years: range) -> set[date]:
        found: set[date] = set()
        for source in self.spec.holiday_sources:
            kwargs: dict[str, object] = {"subdiv": source.subdivision, "years": years}
            if source.categories:
                kwargs["categories"] = source.categories
            found.update(holiday_data.country_holidays(source.country, **kwargs).keys())  # type: ignore[arg-type]
        return found

    def _intervals_for_years(self, first: int, last: int) -> list[tuple[int, int]]:
        # One day either side, so shifts crossing midnight at a year boundary are included.
        holidays = self._holidays(range(first - 1, last + 2))
        day = date(first, 1, 1) - timedelta(days=1)
        stop = date(last, 12, 31)
        intervals: list[tuple[int, int]] = []
        while day <= stop:
            for hours in self._hours_on(day, holidays):
                start = _local_to_epoch(day, hours.start, self._zone)
                end = _local_to_epoch(day, hours.end, self._zone)
                if end > start:
                    intervals.append((start, end))
            day += timedelta(days=1)
        return intervals

    def _build(self, first: int, last: int) -> None:
        if self.spec.always_open:
            self._first_year, self._last_year = first, last
            return
        raw = sorted(self._intervals_for_years(first, last))
        lo = _local_to_epoch(date(first, 1, 1), 0, self._zone)
        hi = _local_to_epoch(date(last + 1, 1, 1), 0, self._zone)
        merged: list[list[int]] = []
        for start, end in raw:
            start, end = max(start, lo), min(end, hi)
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        starts = np.array([m[0] for m in merged], dtype=np.int64)
        ends = np.array([m[1] for m in merged], dtype=np.int64)
        lengths = ends - starts
        self._cum_after = np.cumsum(lengths, dtype=np.int64)
        self._cum_before = self._cum_after - lengths
        self._starts, self._ends = starts, ends
        self._first_year, self._last_year = first, last

    def _year_of(self, epoch: int) -> int:
        return from_epoch(epoch).astimezone(self._zone).year

    def _ensure_covers(self, lo: int, hi: int) -> None:
        """Grow the index so that every instant in `[lo, hi]` lies inside a covered local year."""
        first, last = self._year_of(lo) - 1, self._year_of(hi) + 1
        if self._last_year >= self._first_year and first >= self._first_year and last <= self._last_year:
            return
        if self._last_year >= self._first_year:
            first, last = min(first, self._first_year), max(last, self._last_year)
        self._build(first, last)

    def _ensure_work_after(self, start_epoch: Epochs, seconds: Epochs) -> Epochs:
        """Grow the index until it holds the targets; return the targets as running totals."""
        years_added = 0
        while True:
            targets = self._cumulative(start_epoch) + seconds
            total = int(self._cum_after[-1]) if self._cum_after.size else 0
            if targets.size == 0 or int(targets.max()) <= total:
                return targets
            previous_total = total
            self._build(self._first_year, self._last_year + 1)
            years_added = years_added + 1 if int(self._cum_after[-1]) == previous_total else 0
            if years_added > _MAX_YEARS_WITHOUT_WORK:
                raise CalendarError(f"calendar '{self.spec.name}' has no working time for {years_added} years")

    # ----- vectorised core ----------------------------------------------------------------

    def _cumulative(self, t: Epochs) -> Epochs:
        """Working seconds from the index origin up to each instant (origin-relative)."""
        i = np.searchsorted(self._starts, t, side="right") - 1
        safe = np.maximum(i, 0)
        inside = np.minimum(t, self._ends[safe]) - self._starts[safe] if self._starts.size else t * 0
        result = np.where(i >= 0, self._cum_before[safe] + inside, 0) if self._starts.size else t * 0
        return result.astype(np.int64)

    def elapsed_array(self, a: Epochs, b: Epochs) -> Epochs:
        """Working seconds in `[a, b)` for each pair; zero where `b <= a`."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        if a.size == 0:
            return np.zeros(0, dtype=np.int64)
        if self.spec.always_open:
            counted: Epochs = np.maximum(b - a, 0)
            return counted
        self._ensure_covers(int(min(a.min(), b.min())), int(max(a.max(), b.max())))
        counted = np.maximum(self._cumulative(b) - self._cumulative(a), 0)
        return counted

    def add_array(self, start: Epochs, seconds: Epochs) -> Epochs:
        """Due instants: `seconds` working seconds after each `start` (closing-time rule applies)."""
        start = np.asarray(start, dtype=np.int64)
        seconds = np.asarray(seconds, dtype=np.int64)
        if np.any(seconds < 0):
            raise ValueError("a business-time duration cannot be negative")
        if self.spec.always_open:
            return start + seconds
        if start.size == 0:
            return np.zeros(0, dtype=np.int64)
        self._ensure_covers(int(start.min()), int(start.max()))
        targets = self._ensure_work_after(start, seconds)
        j = np.searchsorted(self._cum_after, targets, side="left")
        j = np.minimum(j, self._cum_after.size - 1)
        due = self._starts[j] + (targets - self._cum_before[j])
        return np.where(seconds == 0, start, np.maximum(due, start)).astype(np.int64)

    def is_open_array(self, t: Epochs) -> npt.NDArray[np.bool_]:
        t = np.asarray(t, dtype=np.int64)
        if self.spec.always_open:
            return np.ones(t.shape, dtype=np.bool_)
        if t.size == 0:
            return np.zeros(0, dtype=np.bool_)
        self._ensure_covers(int(t.min()), int(t.max()))
        i = np.searchsorted(self._starts, t, side="right") - 1
        safe = np.maximum(i, 0)
        inside: npt.NDArray[np.bool_] = (i >= 0) & (t < self._ends[safe])
        return inside

    def next_opening_array(self, t: Epochs) -> Epochs:
        """Each instant itself when open, else the next instant the calendar opens."""
        t = np.asarray(t, dtype=np.int64)
        if self.spec.always_open or t.size == 0:
            return t.copy()
        opens = self.add_array(t, np.ones(t.shape, dtype=np.int64)) - 1
        return np.where(self.is_open_array(t), t, opens).astype(np.int64)

    # ----- scalar conveniences over datetimes ---------------------------------------------

    def is_open(self, at: datetime) -> bool:
        return bool(self.is_open_array(np.array([to_epoch(at)]))[0])

    def next_opening(self, at: datetime) -> datetime:
        return from_epoch(int(self.next_opening_array(np.array([to_epoch(at)]))[0]))

    def add(self, start: datetime, duration: timedelta) -> datetime:
        seconds = duration // timedelta(seconds=1)
        return from_epoch(self.add_seconds(to_epoch(start), seconds))

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        return timedelta(seconds=self.elapsed_seconds(to_epoch(a), to_epoch(b)))

    def add_seconds(self, start: int, seconds: int) -> int:
        return int(self.add_array(np.array([start]), np.array([seconds]))[0])

    def elapsed_seconds(self, a: int, b: int) -> int:
        return int(self.elapsed_array(np.array([a]), np.array([b]))[0])

    def working_intervals(self, a: int, b: int) -> list[tuple[int, int]]:
        """The working intervals clipped to `[a, b)`, for explanations and uptime measurement."""
        if b <= a:
            return []
        if self.spec.always_open:
            return [(a, b)]
        self._ensure_covers(a, b)
        lo = int(np.searchsorted(self._ends, a, side="right"))
        hi = int(np.searchsorted(self._starts, b, side="left"))
        return [
            (max(int(s), a), min(int(e), b))
            for s, e in zip(self._starts[lo:hi], self._ends[lo:hi], strict=True)
            if min(int(e), b) > max(int(s), a)
        ]

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
        time as if those hours had been closed in the calendar.
        """
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


def merge_breaks(breaks: Sequence[Break], *, until: int | None) -> list[tuple[int, int | None]]:
    """Sort and merge breaks; with `until`, open breaks end there and later ones are dropped."""
    ordered = sorted(breaks, key=lambda b: b[0])
    merged: list[tuple[int, int | None]] = []
    for lo, hi in ordered:
        if until is not None:
            if lo >= until:
                continue
            hi = until if hi is None else min(hi, until)
        if merged:
            last_lo, last_hi = merged[-1]
            if last_hi is None or lo <= last_hi:
                end = None if last_hi is None or hi is None else max(last_hi, hi)
                merged[-1] = (last_lo, end)
                continue
        merged.append((lo, hi))
    return merged


@lru_cache(maxsize=256)
def compile_calendar(spec: CalendarSpec, zone_name: str) -> CompiledCalendar:
    """The compiled calendar for `spec` in `zone_name` (the spec's own zone, or the customer's)."""
    return CompiledCalendar(spec, zone_name)
