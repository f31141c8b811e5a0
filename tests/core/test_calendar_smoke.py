"""The DESIGN.md examples of business days on Mon–Fri 07:00–18:00 US Central."""

from datetime import datetime
from zoneinfo import ZoneInfo

from troth.core.calendars import CalendarSpec, DayInterval, compile_calendar

CHICAGO = ZoneInfo("America/Chicago")
WORKDAY = (DayInterval(start=7 * 3600, end=18 * 3600),)
BALTO_HOURS = CalendarSpec(name="business", timezone="America/Chicago", weekly=(WORKDAY,) * 5 + ((), ()))


def test_two_business_days_from_monday_ten_is_wednesday_ten() -> None:
    calendar = compile_calendar(BALTO_HOURS, "America/Chicago")
    due = calendar.add(datetime(2026, 3, 2, 10, tzinfo=CHICAGO), BALTO_HOURS.business_day() * 2)
    assert due == datetime(2026, 3, 4, 10, tzinfo=CHICAGO)


def test_two_business_days_from_the_weekend_is_tuesday_at_closing() -> None:
    calendar = compile_calendar(BALTO_HOURS, "America/Chicago")
    due = calendar.add(datetime(2026, 3, 7, 10, tzinfo=CHICAGO), BALTO_HOURS.business_day() * 2)
    assert due == datetime(2026, 3, 10, 18, tzinfo=CHICAGO)
