"""The agent queue: open tickets by level priority then age, with due times and time left."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from troth.services.queue import QueuedTarget, QueuedTicket, agent_queue
from troth.web.api.schemas import Out, UtcOut
from troth.web.api.tickets import TicketSummaryOut
from troth.web.deps import ActorDep, DatabaseDep
from troth.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/queue", tags=["queue"], responses=ERROR_RESPONSES)


class QueuedTargetOut(Out):
    target: str
    status: str
    due_at: UtcOut | None
    seconds_left: int | None
    warn_50_at: UtcOut | None
    warn_75_at: UtcOut | None


class QueuedTicketOut(TicketSummaryOut):
    level_rank: int
    targets: list[QueuedTargetOut]


def _target(target: QueuedTarget) -> QueuedTargetOut:
    state = target.state
    return QueuedTargetOut(
        target=state.target,
        status=str(target.status),
        due_at=state.due_at,
        seconds_left=target.seconds_left,
        warn_50_at=state.warn_50_at,
        warn_75_at=state.warn_75_at,
    )


def _entry(entry: QueuedTicket) -> QueuedTicketOut:
    summary = TicketSummaryOut.model_validate(entry.ticket).model_dump()
    return QueuedTicketOut(**summary, level_rank=entry.ticket.level_rank, targets=[_target(t) for t in entry.targets])


@router.get("", response_model=list[QueuedTicketOut])
def queue(
    *,
    database: DatabaseDep,
    actor: ActorDep,
    account_id: str | None = None,
    about_to_breach: bool = False,
    within_minutes: Annotated[int, Query(ge=1, le=60 * 24 * 30)] = 60,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[QueuedTicketOut]:
    """Open tickets, most urgent level first, then oldest first. With `about_to_breach`, only
    tickets with a target due within `within_minutes` (or already overdue)."""
    due_within = timedelta(minutes=within_minutes) if about_to_breach else None
    entries = agent_queue(database, actor, account_id=account_id, due_within=due_within, limit=limit)
    return [_entry(e) for e in entries]
