"""Laws of business-time arithmetic that hold on every calendar, at whole-second resolution."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import numpy as np
from calendar_reference import ReferenceCalendar, wall_reading
from calendar_strategies import MINUTE, Case, business_minutes, cases
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from troth.core.calendars import CalendarSpec, DayHours, DayInterval, compile_calendar
from troth.core.instants import from_epoch

LAW_SETTINGS = settings(max_examples=50, deadline=None)
DAY = 86_400
seconds_within = st.integers(-2 * DAY, 10 * DAY)


@LAW_SETTINGS
@given(case=cases(), offsets=st.lists(seconds_within, min_size=3, max_size=3))
def test_elapsed_over_two_stretches_is_the_sum_of_each(case: Case, offsets: list[int]) -> None:
    a, b, c = sorted(case.at + offset for offset in offsets)
    calendar = compile_calendar(case.spec, case.zone)
    assert calendar.elapsed_seconds(a, c) == calendar.elapsed_seconds(a, b) + calendar.elapsed_seconds(b, c)


@LAW_SETTINGS
@given(case=cases(), shift=seconds_within, data=st.data())
def test_the_time_elapsed_until_the_due_time_is_the_target(case: Case, shift: int, data: st.DataObject) -> None:
    start = case.at + shift
    seconds = data.draw(business_minutes(case, weeks=3)) + data.draw(st.integers(0, MINUTE - 1))
    calendar = compile_calendar(case.spec, case.zone)
    assert calendar.elapsed_seconds(start, calendar.add_seconds(start, seconds)) == seconds


@LAW_SETTINGS
@given(case=cases(), shifts=st.lists(seconds_within, min_size=2, max_size=2), data=st.data())
def test_a_later_start_or_a_longer_target_is_never_due_earlier(
    case: Case, shifts: list[int], data: st.DataObject
) -> None:
    early, late = sorted(case.at + shift for shift in shifts)
    short, long = sorted(data.draw(st.lists(business_minutes(case, weeks=2), min_size=2, max_size=2)))
    calendar = compile_calendar(case.spec, case.zone)
    assert calendar.add_seconds(early, short) <= calendar.add_seconds(late, short)
    assert calendar.add_seconds(early, short) <= calendar.add_seconds(early, long)


@LAW_SETTINGS
@given(case=cases(), shift=seconds_within)
def test_a_zero_target_is_due_at_its_start_even_when_closed(case: Case, shift: int) -> None:
    calendar = compile_calendar(case.spec, case.zone)
    assert calendar.add_seconds(case.at + shift, 0) == case.at + shift
    assert calendar.add_with_breaks(case.at + shift, 0, [(case.at + shift - 1, None)]) == case.at + shift


@LAW_SETTINGS
@given(case=cases(), shift=seconds_within)
def test_the_next_opening_is_open_and_nothing_is_worked_before_it(case: Case, shift: int) -> None:
    calendar = compile_calendar(case.spec, case.zone)
    at = case.at + shift
    opening = int(calendar.next_opening_array(np.array([at]))[0])
    assert opening >= at
    assert bool(calendar.is_open_array(np.array([opening]))[0])
    assert calendar.elapsed_seconds(at, opening) == 0


@LAW_SETTINGS
@given(case=cases(), data=st.data())
def test_the_vectorised_operations_give_what_the_scalar_ones_give_one_by_one(case: Case, data: st.DataObject) -> None:
    size = data.draw(st.integers(1, 12), label="size")
    starts = [case.at + s for s in data.draw(st.lists(seconds_within, min_size=size, max_size=size))]
    ends = [case.at + s for s in data.draw(st.lists(seconds_within, min_size=size, max_size=size))]
    targets = data.draw(st.lists(business_minutes(case, weeks=2), min_size=size, max_size=size))
    calendar = compile_calendar(case.spec, case.zone)
    at = [datetime.fromtimestamp(s, tz=UTC) for s in starts]
    start_array = np.array(starts, dtype=np.int64)

    due = calendar.add_array(start_array, np.array(targets))
    assert [from_epoch(d) for d in due.tolist()] == [
        calendar.add(s, timedelta(seconds=d)) for s, d in zip(at, targets, strict=True)
    ]
    elapsed = calendar.elapsed_array(start_array, np.array(ends))
    assert elapsed.tolist() == [calendar.elapsed_seconds(a, b) for a, b in zip(starts, ends, strict=True)]
    assert calendar.is_open_array(start_array).tolist() == [calendar.is_open(s) for s in at]
    openings = calendar.next_opening_array(start_array).tolist()
    assert [from_epoch(o) for o in openings] == [calendar.next_opening(s) for s in at]


@LAW_SETTINGS
@given(case=cases(), offsets=st.lists(seconds_within, min_size=2, max_size=2))
def test_working_intervals_add_up_to_the_elapsed_time(case: Case, offsets: list[int]) -> None:
    a, b = sorted(case.at + offset for offset in offsets)
    calendar = compile_calendar(case.spec, case.zone)
    intervals = calendar.working_intervals(a, b)
    assert sum(end - start for start, end in intervals) == calendar.elapsed_seconds(a, b)
    assert all(a <= start < end <= b for start, end in intervals)
    assert all(left[1] < right[0] for left, right in pairwise(intervals))


# ----- pausing is closing: a break gives the same due time as those hours closed in the calendar -----


def _without(day_hours: DayHours, lo: int, hi: int) -> list[tuple[int, int]]:
    """The day's intervals as (start, end) seconds after its midnight, less `[lo, hi)`."""
    kept = []
    for interval in day_hours:
        kept += [(interval.start, min(interval.end, lo)), (max(interval.start, hi), interval.end)]
    return [(start, end) for start, end in kept if end > start]


def _closed_for(reference: ReferenceCalendar, day: date, lo: int, hi: int) -> CalendarSpec:
    """The calendar with `[lo, hi)` seconds after local midnight of `day` closed, through special days.

    The day before loses the stretch from its night shifts, the day itself from its own hours; what
    is left of a shift after the stretch but past midnight moves to the next day, where it is worked.
    """
    days = [day - timedelta(days=1), day, day + timedelta(days=1)]
    pieces = {
        days[0]: _without(reference.hours_on(days[0]), lo + DAY, hi + DAY),
        days[1]: _without(reference.hours_on(days[1]), lo, hi),
        days[2]: [(i.start, i.end) for i in reference.hours_on(days[2])],
    }
    for earlier, later in pairwise(days):
        pieces[later] += [(start - DAY, end - DAY) for start, end in pieces[earlier] if start >= DAY]
        pieces[earlier] = [(start, end) for start, end in pieces[earlier] if start < DAY]
    special = dict(reference.spec.special_days)
    for each in days:
        special[each] = tuple(DayInterval(start=s, end=e) for s, e in sorted(pieces[each]))
    return dataclasses.replace(reference.spec, special_days=tuple(sorted(special.items())))


def _steady_around(day: date, zone: ZoneInfo) -> bool:
    """Whether the zone keeps one UTC offset from the day before `day` to the day after it."""
    midnights = (datetime.combine(day + timedelta(days=d), time(), tzinfo=zone) for d in range(-1, 3))
    return len({midnight.utcoffset() for midnight in midnights}) == 1


@settings(max_examples=50, deadline=None)
@given(case=cases(), data=st.data())
def test_pausing_then_resuming_gives_the_due_time_of_those_hours_closed_in_the_calendar(
    case: Case, data: st.DataObject
) -> None:
    reference = ReferenceCalendar(case.spec, case.zone)
    pause_at = case.at + data.draw(st.integers(-DAY // MINUTE, 3 * DAY // MINUTE), label="pause") * MINUTE
    wall = wall_reading(pause_at, reference.zone)
    assume(_steady_around(wall.date(), reference.zone))  # the pause is then one stretch of wall clock
    lo = wall.hour * 3600 + wall.minute * MINUTE
    hi = min(DAY, lo + data.draw(st.integers(1, 12 * 60), label="pause minutes") * MINUTE)
    closed = compile_calendar(_closed_for(reference, wall.date(), lo, hi), case.zone)
    calendar = compile_calendar(case.spec, case.zone)
    pause = (pause_at, pause_at + hi - lo)
    start = case.at + data.draw(st.integers(-DAY, DAY), label="start")
    seconds = data.draw(business_minutes(case, weeks=1), label="seconds")
    assert calendar.add_with_breaks(start, seconds, [pause]) == closed.add_seconds(start, seconds)
    end = start + 3 * DAY
    assert calendar.elapsed_with_breaks(start, end, [pause]) == closed.elapsed_seconds(start, end)
