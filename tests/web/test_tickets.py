"""Tickets over the API: every answer carries each target's live state from the core.

Acme is on Balto's SLA: Mon–Fri 07:00–18:00 US Central, Severity 1 first response in 4 business hours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from troth.storage.database import Database
from troth.storage.models import TicketEventRow

if TYPE_CHECKING:
    from conftest import Personas

MONDAY_10_CST = "2026-03-02T10:00:00-06:00"


def _open(world: Personas, **fields: Any) -> dict[str, Any]:
    body = {"account_id": "acme", "subject": "ACME-SECRET dialer down", "level": "1", "at": MONDAY_10_CST}
    body.update(fields)
    answer = world.aaron.post("/api/tickets", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _target(ticket: dict[str, Any], key: str = "first_response") -> dict[str, Any]:
    return next(t for t in ticket["targets"] if t["target"] == key)


def _event_count(database: Database) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(TicketEventRow)) or 0


def test_a_severity_1_ticket_is_due_4_business_hours_after_creation(world: Personas) -> None:
    """Balto, Severity 1: Response Time "4 Business Hours"."""
    ticket = _open(world)
    assert _target(ticket)["due_at"] == "2026-03-02T20:00:00Z"
    assert _target(ticket)["target_seconds"] == 4 * 3600


def test_a_public_agent_reply_in_time_meets_first_response(world: Personas) -> None:
    ticket = _open(world)
    reply = {"public": True, "at": "2026-03-02T11:00:00-06:00", "body": "Looking at it"}
    answer = world.aaron.post(f"/api/tickets/{ticket['id']}/replies", json=reply).json()
    assert _target(answer)["status"] == "met"
    assert _target(answer)["stopped_at"] == "2026-03-02T17:00:00Z"


def test_an_internal_note_does_not_stop_first_response(world: Personas) -> None:
    ticket = _open(world)
    note = {"public": False, "at": "2026-03-02T11:00:00-06:00"}
    answer = world.aaron.post(f"/api/tickets/{ticket['id']}/replies", json=note).json()
    assert _target(answer)["stopped_at"] is None
    assert _target(answer)["status"] == "breached"  # the test runs long after the due time


def test_a_retried_request_with_the_same_key_records_one_event(world: Personas, database: Database) -> None:
    ticket = _open(world, idempotency_key="create-1")
    again = world.aaron.post(
        "/api/tickets",
        json={"account_id": "acme", "subject": "ACME-SECRET", "level": "1", "idempotency_key": "create-1"},
    )
    assert again.status_code == 200
    assert again.json()["id"] == ticket["id"]
    reply = {"idempotency_key": "r-1", "at": "2026-03-02T11:00:00-06:00"}
    first = world.aaron.post(f"/api/tickets/{ticket['id']}/replies", json=reply)
    second = world.aaron.post(f"/api/tickets/{ticket['id']}/replies", json=reply)
    assert (first.status_code, second.status_code) == (201, 200)
    assert _event_count(database) == 2


def test_a_level_the_accounts_policy_lacks_is_refused_and_nothing_is_stored(
    world: Personas, database: Database
) -> None:
    answer = world.aaron.post("/api/tickets", json={"account_id": "acme", "subject": "x", "level": "P1"})
    assert answer.status_code == 422
    assert "no level 'P1'" in answer.json()["detail"][0]["msg"]
    ticket = _open(world)
    change = world.aaron.post(f"/api/tickets/{ticket['id']}/level", json={"level": "7"})
    assert change.status_code == 422
    assert _event_count(database) == 1


def test_an_event_before_the_ticket_was_created_is_refused(world: Personas, database: Database) -> None:
    ticket = _open(world)
    early = world.aaron.post(f"/api/tickets/{ticket['id']}/resolve", json={"at": "2026-03-01T00:00:00Z"})
    assert early.status_code == 422
    assert early.json()["detail"][0]["loc"] == ["body", "at"]
    assert _event_count(database) == 1


def test_an_unknown_status_is_refused(world: Personas) -> None:
    ticket = _open(world)
    answer = world.aaron.post(f"/api/tickets/{ticket['id']}/status", json={"status": "on_holiday"})
    assert answer.status_code == 422


def test_a_customer_files_a_ticket_for_their_own_account_only(world: Personas) -> None:
    mine = world.carla.post("/api/tickets", json={"account_id": "acme", "subject": "help", "level": "2"})
    assert mine.status_code == 201, mine.text
    theirs = world.carla.post("/api/tickets", json={"account_id": "globex", "subject": "help"})
    assert theirs.status_code == 404
    backdated = world.carla.post("/api/tickets", json={"account_id": "acme", "subject": "x", "at": MONDAY_10_CST})
    assert backdated.status_code == 403


def test_a_customers_reply_never_stops_first_response(world: Personas) -> None:
    ticket = world.carla.post("/api/tickets", json={"account_id": "acme", "subject": "help", "level": "3"}).json()
    answer = world.carla.post(f"/api/tickets/{ticket['id']}/replies", json={"body": "any news?"}).json()
    assert _target(answer)["stopped_at"] is None
    assert world.carla.post(f"/api/tickets/{ticket['id']}/resolve", json={}).status_code == 403


def test_a_customer_never_sees_internal_notes(world: Personas) -> None:
    ticket = _open(world)
    world.aaron.post(f"/api/tickets/{ticket['id']}/replies", json={"public": False, "body": "customer is grumpy"})
    seen = world.carla.get(f"/api/tickets/{ticket['id']}").json()
    assert "grumpy" not in str(seen)
    assert "grumpy" in str(world.aaron.get(f"/api/tickets/{ticket['id']}").json())


def test_resolving_closes_the_ticket(world: Personas) -> None:
    ticket = _open(world)
    answer = world.aaron.post(f"/api/tickets/{ticket['id']}/resolve", json={"at": "2026-03-02T12:00:00-06:00"})
    resolved = answer.json()
    assert resolved["is_open"] is False
    assert resolved["resolved_at"] == "2026-03-02T18:00:00Z"


def test_the_queue_orders_by_level_then_age(world: Personas) -> None:
    low_old = _open(world, level="4", at="2026-03-02T08:00:00-06:00")
    urgent_new = _open(world, level="1", at="2026-03-03T08:00:00-06:00")
    urgent_old = _open(world, level="1", at="2026-03-02T09:00:00-06:00")
    queue = world.aaron.get("/api/queue").json()
    assert [t["id"] for t in queue] == [urgent_old["id"], urgent_new["id"], low_old["id"]]
    first = queue[0]["targets"][0]
    assert first["due_at"] == "2026-03-02T19:00:00Z"
    assert first["seconds_left"] < 0
    assert first["status"] == "breached"


def test_the_queue_filters_tickets_about_to_breach(world: Personas) -> None:
    overdue = _open(world)
    fresh = world.aaron.post("/api/tickets", json={"account_id": "acme", "subject": "new", "level": "4"}).json()
    soon = [t["id"] for t in world.aaron.get("/api/queue", params={"about_to_breach": True}).json()]
    assert overdue["id"] in soon
    assert fresh["id"] not in soon


def test_a_customer_sees_only_their_accounts_queue_and_tickets(world: Personas) -> None:
    _open(world)
    assert world.gus.get("/api/queue").json() == []
    assert world.gus.get("/api/tickets").json() == []
    assert len(world.carla.get("/api/tickets").json()) == 1


def test_metrics_count_open_tickets_by_status_and_breached_targets(world: Personas) -> None:
    _open(world)
    ticket = _open(world)
    world.aaron.post(f"/api/tickets/{ticket['id']}/resolve", json={})
    text = world.aaron.get("/metrics").text
    assert 'troth_open_tickets{status="open"} 1.0' in text
    assert "resolved" not in text
    assert "troth_breached_targets 2.0" in text  # one overdue and open, one resolved without a response


def test_text_with_a_nul_character_is_refused_naming_the_field_and_nothing_is_stored(
    world: Personas, database: Database
) -> None:
    """PostgreSQL cannot store NUL in text; the answer is a 422 on every database, never a 500."""
    ticket = _open(world)
    answer = world.aaron.post(f"/api/tickets/{ticket['id']}/replies", json={"body": "half\u0000way"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "body"]
    assert "NUL" in answer.json()["detail"][0]["msg"]
    assert _event_count(database) == 1
    user = world.ada.post("/api/users", json={"name": "\u0000", "role": "admin"})
    assert user.status_code == 422


def test_a_query_value_the_database_cannot_compare_is_never_a_server_error(world: Personas) -> None:
    """SQLite compares it (no account matches); PostgreSQL refuses it, which is the request's fault: a 422."""
    answer = world.aaron.get("/api/tickets", params={"account_id": "ac\u0000me"})
    if answer.status_code == 200:
        assert answer.json() == []
    else:
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["query"]
