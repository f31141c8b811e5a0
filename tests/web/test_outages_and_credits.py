"""Outages, maintenance, uptime and credits, month closes and claims over the API.

Acme is on Balto's SLA: 99.5 % monthly uptime counted in business minutes (Mon–Fri 07:00–18:00
US Central), credits of 10x the fee for the downtime beyond the commitment, applied automatically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from troth.storage.database import Database
from troth.storage.models import OutageRow

if TYPE_CHECKING:
    from conftest import Personas

TUESDAY_10_CST = "2026-03-03T16:00:00Z"
TUESDAY_13_CST = "2026-03-03T19:00:00Z"


def _component(world: Personas) -> None:
    answer = world.aaron.post("/api/components", json={"id": "core", "name": "Balto service"})
    assert answer.status_code == 201, answer.text


def _outage(world: Personas, **fields: Any) -> dict[str, Any]:
    body = {"component_id": "core", "title": "ACME-SECRET outage", "start_at": TUESDAY_10_CST, "accounts": ["acme"]}
    body.update(fields)
    answer = world.aaron.post("/api/outages", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_three_business_hours_down_count_as_180_minutes_of_downtime(world: Personas) -> None:
    """Balto: "Balto provides a 99.5% Uptime Commitment for the Service", downtime in business hours."""
    world.ada.patch("/api/accounts/acme", json={"monthly_fee": "4300.00"})
    _component(world)
    _outage(world, end_at=TUESDAY_13_CST)
    statement = world.carla.get("/api/accounts/acme/months/2026-03").json()
    assert statement["downtime_minutes"] == 180.0
    assert statement["uptime_percent"] < statement["commitment_percent"] == 99.5
    assert statement["status"] == "applied"
    assert float(statement["credit_amount"]) > 0
    assert statement["explanation"]
    assert world.gus.get("/api/accounts/globex/months/2026-03").status_code == 422  # WALT Labs has no credits


def test_an_outage_that_ends_before_it_starts_is_refused_and_not_stored(world: Personas, database: Database) -> None:
    _component(world)
    body = {"component_id": "core", "title": "x", "start_at": TUESDAY_13_CST, "end_at": TUESDAY_10_CST}
    answer = world.aaron.post("/api/outages", json=body)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "end_at"]
    unknown = world.aaron.post("/api/outages", json={"component_id": "core", "title": "x", "accounts": ["nobody"]})
    assert unknown.status_code == 422
    with database.reading() as session:
        assert session.scalar(select(func.count()).select_from(OutageRow)) == 0


def test_a_customer_sees_outages_for_all_and_their_own_never_anothers(world: Personas) -> None:
    _component(world)
    acme_only = _outage(world)
    everyone = _outage(world, title="platform", accounts="all")
    both = _outage(world, title="shared", accounts=["acme", "globex"])
    seen = {o["id"]: o for o in world.gus.get("/api/outages").json()}
    assert set(seen) == {everyone["id"], both["id"]}
    assert seen[both["id"]]["accounts"] == ["globex"]
    assert world.gus.get(f"/api/outages/{acme_only['id']}").status_code == 404


def test_an_outage_is_updated_then_closed_once(world: Personas) -> None:
    _component(world)
    outage = _outage(world)
    updated = world.aaron.post(
        f"/api/outages/{outage['id']}/updates", json={"message": "a vendor", "cause": "third_party"}
    )
    assert updated.json()["cause"] == "third_party"
    closed = world.aaron.post(f"/api/outages/{outage['id']}/close", json={"end_at": TUESDAY_13_CST})
    assert closed.json()["end_at"] == TUESDAY_13_CST
    assert world.aaron.post(f"/api/outages/{outage['id']}/close", json={}).status_code == 409


def test_maintenance_is_scheduled_and_announced(world: Personas) -> None:
    _component(world)
    body = {
        "component_id": "core",
        "title": "upgrade",
        "start_at": "2026-12-01T02:00:00Z",
        "end_at": "2026-12-01T03:00:00Z",
    }
    window = world.aaron.post("/api/maintenance", json=body).json()
    assert window["announced_at"] is None
    announced = world.aaron.post(f"/api/maintenance/{window['id']}/announcements", json={"message": "heads up"}).json()
    assert announced["announced_at"] is not None
    assert world.carla.get(f"/api/maintenance/{window['id']}").json()["announcements"][0]["message"] == "heads up"
    future = world.aaron.post(
        f"/api/maintenance/{window['id']}/announcements", json={"message": "x", "at": "2099-01-01T00:00:00Z"}
    )
    assert future.status_code == 422


def test_a_month_is_closed_once_and_then_never_changes(world: Personas) -> None:
    _component(world)
    _outage(world, end_at=TUESDAY_13_CST)
    closed = world.ada.post("/api/accounts/acme/months/2026-03/close")
    assert closed.status_code == 201, closed.text
    live = world.ada.get("/api/accounts/acme/months/2026-03").json()
    assert closed.json()["uptime_percent"] == live["uptime_percent"]
    _outage(world, title="late import", start_at="2026-03-04T16:00:00Z", end_at="2026-03-04T17:00:00Z")
    assert world.ada.post("/api/accounts/acme/months/2026-03/close").status_code == 409
    assert world.carla.get("/api/accounts/acme/months/2026-03/close").json() == closed.json()
    assert world.gus.get("/api/accounts/acme/months/2026-03/close").status_code == 404


def test_a_month_that_is_not_over_cannot_be_closed(world: Personas) -> None:
    assert world.ada.post("/api/accounts/acme/months/2099-01/close").status_code == 422
    assert world.ada.post("/api/accounts/acme/months/2026-13/close").status_code == 422
    assert world.carla.post("/api/accounts/acme/months/2026-03/close").status_code == 403


def test_a_customer_claims_a_months_credit_once(world: Personas) -> None:
    claim = world.carla.post("/api/claims", json={"account_id": "acme", "month": "2026-03"})
    assert claim.status_code == 201, claim.text
    assert world.carla.post("/api/claims", json={"account_id": "acme", "month": "2026-03"}).status_code == 409
    assert world.carla.post("/api/claims", json={"account_id": "globex", "month": "2026-03"}).status_code == 404
    assert world.gus.get("/api/claims").json() == []
    assert world.gus.get(f"/api/claims/{claim.json()['id']}").status_code == 404
