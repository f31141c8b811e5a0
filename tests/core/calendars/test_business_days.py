"""The decided semantics of DESIGN.md on Balto's Mon-Fri 07:00-18:00 US Central, with literal instants."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from troth.core.calendars import (
    CalendarError,
    CalendarSpec,
    DayInterval,
    HolidaySource,
    always_open,
    compile_calendar,
    resolve_zone,
)

H = 3600
CHICAGO = "America/Chicago"
WORKDAY = (DayInterval(start=7 * H, end=18 * H),)
BALTO = CalendarSpec(name="business", timezone=CHICAGO, weekly=(WORKDAY,) * 5 + ((), ()))
BALTO_WITH_HOLIDAYS = CalendarSpec(
    name="business", timezone=CHICAGO, weekly=BALTO.weekly, holiday_sources=(HolidaySource(country="US"),)
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def due(spec: CalendarSpec, start: str, duration: timedelta) -> datetime:
    return compile_calendar(spec, str(spec.timezone)).add(at(start), duration)


def test_two_business_days_are_twenty_two_business_hours_on_an_eleven_hour_day() -> None:
    """DESIGN.md: "Mon–Fri 07:00–18:00 makes 2 business days = 22 business hours"."""
    assert BALTO.business_day() * 2 == timedelta(hours=22)


def test_a_ticket_filed_monday_ten_with_two_business_days_is_due_wednesday_ten() -> None:
    """DESIGN.md: "a ticket filed Monday 10:00 is due Wednesday 10:00"."""
    assert due(BALTO, "2026-04-13T10:00-05:00", BALTO.business_day() * 2) == at("2026-04-15T10:00-05:00")


def test_a_ticket_filed_at_the_weekend_with_two_business_days_is_due_tuesday_at_closing() -> None:
    """DESIGN.md: "one filed at the weekend is due Tuesday at closing"."""
    assert due(BALTO, "2026-04-11T10:00-05:00", BALTO.business_day() * 2) == at("2026-04-14T18:00-05:00")
    assert due(BALTO, "2026-04-12T23:59:59-05:00", BALTO.business_day() * 2) == at("2026-04-14T18:00-05:00")


def test_outside_working_hours_the_clock_waits_for_the_next_opening() -> None:
    """DESIGN.md: "outside working hours the clock waits for the next opening"."""
    assert due(BALTO, "2026-04-13T05:00-05:00", timedelta(hours=1)) == at("2026-04-13T08:00-05:00")
    assert due(BALTO, "2026-04-13T19:00-05:00", timedelta(hours=1)) == at("2026-04-14T08:00-05:00")
    assert due(BALTO, "2026-04-17T18:00-05:00", timedelta(minutes=30)) == at("2026-04-20T07:30-05:00")


def test_a_target_reached_exactly_at_closing_is_due_at_closing_not_at_the_next_opening() -> None:
    """DESIGN.md: "reaching it exactly at closing time is due at closing, not at the next opening"."""
    assert due(BALTO, "2026-04-13T16:00-05:00", timedelta(hours=2)) == at("2026-04-13T18:00-05:00")
    assert due(BALTO, "2026-04-17T07:00-05:00", timedelta(hours=11)) == at("2026-04-17T18:00-05:00")
    assert due(BALTO, "2026-04-13T16:00-05:00", timedelta(hours=2, seconds=1)) == at("2026-04-14T07:00:01-05:00")


def test_a_zero_target_is_due_at_its_start_even_outside_working_hours() -> None:
    assert due(BALTO, "2026-04-11T10:00-05:00", timedelta(0)) == at("2026-04-11T10:00-05:00")
    assert due(BALTO, "2026-04-13T18:00-05:00", timedelta(0)) == at("2026-04-13T18:00-05:00")


def test_elapsed_counts_only_working_time_and_nothing_backwards() -> None:
    calendar = compile_calendar(BALTO, CHICAGO)
    assert calendar.elapsed(at("2026-04-10T17:00-05:00"), at("2026-04-13T08:30-05:00")) == timedelta(hours=2.5)
    assert calendar.elapsed(at("2026-04-11T00:00-05:00"), at("2026-04-12T23:59-05:00")) == timedelta(0)
    assert calendar.elapsed(at("2026-04-13T12:00-05:00"), at("2026-04-13T10:00-05:00")) == timedelta(0)


def test_a_federal_holiday_is_skipped_like_a_weekend() -> None:
    """Thanksgiving, Thursday 26 November 2026, is closed; Friday is a working day."""
    start, two_hours = "2026-11-25T17:00-06:00", timedelta(hours=2)
    assert due(BALTO_WITH_HOLIDAYS, start, two_hours) == at("2026-11-27T08:00-06:00")
    assert due(BALTO, start, two_hours) == at("2026-11-26T08:00-06:00")


def test_a_holiday_falling_on_saturday_closes_the_friday_it_is_observed_on() -> None:
    """Independence Day 2026 is a Saturday, observed Friday 3 July."""
    assert due(BALTO_WITH_HOLIDAYS, "2026-07-02T17:00-05:00", timedelta(hours=2)) == at("2026-07-06T08:00-05:00")


def test_closed_dates_and_special_days_override_the_weekly_hours() -> None:
    spec = CalendarSpec(
        name="business",
        timezone=CHICAGO,
        weekly=BALTO.weekly,
        closed_dates=frozenset({date(2026, 4, 14)}),
        special_days=((date(2026, 4, 18), (DayInterval(start=9 * H, end=12 * H),)),),
    )
    assert due(spec, "2026-04-13T17:00-05:00", timedelta(hours=2)) == at("2026-04-15T08:00-05:00")
    assert due(spec, "2026-04-17T17:00-05:00", timedelta(hours=2)) == at("2026-04-18T10:00-05:00")


def test_a_special_day_opens_a_holiday() -> None:
    spec = CalendarSpec(
        name="business",
        timezone=CHICAGO,
        weekly=BALTO.weekly,
        holiday_sources=BALTO_WITH_HOLIDAYS.holiday_sources,
        special_days=((date(2026, 11, 26), (DayInterval(start=9 * H, end=13 * H),)),),
    )
    assert due(spec, "2026-11-25T17:00-06:00", timedelta(hours=2)) == at("2026-11-26T10:00-06:00")


def test_lunch_breaks_in_the_hours_are_not_worked() -> None:
    spec = CalendarSpec(
        name="split",
        timezone="Asia/Kolkata",
        weekly=((DayInterval(start=9 * H, end=13 * H), DayInterval(start=14 * H, end=18 * H)),) * 5 + ((), ()),
    )
    assert due(spec, "2026-04-13T12:00+05:30", timedelta(hours=2)) == at("2026-04-13T15:00+05:30")
    assert due(spec, "2026-04-13T11:00+05:30", timedelta(hours=2)) == at("2026-04-13T13:00+05:30")
    assert spec.business_day() == timedelta(hours=8)


# ----- the length of a business day -----------------------------------------------------------


def test_the_business_day_is_derived_when_every_working_day_is_equally_long() -> None:
    assert BALTO.business_day() == timedelta(hours=11)


def test_the_declared_business_day_wins_over_the_hours() -> None:
    unequal = _unequal(day_length=timedelta(hours=8))
    assert unequal.business_day() == timedelta(hours=8)
    assert due(unequal, "2026-04-13T08:00-05:00", unequal.business_day()) == at("2026-04-13T16:00-05:00")


def test_unequal_working_days_without_a_declared_length_cannot_count_business_days() -> None:
    """DESIGN.md: "a calendar with unequal days and no declared length is an error for such targets"."""
    with pytest.raises(CalendarError, match="unequal length; declare its day_length"):
        _unequal(day_length=None).business_day()


def test_a_calendar_that_is_always_open_has_a_business_day_of_twenty_four_hours() -> None:
    spec = always_open(timezone=CHICAGO)
    assert spec.business_day() == timedelta(days=1)
    assert due(spec, "2026-03-07T12:00-06:00", timedelta(days=1)) == at("2026-03-08T13:00-05:00")


def test_a_calendar_without_working_time_has_no_business_day_and_never_reaches_a_target() -> None:
    closed = CalendarSpec(name="never", timezone=CHICAGO)
    with pytest.raises(CalendarError, match="no working hours"):
        closed.business_day()
    calendar = compile_calendar(closed, CHICAGO)
    with pytest.raises(CalendarError, match="no working time"):
        calendar.add(at("2026-04-13T10:00-05:00"), timedelta(hours=1))
    assert calendar.add(at("2026-04-13T10:00-05:00"), timedelta(0)) == at("2026-04-13T10:00-05:00")
    assert calendar.elapsed(at("2026-01-01T00:00Z"), at("2027-01-01T00:00Z")) == timedelta(0)
    assert not calendar.is_open(at("2026-04-13T10:00-05:00"))


def _unequal(*, day_length: timedelta | None) -> CalendarSpec:
    long_day, friday = (DayInterval(start=8 * H, end=17 * H),), (DayInterval(start=8 * H, end=14 * H),)
    return CalendarSpec(
        name="short fridays",
        timezone=CHICAGO,
        weekly=(long_day, long_day, long_day, long_day, friday, (), ()),
        day_length=day_length,
    )


# ----- zones ----------------------------------------------------------------------------------


def test_a_customer_zone_calendar_runs_in_the_customers_zone() -> None:
    """Eleveo: "Mon–Fri 08:00–17:00 in the client's local time"."""
    spec = CalendarSpec(
        name="client hours", timezone=None, weekly=((DayInterval(start=8 * H, end=17 * H),),) * 5 + ((), ())
    )
    prague = compile_calendar(spec, resolve_zone(spec, "Europe/Prague"))
    chicago = compile_calendar(spec, resolve_zone(spec, CHICAGO))
    start = at("2026-04-13T07:00Z")
    assert prague.add(start, timedelta(hours=1)) == at("2026-04-13T10:00+02:00")
    assert chicago.add(start, timedelta(hours=1)) == at("2026-04-13T09:00-05:00")


def test_a_customer_zone_calendar_needs_the_customers_zone() -> None:
    spec = CalendarSpec(name="client hours", timezone=None)
    with pytest.raises(CalendarError, match="customer's time zone"):
        resolve_zone(spec, None)
    assert resolve_zone(BALTO, "Europe/Prague") == CHICAGO


def test_an_unknown_zone_or_holiday_country_is_a_calendar_error() -> None:
    with pytest.raises(CalendarError, match="unknown time zone 'Mars/Olympus'"):
        compile_calendar(BALTO, "Mars/Olympus")
    nowhere = CalendarSpec(
        name="x", timezone=CHICAGO, weekly=BALTO.weekly, holiday_sources=(HolidaySource(country="XX"),)
    )
    with pytest.raises(CalendarError, match="holidays for 'XX'"):
        compile_calendar(nowhere, CHICAGO).add(at("2026-04-13T10:00-05:00"), timedelta(hours=1))


def test_a_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        compile_calendar(BALTO, CHICAGO).add(at("2026-04-13T10:00-05:00"), timedelta(hours=-1))
