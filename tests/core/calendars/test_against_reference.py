"""The index agrees with the slow minute-stepping reference, on random calendars near DST changes.

Calendars are drawn in Chicago, Prague, Lord Howe (whose clocks move by 30 minutes) and Kolkata
(no DST), with office hours, lunch breaks, night shifts across midnight, shifts in the skipped or
repeated hour, holidays, closed dates and special days; instants mostly lie within days of a DST
change or New Year.
"""

from __future__ import annotations

from calendar_reference import ReferenceCalendar
from calendar_strategies import MINUTE, Case, business_minutes, cases
from hypothesis import given, settings
from hypothesis import strategies as st

from troth.core.calendars import Break, compile_calendar

REFERENCE_SETTINGS = settings(max_examples=50, deadline=None)
DAY_MINUTES = 24 * 60


@st.composite
def pauses(draw: st.DrawFn, at: int) -> list[Break]:
    """Up to three pauses near `at`, possibly overlapping, the last possibly still open."""
    found: list[Break] = []
    for _ in range(draw(st.integers(0, 3))):
        lo = at + draw(st.integers(-DAY_MINUTES, 4 * DAY_MINUTES)) * MINUTE
        length = draw(st.one_of(st.none(), st.integers(1, 2 * DAY_MINUTES), st.integers(1, 2 * DAY_MINUTES)))
        found.append((lo, None if length is None else lo + length * MINUTE))
    return found


@REFERENCE_SETTINGS
@given(case=cases(), data=st.data())
def test_add_is_due_when_the_reference_stopwatch_reaches_the_target(case: Case, data: st.DataObject) -> None:
    seconds = data.draw(business_minutes(case, weeks=1.5), label="seconds")
    reference = ReferenceCalendar(case.spec, case.zone)
    calendar = compile_calendar(case.spec, case.zone)
    assert calendar.add_seconds(case.at, seconds) == reference.add(case.at, seconds)


@REFERENCE_SETTINGS
@given(case=cases(), minutes=st.integers(-DAY_MINUTES, 8 * DAY_MINUTES))
def test_elapsed_counts_the_working_minutes_the_reference_counts(case: Case, minutes: int) -> None:
    end = case.at + minutes * MINUTE
    reference = ReferenceCalendar(case.spec, case.zone)
    calendar = compile_calendar(case.spec, case.zone)
    assert calendar.elapsed_seconds(case.at, end) == reference.elapsed(case.at, end)


@REFERENCE_SETTINGS
@given(case=cases())
def test_it_is_open_exactly_when_the_reference_is_and_opens_next_when_it_does(case: Case) -> None:
    reference = ReferenceCalendar(case.spec, case.zone)
    calendar = compile_calendar(case.spec, case.zone)
    assert bool(calendar.is_open_array([case.at])[0]) == reference.is_open(case.at)
    assert int(calendar.next_opening_array([case.at])[0]) == reference.next_opening(case.at)


@REFERENCE_SETTINGS
@given(case=cases(), data=st.data())
def test_add_with_pauses_matches_the_reference_with_paused_minutes_not_counted(case: Case, data: st.DataObject) -> None:
    seconds = data.draw(business_minutes(case, weeks=1), label="seconds")
    breaks = data.draw(pauses(case.at), label="breaks")
    reference = ReferenceCalendar(case.spec, case.zone)
    calendar = compile_calendar(case.spec, case.zone)
    assert calendar.add_with_breaks(case.at, seconds, breaks) == reference.add(case.at, seconds, breaks)


@REFERENCE_SETTINGS
@given(case=cases(), minutes=st.integers(0, 6 * DAY_MINUTES), data=st.data())
def test_elapsed_with_pauses_matches_the_reference_with_paused_minutes_not_counted(
    case: Case, minutes: int, data: st.DataObject
) -> None:
    end = case.at + minutes * MINUTE
    breaks = data.draw(pauses(case.at), label="breaks")
    reference = ReferenceCalendar(case.spec, case.zone)
    calendar = compile_calendar(case.spec, case.zone)
    assert calendar.elapsed_with_breaks(case.at, end, breaks) == reference.elapsed(case.at, end, breaks)


@settings(max_examples=30, deadline=None)
@given(case=cases(always_open=True), minutes=st.integers(0, 4 * DAY_MINUTES))
def test_an_always_open_calendar_counts_every_minute_like_the_reference(case: Case, minutes: int) -> None:
    reference = ReferenceCalendar(case.spec, case.zone)
    calendar = compile_calendar(case.spec, case.zone)
    assert calendar.add_seconds(case.at, minutes * MINUTE) == reference.add(case.at, minutes * MINUTE)
    assert calendar.elapsed_seconds(case.at, case.at + minutes * MINUTE) == minutes * MINUTE
