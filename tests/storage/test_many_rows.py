"""Rows written through SQLite's own cursor are stored exactly as SQLAlchemy's way stores them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Table, delete, insert, select, update

from troth.core.clocks import EventKind
from troth.services.actors import Actor
from troth.services.ticket_events import add_event, create_ticket
from troth.services.tickets import NewEvent, NewTicket
from troth.storage.database import Database
from troth.storage.models import TargetStateRow, TicketEventRow, TicketRow


def _raw(database: Database, table: str, ticket_id: int, key: str = "ticket_id") -> list[tuple[Any, ...]]:
    """The stored text of a ticket's rows, as SQLite holds it (no type conversion)."""
    with database.reading() as session:
        driver = session.connection().connection.driver_connection
        assert driver is not None
        query = f"SELECT * FROM {table} WHERE {key} = ? ORDER BY 1"
        return [tuple(row) for row in driver.execute(query, (ticket_id,))]


def _rewritten_the_generic_way(database: Database, table: Table, ticket_id: int, key: str = "ticket_id") -> None:
    """Read the rows back through SQLAlchemy, delete them, and insert them again SQLAlchemy's way."""
    with database.writing() as session:
        connection = session.connection()
        rows = [dict(row._mapping) for row in connection.execute(select(table).where(table.c[key] == ticket_id))]
        connection.execute(delete(table).where(table.c[key] == ticket_id))
        connection.execute(insert(table), rows)


def test_events_and_states_are_stored_as_sqlalchemy_stores_them(database: Database, admin: Actor) -> None:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("the driver's own cursor is used on SQLite only")
    ticket = create_ticket(database, admin, NewTicket(account_id="acme", subject="x", level="1")).ticket.id
    add_event(database, admin, ticket, NewEvent(kind=EventKind.REPLY, public=False, body="note", idempotency_key="k"))
    add_event(database, admin, ticket, NewEvent(kind=EventKind.RESOLVED))
    tables = (
        ("ticket_events", TicketEventRow.__table__, "ticket_id"),
        ("target_states", TargetStateRow.__table__, "ticket_id"),
    )
    for name, table, key in tables:
        assert isinstance(table, Table)
        stored_by_the_cursor = _raw(database, name, ticket, key)
        assert stored_by_the_cursor
        _rewritten_the_generic_way(database, table, ticket, key)
        assert _raw(database, name, ticket, key) == stored_by_the_cursor, name


def test_a_ticket_summary_updated_the_generic_way_reads_the_same(database: Database, admin: Actor) -> None:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("the driver's own cursor is used on SQLite only")
    ticket = create_ticket(database, admin, NewTicket(account_id="acme", subject="x", level="1")).ticket.id
    add_event(database, admin, ticket, NewEvent(kind=EventKind.RESOLVED))
    updated_by_the_cursor = _raw(database, "tickets", ticket, "id")
    table = TicketRow.__table__
    assert isinstance(table, Table)
    with database.writing() as session:
        connection = session.connection()
        row = dict(connection.execute(select(table).where(table.c.id == ticket)).one()._mapping)
        connection.execute(update(table).where(table.c.id == ticket).values(row))
    assert _raw(database, "tickets", ticket, "id") == updated_by_the_cursor
