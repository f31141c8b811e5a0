"""Ticket writes: opening a ticket, then its replies, level and status changes, restoration and
resolution, recorded one at a time or many in a batch.

Recording an event (opening a ticket records its `created` event) means storing it, asking the
core for the ticket's clocks and rewriting the ticket's derived target states, all in one
transaction, before the caller hears back. A busy server receives events for many tickets at once;
one transaction per event would cost a commit and half a dozen statements per event. A batch
instead locks every ticket it names and loads their events in two queries, applies its events in
order in memory (the core evaluating each), and writes them with one statement per table and a
single commit; the tickets it opens are inserted together, before the events that need their ids.

Each request in a batch still gets its own answer or its own refusal: everything that can refuse
an event runs before anything of it is kept, so a refused event leaves no trace and the others in
its batch are stored. Events of one ticket within a batch apply in request order, each seeing the
ones before it, exactly as if they had come one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from troth.core.clocks import Author, EventKind, known_statuses
from troth.core.policies.model import Policy
from troth.services import clocks
from troth.services.accounts import core_account
from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.errors import ForbiddenError, InvalidError, NotFoundError, ServiceError
from troth.services.ticket_history import RecentHistories, TicketHistory
from troth.services.tickets import (
    NewEvent,
    NewTicket,
    TicketTerms,
    TicketView,
    check_level,
    event_instant,
    new_terms,
    new_ticket_row,
    terms_of,
    view_of,
)
from troth.storage.database import Database
from troth.storage.models import AccountRow, PolicyVersionRow, TicketEventRow, TicketRow
from troth.storage.repositories import tickets as repo


@dataclass(frozen=True, slots=True)
class EventRequest:
    """One caller's event for one ticket."""

    actor: Actor
    ticket_id: int
    event: NewEvent


@dataclass(frozen=True, slots=True)
class TicketRequest:
    """One caller's new ticket."""

    actor: Actor
    new: NewTicket


WriteRequest = EventRequest | TicketRequest
Outcome = TicketView | ServiceError
"""A request's answer: the ticket's live view, or the refusal its caller gets."""


def create_ticket(database: Database, actor: Actor, new: NewTicket, now: datetime | None = None) -> TicketView:
    """Open a ticket for an account (a customer only for their own); a repeated idempotency key replays.

    Two requests with the same key may race (on PostgreSQL both can pass the look-up); the loser's
    insert breaks the unique key, and on its second try it answers with the winner's ticket.
    """
    return _only(record_events(database, [TicketRequest(actor, new)], now))


def add_event(
    database: Database, actor: Actor, ticket_id: int, event: NewEvent, now: datetime | None = None
) -> TicketView:
    """Record one event and bring the ticket's target states up to date; a repeated key replays."""
    return _only(record_events(database, [EventRequest(actor, ticket_id, event)], now))


def _only(outcomes: list[Outcome]) -> TicketView:
    if isinstance(outcomes[0], ServiceError):
        raise outcomes[0]
    return outcomes[0]


def record_events(
    database: Database,
    requests: Sequence[WriteRequest],
    now: datetime | None = None,
    recent: RecentHistories | None = None,
) -> list[Outcome]:
    """Record many requests' events in one transaction; each outcome answers the request at its index.

    `recent` remembers the histories of tickets written, for the next batches of the same process.
    A batch the database refuses as a whole (on PostgreSQL, a deadlock with another server process,
    or a ticket's idempotency key raced by a retry elsewhere) is rolled back and tried again: a
    batch one request at a time, a single request once more (by then the winner of a race is
    visible, and the retry replays it).
    """
    now = now or utc_now()
    try:
        return _record(database, requests, now, recent)
    except DBAPIError:
        if len(requests) > 1:
            return [record_events(database, [request], now, recent)[0] for request in requests]
    return _record(database, requests, now, recent)


def _record(
    database: Database, requests: Sequence[WriteRequest], now: datetime, recent: RecentHistories | None
) -> list[Outcome]:
    with database.writing() as session:
        batch = _Batch(session, requests, now, recent)
        outcomes = batch.record()
    if recent is not None:  # only once committed: a rolled-back history must not be taken for the stored one
        recent.remember(batch.written)
    return outcomes


class _Batch:
    """The tickets a batch names, their events as they grow, and what is left to write."""

    def __init__(
        self, session: Session, requests: Sequence[WriteRequest], now: datetime, recent: RecentHistories | None
    ) -> None:
        self.session = session
        self.requests = requests
        self.now = now
        ids = sorted({request.ticket_id for request in requests if isinstance(request, EventRequest)})
        self.found = repo.tickets_with_terms(session, ids, lock=True) if ids else {}
        self.histories = self._histories(list(self.found), recent)
        self.written: dict[int, TicketHistory] = {}
        self.terms: dict[int, TicketTerms] = {}
        self.opened: list[tuple[TicketRow, TicketEventRow, clocks.Verdict]] = []
        self.opened_by_key: dict[tuple[str, str], TicketView] = {}
        self.new_events: list[dict[str, Any]] = []
        self.states: dict[int, list[dict[str, Any]]] = {}

    def _histories(self, ids: list[int], recent: RecentHistories | None) -> dict[int, TicketHistory]:
        """The events of the locked tickets: remembered where still whole, read from storage otherwise."""
        if not ids:
            return {}
        known: dict[int, TicketHistory] = {}
        if recent is not None:
            last = repo.last_seqs(self.session, ids)
            known = {key: history for key in ids if (history := recent.get(key, last.get(key, 0))) is not None}
        unknown = [key for key in ids if key not in known]
        stored = repo.events_of_many(self.session, unknown) if unknown else {}
        for key in unknown:
            known[key] = TicketHistory.of(self.found[key][0], list(stored.get(key, [])))
        return known

    def record(self) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for request in self.requests:
            try:
                outcomes.append(self._apply(request) if isinstance(request, EventRequest) else self._open(request))
            except ServiceError as refusal:
                outcomes.append(refusal)
        self._insert_opened()
        repo.insert_events(self.session, self.new_events)
        repo.replace_states(self.session, self.states)
        return outcomes

    def _insert_opened(self) -> None:
        """Insert the new tickets in one statement; their events and states need the ids it gives."""
        if not self.opened:
            return
        self.session.add_all([ticket for ticket, _, _ in self.opened])
        self.session.flush()
        for ticket, created, verdict in self.opened:
            created.ticket_id = ticket.id
            self.new_events.append(repo.event_values(created))
            self.states[ticket.id] = clocks.state_rows(ticket, verdict)
            self.written[ticket.id] = TicketHistory.of(ticket, [created])

    def _open(self, request: TicketRequest) -> TicketView:
        actor, new = request.actor, request.new
        actor.require_account(new.account_id)
        account = self.session.get(AccountRow, new.account_id)
        if account is None:
            raise NotFoundError("account", new.account_id)
        if new.idempotency_key and (seen := self._opened_before(account, new.idempotency_key)):
            return seen
        at = event_instant(actor, new.at, self.now)
        terms = new_terms(self.session, account, at)
        check_level(terms.policy, new.level)
        ticket = new_ticket_row(actor, new, terms, at)
        created = _created_row(actor, new, at, self.now)
        verdict = clocks.evaluate(ticket, [created], terms.policy, core_account(account), max(self.now, at))
        clocks.summarise(ticket, verdict.facts, terms.policy)
        self.opened.append((ticket, created, verdict))
        view = TicketView(ticket, verdict.clocks)
        if new.idempotency_key:
            self.opened_by_key[account.id, new.idempotency_key] = TicketView(
                ticket, verdict.clocks, created=False, events=[created]
            )
        return view

    def _opened_before(self, account: AccountRow, key: str) -> TicketView | None:
        """The ticket a retried request opened, stored earlier or earlier in this batch."""
        if (account.id, key) in self.opened_by_key:
            return self.opened_by_key[account.id, key]
        seen = repo.ticket_by_key(self.session, account.id, key)
        if seen is None:
            return None
        version = self.session.get_one(PolicyVersionRow, seen.policy_version_id)
        rows = repo.events_of(self.session, seen.id)
        return view_of(seen, rows, terms_of(account, version), self.now, created=False)

    def _ticket(self, actor: Actor, ticket_id: int) -> tuple[TicketRow, TicketTerms]:
        found = self.found.get(ticket_id)
        if found is None or not actor.may_see_account(found[0].account_id):
            raise NotFoundError("ticket", ticket_id)
        ticket, account, version = found
        if ticket_id not in self.terms:
            self.terms[ticket_id] = terms_of(account, version)
        return ticket, self.terms[ticket_id]

    def _apply(self, request: EventRequest) -> TicketView:
        actor, event = request.actor, request.event
        ticket, terms = self._ticket(actor, request.ticket_id)
        history = self.histories[ticket.id]
        key = event.idempotency_key
        if key and any(row.idempotency_key == key for row in history.rows):
            return view_of(_snapshot(ticket), history.rows, terms, self.now, created=False)
        event = _check_event(actor, event, terms.policy)
        at = event_instant(actor, event.at, self.now)
        row = _event_row(actor, ticket, event, history.last_seq + 1, at, self.now)
        grown = history.with_event(ticket, row)
        latest = max(self.now, *(r.at for r in grown.rows))
        verdict = clocks.evaluate_events(grown.events, terms.policy, core_account(terms.account), latest)
        # Nothing below can refuse the event: from here on it is kept.
        clocks.summarise(ticket, verdict.facts, terms.policy)
        self.histories[ticket.id] = self.written[ticket.id] = grown
        self.new_events.append(repo.event_values(row))
        self.states[ticket.id] = clocks.state_rows(ticket, verdict)
        return TicketView(_snapshot(ticket), verdict.clocks)


def _snapshot(ticket: TicketRow) -> TicketRow:
    """A detached copy, so that a later event of the same ticket in the batch does not change an
    answer already given."""
    return TicketRow(**{column.key: getattr(ticket, column.key) for column in TicketRow.__table__.columns})


def _check_event(actor: Actor, event: NewEvent, policy: Policy) -> NewEvent:
    """Refuse what the caller may not say; a customer only ever writes public replies as the customer."""
    if not actor.is_provider:
        if event.kind is not EventKind.REPLY:
            raise ForbiddenError(f"a customer may not record '{event.kind}' events")
        if event.author is Author.AGENT or not event.public or event.automated:
            raise ForbiddenError("a customer's reply is a public reply by the customer")
        return NewEvent(kind=event.kind, author=Author.CUSTOMER, body=event.body, idempotency_key=event.idempotency_key)
    if event.kind is EventKind.LEVEL:
        if event.level is None:
            raise InvalidError.one("a level change names the new level", "level")
        check_level(policy, event.level)
    if event.kind is EventKind.STATUS and event.status not in known_statuses(policy):
        known = ", ".join(sorted(known_statuses(policy)))
        raise InvalidError.one(f"status '{event.status}' is not one this policy knows; use one of {known}", "status")
    return event


def _created_row(actor: Actor, new: NewTicket, at: datetime, now: datetime) -> TicketEventRow:
    """The `created` event of a new ticket; its ticket id is set once the ticket is inserted."""
    return TicketEventRow(
        seq=1,
        type=EventKind.CREATED,
        at=at,
        level=new.level,
        platform_level=new.platform_level,
        channel=new.channel,
        scheduled_at=new.scheduled_at,
        body=new.body,
        idempotency_key=new.idempotency_key,
        recorded_at=now,
        recorded_by=actor.user_id,
    )


def _event_row(
    actor: Actor, ticket: TicketRow, event: NewEvent, seq: int, at: datetime, now: datetime
) -> TicketEventRow:
    is_reply = event.kind is EventKind.REPLY
    return TicketEventRow(
        ticket_id=ticket.id,
        seq=seq,
        type=event.kind,
        at=at,
        author=str(event.author or Author.AGENT) if is_reply else None,
        public=event.public if is_reply else None,
        automated=event.automated if is_reply else None,
        level=event.level if event.kind is EventKind.LEVEL else None,
        status=event.status if event.kind is EventKind.STATUS else None,
        body=event.body,
        idempotency_key=event.idempotency_key,
        recorded_at=now,
        recorded_by=actor.user_id,
    )
