"""Calendar months and days in a time zone, as half-open `[start, end)` spans of UTC epoch seconds.

A month or a day begins at local midnight in the policy's zone, so DST changes make some days 23 or
25 hours long and March 2026 in America/Chicago 44 580 minutes, not 44 640.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from troth.core.instants import to_epoch
from troth.core.intervals import Epochs

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def local_midnight(day: date, zone: str) -> int:
    """Epoch seconds of local midnight starting `day` in `zone` (first occurrence if repeated)."""
    return to_epoch(datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)))


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A calendar month, written `YYYY-MM`."""

    year: int
    month: int

    @staticmethod
    def parse(text: str) -> Month:
        """Parse `YYYY-MM`; anything else raises ValueError."""
        match = _MONTH.match(text)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"'{text}' is not a month written YYYY-MM")
        return Month(int(match.group(1)), int(match.group(2)))

    @staticmethod
    def of(day: date) -> Month:
        return Month(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def days(self) -> int:
        return (self.next().first_day - self.first_day).days

    def span(self, zone: str) -> tuple[int, int]:
        """`[start, end)` of the month in `zone`, as epoch seconds."""
        return local_midnight(self.first_day, zone), local_midnight(self.next().first_day, zone)


def day_boundaries(first: date, last: date, zone: str) -> Epochs:
    """Local midnights from `first` to the day after `last`: the boundaries of each day's bucket."""
    count = (last - first).days + 2
    return np.array([local_midnight(first + timedelta(days=k), zone) for k in range(count)], dtype=np.int64)


def month_boundaries(first: Month, last: Month, zone: str) -> Epochs:
    """Local month starts from `first` to the month after `last`."""
    points = [first]
    while points[-1] <= last:
        points.append(points[-1].next())
    return np.array([local_midnight(m.first_day, zone) for m in points], dtype=np.int64)
