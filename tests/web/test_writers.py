"""Ticket writes batched, and recorded in this process or in a writer process: the same answers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from troth.core.clocks import EventKind
from troth.services.actors import Actor
from troth.services.ticket_events import EventRequest, WriteRequest, create_ticket
from troth.services.tickets import NewEvent, NewTicket
from troth.services.tokens import issue_token
from troth.settings import load_settings
from troth.storage.database import Database
from troth.storage.models import TicketEventRow, UserRow
from troth.web.app import create_app
from troth.web.errors import WriterUnavailableError
from troth.web.event_batches import EventBatcher
from troth.web.writers import Answer, InProcessWriter, WriterProcess

OPENED = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
# Replies carry their own instant: stamped on arrival, two replies a second apart would stop the clock apart.
REPLIED = datetime(2026, 3, 9, 16, 0, tzinfo=UTC)


def _tickets(database: Database, admin: Actor, count: int) -> list[int]:
    new = NewTicket(account_id="acme", subject="dialer down", level="2", at=OPENED)
    return [create_ticket(database, admin, new).ticket.id for _ in range(count)]


def _events(database: Database, ticket_id: int) -> int:
    with database.reading() as session:
        query = select(func.count()).select_from(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id)
        return session.scalar(query) or 0


def _reply(admin: Actor, ticket_id: int, text: str) -> EventRequest:
    return EventRequest(admin, ticket_id, NewEvent(kind=EventKind.REPLY, body=text, at=REPLIED))


def _bad_level(admin: Actor, ticket_id: int) -> EventRequest:
    return EventRequest(admin, ticket_id, NewEvent(kind=EventKind.LEVEL, level="9"))


def test_the_batcher_answers_concurrent_callers_each_with_their_own_answer(database: Database, admin: Actor) -> None:
    tickets = _tickets(database, admin, 4)
    batcher = EventBatcher(InProcessWriter(database).record, max_batch=5)

    async def send_all() -> list[Answer]:
        calls = [batcher.record(_reply(admin, ticket, f"#{n}")) for n in range(3) for ticket in tickets]
        calls.append(batcher.record(_bad_level(admin, tickets[0])))
        return await asyncio.gather(*calls)

    answers = asyncio.run(send_all())
    assert [answer.status for answer in answers] == [201] * 12 + [422]
    assert "no level '9'" in json.loads(answers[-1].body)["detail"][0]["msg"]
    assert [_events(database, ticket) for ticket in tickets] == [4, 4, 4, 4]


@pytest.mark.parametrize("size", [1, 2, 128])
def test_the_batcher_stores_everything_whatever_its_batch_size(database: Database, admin: Actor, size: int) -> None:
    (ticket,) = _tickets(database, admin, 1)
    batcher = EventBatcher(InProcessWriter(database).record, max_batch=size)

    async def send_all() -> list[Answer]:
        return await asyncio.gather(*(batcher.record(_reply(admin, ticket, str(n))) for n in range(9)))

    answers = asyncio.run(send_all())
    assert [json.loads(answer.body)["id"] for answer in answers] == [ticket] * 9
    assert _events(database, ticket) == 10


def _url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def test_a_writer_process_answers_as_this_process_would(database: Database, admin: Actor) -> None:
    here_ticket, there_ticket = _tickets(database, admin, 2)
    writer = WriterProcess(_url(database))
    try:
        requests: list[WriteRequest] = [_reply(admin, there_ticket, "on it"), _bad_level(admin, there_ticket)]
        there = writer(requests)
    finally:
        writer.close()
    here = InProcessWriter(database)([_reply(admin, here_ticket, "on it"), _bad_level(admin, here_ticket)])
    assert [answer.status for answer in there] == [answer.status for answer in here] == [201, 422]
    assert there[1].body == here[1].body
    shown_there, shown_here = json.loads(there[0].body), json.loads(here[0].body)
    assert shown_there["targets"] == shown_here["targets"]
    assert (shown_there["id"], shown_here["id"]) == (there_ticket, here_ticket)
    assert _events(database, there_ticket) == 2


def test_a_writer_process_that_died_between_batches_is_started_again(database: Database, admin: Actor) -> None:
    (ticket,) = _tickets(database, admin, 1)
    writer = WriterProcess(_url(database))
    try:
        writer.start()
        first = writer._process
        assert first is not None
        first.kill()
        first.join()
        assert [answer.status for answer in writer([_reply(admin, ticket, "again")])] == [201]
        assert writer._process is not first
    finally:
        writer.close()
    assert _events(database, ticket) == 2


async def _unavailable(requests: Sequence[WriteRequest]) -> list[Answer]:
    raise WriterUnavailableError("the writer process stopped before it answered")


def test_a_batch_the_writer_could_not_answer_is_a_503_asking_for_a_retry(database: Database, admin: Actor) -> None:
    (ticket,) = _tickets(database, admin, 1)
    with database.writing() as session:
        secret = issue_token(session, session.get_one(UserRow, admin.user_id), "test").secret
    app = create_app(load_settings({}, database_url=_url(database)), database)
    with TestClient(app, headers={"Authorization": f"Bearer {secret}"}) as client:
        app.state.event_batcher = EventBatcher(_unavailable)
        answer = client.post(f"/api/tickets/{ticket}/replies", json={"body": "hello", "idempotency_key": "k1"})
    assert answer.status_code == 503
    assert "retry" in answer.json()["detail"]


def test_a_writer_process_takes_the_next_batch_while_on_the_last_and_answers_in_order(
    database: Database, admin: Actor
) -> None:
    first_ticket, second_ticket = _tickets(database, admin, 2)
    writer = WriterProcess(_url(database))
    try:
        first = writer.submit([_reply(admin, first_ticket, "one"), _reply(admin, first_ticket, "two")])
        second = writer.submit([_bad_level(admin, second_ticket), _reply(admin, second_ticket, "three")])
        answered = first.result(timeout=60), second.result(timeout=60)
    finally:
        writer.close()
    assert [[answer.status for answer in batch] for batch in answered] == [[201, 201], [422, 201]]
    assert [json.loads(batch[-1].body)["id"] for batch in answered] == [first_ticket, second_ticket]
    assert (_events(database, first_ticket), _events(database, second_ticket)) == (3, 2)


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_batches_in_flight_at_once_store_every_event_once(database: Database, admin: Actor, depth: int) -> None:
    tickets = _tickets(database, admin, 3)
    batcher = EventBatcher(InProcessWriter(database).record, max_batch=4, depth=depth)

    async def send_all() -> list[Answer]:
        return await asyncio.gather(*(batcher.record(_reply(admin, t, f"{n}")) for n in range(5) for t in tickets))

    answers = asyncio.run(send_all())
    assert {answer.status for answer in answers} == {201}
    assert [_events(database, ticket) for ticket in tickets] == [6, 6, 6]


def test_a_writer_process_answers_an_event_loop_and_is_started_again_from_it(database: Database, admin: Actor) -> None:
    (ticket,) = _tickets(database, admin, 1)
    writer = WriterProcess(_url(database))
    try:
        assert not writer.running
        first = asyncio.run(writer.record([_reply(admin, ticket, "one")]))
        process = writer._process
        assert process is not None
        process.kill()
        process.join()
        assert not writer.running
        again = asyncio.run(writer.record([_reply(admin, ticket, "two")]))
        assert writer.running
    finally:
        writer.close()
    assert [answer.status for answer in first + again] == [201, 201]
    assert _events(database, ticket) == 3
