"""A write answers with the events it stored; a retried write, with the events the first one stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from troth.core.clocks import EventKind
from troth.services.actors import Actor
from troth.services.ticket_events import EventRequest, TicketRequest, add_event, create_ticket, record_events
from troth.services.tickets import NewEvent, NewTicket, TicketView
from troth.storage.database import Database
from troth.storage.models import Role

OPENED = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
NOW = OPENED + timedelta(hours=6)


def _kinds(view: TicketView) -> list[tuple[str, str | None]]:
    return [(str(event.type), event.body) for event in view.events]


def test_a_new_ticket_answers_with_its_created_event_also_when_retried(database: Database, admin: Actor) -> None:
    new = NewTicket(account_id="acme", subject="phones down", level="1", at=OPENED, idempotency_key="open-1")
    first = create_ticket(database, admin, new, now=NOW)
    again = create_ticket(database, admin, new, now=NOW)
    same_batch = record_events(database, [TicketRequest(admin, new)], now=NOW)[0]
    assert isinstance(same_batch, TicketView)
    assert (first.created, again.created, same_batch.created) == (True, False, False)
    assert _kinds(first) == _kinds(again) == _kinds(same_batch) == [("created", None)]


def test_an_event_answers_with_that_event_and_a_retry_with_the_same_one(database: Database, admin: Actor) -> None:
    ticket = create_ticket(database, admin, NewTicket(account_id="acme", subject="x", level="1", at=OPENED)).ticket
    note = NewEvent(kind=EventKind.REPLY, at=OPENED + timedelta(minutes=5), body="looking", idempotency_key="r-1")
    first = add_event(database, admin, ticket.id, note, now=NOW)
    add_event(database, admin, ticket.id, NewEvent(kind=EventKind.REPLY, at=OPENED + timedelta(minutes=9)), now=NOW)
    again = add_event(database, admin, ticket.id, note, now=NOW)
    assert (first.created, again.created) == (True, False)
    assert _kinds(first) == _kinds(again) == [("reply", "looking")]
    assert [event.seq for event in again.events] == [2]


def test_a_customer_retrying_with_the_key_of_an_internal_note_is_not_shown_the_note(
    database: Database, admin: Actor
) -> None:
    ticket = create_ticket(database, admin, NewTicket(account_id="acme", subject="x", level="1", at=OPENED)).ticket
    note = NewEvent(kind=EventKind.REPLY, public=False, body="customer is difficult", idempotency_key="k")
    add_event(database, admin, ticket.id, note, now=NOW)
    customer = Actor(user_id=admin.user_id, role=Role.CUSTOMER, account_id="acme")
    replayed = record_events(
        database, [EventRequest(customer, ticket.id, NewEvent(kind=EventKind.REPLY, idempotency_key="k"))], now=NOW
    )[0]
    assert isinstance(replayed, TicketView)
    assert replayed.created is False
    assert replayed.events == []
