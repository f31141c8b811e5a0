"""Recurring maintenance windows that a policy defines (WALT Labs: 06:00–07:00 UTC daily for US clients)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from troth.core.instants import from_epoch, to_epoch
from troth.core.intervals import Intervals
from troth.core.policies.model import RecurringWindow


def _wall_clock(day: date, seconds: int, zone: ZoneInfo) -> int:
    # Aware datetime + timedelta is wall-clock arithmetic, so a window keeps its local hours
    # across DST changes; a window whose end passes midnight ends on the next day.
    return to_epoch(datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(seconds=seconds))


def window_intervals(window: RecurringWindow, lo: int, hi: int) -> Intervals:
    """Every occurrence of `window` that overlaps `[lo, hi)`, clipped to it (half-open)."""
    if hi <= lo:
        return Intervals.empty()
    zone = ZoneInfo(window.timezone)
    # One day before, so an occurrence that started the evening before and crosses midnight counts.
    day = from_epoch(lo).astimezone(zone).date() - timedelta(days=1)
    last = from_epoch(hi).astimezone(zone).date()
    starts: list[int] = []
    ends: list[int] = []
    while day <= last:
        if day.weekday() in window.weekdays:
            starts.append(_wall_clock(day, window.start, zone))
            ends.append(_wall_clock(day, window.end, zone))
        day += timedelta(days=1)
    return Intervals.of(starts, ends).clip(lo, hi)


def describe_window(window: RecurringWindow) -> str:
    """`06:00–07:00 UTC daily` (or on the named weekdays)."""
    days = "daily" if len(window.weekdays) == 7 else "on " + ", ".join(_DAY_NAMES[d] for d in sorted(window.weekdays))
    return f"{_clock(window.start)}–{_clock(window.end)} {window.timezone} {days}"


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds % 86_400, 3600)
    return f"{hours:02d}:{rest // 60:02d}"
