"""What a working calendar says, before it is compiled for a time zone.

A calendar is weekly working hours in local wall-clock time, a time zone (or the customer's own),
public holidays, and dated exceptions. Times of day are seconds after local midnight; an interval
whose end is past 24:00 (86 400) crosses midnight and belongs to the day it starts on, so a holiday
on that day removes the whole shift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from troth.core.errors import CalendarError

SECONDS_PER_DAY = 86_400
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True, kw_only=True)
class DayInterval:
    """Working time `[start, end)` in seconds after local midnight; `end` may pass 86 400."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < SECONDS_PER_DAY:
            raise CalendarError(f"an interval must start within the day, not at second {self.start}")
        if not self.start < self.end <= self.start + SECONDS_PER_DAY:
            raise CalendarError("an interval must end after it starts and last at most 24 hours")

    @property
    def seconds(self) -> int:
        return self.end - self.start


DayHours = tuple[DayInterval, ...]


def day_seconds(hours: DayHours) -> int:
    """Nominal working seconds of one day's hours (wall-clock, before any DST change)."""
    return sum(interval.seconds for interval in hours)


@dataclass(frozen=True, slots=True, kw_only=True)
class HolidaySource:
    """Public holidays of a country (and subdivision) as the `holidays` package knows them."""

    country: str
    subdivision: str | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarSpec:
    """A named working calendar in local wall-clock time.

    `timezone` is an IANA zone name, or None for the account's own zone (`timezone: customer`),
    which is resolved when a ticket or account is evaluated. `weekly[0]` is Monday.
    `always_open` makes the calendar 24x7 and ignores hours and holidays.
    `day_length` is the business-day length used for "N business days"; when None it is derived
    from the weekly hours if every working weekday is equally long.
    """

    name: str
    timezone: str | None
    weekly: tuple[DayHours, DayHours, DayHours, DayHours, DayHours, DayHours, DayHours] = ((),) * 7
    always_open: bool = False
    holiday_sources: tuple[HolidaySource, ...] = ()
    closed_dates: frozenset[date] = field(default_factory=frozenset)
    special_days: tuple[tuple[date, DayHours], ...] = ()
    day_length: timedelta | None = None
    description: str = ""

    @property
    def uses_customer_timezone(self) -> bool:
        return self.timezone is None

    def business_day(self) -> timedelta:
        """The length of one business day: declared, derived from equal days, or an error."""
        if self.day_length is not None:
            return self.day_length
        if self.always_open:
            return timedelta(days=1)
        lengths = {day_seconds(hours) for hours in self.weekly if hours}
        if len(lengths) == 1:
            return timedelta(seconds=lengths.pop())
        if not lengths:
            raise CalendarError(f"calendar '{self.name}' has no working hours, so a business day has no length")
        raise CalendarError(
            f"calendar '{self.name}' has working days of unequal length; declare its day_length "
            "to use targets in business days"
        )

    def working_days_per_week(self) -> int:
        if self.always_open:
            return 7
        return sum(1 for hours in self.weekly if hours)

    def has_working_time(self) -> bool:
        return self.always_open or any(self.weekly) or any(hours for _, hours in self.special_days)


def always_open(name: str = "24x7", timezone: str = "UTC") -> CalendarSpec:
    """A calendar that never closes: business time equals elapsed time."""
    return CalendarSpec(name=name, timezone=timezone, always_open=True, description="24 hours, every day")
