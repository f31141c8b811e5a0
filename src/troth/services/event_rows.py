"""What a caller's event becomes once accepted: a row of `ticket_events`, checked against the caller's role.

Rows are plain values rather than ORM objects: they are inserted with one statement per batch and
kept in ticket histories, and the ORM's bookkeeping would cost more than the write itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from troth.core.clocks import Author, EventKind, known_statuses
from troth.core.policies.model import Policy
from troth.services.actors import Actor
from troth.services.errors import ForbiddenError, InvalidError
from troth.services.tickets import NewEvent, NewTicket, check_level


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRow:
    """A new event's columns (all of `TicketEventRow`'s but the id); `ticket_id` is 0 until the new
    ticket it opens is inserted."""

    ticket_id: int
    seq: int
    type: str
    at: datetime
    author: str | None = None
    public: bool | None = None
    automated: bool | None = None
    level: str | None = None
    status: str | None = None
    platform_level: bool | None = None
    channel: str | None = None
    scheduled_at: datetime | None = None
    body: str | None = None
    idempotency_key: str | None = None
    recorded_at: datetime
    recorded_by: int | None


def check_event(actor: Actor, event: NewEvent, policy: Policy) -> NewEvent:
    """Refuse what the caller may not say; a customer only ever writes public replies as the customer."""
    if not actor.is_provider:
        if event.kind is not EventKind.REPLY:
            raise ForbiddenError(f"a customer may not record '{event.kind}' events")
        if event.author is Author.AGENT or not event.public or event.automated:
            raise ForbiddenError("a customer's reply is a public reply by the customer")
        return NewEvent(kind=event.kind, author=Author.CUSTOMER, body=event.body, idempotency_key=event.idempotency_key)
    if event.kind is EventKind.LEVEL:
        if event.level is None:
            raise InvalidError.one("a level change names the new level", "level")
        check_level(policy, event.level)
    if event.kind is EventKind.STATUS and event.status not in known_statuses(policy):
        known = ", ".join(sorted(known_statuses(policy)))
        raise InvalidError.one(f"status '{event.status}' is not one this policy knows; use one of {known}", "status")
    return event


def event_row(actor: Actor, ticket_id: int, event: NewEvent, seq: int, at: datetime, now: datetime) -> EventRow:
    """The row of an accepted event; fields that do not belong to its kind stay empty."""
    is_reply = event.kind is EventKind.REPLY
    return EventRow(
        ticket_id=ticket_id,
        seq=seq,
        type=event.kind,
        at=at,
        author=str(event.author or Author.AGENT) if is_reply else None,
        public=event.public if is_reply else None,
        automated=event.automated if is_reply else None,
        level=event.level if event.kind is EventKind.LEVEL else None,
        status=event.status if event.kind is EventKind.STATUS else None,
        body=event.body,
        idempotency_key=event.idempotency_key,
        recorded_at=now,
        recorded_by=actor.user_id,
    )


def created_row(actor: Actor, new: NewTicket, at: datetime, now: datetime) -> EventRow:
    """The `created` event of a new ticket, before the ticket has an id."""
    return EventRow(
        ticket_id=0,
        seq=1,
        type=EventKind.CREATED,
        at=at,
        level=new.level,
        platform_level=new.platform_level,
        channel=new.channel,
        scheduled_at=new.scheduled_at,
        body=new.body,
        idempotency_key=new.idempotency_key,
        recorded_at=now,
        recorded_by=actor.user_id,
    )
