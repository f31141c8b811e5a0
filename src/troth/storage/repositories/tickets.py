"""Tickets, their events and their derived target states."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, insert, select
from sqlalchemy.orm import Session

from troth.storage.models import AccountRow, PolicyVersionRow, TargetStateRow, TicketEventRow, TicketRow


def ticket_with_terms(
    session: Session, ticket_id: int, *, lock: bool
) -> tuple[TicketRow, AccountRow, PolicyVersionRow] | None:
    """A ticket with its account and policy version in one query; with `lock`, the ticket row is
    locked until the transaction ends, so two events of one ticket never interleave."""
    query = (
        select(TicketRow, AccountRow, PolicyVersionRow)
        .join(AccountRow, AccountRow.id == TicketRow.account_id)
        .join(PolicyVersionRow, PolicyVersionRow.id == TicketRow.policy_version_id)
        .where(TicketRow.id == ticket_id)
    )
    if lock:
        query = query.with_for_update(of=TicketRow)
    found = session.execute(query).one_or_none()
    return None if found is None else (found[0], found[1], found[2])


def ticket_by_key(session: Session, account_id: str, idempotency_key: str) -> TicketRow | None:
    query = select(TicketRow).where(TicketRow.account_id == account_id, TicketRow.idempotency_key == idempotency_key)
    return session.scalars(query).one_or_none()


_EVENT_COLUMNS = [column for column in TicketEventRow.__table__.c if column.name not in ("ticket_id", "recorded_by")]


def events_of(session: Session, ticket_id: int) -> list[Row[Any]]:
    """A ticket's events in arrival order, as plain rows (no ORM bookkeeping: this is the hot path)."""
    query = select(*_EVENT_COLUMNS).where(TicketEventRow.ticket_id == ticket_id).order_by(TicketEventRow.seq)
    return list(session.execute(query))


def insert_event(session: Session, row: TicketEventRow) -> None:
    """Insert a new event as one plain INSERT (the ORM's unit of work costs more than the write)."""
    values = {column.key: getattr(row, column.key) for column in TicketEventRow.__table__.c if column.key != "id"}
    session.execute(insert(TicketEventRow), [values])


def event_by_key(session: Session, ticket_id: int, idempotency_key: str) -> TicketEventRow | None:
    query = select(TicketEventRow).where(
        TicketEventRow.ticket_id == ticket_id, TicketEventRow.idempotency_key == idempotency_key
    )
    return session.scalars(query).one_or_none()


def states_of(session: Session, ticket_ids: Sequence[int]) -> dict[int, list[TargetStateRow]]:
    found: dict[int, list[TargetStateRow]] = {ticket_id: [] for ticket_id in ticket_ids}
    if not ticket_ids:
        return found
    query = select(TargetStateRow).where(TargetStateRow.ticket_id.in_(ticket_ids)).order_by(TargetStateRow.target)
    for row in session.scalars(query):
        found[row.ticket_id].append(row)
    return found


def replace_states(session: Session, ticket_id: int, rows: Sequence[dict[str, Any]]) -> None:
    """Make the stored states of a ticket exactly `rows` (a level change may change its targets)."""
    session.execute(delete(TargetStateRow).where(TargetStateRow.ticket_id == ticket_id))
    if rows:
        session.execute(insert(TargetStateRow), list(rows))


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


def count_events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(TicketEventRow)) or 0
