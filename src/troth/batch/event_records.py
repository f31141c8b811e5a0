"""Ticket events as msgspec types, one per event `type`: what the block decoder checks in C.

Each type declares exactly the fields the line-by-line reader (`troth.batch.events`) reads for
that type, so both readers ignore the same fields: a `reply` line's `level` is read by neither.
msgspec checks in C what it can check without the policy — the `type` tag, required fields,
strings non-empty, booleans — and raises for anything else; values that need the policy's
vocabulary (levels, statuses) are looked up afterwards, in `troth.batch.event_decode`.

A JSON null reads as "not given", as `Record` reads it: optional fields accept null, required
ones do not (the line reader then says the field is required).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import msgspec

from troth.core.clocks.columns import KIND_CODES
from troth.core.clocks.events import EventKind

Text = Annotated[str, msgspec.Meta(min_length=1)]
"""`Record.text`: a non-empty string."""


class Event(msgspec.Struct, tag_field="type", gc=False):
    """Fields every event has. `KIND` is the event's code in `KIND_CODES` (a class constant)."""

    KIND: ClassVar[int]
    ticket: Text
    at: Text


class Created(Event, tag=EventKind.CREATED.value, gc=False):
    KIND: ClassVar[int] = KIND_CODES.index(EventKind.CREATED)
    account: Text | None = None
    level: str | None = None
    platform_level: bool | None = None
    channel: Text | None = None
    scheduled_at: Text | None = None


class Reply(Event, tag=EventKind.REPLY.value, gc=False):
    KIND: ClassVar[int] = KIND_CODES.index(EventKind.REPLY)
    author: Literal["agent", "customer"]
    public: bool | None = None
    automated: bool | None = None


class Level(Event, tag=EventKind.LEVEL.value, gc=False):
    KIND: ClassVar[int] = KIND_CODES.index(EventKind.LEVEL)
    level: str


class Status(Event, tag=EventKind.STATUS.value, gc=False):
    KIND: ClassVar[int] = KIND_CODES.index(EventKind.STATUS)
    status: str


class Restored(Event, tag=EventKind.RESTORED.value, gc=False):
    KIND: ClassVar[int] = KIND_CODES.index(EventKind.RESTORED)


class Resolved(Event, tag=EventKind.RESOLVED.value, gc=False):
    KIND: ClassVar[int] = KIND_CODES.index(EventKind.RESOLVED)


AnyEvent = Created | Reply | Level | Status | Restored | Resolved

LINES = msgspec.json.Decoder(list[AnyEvent])
"""Decodes a block of lines joined into one JSON array (one call for the block, not one a line)."""
