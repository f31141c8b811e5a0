"""Instants: time-zone-aware datetimes at the edges, whole UTC epoch seconds inside the engines.

Troth's resolution is the second: sub-second parts of an instant are dropped (floored), so that
business-time arithmetic is exact integer arithmetic and the bulk and single paths agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)


def to_epoch(instant: datetime) -> int:
    """Whole seconds since 1970-01-01T00:00:00Z; refuses naive datetimes."""
    # An instant in UTC needs no check (asking for its offset cost as much as the subtraction).
    if instant.tzinfo is not UTC and (instant.tzinfo is None or instant.utcoffset() is None):
        raise ValueError(f"instant {instant.isoformat()} has no time zone")
    return (instant - _EPOCH) // _SECOND


def from_epoch(seconds: int) -> datetime:
    """The UTC instant `seconds` after the epoch."""
    return _EPOCH + timedelta(seconds=int(seconds))


def format_utc(instant: datetime) -> str:
    """RFC 3339 in UTC with `Z` and whole seconds, as every output of Troth writes instants.

    Fractions of a second are dropped (the instant's whole second, as `to_epoch` floors it)."""
    if instant.tzinfo is UTC and instant.year >= 1000:
        # Most instants are in UTC already: their ISO text up to the second is this text, and costs
        # a third less than `strftime` (which writes years before 1000 unpadded, hence the bound).
        return instant.isoformat(timespec="seconds")[:19] + "Z"
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"instant {instant.isoformat()} has no time zone")
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: str) -> datetime:
    """Parse RFC 3339 with an offset or `Z`; a value without an offset is an error."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"instant '{text}' has no offset; write it as RFC 3339 with an offset or Z")
    return value
