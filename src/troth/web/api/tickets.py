"""Tickets: create, reply, change level or status, restore, resolve; every answer carries live clocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from troth.core.clocks import Author, EventKind
from troth.services import tickets as service
from troth.services.actors import Actor
from troth.services.ticket_events import EventRequest, TicketRequest, WriteRequest
from troth.services.tickets import NewEvent, NewTicket
from troth.storage.models import TicketRow
from troth.web.api.schemas import Body, DbId, IdempotencyKey, Instant, Key, Out, Text, UtcOut
from troth.web.api.ticket_json import ticket_json
from troth.web.deps import ActorDep, DatabaseDep
from troth.web.errors import ERROR_RESPONSES
from troth.web.event_batches import EventBatcher
from troth.web.writers import Answer

router = APIRouter(prefix="/api/tickets", tags=["tickets"], responses=ERROR_RESPONSES)

LevelKey = Annotated[str, Field(min_length=1, max_length=32)]


class EventBody(Body):
    at: Instant | None = Field(default=None, description="When it happened (provider only); default: now")
    idempotency_key: IdempotencyKey | None = Field(
        default=None, description="A retried request with the same key records nothing new"
    )


class TicketIn(EventBody):
    account_id: Key
    subject: str = Field(min_length=1, max_length=300)
    level: LevelKey | None = Field(default=None, description="Default: the policy's default level")
    platform_level: bool = Field(default=False, description="The issue affects the platform, not one client")
    channel: str | None = Field(default=None, max_length=32)
    scheduled_at: Instant | None = Field(default=None, description="For targets the policy schedules")
    body: Text | None = None


class ReplyIn(EventBody):
    author: Author | None = Field(default=None, description="agent (default for the provider) or customer")
    public: bool = True
    automated: bool = False
    body: Text | None = None


class LevelIn(EventBody):
    level: LevelKey


class StatusIn(EventBody):
    status: str = Field(min_length=1, max_length=32, description="open, a pause state of the policy, or resolved")


class WarningOut(Out):
    percent: int
    at: UtcOut


class ClockOut(Out):
    target: str
    level: str
    status: str
    started_at: UtcOut
    due_at: UtcOut | None
    stopped_at: UtcOut | None
    target_seconds: int | None
    elapsed_seconds: int | None
    warnings: list[WarningOut]


class EventOut(Out):
    seq: int
    type: str
    at: UtcOut
    author: str | None
    public: bool | None
    automated: bool | None
    level: str | None
    status: str | None
    body: str | None


class TicketSummaryOut(Out):
    id: int
    account_id: str
    subject: str
    level: str
    status: str
    platform_level: bool
    channel: str | None
    is_open: bool
    created_at: UtcOut
    restored_at: UtcOut | None
    resolved_at: UtcOut | None


class TicketOut(TicketSummaryOut):
    targets: list[ClockOut] = Field(description="Every target's live state, from the core")
    events: list[EventOut] = Field(
        description="Reading a ticket: its events (a customer's, without internal notes). "
        "A write's answer: the events it stored (a retried write: the events the first one stored)"
    )


REPLAYED: dict[int | str, dict[str, Any]] = {
    200: {"model": TicketOut, "description": "A retried request (same idempotency key): the ticket, nothing new stored"}
}


@dataclass(frozen=True, slots=True)
class TicketWrite:
    """A write route's body model, and how a valid body becomes the request to record."""

    body: type[EventBody]
    request: Callable[[Actor, int | None, EventBody], WriteRequest]


def _answer(answer: Answer) -> Response:
    """201 for a new ticket or event, 200 for a replayed request (nothing new stored), or the refusal."""
    return Response(answer.body, status_code=answer.status, media_type="application/json")


@router.get("", response_model=list[TicketSummaryOut])
def list_tickets(
    *,
    database: DatabaseDep,
    actor: ActorDep,
    account_id: str | None = None,
    only_open: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[TicketSummaryOut]:
    """Tickets, newest first (a customer: their account's only)."""
    rows: list[TicketRow] = service.list_tickets(
        database, actor, account_id=account_id, only_open=only_open, limit=limit, offset=offset
    )
    return [TicketSummaryOut.model_validate(row) for row in rows]


@router.post("", response_model=TicketOut, status_code=201, responses=REPLAYED)
async def create_ticket(body: TicketIn, request: Request, actor: ActorDep) -> Response:
    """Open a ticket: the portal's way in (a customer, for their account) and an integration's."""
    return await _write(request, _opening(actor, None, body))


@router.get("/{ticket_id}", response_model=TicketOut)
def get_ticket(ticket_id: DbId, database: DatabaseDep, actor: ActorDep) -> Response:
    """A ticket with its events and every target's live state."""
    return Response(ticket_json(service.get_ticket(database, actor, ticket_id)), media_type="application/json")


async def _write(request: Request, write: WriteRequest) -> Response:
    batcher: EventBatcher = request.app.state.event_batcher
    return _answer(await batcher.record(write))


def _opening(actor: Actor, ticket_id: int | None, body: EventBody) -> WriteRequest:
    return TicketRequest(actor, NewTicket(**body.model_dump()))


def _event(kind: EventKind) -> Callable[[Actor, int | None, EventBody], WriteRequest]:
    def request(actor: Actor, ticket_id: int | None, body: EventBody) -> WriteRequest:
        assert ticket_id is not None
        return EventRequest(actor, ticket_id, NewEvent(kind=kind, **body.model_dump()))

    return request


_reply, _level, _status = _event(EventKind.REPLY), _event(EventKind.LEVEL), _event(EventKind.STATUS)
_restored, _resolved = _event(EventKind.RESTORED), _event(EventKind.RESOLVED)


@router.post("/{ticket_id}/replies", response_model=TicketOut, status_code=201, responses=REPLAYED)
async def reply(ticket_id: DbId, body: ReplyIn, request: Request, actor: ActorDep) -> Response:
    """A reply by an agent or the customer, public or internal, written by a person or automated."""
    return await _write(request, _reply(actor, ticket_id, body))


@router.post("/{ticket_id}/level", response_model=TicketOut, status_code=201, responses=REPLAYED)
async def change_level(ticket_id: DbId, body: LevelIn, request: Request, actor: ActorDep) -> Response:
    """Change the ticket's level; the policy says whether the new targets apply from creation."""
    return await _write(request, _level(actor, ticket_id, body))


@router.post("/{ticket_id}/status", response_model=TicketOut, status_code=201, responses=REPLAYED)
async def change_status(ticket_id: DbId, body: StatusIn, request: Request, actor: ActorDep) -> Response:
    """Change the ticket's status, e.g. to waiting on the customer (which pauses some clocks) and back."""
    return await _write(request, _status(actor, ticket_id, body))


@router.post("/{ticket_id}/restore", response_model=TicketOut, status_code=201, responses=REPLAYED)
async def restore(ticket_id: DbId, body: EventBody, request: Request, actor: ActorDep) -> Response:
    """Service is restored (a workaround); restoration targets stop."""
    return await _write(request, _restored(actor, ticket_id, body))


@router.post("/{ticket_id}/resolve", response_model=TicketOut, status_code=201, responses=REPLAYED)
async def resolve(ticket_id: DbId, body: EventBody, request: Request, actor: ActorDep) -> Response:
    """The ticket is resolved; resolution (and restoration, if not yet) stops."""
    return await _write(request, _resolved(actor, ticket_id, body))


WRITES: dict[str, TicketWrite] = {
    "/api/tickets": TicketWrite(TicketIn, _opening),
    "/api/tickets/{ticket_id}/replies": TicketWrite(ReplyIn, _reply),
    "/api/tickets/{ticket_id}/level": TicketWrite(LevelIn, _level),
    "/api/tickets/{ticket_id}/status": TicketWrite(StatusIn, _status),
    "/api/tickets/{ticket_id}/restore": TicketWrite(EventBody, _restored),
    "/api/tickets/{ticket_id}/resolve": TicketWrite(EventBody, _resolved),
}
"""The write routes by path template, as `troth.web.event_lane` serves them: the same body model
and the same request as the route's own function above, so both ways store and answer alike."""
