"""Local wall-clock days turned into UTC working intervals, one local year at a time.

The rules (DESIGN.md; index.py states them for the arithmetic):
- Each day's working hours are that day's wall-clock hours, resolved endpoint by endpoint.
- A local time the clocks skip (spring forward) moves forward by the gap: 02:30 on a night that jumps
  from 02:00 to 03:00 is read as 03:30. A repeated local time (fall back) is its first occurrence.
- An interval lying wholly inside one skipped stretch is empty: nobody works hours the clock never shows.
- An interval belongs to the local date it starts on, so a holiday closes the shifts that start on it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_data
import numpy as np
import numpy.typing as npt

from troth.core.calendars.spec import SECONDS_PER_DAY, CalendarSpec, DayHours, DayInterval, HolidaySource
from troth.core.errors import CalendarError
from troth.core.instants import to_epoch

Epochs = npt.NDArray[np.int64]
_ZERO = timedelta(0)
_EPOCH_DATE = date(1970, 1, 1)


def _wall(day: date, seconds: int, zone: ZoneInfo) -> datetime:
    # Aware datetime + timedelta is wall-clock arithmetic and leaves fold=0. With fold=0 zoneinfo
    # reads a skipped time with the offset before the change (so it lands later by the gap) and a
    # repeated time as its first occurrence: exactly the two DST rules.
    return datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(seconds=seconds)


def _gap(wall: datetime) -> timedelta:
    """How far the clocks jump over `wall`, or zero when `wall` exists.

    In a skipped stretch the offset after the change (fold=1) is larger than the one before
    (fold=0); in a repeated stretch it is smaller; elsewhere they are equal.
    """
    before, after = wall.utcoffset(), wall.replace(fold=1).utcoffset()
    if before is None or after is None or after <= before:
        return _ZERO
    return after - before


def _offset_seconds(day: date, zone: ZoneInfo) -> int:
    """The UTC offset in force at local midnight of `day` (before the change, if one falls there)."""
    offset = _wall(day, 0, zone).utcoffset()
    return 0 if offset is None else offset // timedelta(seconds=1)


def local_midnight(day: date, zone: ZoneInfo) -> int:
    """UTC epoch seconds of the start of local `day` (moved forward if midnight itself is skipped)."""
    return to_epoch(_wall(day, 0, zone))


def interval_epochs(day: date, hours: DayInterval, zone: ZoneInfo) -> tuple[int, int] | None:
    """The UTC span `[start, end)` of one interval of local `day`, or None when it is empty."""
    start_wall, end_wall = _wall(day, hours.start, zone), _wall(day, hours.end, zone)
    start, end = to_epoch(start_wall), to_epoch(end_wall)
    if end <= start:
        return None
    gap = _gap(start_wall)
    # Both ends skipped and closer together than the jump: the whole interval lies in one gap
    # (two jumps are never that close, so "both skipped" means "the same gap").
    if gap and _gap(end_wall) and timedelta(seconds=hours.seconds) < gap:
        return None
    return start, end


@lru_cache(maxsize=1024)
def holidays_of(source: HolidaySource, year: int) -> frozenset[date]:
    """Dates of `source`'s public holidays listed for `year` (observed days included)."""
    options: dict[str, object] = {"subdiv": source.subdivision, "years": year}
    if source.categories:
        options["categories"] = source.categories
    try:
        found = holiday_data.country_holidays(source.country, **options)  # type: ignore[arg-type]  # typed loosely upstream
    except (NotImplementedError, ValueError) as error:
        raise CalendarError(f"holidays for '{source.country}' cannot be found: {error}") from error
    return frozenset(found.keys())


class YearBuilder:
    """Working intervals of one calendar in one zone, built per local year.

    A year's intervals are those of the days from 31 December before it to its own 31 December,
    clipped to `[local 1 January, next local 1 January)`, so consecutive years join exactly.
    """

    def __init__(self, spec: CalendarSpec, zone: ZoneInfo) -> None:
        self._spec = spec
        self._zone = zone
        self._special: dict[date, DayHours] = dict(spec.special_days)

    def bounds(self, year: int) -> tuple[int, int]:
        """The local year as UTC epoch seconds, half-open `[start, end)`."""
        return local_midnight(date(year, 1, 1), self._zone), local_midnight(date(year + 1, 1, 1), self._zone)

    def intervals(self, year: int) -> tuple[Epochs, Epochs]:
        """Sorted, merged `[start, end)` working intervals of local `year` (starts, ends)."""
        lo, hi = self.bounds(year)
        closed = self._closed_dates(year)
        first = date(year, 1, 1) - timedelta(days=1)
        days = (date(year, 12, 31) - first).days + 1
        # Offsets at each local midnight, two days past the last: an interval ends before the
        # second midnight after its day, so equal offsets there mean no change can touch it.
        offsets = [_offset_seconds(first + timedelta(days=i), self._zone) for i in range(days + 2)]
        spans: list[tuple[int, int]] = []
        for i in range(days):
            day = first + timedelta(days=i)
            midnight = (day - _EPOCH_DATE).days * SECONDS_PER_DAY - offsets[i]
            for hours in self._hours_on(day, closed):
                if offsets[i] == offsets[i + 2]:
                    span: tuple[int, int] | None = (midnight + hours.start, midnight + hours.end)
                else:
                    span = interval_epochs(day, hours, self._zone)
                if span is not None:
                    spans.append((max(span[0], lo), min(span[1], hi)))
        return _merged(spans)

    def _hours_on(self, day: date, closed: frozenset[date]) -> DayHours:
        if day in self._special:
            return self._special[day]
        if day in closed:
            return ()
        return self._spec.weekly[day.weekday()]

    def _closed_dates(self, year: int) -> frozenset[date]:
        # A holiday observed across New Year is listed under the neighbouring year.
        found = set(self._spec.closed_dates)
        for source in self._spec.holiday_sources:
            for listed in (year - 1, year, year + 1):
                found |= holidays_of(source, listed)
        return frozenset(found)


def _merged(spans: list[tuple[int, int]]) -> tuple[Epochs, Epochs]:
    """Sort spans and join those that overlap or touch; drop empty ones."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
