"""Target durations as SLAs write them: `30m`, `4 business hours`, `2 business days`, `1 week`,
`immediate`, `N/A`, `scheduled` — parsed into a typed value, then resolved against a calendar.

Interpretations (DESIGN.md): "N business days" is N times the calendar's business-day length in
business time; "N weeks" is N times the calendar's working days per week in business days (5 on a
Mon–Fri calendar, 7 on 24x7) unless the policy declares a week's length; `immediate` is as long as
the policy says `immediate` means (zero unless declared).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from troth.core.calendars.spec import CalendarSpec


class DurationKind(StrEnum):
    FIXED = "fixed"
    """A length of clock time on the target's calendar (hours and minutes)."""
    BUSINESS_DAYS = "business_days"
    WEEKS = "weeks"
    IMMEDIATE = "immediate"
    NOT_APPLICABLE = "not_applicable"
    SCHEDULED = "scheduled"
    """Due at the time the ticket carries (e.g. "user scheduled")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetDuration:
    """A duration as written; `amount` is seconds for FIXED, days for BUSINESS_DAYS, weeks for WEEKS."""

    kind: DurationKind
    amount: float = 0
    text: str = ""

    @property
    def has_length(self) -> bool:
        return self.kind not in (DurationKind.NOT_APPLICABLE, DurationKind.SCHEDULED)

    def resolve(
        self, calendar: CalendarSpec, *, immediate: timedelta = timedelta(0), week: timedelta | None = None
    ) -> timedelta | None:
        """The length in the calendar's business time, or None when the target has no length."""
        match self.kind:
            case DurationKind.FIXED:
                return timedelta(seconds=self.amount)
            case DurationKind.BUSINESS_DAYS:
                return _whole_seconds(calendar.business_day() * self.amount)
            case DurationKind.WEEKS:
                one_week = week if week is not None else calendar.business_day() * calendar.working_days_per_week()
                return _whole_seconds(one_week * self.amount)
            case DurationKind.IMMEDIATE:
                return immediate
            case DurationKind.NOT_APPLICABLE | DurationKind.SCHEDULED:
                return None


def _whole_seconds(value: timedelta) -> timedelta:
    return timedelta(seconds=round(value.total_seconds()))


_UNIT_SECONDS = {
    "s": 1, "sec": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "business hour": 3600, "business hours": 3600,
    "business minute": 60, "business minutes": 60,
}  # fmt: skip
_DAY_UNITS = {"business day", "business days", "working day", "working days"}
_WEEK_UNITS = {"week", "weeks", "business week", "business weeks"}
_NOT_APPLICABLE = {"n/a", "na", "none", "not applicable"}
_SCHEDULED = {"scheduled", "user scheduled"}
_PATTERN = re.compile(r"^\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[a-z][a-z ]*?)\.?\s*$")


class DurationSyntaxError(ValueError):
    """The text is not a duration Troth understands; the message lists what it does."""


def parse_duration(text: str) -> TargetDuration:
    """Parse a target duration; raises DurationSyntaxError with the accepted forms."""
    lowered = text.strip().lower()
    if lowered in _NOT_APPLICABLE:
        return TargetDuration(kind=DurationKind.NOT_APPLICABLE, text=text)
    if lowered in _SCHEDULED:
        return TargetDuration(kind=DurationKind.SCHEDULED, text=text)
    if lowered == "immediate":
        return TargetDuration(kind=DurationKind.IMMEDIATE, text=text)
    if lowered.startswith("-"):
        raise DurationSyntaxError(f"duration '{text}' is negative; a target must be zero or longer")
    match = _PATTERN.match(lowered)
    if match is None:
        raise DurationSyntaxError(_accepted(text))
    amount = float(match["amount"])
    unit = match["unit"].strip()
    if unit in _UNIT_SECONDS:
        return TargetDuration(kind=DurationKind.FIXED, amount=amount * _UNIT_SECONDS[unit], text=text)
    if unit in _DAY_UNITS:
        return TargetDuration(kind=DurationKind.BUSINESS_DAYS, amount=amount, text=text)
    if unit in _WEEK_UNITS:
        return TargetDuration(kind=DurationKind.WEEKS, amount=amount, text=text)
    raise DurationSyntaxError(_accepted(text))


def parse_clock_duration(text: str) -> timedelta:
    """Parse a plain length of time (`48h`, `30 days`, `60m`) for notices and windows."""
    lowered = text.strip().lower()
    match = _PATTERN.match(lowered)
    if match is None:
        raise DurationSyntaxError(f"'{text}' is not a length of time such as '48h', '30m' or '60 days'")
    amount = float(match["amount"])
    unit = match["unit"].strip()
    if unit in _UNIT_SECONDS:
        return timedelta(seconds=amount * _UNIT_SECONDS[unit])
    if unit in {"d", "day", "days"}:
        return timedelta(days=amount)
    raise DurationSyntaxError(f"'{text}' is not a length of time such as '48h', '30m' or '60 days'")


def _accepted(text: str) -> str:
    return (
        f"'{text}' is not a duration; write e.g. '30m', '4h', '8 business hours', '2 business days', "
        "'1 week', 'immediate', 'N/A' or 'scheduled'"
    )
