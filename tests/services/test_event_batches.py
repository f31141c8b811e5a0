"""Events recorded in batches: each request answered on its own, the same result as one by one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from troth.core.clocks import Author, EventKind
from troth.services.accounts import AccountChanges, update_account
from troth.services.actors import Actor
from troth.services.errors import ForbiddenError, InvalidError, NotFoundError
from troth.services.ticket_events import EventRequest, TicketRequest, add_event, create_ticket, record_events
from troth.services.ticket_history import RecentHistories
from troth.services.tickets import NewEvent, NewTicket, TicketView
from troth.storage.database import Database
from troth.storage.models import Role, TargetStateRow, TicketEventRow, TicketRow
from troth.storage.repositories.tickets import SUMMARY_COLUMNS

OPENED = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in Chicago
NOW = OPENED + timedelta(hours=6)


def _script(start: datetime) -> list[NewEvent]:
    """A ticket's life after its creation: acknowledgement, note, status changes, answer, resolution."""
    minutes = iter(range(10, 1000, 17))
    at = [start + timedelta(minutes=next(minutes)) for _ in range(6)]
    return [
        NewEvent(kind=EventKind.REPLY, at=at[0], automated=True, body="got it"),
        NewEvent(kind=EventKind.REPLY, at=at[1], public=False, body="internal"),
        NewEvent(kind=EventKind.STATUS, at=at[2], status="solved"),
        NewEvent(kind=EventKind.REPLY, at=at[3], author=Author.CUSTOMER, body="logs"),
        NewEvent(kind=EventKind.STATUS, at=at[4], status="open"),
        NewEvent(kind=EventKind.RESOLVED, at=at[5]),
    ]


def _open(database: Database, admin: Actor, level: str, account: str = "acme") -> int:
    new = NewTicket(account_id=account, subject="phones down", level=level, at=OPENED)
    return create_ticket(database, admin, new, now=NOW).ticket.id


def _stored(database: Database, ticket_id: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], tuple[Any, ...]]:
    """A ticket's events, target states and summary, without the columns that name the ticket."""
    with database.reading() as session:
        events = session.execute(
            select(
                TicketEventRow.seq,
                TicketEventRow.type,
                TicketEventRow.at,
                TicketEventRow.author,
                TicketEventRow.public,
                TicketEventRow.automated,
                TicketEventRow.status,
            )
            .where(TicketEventRow.ticket_id == ticket_id)
            .order_by(TicketEventRow.seq)
        )
        states = session.execute(
            select(
                TargetStateRow.target,
                TargetStateRow.status,
                TargetStateRow.due_at,
                TargetStateRow.stopped_at,
                TargetStateRow.warn_50_at,
                TargetStateRow.elapsed_seconds,
                TargetStateRow.is_open,
            )
            .where(TargetStateRow.ticket_id == ticket_id)
            .order_by(TargetStateRow.target)
        )
        ticket = session.get_one(TicketRow, ticket_id)
        summary = tuple(getattr(ticket, name) for name in SUMMARY_COLUMNS)
        return [tuple(row) for row in events], [tuple(row) for row in states], summary


def test_a_batch_stores_exactly_what_the_same_events_one_by_one_store(database: Database, admin: Actor) -> None:
    one_by_one = [_open(database, admin, level) for level in ("1", "2", "3")]
    batched = [_open(database, admin, level) for level in ("1", "2", "3")]
    for ticket_id in one_by_one:
        for event in _script(OPENED):
            add_event(database, admin, ticket_id, event, now=NOW)
    # Interleaved as concurrent clients would send them: the tickets' events alternate in the batch.
    requests = [EventRequest(admin, t, event) for event in _script(OPENED) for t in batched]
    outcomes = record_events(database, requests, now=NOW)
    assert all(isinstance(outcome, TicketView) and outcome.created for outcome in outcomes)
    for alone, together in zip(one_by_one, batched, strict=True):
        assert _stored(database, alone) == _stored(database, together)
        events, _, summary = _stored(database, together)
        assert len(events) == 7
        stored = dict(zip(SUMMARY_COLUMNS, summary, strict=True))
        assert (stored["status"], stored["is_open"], stored["last_event_at"]) == ("resolved", False, NOW)


def test_a_refused_event_leaves_no_trace_and_the_rest_of_its_batch_is_stored(database: Database, admin: Actor) -> None:
    acme, globex = _open(database, admin, "2"), _open(database, admin, "2", account="globex")
    customer = Actor(user_id=admin.user_id, role=Role.CUSTOMER, account_id="acme")
    before = _stored(database, acme)
    requests = [
        EventRequest(admin, acme, NewEvent(kind=EventKind.LEVEL, level="9")),
        EventRequest(customer, globex, NewEvent(kind=EventKind.REPLY, body="not my ticket")),
        EventRequest(customer, acme, NewEvent(kind=EventKind.RESOLVED)),
        EventRequest(admin, 999_999, NewEvent(kind=EventKind.REPLY)),
        EventRequest(admin, acme, NewEvent(kind=EventKind.REPLY, body="on it")),
    ]
    outcomes = record_events(database, requests, now=NOW)
    assert [type(outcome) for outcome in outcomes] == [
        InvalidError,
        NotFoundError,
        ForbiddenError,
        NotFoundError,
        TicketView,
    ]
    events, *_ = _stored(database, acme)
    assert events[:-1] == before[0]
    assert [event[1] for event in events] == ["created", "reply"]
    assert len(_stored(database, globex)[0]) == 1


def test_each_answer_shows_the_ticket_as_its_own_event_left_it(database: Database, admin: Actor) -> None:
    ticket = _open(database, admin, "1")
    requests = [
        EventRequest(admin, ticket, NewEvent(kind=EventKind.REPLY, at=OPENED + timedelta(minutes=5))),
        EventRequest(admin, ticket, NewEvent(kind=EventKind.RESOLVED, at=OPENED + timedelta(minutes=9))),
    ]
    reply, resolution = record_events(database, requests, now=NOW)
    assert isinstance(reply, TicketView)
    assert isinstance(resolution, TicketView)
    assert (reply.ticket.is_open, reply.ticket.status) == (True, "open")
    assert (resolution.ticket.is_open, resolution.ticket.status) == (False, "resolved")
    assert {clock.target: clock.status for clock in reply.clocks}["first_response"] == "met"


def test_a_key_repeated_within_one_batch_stores_one_event(database: Database, admin: Actor) -> None:
    ticket = _open(database, admin, "2")
    reply = NewEvent(kind=EventKind.REPLY, body="on it", idempotency_key="retry-me")
    first, again = record_events(database, [EventRequest(admin, ticket, reply)] * 2, now=NOW)
    assert isinstance(first, TicketView)
    assert isinstance(again, TicketView)
    assert (first.created, again.created) == (True, False)
    assert len(_stored(database, ticket)[0]) == 2


def test_a_batch_opens_tickets_next_to_events_of_others_and_replays_a_repeated_key(
    database: Database, admin: Actor
) -> None:
    existing = _open(database, admin, "2")
    new = NewTicket(account_id="globex", subject="portal slow", level="3", at=OPENED, idempotency_key="import-7")
    requests = [
        TicketRequest(admin, new),
        EventRequest(admin, existing, NewEvent(kind=EventKind.REPLY, body="on it")),
        TicketRequest(admin, new),
        TicketRequest(admin, NewTicket(account_id="nowhere", subject="x")),
        TicketRequest(admin, NewTicket(account_id="acme", subject="x", level="9")),
    ]
    opened, replied, again, nowhere, bad_level = record_events(database, requests, now=NOW)
    assert isinstance(opened, TicketView)
    assert isinstance(again, TicketView)
    assert (opened.created, again.created) == (True, False)
    assert opened.ticket.id == again.ticket.id
    assert isinstance(replied, TicketView)
    assert isinstance(nowhere, NotFoundError)
    assert isinstance(bad_level, InvalidError)
    events, states, _ = _stored(database, opened.ticket.id)
    assert [event[1] for event in events] == ["created"]
    assert {state[0] for state in states} == {clock.target for clock in opened.clocks}
    retried = create_ticket(database, admin, new, now=NOW)
    assert (retried.ticket.id, retried.created) == (opened.ticket.id, False)


def test_remembered_histories_across_batches_store_what_reading_storage_stores(
    database: Database, admin: Actor
) -> None:
    read_each_time = [_open(database, admin, level) for level in ("1", "4")]
    remembered = [_open(database, admin, level) for level in ("1", "4")]
    recent = RecentHistories()
    for event in _script(OPENED):
        record_events(database, [EventRequest(admin, t, event) for t in read_each_time], now=NOW)
        record_events(database, [EventRequest(admin, t, event) for t in remembered], now=NOW, recent=recent)
    assert len(recent) == 2
    for alone, together in zip(read_each_time, remembered, strict=True):
        assert _stored(database, alone) == _stored(database, together)


def test_a_ticket_another_process_wrote_to_is_read_again(database: Database, admin: Actor) -> None:
    ticket = _open(database, admin, "2")
    recent = RecentHistories()
    first, second, third = _script(OPENED)[:3]
    record_events(database, [EventRequest(admin, ticket, first)], now=NOW, recent=recent)
    add_event(database, admin, ticket, second, now=NOW)  # as another server process: `recent` is not told
    (outcome,) = record_events(database, [EventRequest(admin, ticket, third)], now=NOW, recent=recent)
    assert isinstance(outcome, TicketView)
    events, *_ = _stored(database, ticket)
    assert [(seq, kind) for seq, kind, *_ in events] == [(1, "created"), (2, "reply"), (3, "reply"), (4, "status")]


def _first_response_seconds(outcome: object) -> int | None:
    assert isinstance(outcome, TicketView)
    return {clock.target: clock.target_seconds for clock in outcome.clocks}["first_response"]


def test_an_account_changed_between_events_judges_the_next_event_by_its_new_terms(
    database: Database, admin: Actor
) -> None:
    """Terms built for one batch are kept for the next ones under the account's stored values; a
    contract override given meanwhile must reach the very next event."""
    ticket = _open(database, admin, "1")
    note = NewEvent(kind=EventKind.REPLY, public=False, body="looking")
    (before,) = record_events(database, [EventRequest(admin, ticket, note)], now=NOW)
    override = {"levels.1.targets.first_response.duration": "1 business hours"}
    update_account(database, admin, "acme", AccountChanges(overrides=override, given=frozenset({"overrides"})))
    (after,) = record_events(database, [EventRequest(admin, ticket, note)], now=NOW)
    update_account(database, admin, "acme", AccountChanges(overrides={}, given=frozenset({"overrides"})))
    (again,) = record_events(database, [EventRequest(admin, ticket, note)], now=NOW)
    assert [_first_response_seconds(o) for o in (before, after, again)] == [4 * 3600, 3600, 4 * 3600]
