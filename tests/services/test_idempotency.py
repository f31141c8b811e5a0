"""Retried requests never duplicate: the same idempotency key, sent many times at once, stores once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from troth.core.clocks import EventKind
from troth.services.actors import Actor
from troth.services.ticket_events import add_event, create_ticket
from troth.services.tickets import NewEvent, NewTicket
from troth.storage.database import Database
from troth.storage.models import TicketEventRow, TicketRow

ATTEMPTS = 8


def _count(database: Database, row: type[TicketRow] | type[TicketEventRow]) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(row)) or 0


def test_concurrent_creates_with_one_key_make_one_ticket(database: Database, admin: Actor) -> None:
    new = NewTicket(account_id="acme", subject="phones down", level="1", idempotency_key="import-42")
    with ThreadPoolExecutor(ATTEMPTS) as pool:
        views = list(pool.map(lambda _: create_ticket(database, admin, new), range(ATTEMPTS)))
    assert len({view.ticket.id for view in views}) == 1
    assert sum(view.created for view in views) == 1
    assert _count(database, TicketRow) == 1


def test_concurrent_events_with_one_key_make_one_event(database: Database, admin: Actor) -> None:
    ticket = create_ticket(database, admin, NewTicket(account_id="acme", subject="x", level="2")).ticket
    reply = NewEvent(kind=EventKind.REPLY, body="on it", idempotency_key="reply-1")
    with ThreadPoolExecutor(ATTEMPTS) as pool:
        views = list(pool.map(lambda _: add_event(database, admin, ticket.id, reply), range(ATTEMPTS)))
    assert sum(view.created for view in views) == 1
    assert _count(database, TicketEventRow) == 2
