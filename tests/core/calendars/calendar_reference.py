"""A slow, obviously correct model of a working calendar, to check the index against.

It never touches the index (troth.core.calendars.index, lookup, days): it reads only the
CalendarSpec, the zone database and the `holidays` package. It works the way a person with a
wall calendar and a stopwatch would:

1. For each local date, take that date's hours (special day, else closed if a closed date or a
   holiday, else the weekday's hours) and turn both ends of each interval into UTC by trying every
   UTC offset the zone uses around then and keeping the ones whose wall clock reads that time.
   Several readings: the first one. None (the clocks skip it): read it with the offset in force
   before the jump, which lands it later by the gap. An interval none of whose minutes the clock
   ever shows is empty.
2. Step through UTC time one minute at a time; a minute is working time when it lies in one of those
   intervals (and, with breaks, in none of the breaks).

Every instant and every interval end handled here is a whole minute (the zones used change their
offsets by whole minutes), so each minute is wholly working or wholly not, and counting minutes
gives exact seconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from troth.core.calendars import CalendarSpec, DayHours, HolidaySource

MINUTE = 60
_NAIVE_EPOCH = datetime(1970, 1, 1)  # wall-clock readings are naive on purpose
_SCAN_LIMIT_DAYS = 800

Pause = tuple[int, int | None]


def naive_seconds(wall: datetime) -> int:
    """A naive wall-clock reading as if it were UTC, in seconds (for offset arithmetic)."""
    return int((wall - _NAIVE_EPOCH).total_seconds())


def wall_reading(epoch: int, zone: ZoneInfo) -> datetime:
    """What the zone's wall clock shows at `epoch`, as a naive datetime."""
    return datetime.fromtimestamp(epoch, tz=zone).replace(tzinfo=None)


def offsets_around(wall: datetime, zone: ZoneInfo) -> list[int]:
    """Every UTC offset (seconds) the zone uses within a day and a half of `wall`."""
    centre = naive_seconds(wall)
    found = set()
    for step in range(-72, 73):
        moment = datetime.fromtimestamp(centre + step * 1800, tz=zone)
        offset = moment.utcoffset()
        assert offset is not None
        found.add(int(offset.total_seconds()))
    return sorted(found)


def resolve_wall(wall: datetime, zone: ZoneInfo) -> tuple[int, bool]:
    """UTC epoch seconds of the local reading `wall`, and whether the clocks skip that reading."""
    offsets = offsets_around(wall, zone)
    readings = [naive_seconds(wall) - offset for offset in offsets]
    matching = [epoch for epoch in readings if wall_reading(epoch, zone) == wall]
    if matching:
        return min(matching), False
    # Skipped: the clocks jumped forward, so the offset before the jump is the smaller one.
    return naive_seconds(wall) - min(offsets), True


@lru_cache(maxsize=256)
def _holiday_dates(source: HolidaySource, year: int) -> frozenset[date]:
    options: dict[str, object] = {"subdiv": source.subdivision, "years": year}
    if source.categories:
        options["categories"] = source.categories
    return frozenset(holidays.country_holidays(source.country, **options))  # type: ignore[arg-type]


class ReferenceCalendar:
    """The slow model of `spec` in `zone_name`; instants are whole-minute UTC epoch seconds."""

    def __init__(self, spec: CalendarSpec, zone_name: str) -> None:
        self.spec = spec
        self.zone = ZoneInfo(zone_name)
        self._special = dict(spec.special_days)
        self._spans: dict[date, list[tuple[int, int]]] = {}

    # ----- the calendar, read day by day ----------------------------------------------------

    def hours_on(self, day: date) -> DayHours:
        if day in self._special:
            return self._special[day]
        if day in self.spec.closed_dates or self._is_holiday(day):
            return ()
        return self.spec.weekly[day.weekday()]

    def _is_holiday(self, day: date) -> bool:
        years = (day.year - 1, day.year, day.year + 1)
        return any(day in _holiday_dates(source, year) for source in self.spec.holiday_sources for year in years)

    def spans_of(self, day: date) -> list[tuple[int, int]]:
        """The UTC working spans `[start, end)` of the intervals that start on local `day`."""
        if day not in self._spans:
            self._spans[day] = [span for span in map(self._span, self._walls(day)) if span is not None]
        return self._spans[day]

    def _walls(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        midnight = datetime.combine(day, time())  # a naive wall-clock reading
        for hours in self.hours_on(day):
            assert hours.start % MINUTE == 0, "the reference works in whole minutes"
            assert hours.end % MINUTE == 0, "the reference works in whole minutes"
            yield midnight + timedelta(seconds=hours.start), midnight + timedelta(seconds=hours.end)

    def _span(self, walls: tuple[datetime, datetime]) -> tuple[int, int] | None:
        start_wall, end_wall = walls
        start, start_skipped = resolve_wall(start_wall, self.zone)
        end, end_skipped = resolve_wall(end_wall, self.zone)
        if start_skipped and end_skipped and not self._clock_shows_any(start_wall, end_wall):
            return None
        return (start, end) if end > start else None

    def _clock_shows_any(self, start_wall: datetime, end_wall: datetime) -> bool:
        minute = start_wall
        while minute < end_wall:
            if not resolve_wall(minute, self.zone)[1]:
                return True
            minute += timedelta(minutes=1)
        return False

    def local_date(self, epoch: int) -> date:
        return wall_reading(epoch, self.zone).date()

    def open_minutes(self, lo: int, hi: int) -> set[int]:
        """Starts of the working minutes in `[lo, hi)`."""
        assert lo % MINUTE == 0, "the reference works in whole minutes"
        assert hi % MINUTE == 0, "the reference works in whole minutes"
        if self.spec.always_open:
            return set(range(lo, hi, MINUTE))
        minutes: set[int] = set()
        day = self.local_date(lo) - timedelta(days=2)
        while day <= self.local_date(hi) + timedelta(days=1):
            for start, end in self.spans_of(day):
                minutes.update(range(max(start, lo), min(end, hi), MINUTE))
            day += timedelta(days=1)
        return minutes

    # ----- the questions, answered by stepping one minute at a time -------------------------

    def is_open(self, t: int) -> bool:
        return t in self.open_minutes(t, t + MINUTE)

    def next_opening(self, t: int) -> int:
        for minute, is_working in self._minutes_from(t, ()):
            if is_working:
                return minute
        raise AssertionError("unreachable: _minutes_from gives up first")

    def elapsed(self, a: int, b: int, breaks: Sequence[Pause] = ()) -> int:
        if b <= a:
            return 0
        minutes = self.open_minutes(a, b)
        return MINUTE * sum(1 for minute in minutes if not _in_any(minute, breaks))

    def add(self, start: int, seconds: int, breaks: Sequence[Pause] = ()) -> int | None:
        """When `seconds` of working time outside the breaks have accumulated; None if an open break holds it."""
        if seconds == 0:
            return start
        accumulated = 0
        open_pauses = [lo for lo, hi in breaks if hi is None]
        held_from = min(open_pauses) if open_pauses else None
        for minute, is_working in self._minutes_from(start, breaks):
            if held_from is not None and minute >= held_from:
                return None
            if is_working:
                accumulated += MINUTE
                if accumulated >= seconds:
                    return minute + MINUTE - (accumulated - seconds)
        raise AssertionError("unreachable: _minutes_from gives up first")

    def _minutes_from(self, start: int, breaks: Sequence[Pause]) -> Iterator[tuple[int, bool]]:
        """Each minute from `start` on, with whether it is working time outside the breaks."""
        week = 7 * 24 * 60 * MINUTE
        for lo in range(start, start + _SCAN_LIMIT_DAYS * 24 * 60 * MINUTE, week):
            minutes = self.open_minutes(lo, lo + week)
            for minute in range(lo, lo + week, MINUTE):
                yield minute, minute in minutes and not _in_any(minute, breaks)
        raise AssertionError(f"no working time within {_SCAN_LIMIT_DAYS} days")


def _in_any(minute: int, breaks: Sequence[Pause]) -> bool:
    return any(lo <= minute and (hi is None or minute < hi) for lo, hi in breaks)


def utc_minute(text: str) -> int:
    """Epoch seconds of an ISO instant with an offset, for readable tests."""
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None
    return int((moment - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds())
