"""Rows written through SQLite's own cursor are stored exactly as SQLAlchemy's way stores them, and rows
read through it are the values SQLAlchemy reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Table, delete, insert, select, update

from troth.core.clocks import EventKind
from troth.services.accounts import AccountChanges, update_account
from troth.services.actors import Actor
from troth.services.ticket_events import add_event, create_ticket
from troth.services.tickets import NewEvent, NewTicket
from troth.storage.database import Database
from troth.storage.models import AccountRow, PolicyVersionRow, TargetStateRow, TicketEventRow, TicketRow
from troth.storage.repositories import tickets as repo


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


def _typed(values: Sequence[Any]) -> list[tuple[type, Any]]:
    """Values with their types: True and 1, or Decimals 10.0 and 10.00, compare equal but are not the same value."""
    return [(type(value), repr(value)) for value in values]


def test_rows_read_through_the_cursor_are_the_values_sqlalchemy_reads(database: Database, admin: Actor) -> None:
    fee, unpaid = Decimal("120.50"), datetime(2026, 3, 1, 12, 30, 15, 250_000, tzinfo=UTC)
    changes = {"monthly_fee": fee, "trial": True, "unpaid_since": unpaid, "overrides": {"credits.cap_percent": "60"}}
    update_account(database, admin, "acme", AccountChanges(**changes, given=frozenset(changes)))  # type: ignore[arg-type]
    new = NewTicket(account_id="acme", subject="x", level="1", channel="phone", idempotency_key="k")
    resolved = create_ticket(database, admin, new).ticket.id
    add_event(database, admin, resolved, NewEvent(kind=EventKind.RESOLVED))
    still_open = create_ticket(database, admin, NewTicket(account_id="globex", subject="y")).ticket.id
    with database.reading() as session:
        records = repo.ticket_records(session, [still_open, 999_999, resolved], lock=False)
        assert [record.id for record in records] == sorted([resolved, still_open])
        for record in records:
            row = session.get_one(TicketRow, record.id)
            assert _typed(list(asdict(record).values())) == _typed([getattr(row, f.name) for f in fields(record)])
        accounts = repo.account_values(session, ["acme", "globex", "nowhere"])
        assert set(accounts) == {"acme", "globex"}
        for key, values in accounts.items():
            account = session.get_one(AccountRow, key)
            assert _typed(values) == _typed([getattr(account, name) for name in repo.ACCOUNT_COLUMNS])
        (version,) = session.scalars(select(PolicyVersionRow)).all()
        names = [column.key for column in PolicyVersionRow.__table__.c if column.key != "text"]
        assert _typed(repo.version_values(session, [version.id])[version.id]) == _typed(
            [getattr(version, name) for name in names]
        )
        assert repo.last_seqs(session, [resolved, still_open, 999_999]) == {resolved: 2, still_open: 1}


def test_a_new_ticket_is_stored_as_sqlalchemy_stores_it(database: Database, admin: Actor) -> None:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("the driver's own cursor is used on SQLite only")
    new = NewTicket(account_id="acme", subject="x", level="2", channel="email", idempotency_key="first")
    opened = create_ticket(database, admin, new).ticket.id
    table = TicketRow.__table__
    assert isinstance(table, Table)
    with database.writing() as session:
        connection = session.connection()
        row = dict(connection.execute(select(table).where(table.c.id == opened)).one()._mapping)
        row.pop("id")
        again = connection.execute(insert(table), {**row, "idempotency_key": "second"}).inserted_primary_key[0]
    by_the_cursor, generic = _raw(database, "tickets", opened, "id"), _raw(database, "tickets", again, "id")
    key = [column.key for column in table.c].index("idempotency_key")
    assert [values[1:key] + values[key + 1 :] for values in by_the_cursor] == [
        values[1:key] + values[key + 1 :] for values in generic
    ]
