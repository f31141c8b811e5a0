"""Hypothesis strategies for calendars and instants, biased toward the hard days.

Instants are whole minutes (the reference works in minutes), drawn mostly within a few days of a
DST change in the zone, or of the New Year holidays, or anywhere in 2026-2027.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from troth.core.calendars import CalendarSpec, DayHours, DayInterval, HolidaySource

HOUR = 3600
MINUTE = 60
ZONES = ("America/Chicago", "Europe/Prague", "Australia/Lord_Howe", "Asia/Kolkata")
HOLIDAYS = {
    "America/Chicago": HolidaySource(country="US"),
    "Europe/Prague": HolidaySource(country="CZ"),
    "Australia/Lord_Howe": HolidaySource(country="AU", subdivision="NSW"),
    "Asia/Kolkata": HolidaySource(country="IN"),
}


def hours(*pairs: tuple[float, float]) -> DayHours:
    """Day hours from (start, end) pairs in hours after local midnight; an end past 24 crosses midnight."""
    return tuple(DayInterval(start=round(start * HOUR), end=round(end * HOUR)) for start, end in pairs)


# Day shapes that exercise the rules: office hours, a lunch break, a night shift crossing midnight,
# the whole day, shifts that start, end or lie inside the hour the clocks skip or repeat, and
# a day of many short openings.
DAY_SHAPES: tuple[DayHours, ...] = (
    (),
    hours((7, 18)),
    hours((8, 12), (13, 17)),
    hours((22, 30)),
    hours((0, 24)),
    hours((1, 4)),
    hours((2.5, 5)),
    hours((2, 2.75)),
    hours((1.5, 3)),
    hours((0, 2.25), (2.5, 7)),
    hours((9, 9.25), (9.5, 10), (16, 16.5)),
    hours((23.5, 26.5)),
    # Opening six times within the hour: too many for the bucket table, so the index falls back.
    hours(*((9 + m / 60, 9 + (m + 5) / 60) for m in range(0, 60, 10))),
)


@cache
def transitions(zone_name: str) -> tuple[int, ...]:
    """UTC epoch seconds (on the half hour just after) of the zone's offset changes in 2026-2027."""
    zone = ZoneInfo(zone_name)

    def offset(moment: datetime) -> timedelta | None:
        return moment.astimezone(zone).utcoffset()

    found = []
    day = datetime(2025, 12, 25, tzinfo=UTC)
    while day < datetime(2028, 1, 7, tzinfo=UTC):
        if offset(day) != offset(day + timedelta(days=1)):
            moment = day
            while offset(moment) == offset(day):
                moment += timedelta(minutes=30)
            found.append(int(moment.timestamp()))
        day += timedelta(days=1)
    return tuple(found)


_NEW_YEARS = tuple(int(datetime(year, 1, 1, tzinfo=UTC).timestamp()) for year in (2026, 2027, 2028))
_START = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
_END = int(datetime(2028, 1, 1, tzinfo=UTC).timestamp())


def instants(zone_name: str, *, spread_days: int = 3) -> st.SearchStrategy[int]:
    """Whole-minute epoch seconds, mostly near the zone's DST changes and New Year."""
    anchors = transitions(zone_name) + _NEW_YEARS
    spread = spread_days * 24 * 60
    near = st.tuples(st.sampled_from(anchors), st.integers(-spread, spread)).map(lambda p: p[0] + p[1] * MINUTE)
    anywhere = st.integers(_START // MINUTE, _END // MINUTE).map(lambda m: m * MINUTE)
    return st.one_of(near, near, anywhere)


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """A calendar in a zone, and an instant to ask about (whole minutes, UTC epoch seconds)."""

    spec: CalendarSpec
    zone: str
    at: int

    @property
    def weekly_minutes(self) -> int:
        return sum(interval.seconds for day in self.spec.weekly for interval in day) // MINUTE


@st.composite
def cases(draw: st.DrawFn, *, always_open: bool = False) -> Case:
    """A random calendar in one of the test zones, with an instant near a hard day."""
    zone = draw(st.sampled_from(ZONES))
    at = draw(instants(zone))
    if always_open:
        return Case(spec=CalendarSpec(name="24x7", timezone=zone, always_open=True), zone=zone, at=at)
    weekly = draw(st.lists(st.sampled_from(DAY_SHAPES), min_size=7, max_size=7).filter(any))
    around = datetime.fromtimestamp(at, tz=UTC).date()
    nearby = st.integers(-4, 10).map(lambda d: around + timedelta(days=d))
    closed = draw(st.frozensets(nearby, max_size=2))
    special = draw(st.dictionaries(nearby, st.sampled_from(DAY_SHAPES), max_size=2))
    spec = CalendarSpec(
        name="generated",
        timezone=zone,
        weekly=(weekly[0], weekly[1], weekly[2], weekly[3], weekly[4], weekly[5], weekly[6]),
        holiday_sources=(HOLIDAYS[zone],) if draw(st.booleans()) else (),
        closed_dates=closed,
        special_days=tuple(sorted(special.items())),
    )
    return Case(spec=spec, zone=zone, at=at)


def business_minutes(case: Case, *, weeks: float) -> st.SearchStrategy[int]:
    """Whole-minute durations in seconds, up to about `weeks` of the calendar's weekly hours."""
    most = max(1, int(case.weekly_minutes * weeks))
    return st.integers(0, most).map(lambda m: m * MINUTE)


def on_day(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
