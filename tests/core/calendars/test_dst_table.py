"""Each DST change of 2026 in Chicago and Prague, as a table of literal instants.

DESIGN.md: "Calendars are defined in local wall-clock time in a named IANA zone ... DST is honoured
(a day's working hours are wall-clock hours that day)." A skipped local time moves forward by the
gap; a repeated one is its first occurrence; an interval lying wholly in the skipped hour is empty.

Chicago: Sun 8 March 02:00 CST -> 03:00 CDT; Sun 1 November 02:00 CDT -> 01:00 CST.
Prague:  Sun 29 March 02:00 CET -> 03:00 CEST; Sun 25 October 03:00 CEST -> 02:00 CET.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from troth.core.calendars import CalendarSpec, DayHours, DayInterval, compile_calendar

H = 3600


def day(start: float, end: float) -> DayHours:
    return (DayInterval(start=round(start * H), end=round(end * H)),)


def weekly(zone: str, name: str, days: dict[int, DayHours]) -> CalendarSpec:
    h = [days.get(weekday, ()) for weekday in range(7)]
    return CalendarSpec(name=name, timezone=zone, weekly=(h[0], h[1], h[2], h[3], h[4], h[5], h[6]))


def office(zone: str) -> CalendarSpec:
    """Mon-Fri 07:00-18:00."""
    return weekly(zone, "office", dict.fromkeys(range(5), day(7, 18)))


def local_24x7(zone: str) -> CalendarSpec:
    """Every local day 00:00-24:00: a calendar of hours, not `always_open`."""
    return weekly(zone, "local 24x7", dict.fromkeys(range(7), day(0, 24)))


def every_day(zone: str, start: float, end: float) -> CalendarSpec:
    return weekly(zone, f"{start}-{end}", dict.fromkeys(range(7), day(start, end)))


def saturday_night(zone: str) -> CalendarSpec:
    """Saturday 22:00 to Sunday 06:00, across the night the clocks change."""
    return weekly(zone, "saturday night", {5: day(22, 30)})


def sunday_night(zone: str) -> CalendarSpec:
    """Sunday 22:00 to Monday 06:00, the evening after the clocks changed."""
    return weekly(zone, "sunday night", {6: day(22, 30)})


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


CHICAGO, PRAGUE, LORD_HOWE = "America/Chicago", "Europe/Prague", "Australia/Lord_Howe"

ADD_CASES = [
    # Office hours: the weekend holds the change; Monday opens at 07:00 in the new offset.
    ("office, Chicago spring", office(CHICAGO), "2026-03-06T17:00-06:00", 2, "2026-03-09T08:00-05:00"),
    ("office, Chicago fall", office(CHICAGO), "2026-10-30T17:00-05:00", 2, "2026-11-02T08:00-06:00"),
    ("office, Prague spring", office(PRAGUE), "2026-03-27T17:00+01:00", 2, "2026-03-30T08:00+02:00"),
    ("office, Prague fall", office(PRAGUE), "2026-10-23T17:00+02:00", 2, "2026-10-26T08:00+01:00"),
    (
        "office, weekend start due at Monday closing",
        office(CHICAGO),
        "2026-03-07T10:00-06:00",
        11,
        "2026-03-09T18:00-05:00",
    ),
    # Local 24x7: business time is real time, so 24 hours from midnight is 01:00 / 23:00 local.
    ("24x7, Chicago spring", local_24x7(CHICAGO), "2026-03-08T00:00-06:00", 24, "2026-03-09T01:00-05:00"),
    ("24x7, Chicago fall", local_24x7(CHICAGO), "2026-11-01T00:00-05:00", 24, "2026-11-01T23:00-06:00"),
    ("24x7, Prague spring", local_24x7(PRAGUE), "2026-03-29T00:00+01:00", 24, "2026-03-30T01:00+02:00"),
    ("24x7, Prague fall", local_24x7(PRAGUE), "2026-10-25T00:00+02:00", 24, "2026-10-25T23:00+01:00"),
    # 01:00-04:00 daily spans the changed hour: 2 real hours in spring, 4 in fall.
    ("01-04, Chicago spring", every_day(CHICAGO, 1, 4), "2026-03-08T01:00-06:00", 3, "2026-03-09T02:00-05:00"),
    ("01-04, Chicago fall", every_day(CHICAGO, 1, 4), "2026-11-01T01:00-05:00", 3, "2026-11-01T03:00-06:00"),
    ("01-04, Prague spring", every_day(PRAGUE, 1, 4), "2026-03-29T01:00+01:00", 3, "2026-03-30T02:00+02:00"),
    ("01-04, Prague fall", every_day(PRAGUE, 1, 4), "2026-10-25T01:00+02:00", 3, "2026-10-25T03:00+01:00"),
    # Saturday night shift: 7 real hours in spring, 9 in fall; due exactly at its 06:00 closing.
    ("sat night, Chicago spring", saturday_night(CHICAGO), "2026-03-07T22:00-06:00", 7, "2026-03-08T06:00-05:00"),
    ("sat night, Chicago fall", saturday_night(CHICAGO), "2026-10-31T22:00-05:00", 9, "2026-11-01T06:00-06:00"),
    ("sat night, Prague spring", saturday_night(PRAGUE), "2026-03-28T22:00+01:00", 7, "2026-03-29T06:00+02:00"),
    ("sat night, Prague fall", saturday_night(PRAGUE), "2026-10-24T22:00+02:00", 9, "2026-10-25T06:00+01:00"),
    # Sunday night shift opens at 22:00 in the new offset.
    ("sun night, Chicago spring", sunday_night(CHICAGO), "2026-03-07T12:00-06:00", 1, "2026-03-08T23:00-05:00"),
    ("sun night, Chicago fall", sunday_night(CHICAGO), "2026-10-31T12:00-05:00", 1, "2026-11-01T23:00-06:00"),
    ("sun night, Prague spring", sunday_night(PRAGUE), "2026-03-28T12:00+01:00", 1, "2026-03-29T23:00+02:00"),
    ("sun night, Prague fall", sunday_night(PRAGUE), "2026-10-24T12:00+02:00", 1, "2026-10-25T23:00+01:00"),
]


@pytest.mark.parametrize(
    ("calendar", "start", "hours", "due"), [case[1:] for case in ADD_CASES], ids=[case[0] for case in ADD_CASES]
)
def test_a_target_across_a_dst_change_is_due_at_the_wall_clock_time_the_hours_say(
    calendar: CalendarSpec, start: str, hours: int, due: str
) -> None:
    compiled = compile_calendar(calendar, str(calendar.timezone))
    assert compiled.add(at(start), timedelta(hours=hours)) == at(due)


ELAPSED_CASES = [
    ("office, Chicago spring", office(CHICAGO), "2026-03-06T12:00-06:00", "2026-03-09T12:00-05:00", 11),
    ("office, Chicago fall", office(CHICAGO), "2026-10-30T12:00-05:00", "2026-11-02T12:00-06:00", 11),
    ("office, Prague spring", office(PRAGUE), "2026-03-27T12:00+01:00", "2026-03-30T12:00+02:00", 11),
    ("office, Prague fall", office(PRAGUE), "2026-10-23T12:00+02:00", "2026-10-26T12:00+01:00", 11),
    ("24x7, Chicago spring day", local_24x7(CHICAGO), "2026-03-07T12:00-06:00", "2026-03-08T12:00-05:00", 23),
    ("24x7, Chicago fall day", local_24x7(CHICAGO), "2026-10-31T12:00-05:00", "2026-11-01T12:00-06:00", 25),
    ("24x7, Prague spring day", local_24x7(PRAGUE), "2026-03-28T12:00+01:00", "2026-03-29T12:00+02:00", 23),
    ("24x7, Prague fall day", local_24x7(PRAGUE), "2026-10-24T12:00+02:00", "2026-10-25T12:00+01:00", 25),
    ("24x7, Lord Howe spring day", local_24x7(LORD_HOWE), "2026-10-03T12:00+10:30", "2026-10-04T12:00+11:00", 23.5),
    ("24x7, Lord Howe fall day", local_24x7(LORD_HOWE), "2026-04-04T12:00+11:00", "2026-04-05T12:00+10:30", 24.5),
    ("01-04, Chicago spring", every_day(CHICAGO, 1, 4), "2026-03-08T00:00-06:00", "2026-03-09T00:00-05:00", 2),
    ("01-04, Chicago fall", every_day(CHICAGO, 1, 4), "2026-11-01T00:00-05:00", "2026-11-02T00:00-06:00", 4),
    ("01-04, Prague spring", every_day(PRAGUE, 1, 4), "2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00", 2),
    ("01-04, Prague fall", every_day(PRAGUE, 1, 4), "2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00", 4),
    # A skipped start moves forward by the gap: 02:30 is read as 03:30, leaving 03:30-05:00.
    ("02:30-05, Chicago spring", every_day(CHICAGO, 2.5, 5), "2026-03-08T00:00-06:00", "2026-03-09T00:00-05:00", 1.5),
    # A repeated start is its first occurrence: 01:30 CDT to 03:00 CST.
    ("01:30-03, Chicago fall", every_day(CHICAGO, 1.5, 3), "2026-11-01T00:00-05:00", "2026-11-02T00:00-06:00", 2.5),
    ("02:30-04, Prague fall", every_day(PRAGUE, 2.5, 4), "2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00", 2.5),
    # Hours the clock never shows are not worked.
    ("02-02:45, Chicago spring", every_day(CHICAGO, 2, 2.75), "2026-03-08T00:00-06:00", "2026-03-09T00:00-05:00", 0),
    (
        "02-02:45, Chicago next day",
        every_day(CHICAGO, 2, 2.75),
        "2026-03-09T00:00-05:00",
        "2026-03-10T00:00-05:00",
        0.75,
    ),
    ("02-02:45, Prague spring", every_day(PRAGUE, 2, 2.75), "2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00", 0),
    ("sat night, Chicago spring", saturday_night(CHICAGO), "2026-03-07T12:00-06:00", "2026-03-08T12:00-05:00", 7),
    ("sat night, Chicago fall", saturday_night(CHICAGO), "2026-10-31T12:00-05:00", "2026-11-01T12:00-06:00", 9),
    ("sat night, Prague spring", saturday_night(PRAGUE), "2026-03-28T12:00+01:00", "2026-03-29T12:00+02:00", 7),
    ("sat night, Prague fall", saturday_night(PRAGUE), "2026-10-24T12:00+02:00", "2026-10-25T12:00+01:00", 9),
]


@pytest.mark.parametrize(
    ("calendar", "a", "b", "hours"), [case[1:] for case in ELAPSED_CASES], ids=[case[0] for case in ELAPSED_CASES]
)
def test_working_time_across_a_dst_change_is_real_time_within_that_days_wall_clock_hours(
    calendar: CalendarSpec, a: str, b: str, hours: float
) -> None:
    compiled = compile_calendar(calendar, str(calendar.timezone))
    assert compiled.elapsed(at(a), at(b)) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("zone", "open_at", "closed_at"),
    [
        (CHICAGO, "2026-03-08T03:30-05:00", "2026-03-08T00:59:59-06:00"),
        (CHICAGO, "2026-11-01T01:30-06:00", "2026-11-01T04:00-06:00"),
        (PRAGUE, "2026-03-29T03:00+02:00", "2026-03-29T00:59:59+01:00"),
        (PRAGUE, "2026-10-25T02:30+01:00", "2026-10-25T04:00+01:00"),
    ],
)
def test_a_shift_across_the_changed_hour_is_open_in_both_offsets(zone: str, open_at: str, closed_at: str) -> None:
    compiled = compile_calendar(every_day(zone, 1, 4), zone)
    assert compiled.is_open(at(open_at))
    assert not compiled.is_open(at(closed_at))


def test_a_holiday_on_sunday_closes_the_night_shift_that_starts_on_it_monday_part_included() -> None:
    spec = sunday_night(CHICAGO)
    closed = CalendarSpec(
        name=spec.name, timezone=CHICAGO, weekly=spec.weekly, closed_dates=frozenset({date(2026, 3, 8)})
    )
    compiled = compile_calendar(closed, CHICAGO)
    assert not compiled.is_open(at("2026-03-09T01:00-05:00"))
    assert compiled.add(at("2026-03-07T12:00-06:00"), timedelta(hours=1)) == at("2026-03-15T23:00-05:00")


def test_the_next_opening_after_the_spring_weekend_is_monday_seven_in_the_new_offset() -> None:
    compiled = compile_calendar(office(CHICAGO), CHICAGO)
    assert compiled.next_opening(at("2026-03-07T10:00-06:00")) == at("2026-03-09T07:00-05:00")
    assert compiled.next_opening(at("2026-03-09T07:00-05:00")) == at("2026-03-09T07:00-05:00")
