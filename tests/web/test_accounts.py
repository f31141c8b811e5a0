"""Accounts, users and tokens over the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Personas


def test_an_admin_creates_an_account_and_reads_it_back(people: Personas) -> None:
    body = {"id": "initech", "name": "Initech", "monthly_fee": "1000.00", "timezone": "Europe/Prague"}
    created = people.ada.post("/api/accounts", json=body)
    assert created.status_code == 201, created.text
    read = people.ada.get("/api/accounts/initech").json()
    assert read["monthly_fee"] == "1000.00"
    assert read["timezone"] == "Europe/Prague"
    assert read["currency"] == "USD"


def test_an_unknown_time_zone_is_refused_with_the_field_named(people: Personas) -> None:
    answer = people.ada.post("/api/accounts", json={"id": "x", "name": "X", "timezone": "Mars/Olympus"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "timezone"]
    assert people.ada.get("/api/accounts/x").status_code == 404


def test_a_naive_instant_is_refused(people: Personas) -> None:
    answer = people.ada.patch("/api/accounts/acme", json={"unpaid_since": "2026-03-01T00:00:00"})
    assert answer.status_code == 422


def test_a_customer_sees_only_their_own_account(people: Personas) -> None:
    listed = people.carla.get("/api/accounts").json()
    assert [a["id"] for a in listed] == ["acme"]
    assert people.carla.get("/api/accounts/globex").status_code == 404


def test_a_customer_cannot_change_their_account(people: Personas) -> None:
    assert people.carla.patch("/api/accounts/acme", json={"trial": True}).status_code == 403


def test_a_token_is_shown_once_and_works_until_revoked(people: Personas) -> None:
    issued = people.carla.post("/api/tokens", json={"name": "laptop"}).json()
    secret = issued["token"]
    listed = people.carla.get("/api/tokens").json()
    assert all("token" not in row for row in listed)
    people.anonymous.headers["Authorization"] = f"Bearer {secret}"
    assert people.anonymous.get("/api/me").json()["name"] == "Carla"
    assert people.carla.post(f"/api/tokens/{issued['id']}/revoke").status_code == 200
    assert people.anonymous.get("/api/me").status_code == 401


def test_a_customer_user_must_name_an_existing_account(people: Personas) -> None:
    answer = people.ada.post("/api/users", json={"name": "Zed", "role": "customer", "account_id": "nope"})
    assert answer.status_code == 422
    assert "nope" in answer.json()["detail"][0]["msg"]


def test_requests_without_a_valid_token_are_refused(people: Personas) -> None:
    assert people.anonymous.get("/api/accounts").status_code == 401
    people.anonymous.headers["Authorization"] = "Bearer troth_not-a-real-token"
    assert people.anonymous.get("/api/accounts").status_code == 401


def test_failed_authentication_is_rate_limited(people: Personas) -> None:
    people.anonymous.headers["Authorization"] = "Bearer troth_guess"
    answers = [people.anonymous.get("/api/me").status_code for _ in range(25)]
    assert answers[0] == 401
    assert answers[-1] == 429


def test_an_oversized_body_is_refused_and_nothing_is_stored(people: Personas) -> None:
    answer = people.ada.post("/api/accounts", json={"id": "big", "name": "x" * 300_000})
    assert answer.status_code == 413
    assert people.ada.get("/api/accounts/big").status_code == 404


def test_the_health_endpoint_answers_without_a_token(people: Personas) -> None:
    assert people.anonymous.get("/health").json()["status"] == "ok"


def test_metrics_count_requests_by_route(people: Personas) -> None:
    people.ada.get("/api/accounts/acme")
    text = people.aaron.get("/metrics").text
    assert 'route="/api/accounts/{account_id}"' in text
    assert people.carla.get("/metrics").status_code == 403


def test_a_field_every_account_has_cannot_be_cleared(people: Personas) -> None:
    for field in ("trial", "overrides", "currency", "name"):
        answer = people.ada.patch("/api/accounts/acme", json={field: None})
        assert answer.status_code == 422, field
        assert answer.json()["detail"][0]["loc"] == ["body", field]


def test_a_plan_the_accounts_policy_lacks_is_refused(world: Personas) -> None:
    answer = world.ada.patch("/api/accounts/acme", json={"plan": "platinum"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "plan"]
    assert "platinum" in answer.json()["detail"][0]["msg"]
    assert world.ada.get("/api/accounts/acme").json()["plan"] is None


def test_an_unknown_contract_override_is_refused(world: Personas) -> None:
    answer = world.ada.patch("/api/accounts/acme", json={"overrides": {"levels.9.targets.x.duration": "1h"}})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "overrides"]
