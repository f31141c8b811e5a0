"""The index grows on demand, year by year, and gives the same answers whatever it has already built."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import numpy as np

from troth.core.calendars import CalendarSpec, CompiledCalendar, DayInterval, HolidaySource, compile_calendar

H = 3600
CHICAGO = "America/Chicago"
OFFICE = CalendarSpec(
    name="office",
    timezone=CHICAGO,
    weekly=((DayInterval(start=7 * H, end=18 * H),),) * 5 + ((), ()),
    holiday_sources=(HolidaySource(country="US"),),
)
NIGHTLY = CalendarSpec(name="nightly", timezone=CHICAGO, weekly=((DayInterval(start=22 * H, end=30 * H),),) * 7)


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def spread(first: str, last: str, count: int) -> np.ndarray:
    return np.linspace(epoch(first), epoch(last), count).astype(np.int64)


def test_answers_do_not_depend_on_which_years_were_built_first() -> None:
    starts = spread("1995-01-01T00:00Z", "2045-01-01T00:00Z", 400)
    seconds = np.arange(400, dtype=np.int64) * 997
    grown = CompiledCalendar(OFFICE, CHICAGO)
    grown.add_array(starts[200:201], seconds[:1])  # one year first, then both directions
    fresh = CompiledCalendar(OFFICE, CHICAGO)
    assert grown.add_array(starts, seconds).tolist() == fresh.add_array(starts, seconds).tolist()
    assert (
        grown.elapsed_array(starts[:-1], starts[1:]).tolist() == fresh.elapsed_array(starts[:-1], starts[1:]).tolist()
    )


def test_a_target_beyond_the_built_years_grows_the_index_forward() -> None:
    calendar = CompiledCalendar(OFFICE, CHICAGO)
    start = epoch("2026-12-30T12:00-06:00")
    year_of_work = 5 * 52 * 11 * H
    due = calendar.add_seconds(start, year_of_work)
    assert datetime.fromtimestamp(due, tz=UTC).year == 2028
    assert calendar.elapsed_seconds(start, due) == year_of_work


def test_a_holiday_observed_in_the_previous_year_is_closed() -> None:
    """New Year's Day 2022 was a Saturday, observed on Friday 31 December 2021."""
    calendar = compile_calendar(OFFICE, CHICAGO)
    due = calendar.add(datetime.fromisoformat("2021-12-30T17:00-06:00"), timedelta(hours=2))
    assert due == datetime.fromisoformat("2022-01-03T08:00-06:00")


def test_a_night_shift_over_new_year_is_one_working_interval() -> None:
    calendar = compile_calendar(NIGHTLY, CHICAGO)
    intervals = calendar.working_intervals(epoch("2026-12-31T12:00-06:00"), epoch("2027-01-01T12:00-06:00"))
    assert intervals == [(epoch("2026-12-31T22:00-06:00"), epoch("2027-01-01T06:00-06:00"))]


def test_working_intervals_are_clipped_to_the_asked_range() -> None:
    calendar = compile_calendar(OFFICE, CHICAGO)
    intervals = calendar.working_intervals(epoch("2026-04-13T12:00-05:00"), epoch("2026-04-14T09:00-05:00"))
    assert intervals == [
        (epoch("2026-04-13T12:00-05:00"), epoch("2026-04-13T18:00-05:00")),
        (epoch("2026-04-14T07:00-05:00"), epoch("2026-04-14T09:00-05:00")),
    ]
    assert calendar.working_intervals(epoch("2026-04-14T09:00-05:00"), epoch("2026-04-13T12:00-05:00")) == []


def test_empty_arrays_give_empty_answers() -> None:
    calendar = compile_calendar(OFFICE, CHICAGO)
    none = np.zeros(0, dtype=np.int64)
    assert calendar.add_array(none, none).size == 0
    assert calendar.elapsed_array(none, none).size == 0
    assert calendar.is_open_array(none).size == 0
    assert calendar.next_opening_array(none).size == 0


def test_a_calendar_is_compiled_once_per_zone() -> None:
    assert compile_calendar(OFFICE, CHICAGO) is compile_calendar(OFFICE, CHICAGO)
    assert compile_calendar(OFFICE, CHICAGO) is not compile_calendar(OFFICE, "Europe/Prague")


def test_questions_asked_from_several_threads_at_once_get_the_answers_asked_one_at_a_time() -> None:
    shared, alone = CompiledCalendar(OFFICE, CHICAGO), CompiledCalendar(OFFICE, CHICAGO)
    batches = [spread(f"{year}-01-01T00:00Z", f"{year}-12-31T00:00Z", 50) for year in range(2020, 2036)]
    seconds = np.full(50, 30 * H, dtype=np.int64)
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda starts: shared.add_array(starts, seconds).tolist(), batches))
    assert together == [alone.add_array(starts, seconds).tolist() for starts in batches]
