"""Checks that stored derived state is what the core says of the stored events.

Used after a crash (the crash test), by the demo's tests, and available to operators: every
ticket's target states are recomputed from its events at the instant they were evaluated, and
any difference is reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from troth.services import clocks
from troth.services.accounts import core_account
from troth.services.policies import effective_for
from troth.storage.database import Database
from troth.storage.models import AccountRow, PolicyVersionRow, TargetStateRow, TicketRow
from troth.storage.repositories import tickets as repo

_COMPARED = (
    "level",
    "status",
    "is_open",
    "started_at",
    "due_at",
    "stopped_at",
    "warn_50_at",
    "warn_75_at",
    "target_seconds",
    "elapsed_seconds",
)


def _fields(row: TargetStateRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in _COMPARED}


def _expected(values: dict[str, object]) -> dict[str, object]:
    return {name: values[name] for name in _COMPARED}


def _ticket_problems(session: Session, ticket: TicketRow) -> Iterator[str]:
    stored = repo.states_of(session, [ticket.id])[ticket.id]
    rows = repo.events_of(session, ticket.id)
    if not rows:
        yield f"ticket {ticket.id} has no events"
        return
    at = max(s.evaluated_at for s in stored) if stored else max(r.at for r in rows)
    account = core_account(session.get_one(AccountRow, ticket.account_id))
    policy = effective_for(session.get_one(PolicyVersionRow, ticket.policy_version_id), account)
    verdict = clocks.evaluate(ticket, rows, policy, account, at)
    expected = {str(values["target"]): _expected(values) for values in clocks.state_rows(ticket, verdict)}
    found = {row.target: _fields(row) for row in stored}
    if expected != found:
        yield f"ticket {ticket.id}: stored target states differ from a recompute from its {len(rows)} events"


def derived_state_problems(database: Database) -> list[str]:
    """Every ticket whose stored target states differ from a full recompute from its events."""
    problems: list[str] = []
    with database.reading() as session:
        for ticket in session.scalars(select(TicketRow).order_by(TicketRow.id)):
            problems.extend(_ticket_problems(session, ticket))
    return problems
