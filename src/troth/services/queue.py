"""The agent queue: open tickets by level priority, then age, with each target's due time and time left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from troth.core.clocks import ClockStatus
from troth.core.clocks.rules import status_of
from troth.core.instants import to_epoch
from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.storage.database import Database
from troth.storage.models import TargetStateRow, TicketRow
from troth.storage.repositories import tickets as repo


@dataclass(frozen=True, slots=True)
class QueuedTarget:
    """One target of a queued ticket, live at the queue's instant.

    `seconds_left` is wall-clock seconds until `due_at` (negative once overdue); None while paused.
    """

    state: TargetStateRow
    status: ClockStatus
    seconds_left: int | None


@dataclass(frozen=True, slots=True)
class QueuedTicket:
    ticket: TicketRow
    targets: list[QueuedTarget]


def _live(state: TargetStateRow, now: datetime) -> QueuedTarget:
    if not state.is_open:
        return QueuedTarget(state, ClockStatus(state.status), None)
    due = None if state.due_at is None else to_epoch(state.due_at)
    status = status_of(stopped_at=None, unmet=False, due_at=due, at=to_epoch(now))
    return QueuedTarget(state, status, None if due is None else due - to_epoch(now))


def agent_queue(
    database: Database,
    actor: Actor,
    *,
    account_id: str | None,
    due_within: timedelta | None,
    limit: int,
    now: datetime | None = None,
) -> list[QueuedTicket]:
    """Open tickets in working order; with `due_within`, only those with a target due that soon
    (or already overdue): the ones about to breach."""
    now = now or utc_now()
    scope = actor.scope(account_id)
    due_before = None if due_within is None else now + due_within
    with database.reading() as session:
        tickets = repo.queue(session, account_id=scope, due_before=due_before, limit=limit)
        states = repo.states_of(session, [t.id for t in tickets])
    return [QueuedTicket(t, [_live(s, now) for s in states[t.id]]) for t in tickets]
