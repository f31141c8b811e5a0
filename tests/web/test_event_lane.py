"""The event lane answers ticket writes exactly as FastAPI's own routes do, refusals included.

Two apps share one database: one with the lane (the default), one without. Each request is sent
to both, each on a ticket of its own opened alike, and the answers must be the same but for the
ticket's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from troth.services import ticket_events
from troth.settings import load_settings
from troth.storage.database import Database
from troth.web import event_lane
from troth.web.api import tickets
from troth.web.app import create_app

OPENED = "2026-03-02T10:00:00-06:00"
LATER = "2026-03-02T11:00:00-06:00"
NOW = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)


@dataclass
class Ways:
    """A client per way in (`lane`, `long`) for each persona's token."""

    lane: dict[str, TestClient]
    long: dict[str, TestClient]


def _clients(app: object, secrets: dict[str, str]) -> dict[str, TestClient]:
    clients = {name: TestClient(app, headers={"Authorization": f"Bearer {secret}"}) for name, secret in secrets.items()}  # type: ignore[arg-type]
    clients["anonymous"] = TestClient(app)  # type: ignore[arg-type]
    return clients


Seeders = tuple[Callable[[Database], dict[str, str]], object]


def _app(database: Database, **environment: str) -> FastAPI:
    url = database.engine.url.render_as_string(hide_password=False)
    return create_app(load_settings(environment, database_url=url), database)


@pytest.fixture
def ways(
    database: Database, seeders: Seeders, on_policies: Callable[[TestClient], None], monkeypatch: pytest.MonkeyPatch
) -> Ways:
    # Both ways record at one fixed "now": a breached clock's elapsed time grows by the second in
    # business hours, and the two answers must not differ because a second passed between them.
    monkeypatch.setattr(ticket_events, "utc_now", lambda: NOW)
    secrets = seeders[0](database)
    both = Ways(lane=_clients(_app(database), secrets), long=_clients(_app(database, TROTH_EVENT_LANE="0"), secrets))
    on_policies(both.long["ada"])
    return both


def _open(client: TestClient, account: str = "acme") -> int:
    """A ticket for Acme (Balto's SLA, Severity 1) or Globex (WALT Labs', its default level)."""
    body = {"account_id": account, "subject": "dialer down", "at": OPENED} | (
        {"level": "1"} if account == "acme" else {}
    )
    answer = client.post("/api/tickets", json=body)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def _without_ids(answer: Any, ticket_ids: set[int]) -> Any:
    """`answer` with the tickets' ids (which differ between the two ways) replaced by ID."""
    if isinstance(answer, dict):
        return {key: "ID" if key == "id" else _without_ids(value, ticket_ids) for key, value in answer.items()}
    if isinstance(answer, list):
        return [_without_ids(item, ticket_ids) for item in answer]
    if isinstance(answer, str):
        for ticket_id in ticket_ids:
            answer = answer.replace(f"'{ticket_id}'", "'ID'")
    return answer


@dataclass(frozen=True)
class Case:
    name: str
    persona: str
    path: str  # "{ticket}" is the ticket of the persona's own account (or Globex's: "{globex}")
    json: Any = None
    content: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


CASES = [
    Case("reply", "aaron", "{ticket}/replies", {"at": LATER, "body": "on it"}),
    Case("internal note", "aaron", "{ticket}/replies", {"at": LATER, "public": False}),
    Case("automated reply", "ada", "{ticket}/replies", {"at": LATER, "automated": True}),
    Case("level change", "aaron", "{ticket}/level", {"at": LATER, "level": "2"}),
    Case("status", "aaron", "{ticket}/status", {"at": LATER, "status": "open"}),
    Case("restore", "aaron", "{ticket}/restore", {"at": LATER}),
    Case("resolve", "aaron", "{ticket}/resolve", {"at": LATER, "idempotency_key": "k-1"}),
    Case("new ticket", "ada", "", {"account_id": "acme", "subject": "s", "level": "2", "at": LATER}),
    Case("customer's new ticket elsewhere", "carla", "", {"account_id": "globex", "subject": "s"}),
    Case("customer on another account's ticket", "carla", "{globex}/replies", {"body": "hello"}),
    Case("customer setting the time", "carla", "{ticket}/replies", {"at": LATER}),
    Case("level the policy lacks", "aaron", "{ticket}/level", {"level": "9"}),
    Case("unknown ticket", "aaron", "999999/replies", {"at": LATER}),
    Case("unknown status", "aaron", "{ticket}/status", {"status": "dozing"}),
    Case("no token", "anonymous", "{ticket}/replies", {"at": LATER}),
    Case("unknown token", "anonymous", "{ticket}/replies", {}, headers=(("Authorization", "Bearer troth_nope"),)),
    Case("not a bearer token", "anonymous", "{ticket}/replies", {}, headers=(("Authorization", "Basic eDp5"),)),
    Case("unknown field", "aaron", "{ticket}/replies", {"at": LATER, "bodyy": "typo"}),
    Case("wrong type", "aaron", "{ticket}/replies", {"public": "perhaps"}),
    Case("naive instant", "aaron", "{ticket}/replies", {"at": "2026-03-02T11:00:00"}),
    Case("NUL in text", "aaron", "{ticket}/replies", {"body": "a\u0000b"}),
    Case("missing field", "aaron", "{ticket}/level", {"at": LATER}),
    Case(
        "not JSON", "aaron", "{ticket}/replies", content=b"{not json", headers=(("Content-Type", "application/json"),)
    ),
    Case("empty body", "aaron", "{ticket}/replies", content=b"", headers=(("Content-Type", "application/json"),)),
    Case("a JSON list", "aaron", "{ticket}/replies", [1, 2]),
    Case("text body", "aaron", "{ticket}/replies", content=b'{"body": "x"}', headers=(("Content-Type", "text/plain"),)),
    Case("no content type", "aaron", "{ticket}/replies", content=b'{"at": "2026-03-02T17:00:00Z"}'),
    Case("ticket id zero", "aaron", "0/replies", {"at": LATER}),
    Case("ticket id too large", "aaron", "2147483648/replies", {"at": LATER}),
    Case("ticket id not a number", "aaron", "abc/replies", {"at": LATER}),
    Case("ticket id with a sign", "aaron", "+{ticket}/replies", {"at": LATER}),
]


def _send(clients: dict[str, TestClient], case: Case, ticket: int, globex: int) -> tuple[int, Any]:
    path = "/api/tickets" + ("/" + case.path.format(ticket=ticket, globex=globex) if case.path else "")
    client = clients[case.persona]
    if case.json is not None:
        answer = client.post(path, json=case.json, headers=dict(case.headers))
    else:
        answer = client.post(path, content=case.content, headers=dict(case.headers))
    return answer.status_code, answer.json()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_lane_answers_as_the_api_routes_do(ways: Ways, case: Case) -> None:
    answers = []
    ticket_ids: set[int] = set()
    for clients in (ways.lane, ways.long):
        ticket, globex = _open(clients["ada"]), _open(clients["ada"], "globex")
        status, body = _send(clients, case, ticket, globex)
        ticket_ids |= {ticket, globex} | ({body["id"]} if status in (200, 201) else set())
        answers.append((status, body))
    (lane_status, lane_body), (long_status, long_body) = answers
    assert lane_status == long_status
    assert _without_ids(lane_body, ticket_ids) == _without_ids(long_body, ticket_ids)


def test_a_retried_write_is_replayed_the_same_way_by_both(ways: Ways) -> None:
    reply = {"at": LATER, "body": "on it", "idempotency_key": "retry-me"}
    ticket = _open(ways.lane["ada"])
    first = ways.lane["aaron"].post(f"/api/tickets/{ticket}/replies", json=reply)
    by_lane = ways.lane["aaron"].post(f"/api/tickets/{ticket}/replies", json=reply)
    the_long_way = ways.long["aaron"].post(f"/api/tickets/{ticket}/replies", json=reply)
    assert (first.status_code, by_lane.status_code, the_long_way.status_code) == (201, 200, 200)
    assert by_lane.json() == the_long_way.json() == first.json()


def test_valid_writes_do_not_reach_the_routes_functions(ways: Ways, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lane really serves them: with the routes' way of recording broken, they still succeed."""

    async def broken(*_: object) -> None:
        raise AssertionError("the long way was taken")

    monkeypatch.setattr(tickets, "_write", broken)
    ticket = _open(ways.lane["ada"])
    for path, body in (("replies", {"at": LATER}), ("level", {"level": "2"}), ("resolve", {})):
        assert ways.lane["aaron"].post(f"/api/tickets/{ticket}/{path}", json=body).status_code == 201


def test_requests_it_serves_are_counted_under_their_route(ways: Ways) -> None:
    ticket = _open(ways.lane["ada"])
    ways.lane["aaron"].post(f"/api/tickets/{ticket}/replies", json={"at": LATER})
    metrics = ways.lane["ada"].get("/metrics").text
    assert 'route="/api/tickets/{ticket_id}/replies",status="201"' in metrics
    assert 'method="POST",route="/api/tickets",status="201"' in metrics


def test_a_client_being_rate_limited_is_refused_by_the_api(
    database: Database, seeders: Seeders, on_policies: Callable[[TestClient], None]
) -> None:
    clients = _clients(_app(database, TROTH_AUTH_FAILURES_PER_MINUTE="1"), seeders[0](database))
    on_policies(clients["ada"])
    ticket = _open(clients["ada"])
    guess = {"Authorization": "Bearer troth_guess"}
    assert clients["anonymous"].post(f"/api/tickets/{ticket}/replies", json={}, headers=guess).status_code == 401
    answer = clients["aaron"].post(f"/api/tickets/{ticket}/replies", json={"at": LATER})
    assert answer.status_code == 429  # the same client address, even with a good token now


def test_a_write_route_missing_from_the_router_is_an_error_at_start() -> None:
    with pytest.raises(LookupError, match="replies"):
        event_lane.write_routes(
            [], {"/api/tickets/{ticket_id}/replies": tickets.WRITES["/api/tickets/{ticket_id}/replies"]}
        )
