"""What a ticket's events say at an evaluation instant: its level history, responses, pauses and end.

Rules decided here (docs/ticket-clocks.md explains them for readers of the SLA):
- Events are applied in time order; equal instants in file order, except that `created` always
  comes first (nothing can happen to a ticket before it exists). Events after the evaluation
  instant have not happened yet and are left out.
- The ticket's resolution is the first `resolved` after the last status change that reopened it
  (a status other than resolved/solved/closed). A reopened resolution is as if it never happened.
- Events after the standing resolution are ignored: a closed ticket cannot be answered, restored or
  reclassified after the fact (they are kept in `ignored` so explanations can show them).
- A level event that names the level already in force changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from troth.core.clocks.events import OPEN_STATUS, EventKind, TicketEvent
from troth.core.errors import TrothError
from troth.core.instants import to_epoch


class TicketError(TrothError):
    """A ticket's events contradict each other; `sequence` and `field` locate the event."""

    def __init__(self, message: str, *, sequence: int, field: str) -> None:
        self.message = message
        self.sequence = sequence
        self.field = field
        super().__init__(message)


@dataclass(frozen=True, slots=True, kw_only=True)
class LevelChange:
    at: datetime
    from_level: str
    to_level: str
    sequence: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusSpan:
    """The ticket held `status` during `[start_at, end_at)`; `end_at` None: still held at evaluation."""

    status: str
    start_at: datetime
    end_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketFacts:
    """One ticket as known at `evaluated_at` (all instants UTC-aware)."""

    ticket: str
    created: TicketEvent
    evaluated_at: datetime
    initial_level: str
    level_changes: tuple[LevelChange, ...]
    responses: tuple[TicketEvent, ...]
    """Public, non-automated agent replies, in order."""
    restored_at: datetime | None
    """The first `restored`, if any."""
    resolved_at: datetime | None
    """The standing resolution, if any."""
    reopened: tuple[tuple[datetime, datetime], ...]
    """(resolved, reopened) pairs: resolutions that a later status change undid."""
    statuses: tuple[StatusSpan, ...]
    ignored: tuple[TicketEvent, ...]
    """Events after the standing resolution, which change nothing."""

    @property
    def created_at(self) -> datetime:
        return self.created.at

    @property
    def level(self) -> str:
        """The level in force at the evaluation instant."""
        return self.level_changes[-1].to_level if self.level_changes else self.initial_level


def in_order(events: Sequence[TicketEvent]) -> list[TicketEvent]:
    """Time order; at equal instants `created` first, then file order."""
    return sorted(events, key=lambda e: (to_epoch(e.at), e.kind is not EventKind.CREATED, e.sequence))


def _created(events: Sequence[TicketEvent]) -> TicketEvent:
    created = [e for e in events if e.kind is EventKind.CREATED]
    if not created:
        raise TicketError(
            f"ticket '{events[0].ticket}' has no 'created' event", sequence=events[0].sequence, field="type"
        )
    if len(created) > 1:
        first, second = sorted(created, key=lambda e: e.sequence)[:2]
        raise TicketError(
            f"ticket '{first.ticket}' is created twice (first at line {first.sequence})",
            sequence=second.sequence,
            field="type",
        )
    early = [e for e in events if e.at < created[0].at]
    if early:
        first_early = min(early, key=lambda e: e.sequence)
        raise TicketError(
            f"event of ticket '{first_early.ticket}' is before its creation at {created[0].at.isoformat()}",
            sequence=first_early.sequence,
            field="at",
        )
    return created[0]


def standing_resolution(ordered: Sequence[TicketEvent]) -> int | None:
    """Position of the resolution that stands: the first `resolved` after the last reopening status."""
    last_reopen = max((i for i, e in enumerate(ordered) if e.reopens), default=-1)
    return next((i for i, e in enumerate(ordered) if i > last_reopen and e.kind is EventKind.RESOLVED), None)


def _reopened(applied: Sequence[TicketEvent]) -> list[tuple[datetime, datetime]]:
    pairs: list[tuple[datetime, datetime]] = []
    resolved: datetime | None = None
    for event in applied:
        if event.kind is EventKind.RESOLVED and resolved is None:
            resolved = event.at
        elif event.reopens and resolved is not None:
            pairs.append((resolved, event.at))
            resolved = None
    return pairs


def _levels(applied: Sequence[TicketEvent], initial: str) -> list[LevelChange]:
    changes: list[LevelChange] = []
    current = initial
    for event in applied:
        if event.kind is EventKind.LEVEL and event.level is not None and event.level != current:
            changes.append(LevelChange(at=event.at, from_level=current, to_level=event.level, sequence=event.sequence))
            current = event.level
    return changes


def _spans(applied: Sequence[TicketEvent], created_at: datetime) -> list[StatusSpan]:
    changes = [(created_at, OPEN_STATUS)]
    changes += [(e.at, e.status) for e in applied if e.kind is EventKind.STATUS and e.status is not None]
    ends: list[datetime | None] = [at for at, _ in changes[1:]]
    ends.append(None)
    return [StatusSpan(status=s, start_at=a, end_at=end) for (a, s), end in zip(changes, ends, strict=True)]


def ticket_facts(events: Sequence[TicketEvent], *, at: datetime, default_level: str) -> TicketFacts | None:
    """The facts of one ticket at `at`, or None when it was created after `at`.

    Raises TicketError when there is no `created`, two of them, or an event before it.
    """
    created = _created(events)
    if created.at > at:
        return None
    ordered = [e for e in in_order(events) if e.at <= at]
    end = standing_resolution(ordered)
    applied = ordered if end is None else ordered[: end + 1]
    ignored = [] if end is None else ordered[end + 1 :]
    initial = created.level or default_level
    restored = next((e.at for e in applied if e.kind is EventKind.RESTORED), None)
    return TicketFacts(
        ticket=created.ticket,
        created=created,
        evaluated_at=at,
        initial_level=initial,
        level_changes=tuple(_levels(applied, initial)),
        responses=tuple(e for e in applied if e.is_agent_response),
        restored_at=restored,
        resolved_at=None if end is None else ordered[end].at,
        reopened=tuple(_reopened(applied)),
        statuses=tuple(_spans(applied, created.at)),
        ignored=tuple(ignored),
    )
