"""Calendar documents to `CalendarSpec`: hours text, weekday names, zones, holidays, dated exceptions."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise

import holidays as holiday_data

from troth.core.calendars.spec import (
    SECONDS_PER_DAY,
    WEEKDAY_NAMES,
    CalendarSpec,
    DayHours,
    DayInterval,
    HolidaySource,
)
from troth.core.durations import DurationSyntaxError, parse_clock_duration
from troth.core.errors import CalendarError
from troth.core.policies.diagnostics import did_you_mean
from troth.core.policies.document import CalendarDoc, DateRangeDoc, HolidaysDoc, SpecialDayDoc
from troth.core.policies.findings import Findings
from troth.core.policies.yamltree import Path

ALWAYS_OPEN = "24x7"
"""Written as a calendar's `hours`, and the name of the calendar every policy has unless it defines one."""
CUSTOMER_ZONE = "customer"

_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})$")
_SHORT_DAYS = tuple(name[:3] for name in WEEKDAY_NAMES)
_EVERY_DAY = {"daily", "every day", "everyday", "all", "mon-sun"}
_MAX_RANGE_DAYS = 366


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_zone(name: str, path: Path, findings: Findings) -> bool:
    """True when `name` is an IANA time zone; otherwise report it with a near miss."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        findings.error(path, f"unknown time zone '{name}'{did_you_mean(name, sorted(_zone_names()))}")
        return False
    return True


def parse_time(text: str, *, allow_24: bool) -> int:
    """Seconds after midnight of "HH:MM"; "24:00" only as an interval's end."""
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(f"'{text}' is not a time of day such as '07:00'")
    hours, minutes = int(match["h"]), int(match["m"])
    if minutes >= 60 or hours > 24 or (hours == 24 and (minutes or not allow_24)):
        raise ValueError(f"'{text}' is not a time of day such as '07:00'")
    return hours * 3600 + minutes * 60


def parse_interval(text: str) -> tuple[int, int]:
    """`[start, end)` seconds after local midnight of "HH:MM-HH:MM"; an end at or before the start
    crosses midnight ("22:00-06:00" ends at 06:00 the next day)."""
    parts = text.split("-")
    if len(parts) != 2:
        raise ValueError(f"'{text}' is not an interval such as '07:00-18:00' or '22:00-06:00'")
    start = parse_time(parts[0], allow_24=False)
    end = parse_time(parts[1], allow_24=True)
    if end <= start:
        end += SECONDS_PER_DAY
    return start, end


def parse_day_hours(value: str | list[str], path: Path, findings: Findings) -> DayHours | None:
    """One day's working intervals from "07:00-18:00", "08:00-12:00, 13:00-17:00", a list, or "closed"."""
    texts = value if isinstance(value, list) else [part for part in value.split(",") if part.strip()]
    if [t.strip().lower() for t in texts] in (["closed"], []):
        return ()
    intervals: list[DayInterval] = []
    for index, text in enumerate(texts):
        where = (*path, index) if isinstance(value, list) else path
        try:
            start, end = parse_interval(text.strip())
        except ValueError as error:
            findings.error(where, str(error))
            return None
        intervals.append(DayInterval(start=start, end=end))
    intervals.sort(key=lambda interval: interval.start)
    for before, after in pairwise(intervals):
        if after.start < before.end:
            findings.error(path, "intervals of one day overlap")
            return None
    return tuple(intervals)


def parse_weekdays(text: str, path: Path, findings: Findings) -> list[int] | None:
    """Weekday numbers (Monday 0) of "monday", "mon", "mon-fri" or "daily"."""
    lowered = text.strip().lower()
    if lowered in _EVERY_DAY:
        return list(range(7))
    ends = [part.strip() for part in lowered.split("-")]
    numbers: list[int] = []
    for end in ends:
        number = _weekday_number(end)
        if number is None:
            names = [*WEEKDAY_NAMES, *_SHORT_DAYS, "daily"]
            findings.error(path, f"unknown weekday '{end}'{did_you_mean(end, names)}", at_key=True)
            return None
        numbers.append(number)
    if len(numbers) == 1:
        return numbers
    if len(numbers) != 2:
        findings.error(path, f"'{text}' is not a weekday or a range such as 'mon-fri'", at_key=True)
        return None
    first, last = numbers
    return [(first + offset) % 7 for offset in range((last - first) % 7 + 1)]


def _weekday_number(name: str) -> int | None:
    if name in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(name)
    if name in _SHORT_DAYS:
        return _SHORT_DAYS.index(name)
    return None


def _weekly(doc: CalendarDoc, path: Path, findings: Findings) -> list[DayHours] | None:
    assert isinstance(doc.hours, dict)
    weekly: list[DayHours | None] = [None] * 7
    ok = True
    for key, value in doc.hours.items():
        days = parse_weekdays(key, (*path, "hours", key), findings)
        hours = parse_day_hours(value, (*path, "hours", key), findings)
        if days is None or hours is None:
            ok = False
            continue
        for day in days:
            if weekly[day] is not None:
                findings.error((*path, "hours", key), f"{WEEKDAY_NAMES[day]} is given hours twice", at_key=True)
                ok = False
            weekly[day] = hours
    return [hours or () for hours in weekly] if ok else None


def _holiday_source(doc: HolidaysDoc, path: Path, findings: Findings) -> HolidaySource | None:
    try:
        holiday_data.country_holidays(doc.country, subdiv=doc.subdivision, categories=tuple(doc.categories) or None)
    except NotImplementedError:
        supported = holiday_data.list_supported_countries()
        if doc.country not in supported:
            hint = did_you_mean(doc.country, supported)
            findings.error((*path, "country"), f"the holidays package has no country '{doc.country}'{hint}")
        else:
            hint = did_you_mean(doc.subdivision or "", supported[doc.country])
            findings.error((*path, "subdivision"), f"{doc.country} has no subdivision '{doc.subdivision}'{hint}")
        return None
    except ValueError as error:
        findings.error((*path, "categories"), f"{error}")
        return None
    return HolidaySource(country=doc.country, subdivision=doc.subdivision, categories=tuple(doc.categories))


def _closed_dates(entries: list[date | DateRangeDoc], path: Path, findings: Findings) -> set[date]:
    closed: set[date] = set()
    for index, entry in enumerate(entries):
        if isinstance(entry, date):
            closed.add(entry)
            continue
        span = (entry.to - entry.from_).days
        if span < 0 or span >= _MAX_RANGE_DAYS:
            findings.error((*path, index), f"a date range must run forwards and span at most {_MAX_RANGE_DAYS} days")
            continue
        closed.update(entry.from_ + timedelta(days=offset) for offset in range(span + 1))
    return closed


def _special_days(doc: CalendarDoc, path: Path, findings: Findings) -> list[tuple[date, DayHours]]:
    days: dict[date, DayHours] = {}
    for key, entries in (("extra_working_days", doc.extra_working_days), ("short_days", doc.short_days)):
        for index, entry in enumerate(entries):
            _add_special_day(entry, (*path, key, index), days, findings)
    return sorted(days.items())


def _add_special_day(entry: SpecialDayDoc, path: Path, days: dict[date, DayHours], findings: Findings) -> None:
    hours = parse_day_hours(entry.hours, (*path, "hours"), findings)
    if hours is None:
        return
    if entry.date in days:
        findings.error((*path, "date"), f"{entry.date.isoformat()} is given special hours twice")
        return
    days[entry.date] = hours


def _zone_of(doc: CalendarDoc, path: Path, findings: Findings) -> tuple[bool, str | None]:
    """(valid, zone) where a None zone means the customer's own."""
    if doc.timezone is None:
        if doc.hours == ALWAYS_OPEN:
            return True, "UTC"
        findings.error(path, f"a calendar needs a timezone: an IANA name or '{CUSTOMER_ZONE}'")
        return False, None
    if doc.timezone == CUSTOMER_ZONE:
        return True, None
    return check_zone(doc.timezone, (*path, "timezone"), findings), doc.timezone


def convert_calendar(name: str, doc: CalendarDoc, path: Path, findings: Findings) -> CalendarSpec | None:
    """The `CalendarSpec` a calendar document describes, or None after reporting why not."""
    zone_ok, zone = _zone_of(doc, path, findings)
    length_ok, day_length = _day_length(doc, path, findings)
    if isinstance(doc.hours, str):
        if doc.hours.strip().lower() != ALWAYS_OPEN:
            findings.error(
                (*path, "hours"), f"hours must be '{ALWAYS_OPEN}' or weekday hours such as 'mon-fri: 07:00-18:00'"
            )
            return None
        return CalendarSpec(
            name=name, timezone=zone, always_open=True, description=doc.description or "24 hours, every day"
        )
    weekly = _weekly(doc, path, findings)
    sources = [_holiday_source(h, (*path, "holidays", i), findings) for i, h in enumerate(doc.holidays)]
    closed = _closed_dates(doc.extra_holidays, (*path, "extra_holidays"), findings)
    special = _special_days(doc, path, findings)
    if weekly is None or not zone_ok or None in sources or not length_ok:
        return None
    spec = CalendarSpec(
        name=name,
        timezone=zone,
        weekly=(weekly[0], weekly[1], weekly[2], weekly[3], weekly[4], weekly[5], weekly[6]),
        holiday_sources=tuple(s for s in sources if s is not None),
        closed_dates=frozenset(closed),
        special_days=tuple(special),
        day_length=day_length,
        description=doc.description,
    )
    if not spec.has_working_time():
        findings.error((*path, "hours"), f"calendar '{name}' has no working hours at all")
        return None
    return spec


def _day_length(doc: CalendarDoc, path: Path, findings: Findings) -> tuple[bool, timedelta | None]:
    """(valid, declared business-day length or None when not declared)."""
    if doc.day_length is None:
        return True, None
    try:
        length = parse_clock_duration(doc.day_length)
    except DurationSyntaxError as error:
        findings.error((*path, "day_length"), str(error))
        return False, None
    if not timedelta(0) < length <= timedelta(days=1):
        findings.error((*path, "day_length"), "day_length must be more than zero and at most 24 hours")
        return False, None
    return True, length


def business_day_problem(spec: CalendarSpec) -> str | None:
    """Why "N business days" has no meaning on this calendar, or None when it has."""
    try:
        spec.business_day()
    except CalendarError as error:
        return str(error)
    return None
