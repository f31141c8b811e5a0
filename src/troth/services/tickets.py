"""Tickets: what a request asks for, the terms a ticket is judged by, and reading tickets with live clocks.

Writes (creating a ticket, adding its events) are in `troth.services.ticket_events`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from troth.core.accounts import Account
from troth.core.clocks import Author, EventKind, TargetClock
from troth.core.policies.model import Policy
from troth.services import clocks
from troth.services.accounts import core_account
from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.clocks import EventLike
from troth.services.errors import ForbiddenError, InvalidError, NotFoundError
from troth.services.policies import effective_for
from troth.storage.database import Database
from troth.storage.models import AccountRow, PolicyVersionRow, TicketRow
from troth.storage.repositories import tickets as repo
from troth.storage.repositories.tickets import AnyTicket, TicketRecord

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of the server's clock a caller's event may be stamped (clocks drift)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NewTicket:
    account_id: str
    subject: str
    level: str | None = None
    platform_level: bool = False
    channel: str | None = None
    scheduled_at: datetime | None = None
    body: str | None = None
    at: datetime | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewEvent:
    kind: EventKind
    at: datetime | None = None
    author: Author | None = None
    public: bool = True
    automated: bool = False
    level: str | None = None
    status: str | None = None
    body: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketSummary:
    """A ticket as an answer shows it: a copy, so that later writes never change an answer given."""

    id: int
    account_id: str
    subject: str
    level: str
    status: str
    platform_level: bool
    channel: str | None
    is_open: bool
    created_at: datetime
    restored_at: datetime | None
    resolved_at: datetime | None

    @classmethod
    def of(cls, row: AnyTicket) -> TicketSummary:
        return cls(**{name: getattr(row, name) for name in SUMMARY_FIELDS})


SUMMARY_FIELDS = tuple(f.name for f in fields(TicketSummary))


@dataclass(frozen=True, slots=True)
class TicketView:
    """A ticket and its targets' live state from the core; `created` is False for a replayed request.

    `events` are the ticket's events the caller may see when the ticket is read, and the events a
    write stored when it answers a write (a replayed write: the events the first request stored).
    """

    ticket: TicketSummary
    clocks: list[TargetClock]
    created: bool = True
    events: Sequence[EventLike] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TicketTerms:
    account: AccountRow
    version: PolicyVersionRow
    policy: Policy
    customer: Account
    """The account as the core reads it (its time zone for customer-zone calendars)."""


def terms_of(account: AccountRow, version: PolicyVersionRow) -> TicketTerms:
    """The ticket's SLA version as it applies to its account: plan and contract applied."""
    customer = core_account(account)
    return TicketTerms(account, version, effective_for(version, customer), customer)


def event_instant(actor: Actor, at: datetime | None, now: datetime) -> datetime:
    """When an event happened: now, or (for the provider's integrations) the instant they give."""
    if at is None:
        return now
    if not actor.is_provider:
        raise ForbiddenError("only the provider's users and integrations may date events")
    if at > now + CLOCK_SKEW:
        raise InvalidError.one(f"{at.isoformat()} is in the future", "at")
    return at


def check_level(policy: Policy, level: str | None, field_name: str = "level") -> None:
    if level is not None and not policy.has_level(level):
        known = ", ".join(level.key for level in policy.levels)
        raise InvalidError.one(f"the account's policy has no level '{level}'; its levels are {known}", field_name)


def new_ticket_row(actor: Actor, new: NewTicket, terms: TicketTerms, at: datetime) -> TicketRecord:
    """A new ticket as a plain record; its id is 0 until `repo.insert_tickets` gives it one."""
    level = new.level or terms.policy.default_level
    return TicketRecord(
        id=0,
        account_id=terms.account.id,
        policy_version_id=terms.version.id,
        subject=new.subject,
        level=level,
        level_rank=terms.policy.level(level).rank,
        status="open",
        platform_level=new.platform_level,
        channel=new.channel,
        is_open=True,
        created_at=at,
        restored_at=None,
        resolved_at=None,
        last_event_at=at,
        idempotency_key=new.idempotency_key,
        created_by=actor.user_id,
    )


def _visible_ticket(session: Session, actor: Actor, ticket_id: int, *, lock: bool) -> tuple[AnyTicket, TicketTerms]:
    found = repo.ticket_with_terms(session, ticket_id, lock=lock)
    if found is None or not actor.may_see_account(found[0].account_id):
        raise NotFoundError("ticket", ticket_id)
    ticket, account, version = found
    return ticket, terms_of(account, version)


def view_of(
    ticket: AnyTicket, rows: Sequence[EventLike], terms: TicketTerms, now: datetime, *, created: bool
) -> TicketView:
    """The ticket with its events and every target's live state at `now` (or its latest event)."""
    at = max([now, *(row.at for row in rows)])
    verdict = clocks.evaluate(ticket, rows, terms.policy, terms.customer, at)
    return TicketView(TicketSummary.of(ticket), verdict.clocks, created=created, events=rows)


def get_ticket(database: Database, actor: Actor, ticket_id: int, now: datetime | None = None) -> TicketView:
    """A ticket with every target's live state and its events (a customer never sees internal notes)."""
    with database.reading() as session:
        ticket, terms = _visible_ticket(session, actor, ticket_id, lock=False)
        view = view_of(ticket, repo.events_of(session, ticket.id), terms, now or utc_now(), created=False)
    return replace(view, events=visible_to(actor, view.events))


def visible_to(actor: Actor, events: Sequence[EventLike]) -> Sequence[EventLike]:
    """The events `actor` may see: a customer never sees internal notes."""
    return events if actor.is_provider else [event for event in events if event.public is not False]


def list_tickets(
    database: Database, actor: Actor, *, account_id: str | None, only_open: bool, limit: int, offset: int
) -> list[TicketRow]:
    scope = actor.scope(account_id)
    with database.reading() as session:
        return repo.list_tickets(session, account_id=scope, only_open=only_open, limit=limit, offset=offset)
