"""A ticket answer written straight to JSON: the body `TicketOut` documents, without building the model.

Every ticket write answers with the ticket's live clocks, so this is on the busiest path of the
server; building and re-validating nested pydantic models cost more than the rest of the answer.
A test holds the bytes written here to `TicketOut`: they validate against it and survive a round
trip through it unchanged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from troth.core.clocks import TargetClock
from troth.core.instants import format_utc
from troth.services.clocks import EventLike
from troth.services.tickets import SUMMARY_FIELDS, TicketSummary, TicketView

_ENCODER = msgspec.json.Encoder()


def _instant(value: datetime | None) -> str | None:
    return None if value is None else format_utc(value)


def _summary(ticket: TicketSummary) -> dict[str, Any]:
    values = ((name, getattr(ticket, name)) for name in SUMMARY_FIELDS)
    return {name: format_utc(value) if isinstance(value, datetime) else value for name, value in values}


def _clock(clock: TargetClock) -> dict[str, Any]:
    return {
        "target": clock.target,
        "level": clock.level,
        "status": str(clock.status),
        "started_at": format_utc(clock.started_at),
        "due_at": _instant(clock.due_at),
        "stopped_at": _instant(clock.stopped_at),
        "target_seconds": clock.target_seconds,
        "elapsed_seconds": clock.elapsed_seconds,
        "warnings": [{"percent": warning.percent, "at": format_utc(warning.at)} for warning in clock.warnings],
    }


def _event(row: EventLike) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "type": str(row.type),
        "at": format_utc(row.at),
        "author": row.author,
        "public": row.public,
        "automated": row.automated,
        "level": row.level,
        "status": row.status,
        "body": getattr(row, "body", None),
    }


def ticket_json(view: TicketView) -> bytes:
    """The `TicketOut` body of a ticket view."""
    body = _summary(view.ticket)
    body["targets"] = [_clock(clock) for clock in view.clocks]
    body["events"] = [_event(row) for row in view.events]
    return _ENCODER.encode(body)
