"""Bridge to the core's ticket clocks: stored events in, the core's verdicts out, saved as target states.

Nothing here decides an SLA rule; it converts rows to the core's values and back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from troth.core.accounts import Account
from troth.core.clocks import (
    Author,
    ClockStatus,
    EventKind,
    TargetClock,
    TicketError,
    TicketEvent,
    TicketFacts,
    evaluate_facts,
    ticket_facts,
)
from troth.core.policies.model import Policy
from troth.services.errors import InvalidError
from troth.storage.repositories.tickets import AnyTicket

RESOLVED_STATUS = "resolved"


class EventLike(Protocol):
    """A stored event: an ORM row, or a plain row of the same columns."""

    @property
    def seq(self) -> int: ...

    @property
    def type(self) -> str: ...

    @property
    def at(self) -> datetime: ...

    @property
    def author(self) -> str | None: ...

    @property
    def public(self) -> bool | None: ...

    @property
    def automated(self) -> bool | None: ...

    @property
    def level(self) -> str | None: ...

    @property
    def status(self) -> str | None: ...

    @property
    def platform_level(self) -> bool | None: ...

    @property
    def channel(self) -> str | None: ...

    @property
    def scheduled_at(self) -> datetime | None: ...

    @property
    def idempotency_key(self) -> str | None: ...


def core_event(ticket: AnyTicket, row: EventLike) -> TicketEvent:
    return TicketEvent(
        ticket=str(ticket.id),
        at=row.at,
        kind=EventKind(row.type),
        sequence=row.seq,
        account=ticket.account_id,
        level=row.level,
        platform_level=bool(row.platform_level),
        channel=row.channel,
        scheduled_at=row.scheduled_at,
        author=None if row.author is None else Author(row.author),
        public=True if row.public is None else row.public,
        automated=bool(row.automated),
        status=row.status,
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the core says of one ticket at one instant: its facts and every target's clock."""

    facts: TicketFacts
    clocks: list[TargetClock]


def evaluate(ticket: AnyTicket, rows: Sequence[EventLike], policy: Policy, account: Account, at: datetime) -> Verdict:
    """The core's verdict; contradictory events are a 422 naming the offending field."""
    return evaluate_events([core_event(ticket, row) for row in rows], policy, account, at)


def evaluate_events(events: Sequence[TicketEvent], policy: Policy, account: Account, at: datetime) -> Verdict:
    """`evaluate` for events already converted to the core's."""
    try:
        facts = ticket_facts(events, at=at, default_level=policy.default_level)
        if facts is None:
            raise InvalidError.one("the ticket is created after the evaluation instant", "at")
        return Verdict(facts, evaluate_facts(facts, policy, customer_timezone=account.timezone))
    except TicketError as error:
        raise InvalidError.one(error.message, error.field) from None


def summarise(ticket: AnyTicket, facts: TicketFacts, policy: Policy) -> None:
    """Copy the core's view of the ticket (level, status, restoration, resolution) onto its row."""
    ticket.level = facts.level
    ticket.level_rank = policy.level(facts.level).rank
    ticket.restored_at = facts.restored_at
    ticket.resolved_at = facts.resolved_at
    ticket.is_open = facts.resolved_at is None
    ticket.status = RESOLVED_STATUS if facts.resolved_at else facts.statuses[-1].status
    ticket.last_event_at = max(ticket.last_event_at, facts.evaluated_at)


def _warning_at(clock: TargetClock, percent: int) -> datetime | None:
    return next((w.at for w in clock.warnings if w.percent == percent), None)


def state_rows(ticket: AnyTicket, verdict: Verdict) -> list[dict[str, Any]]:
    """The derived state of each target, as values of TargetStateRow; a target is open until its clock stops."""
    return [
        {
            "ticket_id": ticket.id,
            "target": clock.target,
            "account_id": ticket.account_id,
            "level": clock.level,
            "status": str(clock.status),
            "is_open": clock.stopped_at is None and clock.status is not ClockStatus.NOT_APPLICABLE,
            "started_at": clock.started_at,
            "due_at": clock.due_at,
            "stopped_at": clock.stopped_at,
            "warn_50_at": _warning_at(clock, 50),
            "warn_75_at": _warning_at(clock, 75),
            "target_seconds": clock.target_seconds,
            "elapsed_seconds": clock.elapsed_seconds or 0,
            "evaluated_at": verdict.facts.evaluated_at,
        }
        for clock in verdict.clocks
    ]
