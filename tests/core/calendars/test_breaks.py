"""Pauses (waiting on the customer...) stop the clock exactly as closed hours would.

DESIGN.md: "Pause states (e.g. waiting on customer) stop restoration and resolution clocks".
The persona: Dana files a ticket on Monday 13 April 2026 at 10:00 Chicago time, on Balto's
Mon-Fri 07:00-18:00 hours, and the agent waits on her now and then.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from troth.core.calendars import CalendarSpec, DayInterval, compile_calendar, merge_breaks

H = 3600
CHICAGO = "America/Chicago"
BALTO = CalendarSpec(
    name="business", timezone=CHICAGO, weekly=((DayInterval(start=7 * H, end=18 * H),),) * 5 + ((), ())
)
CALENDAR = compile_calendar(BALTO, CHICAGO)


def t(text: str) -> int:
    """Epoch seconds of a Chicago wall time on Monday 13 April 2026 (CDT), or of a full ISO instant."""
    if "T" not in text:
        text = f"2026-04-13T{text}-05:00"
    return int(datetime.fromisoformat(text).timestamp())


FILED = t("10:00")

ADD_CASES = [
    ("no pause", [], 4, "14:00"),
    ("paused two hours", [(t("11:00"), t("13:00"))], 4, "16:00"),
    ("overlapping pauses count once", [(t("11:00"), t("12:00")), (t("11:30"), t("13:00"))], 4, "16:00"),
    ("touching pauses count once", [(t("11:00"), t("12:00")), (t("12:00"), t("13:00"))], 4, "16:00"),
    ("paused before she filed", [(t("09:00"), t("11:00"))], 4, "15:00"),
    ("pause starting as the target is reached", [(t("14:00"), t("16:00"))], 4, "14:00"),
    ("pause over the evening", [(t("17:00"), t("2026-04-14T08:00-05:00"))], 8, "2026-04-14T09:00-05:00"),
    ("pause at the weekend", [(t("2026-04-11T00:00-05:00"), t("2026-04-12T23:00-05:00"))], 4, "14:00"),
    ("empty pause", [(t("11:00"), t("11:00"))], 4, "14:00"),
    ("pause resumed after the due time", [(t("15:00"), t("16:00"))], 4, "14:00"),
]


@pytest.mark.parametrize(
    ("breaks", "hours", "due"), [case[1:] for case in ADD_CASES], ids=[case[0] for case in ADD_CASES]
)
def test_a_paused_target_is_due_later_by_the_working_time_paused(breaks: list, hours: int, due: str) -> None:
    assert CALENDAR.add_with_breaks(FILED, hours * H, breaks) == t(due)


def test_while_a_pause_is_open_there_is_no_due_time() -> None:
    assert CALENDAR.add_with_breaks(FILED, 4 * H, [(t("11:00"), None)]) is None


def test_an_open_pause_after_the_target_is_reached_does_not_hide_the_due_time() -> None:
    assert CALENDAR.add_with_breaks(FILED, 4 * H, [(t("14:00"), None)]) == t("14:00")
    assert CALENDAR.add_with_breaks(FILED, 4 * H, [(t("2026-04-14T09:00-05:00"), None)]) == t("14:00")


def test_a_zero_target_is_due_at_the_start_even_while_paused() -> None:
    assert CALENDAR.add_with_breaks(FILED, 0, [(t("09:00"), None)]) == FILED
    assert CALENDAR.add_with_breaks(FILED, 0, [(t("09:00"), t("11:00"))]) == FILED


def test_elapsed_time_leaves_out_pauses_and_counts_an_open_one_up_to_the_end() -> None:
    assert CALENDAR.elapsed_with_breaks(FILED, t("15:00"), [(t("11:00"), t("13:00"))]) == 3 * H
    assert CALENDAR.elapsed_with_breaks(FILED, t("15:00"), [(t("11:00"), t("13:00")), (t("14:00"), None)]) == 2 * H
    assert CALENDAR.elapsed_with_breaks(FILED, t("15:00"), [(t("16:00"), None)]) == 5 * H
    assert CALENDAR.elapsed_with_breaks(FILED, t("15:00"), [(t("09:00"), t("17:00"))]) == 0


def test_merging_sorts_joins_overlapping_and_touching_pauses_and_drops_empty_ones() -> None:
    breaks = [(50, 60), (10, 20), (15, 30), (30, 40), (45, 45), (70, None), (80, 90)]
    assert merge_breaks(breaks, until=None) == [(10, 40), (50, 60), (70, None)]


def test_merging_up_to_an_instant_ends_open_pauses_there_and_drops_later_ones() -> None:
    breaks = [(10, 20), (25, None), (40, 50)]
    assert merge_breaks(breaks, until=30) == [(10, 20), (25, 30)]
    assert merge_breaks(breaks, until=15) == [(10, 15)]
