"""The statements of the event path search an index: none scans a table that grows with every ticket.

A scan costs nothing in a small test database and more with every ticket a server stores; the
load benchmark saw its throughput fall minute by minute before the ticket look-up by idempotency
key was given both columns of its index. SQLite's query plans show it at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from troth.core.clocks import EventKind
from troth.services.actors import Actor
from troth.services.ticket_events import EventRequest, TicketRequest, create_ticket, record_events
from troth.services.ticket_history import RecentHistories
from troth.services.tickets import NewEvent, NewTicket
from troth.storage import many_rows
from troth.storage.database import Database

GROWING = ("tickets", "ticket_events", "target_states")


@contextmanager
def _statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every statement run meanwhile that reads rows (selects, updates, deletes), with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in ("SELECT", "UPDATE", "DELETE"):
            seen.append((statement, parameters[0] if executemany else parameters))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def _scans(database: Database, statements: list[tuple[str, Any]]) -> list[str]:
    """The statements whose plan scans a growing table, with the plan."""
    found = []
    with database.reading() as session:
        connection = session.connection().connection.driver_connection
        assert connection is not None
        for sql, parameters in statements:
            plan = " / ".join(str(step[-1]) for step in connection.execute(f"EXPLAIN QUERY PLAN {sql}", parameters))
            if any(f"SCAN {table}" in plan.replace("SCAN TABLE", "SCAN") for table in GROWING):
                found.append(f"{sql} -> {plan}")
    return found


@pytest.fixture
def sqlite_only(database: Database) -> Database:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's query plans")
    return database


def _batch(admin: Actor, opened: int) -> Callable[[Database], object]:
    def run(database: Database) -> object:
        requests = [
            TicketRequest(admin, NewTicket(account_id="acme", subject="x", level="2", idempotency_key="open-2")),
            EventRequest(admin, opened, NewEvent(kind=EventKind.REPLY, body="on it", idempotency_key="reply-1")),
            EventRequest(admin, opened, NewEvent(kind=EventKind.LEVEL, level="1")),
            EventRequest(admin, opened, NewEvent(kind=EventKind.RESOLVED)),
        ]
        return record_events(database, requests, recent=RecentHistories())  # as the server: last numbers read

    return run


def test_a_batch_of_ticket_writes_scans_no_growing_table(sqlite_only: Database, admin: Actor) -> None:
    opened = create_ticket(sqlite_only, admin, NewTicket(account_id="acme", subject="x", level="2")).ticket.id
    with _statements(sqlite_only) as statements:
        _batch(admin, opened)(sqlite_only)
    assert len(statements) >= 3  # SQLAlchemy's: the new ticket's account and versions, the histories not remembered
    assert _scans(sqlite_only, statements) == []


def test_the_statements_run_on_sqlites_own_cursor_search_an_index(sqlite_only: Database, admin: Actor) -> None:
    """The batch's reads, updates and deletes on SQLite's own cursor (`troth.storage.many_rows`) go
    past the statement events above, so their plans are read from the SQL compiled for them."""
    opened = create_ticket(sqlite_only, admin, NewTicket(account_id="acme", subject="x", level="2")).ticket.id
    _batch(admin, opened)(sqlite_only)
    compiled = many_rows.compiled_sql()
    reading = [sql for sql in compiled if sql.lstrip().split(" ", 1)[0].upper() in ("SELECT", "UPDATE", "DELETE")]
    assert any("WHERE tickets.id = ?" in sql for sql in reading)  # the summary update
    assert any(sql.startswith("DELETE FROM target_states") for sql in reading)
    assert sum(sql.startswith("SELECT") for sql in reading) >= 4  # tickets, accounts, versions, last numbers
    assert _scans(sqlite_only, [(sql, [None] * sql.count("?")) for sql in reading]) == []
