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
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from troth.services import clocks
from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.errors import InvalidError, NotFoundError, ServiceError
from troth.services.event_rows import EventRow, check_event, created_row, event_row
from troth.services.policies import in_force, versions_of
from troth.services.ticket_history import RecentHistories, TicketHistory
from troth.services.tickets import (
    NewEvent,
    NewTicket,
    TicketSummary,
    TicketTerms,
    TicketView,
    check_level,
    event_instant,
    new_ticket_row,
    terms_of,
    view_of,
    visible_to,
)
from troth.storage.database import Database
from troth.storage.models import AccountRow, PolicyVersionRow
from troth.storage.repositories import tickets as repo
from troth.storage.repositories.tickets import AnyTicket, TicketRecord


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


def _summary_values(ticket: AnyTicket) -> dict[str, Any]:
    values = {name: getattr(ticket, name) for name in repo.SUMMARY_COLUMNS}
    values["ticket_id"] = ticket.id
    return values


_TERMS: dict[tuple[str, str], TicketTerms] = {}
_MAX_TERMS = 1024


def _terms_of_tickets(session: Session, tickets: Sequence[TicketRecord]) -> dict[tuple[str, int], TicketTerms]:
    """The terms of each (account, policy version) the tickets are on, by their ids.

    Building terms (the account as the core reads it, the version's effective policy) cost more
    than reading the stored values; terms are therefore kept between batches under the exact
    stored values they were built from (their `repr`: two values that merely compare equal, like
    Decimals 10.0 and 10.00, never share terms). A changed account has other values, and new terms.
    """
    pairs = {(ticket.account_id, ticket.policy_version_id) for ticket in tickets}
    if not pairs:
        return {}
    accounts = repo.account_values(session, {account for account, _ in pairs})
    versions = repo.version_values(session, {version for _, version in pairs})
    return {pair: _cached_terms(session, accounts[pair[0]], versions[pair[1]]) for pair in pairs}


def _cached_terms(session: Session, account: tuple[Any, ...], version: tuple[Any, ...]) -> TicketTerms:
    key = (repr(account), repr(version))
    terms = _TERMS.get(key)
    if terms is None:
        if len(_TERMS) >= _MAX_TERMS:
            _TERMS.clear()
        # The account from the values read (read again, it could have changed since on PostgreSQL);
        # the version from storage (its deferred text is needed to parse it; it never changes).
        row = AccountRow(**dict(zip(repo.ACCOUNT_COLUMNS, account, strict=True)))
        terms = _TERMS[key] = terms_of(row, session.get_one(PolicyVersionRow, version[0]))
    return terms


@dataclass(frozen=True, slots=True)
class _Opening:
    """A ticket opened in this batch, answered once its insert has given it an id."""

    ticket: TicketRecord
    created: EventRow
    verdict: clocks.Verdict
    replayed: bool = False

    def view(self) -> TicketView:
        events = [replace(self.created, ticket_id=self.ticket.id)]
        return TicketView(TicketSummary.of(self.ticket), self.verdict.clocks, created=not self.replayed, events=events)


class _Batch:
    """The tickets a batch names, their events as they grow, and what is left to write."""

    def __init__(
        self, session: Session, requests: Sequence[WriteRequest], now: datetime, recent: RecentHistories | None
    ) -> None:
        self.session = session
        self.requests = requests
        self.now = now
        ids = sorted({request.ticket_id for request in requests if isinstance(request, EventRequest)})
        tickets = repo.ticket_records(session, ids, lock=True) if ids else []
        self.found = {ticket.id: ticket for ticket in tickets}
        self.terms = _terms_of_tickets(session, tickets)
        self.histories = self._histories(list(self.found), recent)
        self.written: dict[int, TicketHistory] = {}
        self._prepare_openings([request.new for request in requests if isinstance(request, TicketRequest)])
        self.opened: list[_Opening] = []
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
            known[key] = TicketHistory.of(self.found[key], list(stored.get(key, [])))
        return known

    def _prepare_openings(self, news: list[NewTicket]) -> None:
        """The accounts and idempotency keys of the tickets to open, each looked up once for the batch."""
        self.accounts = repo.accounts_of(self.session, {new.account_id for new in news}) if news else {}
        keys = {(new.account_id, new.idempotency_key) for new in news if new.idempotency_key}
        self.keyed: dict[tuple[str, str], TicketRecord | _Opening] = dict(repo.tickets_by_keys(self.session, keys))
        self.versions: dict[str, list[PolicyVersionRow]] = {}

    def record(self) -> list[Outcome]:
        answers: list[Outcome | _Opening] = []
        for request in self.requests:
            try:
                answers.append(self._apply(request) if isinstance(request, EventRequest) else self._open(request))
            except ServiceError as refusal:
                answers.append(refusal)
        self._insert_opened()
        repo.update_tickets(
            self.session, [_summary_values(self.found[key]) for key in self.written if key in self.found]
        )
        repo.insert_events(self.session, self.new_events)
        repo.replace_states(self.session, self.states)
        return [answer.view() if isinstance(answer, _Opening) else answer for answer in answers]

    def _insert_opened(self) -> None:
        """Insert the new tickets first: their events and states need the ids the insert gives."""
        if not self.opened:
            return
        repo.insert_tickets(self.session, [opening.ticket for opening in self.opened])
        for opening in self.opened:
            ticket = opening.ticket
            created = replace(opening.created, ticket_id=ticket.id)
            self.new_events.append(repo.event_values(created))
            self.states[ticket.id] = clocks.state_rows(ticket, opening.verdict)
            self.written[ticket.id] = TicketHistory.of(ticket, [created])

    def _open(self, request: TicketRequest) -> TicketView | _Opening:
        actor, new = request.actor, request.new
        actor.require_account(new.account_id)
        account = self.accounts.get(new.account_id)
        if account is None:
            raise NotFoundError("account", new.account_id)
        key = new.idempotency_key
        if key and (seen := self.keyed.get((account.id, key))):
            return self._replay_opening(seen, account)
        at = event_instant(actor, new.at, self.now)
        terms = self._terms_at(account, at)
        check_level(terms.policy, new.level)
        ticket = new_ticket_row(actor, new, terms, at)
        created = created_row(actor, new, at, self.now)
        verdict = clocks.evaluate(ticket, [created], terms.policy, terms.customer, max(self.now, at))
        clocks.summarise(ticket, verdict.facts, terms.policy)
        opening = _Opening(ticket, created, verdict)
        self.opened.append(opening)
        if key:
            self.keyed[account.id, key] = opening
        return opening

    def _replay_opening(self, seen: TicketRecord | _Opening, account: AccountRow) -> TicketView | _Opening:
        """The answer to a retried request: the ticket it opened, stored earlier or earlier in this batch."""
        if isinstance(seen, _Opening):
            return replace(seen, replayed=True)
        version = self.session.get_one(PolicyVersionRow, seen.policy_version_id)
        rows = repo.events_of(self.session, seen.id)
        return replace(view_of(seen, rows, terms_of(account, version), self.now, created=False), events=rows[:1])

    def _terms_at(self, account: AccountRow, at: datetime) -> TicketTerms:
        """For a new ticket: the version of the account's SLA in force at its creation."""
        if account.policy_key is None:
            raise InvalidError.one(f"account '{account.id}' is on no SLA yet; give it a policy first", "account_id")
        if account.policy_key not in self.versions:
            self.versions[account.policy_key] = versions_of(self.session, account.policy_key)
        return terms_of(account, in_force(self.versions[account.policy_key], account.policy_key, at))

    def _ticket(self, actor: Actor, ticket_id: int) -> tuple[AnyTicket, TicketTerms]:
        ticket = self.found.get(ticket_id)
        if ticket is None or not actor.may_see_account(ticket.account_id):
            raise NotFoundError("ticket", ticket_id)
        return ticket, self.terms[ticket.account_id, ticket.policy_version_id]

    def _apply(self, request: EventRequest) -> TicketView:
        actor, event = request.actor, request.event
        ticket, terms = self._ticket(actor, request.ticket_id)
        history = self.histories[ticket.id]
        key = event.idempotency_key
        if key and (stored := [row for row in history.rows if row.idempotency_key == key]):
            view = view_of(ticket, history.rows, terms, self.now, created=False)
            return replace(view, events=visible_to(actor, stored))
        event = check_event(actor, event, terms.policy)
        at = event_instant(actor, event.at, self.now)
        row = event_row(actor, ticket.id, event, history.last_seq + 1, at, self.now)
        grown = history.with_event(ticket, row)
        latest = max(self.now, *(r.at for r in grown.rows))
        verdict = clocks.evaluate_events(grown.events, terms.policy, terms.customer, latest)
        # Nothing below can refuse the event: from here on it is kept.
        clocks.summarise(ticket, verdict.facts, terms.policy)
        self.histories[ticket.id] = self.written[ticket.id] = grown
        self.new_events.append(repo.event_values(row))
        self.states[ticket.id] = clocks.state_rows(ticket, verdict)
        return TicketView(TicketSummary.of(ticket), verdict.clocks, events=[row])
