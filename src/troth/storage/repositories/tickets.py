"""Tickets, their events and their derived target states."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from troth.storage.many_rows import execute_many, execute_one, fetch_all, insert_returning_ids
from troth.storage.models import AccountRow, PolicyVersionRow, TargetStateRow, TicketEventRow, TicketRow

# The statements of the event path are built once, with bound parameters: building and keying a
# statement costs more than SQLite takes to run it.
_TICKETS = cast(Table, TicketRow.__table__)
_TICKET_RECORDS = (
    select(_TICKETS).where(_TICKETS.c.id.in_(bindparam("ticket_ids", expanding=True))).order_by(_TICKETS.c.id)
)
_TICKET_RECORDS_LOCKED = _TICKET_RECORDS.with_for_update()
_ACCOUNTS_BY_ID = select(AccountRow).where(AccountRow.id.in_(bindparam("ids", expanding=True)))
_VERSIONS_BY_ID = select(PolicyVersionRow).where(PolicyVersionRow.id.in_(bindparam("ids", expanding=True)))
_ACCOUNTS = cast(Table, AccountRow.__table__)
_VERSIONS = cast(Table, PolicyVersionRow.__table__)
ACCOUNT_COLUMNS = tuple(column.key for column in _ACCOUNTS.c)
"""The columns of an account's stored values (`account_values`), in order."""
_ACCOUNT_VALUES = select(_ACCOUNTS).where(_ACCOUNTS.c.id.in_(bindparam("ids", expanding=True)))
_VERSION_VALUES = select(*[column for column in _VERSIONS.c if column.key != "text"]).where(
    _VERSIONS.c.id.in_(bindparam("ids", expanding=True))
)


@dataclass(slots=True, kw_only=True)
class TicketRecord:
    """A stored ticket as plain values, for the event path: reading ORM rows and taking them out of
    the session again cost the writer more than a third of a millisecond a batch. Its events change
    the summary fields in memory; `update_tickets` writes them."""

    id: int
    account_id: str
    policy_version_id: int
    subject: str
    level: str
    level_rank: int
    status: str
    platform_level: bool
    channel: str | None
    is_open: bool
    created_at: datetime
    restored_at: datetime | None
    resolved_at: datetime | None
    last_event_at: datetime
    idempotency_key: str | None
    created_by: int | None


AnyTicket = TicketRow | TicketRecord
"""A ticket the services read: an ORM row (a new ticket, a list) or a plain record (the event path)."""

Terms = tuple[TicketRecord, AccountRow, PolicyVersionRow]


def tickets_with_terms(session: Session, ticket_ids: Sequence[int], *, lock: bool) -> dict[int, Terms]:
    """Tickets with their accounts and policy versions, by ticket id (unknown ids absent).

    With `lock`, the ticket rows are locked until the transaction ends, so two events of one ticket
    never interleave; they are locked in id order, so two batches cannot deadlock on each other.
    A batch's tickets share a few accounts and versions: each of those is read once.
    """
    tickets = ticket_records(session, ticket_ids, lock=lock)
    if not tickets:
        return {}
    account_ids, version_ids = list({t.account_id for t in tickets}), list({t.policy_version_id for t in tickets})
    accounts = {account.id: account for account in session.scalars(_ACCOUNTS_BY_ID, {"ids": account_ids})}
    versions = {version.id: version for version in session.scalars(_VERSIONS_BY_ID, {"ids": version_ids})}
    return {t.id: (t, accounts[t.account_id], versions[t.policy_version_id]) for t in tickets}


_RECORD_FIELDS = tuple(column.key for column in _TICKETS.c)  # the columns _TICKET_RECORDS selects, in order


# Both columns, so the look-up uses the (account_id, idempotency_key) index, not a scan of every ticket.
_BY_KEYS = select(_TICKETS).where(
    _TICKETS.c.account_id.in_(bindparam("accounts", expanding=True)),
    _TICKETS.c.idempotency_key.in_(bindparam("keys", expanding=True)),
)


def ticket_records(session: Session, ticket_ids: Sequence[int], *, lock: bool) -> list[TicketRecord]:
    """Tickets as plain records in id order (unknown ids absent); `lock` as for `tickets_with_terms`."""
    query = _TICKET_RECORDS_LOCKED if lock else _TICKET_RECORDS
    return _records(fetch_all(session, query, {"ticket_ids": list(ticket_ids)}))


def _records(rows: list[tuple[Any, ...]]) -> list[TicketRecord]:
    return [TicketRecord(**dict(zip(_RECORD_FIELDS, row, strict=True))) for row in rows]


def account_values(session: Session, account_ids: Collection[str]) -> dict[str, tuple[Any, ...]]:
    """Each account's stored values (in the order of `ACCOUNT_COLUMNS`), by id (unknown ids absent)."""
    return {row[0]: row for row in fetch_all(session, _ACCOUNT_VALUES, {"ids": list(account_ids)})}


def version_values(session: Session, version_ids: Collection[int]) -> dict[int, tuple[Any, ...]]:
    """Each policy version's stored values but its (long) text, by id (unknown ids absent)."""
    return {row[0]: row for row in fetch_all(session, _VERSION_VALUES, {"ids": list(version_ids)})}


def ticket_with_terms(session: Session, ticket_id: int, *, lock: bool) -> Terms | None:
    """One ticket with its account and policy version (see `tickets_with_terms`)."""
    return tickets_with_terms(session, [ticket_id], lock=lock).get(ticket_id)


def tickets_by_keys(session: Session, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], TicketRecord]:
    """The tickets opened under each (account, idempotency key) pair, where one was."""
    if not keys:
        return {}
    parameters = {"accounts": list({account for account, _ in keys}), "keys": list({key for _, key in keys})}
    tickets = _records(fetch_all(session, _BY_KEYS, parameters))
    found = {(ticket.account_id, ticket.idempotency_key or ""): ticket for ticket in tickets}
    return {pair: ticket for pair, ticket in found.items() if pair in keys}


def accounts_of(session: Session, account_ids: Collection[str]) -> dict[str, AccountRow]:
    """The accounts new tickets are opened for, by id (unknown ids absent)."""
    query = select(AccountRow).where(AccountRow.id.in_(account_ids))
    return {account.id: account for account in session.scalars(query)}


_EVENTS = cast(Table, TicketEventRow.__table__)
_STATES = cast(Table, TargetStateRow.__table__)
# Statements of plain tables' columns (not the mapped classes') run without the ORM's layer.
_EVENT_COLUMNS = [column for column in _EVENTS.c if column.name not in ("ticket_id", "recorded_by")]


_EVENTS_OF = select(*_EVENT_COLUMNS).where(_EVENTS.c.ticket_id == bindparam("ticket_id")).order_by(_EVENTS.c.seq)
_EVENTS_OF_MANY = (
    select(_EVENTS.c.ticket_id, *_EVENT_COLUMNS)
    .where(_EVENTS.c.ticket_id.in_(bindparam("ticket_ids", expanding=True)))
    .order_by(_EVENTS.c.ticket_id, _EVENTS.c.seq)
)
_LAST_SEQS = (
    select(_EVENTS.c.ticket_id, func.max(_EVENTS.c.seq))
    .where(_EVENTS.c.ticket_id.in_(bindparam("ticket_ids", expanding=True)))
    .group_by(_EVENTS.c.ticket_id)
)
SUMMARY_COLUMNS = ("level", "level_rank", "status", "is_open", "restored_at", "resolved_at", "last_event_at")
"""The columns of a ticket that its events change."""
UPDATE_TICKET = (
    update(_TICKETS)
    .where(_TICKETS.c.id == bindparam("ticket_id"))
    .values({name: bindparam(name) for name in SUMMARY_COLUMNS})
)
_INSERT_EVENT = insert(_EVENTS)
_INSERTED_COLUMNS = [column.key for column in _EVENTS.c if column.key != "id"]
_EVENT_BY_KEY = select(_EVENTS.c.id).where(
    _EVENTS.c.ticket_id == bindparam("ticket_id"), _EVENTS.c.idempotency_key == bindparam("key")
)
# The event path's statements of plain tables run on the session's connection: Session.execute's
# own layer (autoflush, ORM context) costs a fifth of a statement, and the path keeps no ORM changes
# pending (new tickets are flushed before their events are inserted).
_DELETE_STATES = delete(_STATES).where(_STATES.c.ticket_id.in_(bindparam("ticket_ids", expanding=True)))
_INSERT_STATES = insert(_STATES)


def events_of(session: Session, ticket_id: int) -> list[Row[Any]]:
    """A ticket's events in arrival order, as plain rows (no ORM bookkeeping: this is the hot path)."""
    return list(session.execute(_EVENTS_OF, {"ticket_id": ticket_id}))


def events_of_many(session: Session, ticket_ids: Sequence[int]) -> dict[int, list[Row[Any]]]:
    """The events of each ticket in arrival order, in one query (tickets without events absent)."""
    found: dict[int, list[Row[Any]]] = {}
    for row in session.connection().execute(_EVENTS_OF_MANY, {"ticket_ids": list(ticket_ids)}):
        found.setdefault(row.ticket_id, []).append(row)
    return found


def last_seqs(session: Session, ticket_ids: Sequence[int]) -> dict[int, int]:
    """Each ticket's highest event sequence number (an index-only query)."""
    return dict(fetch_all(session, _LAST_SEQS, {"ticket_ids": list(ticket_ids)}))


_INSERT_TICKET = insert(_TICKETS)
_INSERT_TICKET_RETURNING = insert(_TICKETS).returning(_TICKETS.c.id, sort_by_parameter_order=True)
_NEW_TICKET_COLUMNS = [name for name in _RECORD_FIELDS if name != "id"]


def insert_tickets(session: Session, tickets: Sequence[TicketRecord]) -> None:
    """Insert new tickets (their ids 0) and give each the id it was stored under."""
    rows = [{name: getattr(ticket, name) for name in _NEW_TICKET_COLUMNS} for ticket in tickets]
    ids = insert_returning_ids(session, _INSERT_TICKET, _INSERT_TICKET_RETURNING, rows)
    for ticket, ticket_id in zip(tickets, ids, strict=True):
        ticket.id = ticket_id


def insert_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new events, all in one statement; each row has every column but the id."""
    execute_many(session, _INSERT_EVENT, rows)


def event_values(row: object) -> dict[str, Any]:
    """A new event's column values, for a plain INSERT (the ORM's unit of work costs more than the write)."""
    return {key: getattr(row, key) for key in _INSERTED_COLUMNS}


def event_by_key(session: Session, ticket_id: int, idempotency_key: str) -> bool:
    """Whether the ticket already has an event recorded under this idempotency key."""
    return session.execute(_EVENT_BY_KEY, {"ticket_id": ticket_id, "key": idempotency_key}).first() is not None


def states_of(session: Session, ticket_ids: Sequence[int]) -> dict[int, list[TargetStateRow]]:
    found: dict[int, list[TargetStateRow]] = {ticket_id: [] for ticket_id in ticket_ids}
    if not ticket_ids:
        return found
    query = select(TargetStateRow).where(TargetStateRow.ticket_id.in_(ticket_ids)).order_by(TargetStateRow.target)
    for row in session.scalars(query):
        found[row.ticket_id].append(row)
    return found


def update_tickets(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write each ticket's summary (the columns of `SUMMARY_COLUMNS`, and `ticket_id`), one statement for all."""
    execute_many(session, UPDATE_TICKET, rows)


def replace_states(session: Session, states: Mapping[int, Sequence[dict[str, Any]]]) -> None:
    """Make the stored states of each ticket exactly its rows (a level change may change its targets)."""
    if not states:
        return
    execute_one(session, _DELETE_STATES, {"ticket_ids": list(states)})
    execute_many(session, _INSERT_STATES, [row for ticket_rows in states.values() for row in ticket_rows])


def list_tickets(
    session: Session, *, account_id: str | None, only_open: bool, limit: int, offset: int
) -> list[TicketRow]:
    query = select(TicketRow).order_by(TicketRow.id.desc()).limit(limit).offset(offset)
    if account_id is not None:
        query = query.where(TicketRow.account_id == account_id)
    if only_open:
        query = query.where(TicketRow.is_open)
    return list(session.scalars(query))


def queue(session: Session, *, account_id: str | None, due_before: datetime | None, limit: int) -> list[TicketRow]:
    """Open tickets by level priority (rank 1 first), then age (oldest first).

    With `due_before`, only tickets with a running target due before that instant.
    """
    query = select(TicketRow).where(TicketRow.is_open)
    if account_id is not None:
        query = query.where(TicketRow.account_id == account_id)
    if due_before is not None:
        due_soon = select(TargetStateRow.ticket_id).where(TargetStateRow.is_open, TargetStateRow.due_at < due_before)
        query = query.where(TicketRow.id.in_(due_soon))
    query = query.order_by(TicketRow.level_rank, TicketRow.created_at, TicketRow.id).limit(limit)
    return list(session.scalars(query))
