"""Working calendars and business-time arithmetic."""

from troth.core.calendars.breaks import Break, merge_breaks
from troth.core.calendars.index import CompiledCalendar, compile_calendar
from troth.core.calendars.spec import (
    SECONDS_PER_DAY,
    WEEKDAY_NAMES,
    CalendarSpec,
    DayHours,
    DayInterval,
    HolidaySource,
    always_open,
)
from troth.core.errors import CalendarError

__all__ = [
    "SECONDS_PER_DAY",
    "WEEKDAY_NAMES",
    "Break",
    "CalendarError",
    "CalendarSpec",
    "CompiledCalendar",
    "DayHours",
    "DayInterval",
    "HolidaySource",
    "always_open",
    "compile_calendar",
    "merge_breaks",
    "resolve_zone",
]


def resolve_zone(spec: CalendarSpec, customer_timezone: str | None) -> str:
    """The zone a calendar runs in: its own, or the customer's for `timezone: customer`."""
    if spec.timezone is not None:
        return spec.timezone
    if customer_timezone is None:
        raise CalendarError(f"calendar '{spec.name}' runs in the customer's time zone, and none is known")
    return customer_timezone
