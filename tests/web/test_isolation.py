"""Isolation: Gus, a customer of Globex, calls every route of the app with Acme's ids.

The routes are read from the app's route table, so a new route is checked the day it is added:
a path parameter or request body this suite does not know how to fill fails the suite until it
is taught. For every route the answer must carry nothing of Acme's, and nothing Acme owns may change.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from troth.storage.base import Base
from troth.storage.database import Database
from troth.storage.models import TokenRow, UserRow
from troth.web.app import ROUTERS

if TYPE_CHECKING:
    from conftest import Personas

MARKERS = ("acme", "Carla", "ACME-SECRET", "balto")
"""Strings that appear only in Acme's data; none may appear in an answer to Gus."""

NOT_IDS = {"month"}
"""Parameters that name no object (a month exists for everyone), kept as they are for the unknown-id call."""

POLICY_TEXT = (Path(__file__).resolve().parents[2] / "policies" / "balto.yaml").read_text()

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

OWN_WRITES = {("POST", "/api/tokens")}
"""Routes where a customer legitimately writes, only ever their own data."""


def _bodies() -> dict[tuple[str, str], dict[str, Any]]:
    """A valid body for every route that takes one, naming Acme's objects wherever it can."""
    return {
        ("POST", "/api/accounts"): {"id": "acme-two", "name": "Acme Two"},
        ("PATCH", "/api/accounts/{account_id}"): {"trial": True},
        ("POST", "/api/users"): {"name": "Mallory", "role": "customer", "account_id": "acme"},
        ("POST", "/api/users/{user_id}/tokens"): {"name": "stolen"},
        ("POST", "/api/tokens"): {"name": "mine"},
        ("POST", "/api/tickets"): {"account_id": "acme", "subject": "sneaky", "level": "1"},
        ("POST", "/api/tickets/{ticket_id}/replies"): {"body": "hello"},
        ("POST", "/api/tickets/{ticket_id}/level"): {"level": "1"},
        ("POST", "/api/tickets/{ticket_id}/status"): {"status": "open"},
        ("POST", "/api/tickets/{ticket_id}/restore"): {},
        ("POST", "/api/tickets/{ticket_id}/resolve"): {},
        ("POST", "/api/components"): {"id": "acme-thing", "name": "Thing"},
        ("POST", "/api/outages"): {"component_id": "core", "title": "t", "accounts": ["acme"]},
        ("POST", "/api/outages/{outage_id}/updates"): {"message": "m"},
        ("POST", "/api/outages/{outage_id}/close"): {},
        ("POST", "/api/maintenance"): {
            "component_id": "core",
            "title": "t",
            "start_at": "2026-12-01T00:00:00Z",
            "end_at": "2026-12-01T01:00:00Z",
            "accounts": ["acme"],
        },
        ("POST", "/api/maintenance/{maintenance_id}/announcements"): {"message": "m"},
        ("POST", "/api/claims"): {"account_id": "acme", "month": "2026-04"},
        ("POST", "/api/policies"): {"text": POLICY_TEXT.replace("effective_from:", "effective_from: 2031-01-01\n#")},
    }


def _acme_world(world: Personas, database: Database) -> dict[str, Any]:
    """Acme's objects, by the path parameter names routes use for them."""
    ticket = world.aaron.post("/api/tickets", json={"account_id": "acme", "subject": "ACME-SECRET", "level": "2"})
    world.aaron.post("/api/components", json={"id": "core", "name": "Core"})
    secret = {"component_id": "core", "title": "ACME-SECRET", "accounts": ["acme"]}
    outage = world.aaron.post("/api/outages", json={**secret, "start_at": "2026-03-03T16:00:00Z"})
    window = {**secret, "start_at": "2026-12-01T00:00:00Z", "end_at": "2026-12-01T01:00:00Z"}
    maintenance = world.aaron.post("/api/maintenance", json=window)
    world.aaron.post(f"/api/maintenance/{maintenance.json()['id']}/announcements", json={"message": "ACME-SECRET"})
    claim = world.carla.post("/api/claims", json={"account_id": "acme", "month": "2026-03", "note": "ACME-SECRET"})
    assert world.ada.post("/api/accounts/acme/months/2026-02/close").status_code == 201
    with database.reading() as session:
        carla = session.scalars(select(UserRow).where(UserRow.name == "Carla")).one()
        token = session.scalars(select(TokenRow).where(TokenRow.user_id == carla.id)).one()
    return {
        "account_id": "acme",
        "user_id": carla.id,
        "token_id": token.id,
        "policy_key": "balto",
        "number": 1,
        "ticket_id": ticket.json()["id"],
        "component_id": "core",
        "outage_id": outage.json()["id"],
        "maintenance_id": maintenance.json()["id"],
        "claim_id": claim.json()["id"],
        "month": "2026-02",
    }


def _snapshot(database: Database, gus_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, except Gus's own tokens (he may make more of those)."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with database.reading() as session:
        for table in Base.metadata.sorted_tables:
            rows = [tuple(row) for row in session.execute(table.select())]
            if table.name == "tokens":
                rows = [r for r in rows if r[table.c.keys().index("user_id")] != gus_id]
            dump[table.name] = sorted(rows, key=repr)
    return dump


def _routes() -> list[tuple[str, APIRoute]]:
    routes = [route for router in ROUTERS for route in router.routes]
    return [(method, route) for route in routes if isinstance(route, APIRoute) for method in sorted(route.methods)]


def _request(route: APIRoute, method: str, ids: dict[str, Any]) -> dict[str, Any]:
    missing = [p.name for p in route.dependant.path_params if p.name not in ids]
    assert not missing, f"{method} {route.path}: teach the isolation suite an Acme value for {missing}"
    url = route.path.format(**{p.name: ids[p.name] for p in route.dependant.path_params})
    params = {p.name: ids[p.name] for p in route.dependant.query_params if p.name in ids}
    request: dict[str, Any] = {"method": method, "url": url, "params": params}
    if route.body_field is not None:
        bodies = _bodies()
        assert (method, route.path) in bodies, f"{method} {route.path}: teach the isolation suite a body"
        request["json"] = bodies[(method, route.path)]
    return request


def _assert_same_as_for_nothing(client: Any, route: APIRoute, method: str, ids: dict[str, Any], seen: str) -> None:
    """A 404 for Acme's object must read exactly like a 404 for an object that does not exist."""
    unknown = {
        name: value if name in NOT_IDS else (987_654_000 + i if isinstance(value, int) else f"nothing-{value}")
        for i, (name, value) in enumerate(ids.items())
    }
    answer = client.request(**_request(route, method, unknown))
    expected = answer.text
    for name, value in ids.items():
        expected = expected.replace(str(unknown[name]), str(value))
    assert (answer.status_code, expected) == (404, seen), f"{method} {route.path} tells Acme's ids from unknown ones"


def test_the_suite_covers_every_operation_the_api_publishes(people: Personas) -> None:
    published = {
        (method.upper(), path)
        for path, operations in people.gus.app.openapi()["paths"].items()  # type: ignore[attr-defined]
        for method in operations
    }
    assert published == {(method, route.path) for method, route in _routes()}


@pytest.mark.parametrize("persona", ["gus"])
def test_no_route_leaks_or_changes_another_accounts_data(world: Personas, database: Database, persona: str) -> None:
    client = getattr(world, persona)
    ids = _acme_world(world, database)
    gus_id = client.get("/api/me").json()["id"]
    for method, route in _routes():
        before = _snapshot(database, gus_id)
        answer = client.request(**_request(route, method, ids))
        where = f"{method} {route.path} -> {answer.status_code}"
        assert answer.status_code < 500, where
        if answer.status_code == 404:
            _assert_same_as_for_nothing(client, route, method, ids, answer.text)
        else:
            for marker in MARKERS:
                assert marker not in answer.text, f"{where} leaked {marker!r}: {answer.text[:200]}"
        if method in WRITE_METHODS and (method, route.path) not in OWN_WRITES:
            assert answer.status_code in (403, 404, 422), where
        assert _snapshot(database, gus_id) == before, f"{where} changed stored data"


def test_every_route_serves_its_rightful_caller(world: Personas, database: Database) -> None:
    """The same route table, called by the admin with Acme's ids: every route answers 2xx.

    Together with the suite above this is a test of every route, on whichever database runs it.
    """
    ids = {**_acme_world(world, database), "month": "2026-01"}  # February is closed already
    for method, route in _routes():
        answer = world.ada.request(**_request(route, method, ids))
        assert 200 <= answer.status_code < 300, f"{method} {route.path} -> {answer.status_code}: {answer.text[:300]}"


BAD_BODIES: dict[str, Any] = {
    "a list instead of an object": [],
    "an unknown field": {"no_such_field": 1},
    "wrong types": {"name": 1, "subject": [], "level": {}, "text": 3, "message": 4, "month": 5, "account_id": 6},
}


def test_bad_input_on_every_write_route_is_refused_and_stores_nothing(world: Personas, database: Database) -> None:
    """Wrong types, unknown fields, unknown ids and oversized bodies: a 4xx, and no row changes."""
    ids = _acme_world(world, database)
    unknown = {
        name: value if name in NOT_IDS else 987_654_321 if isinstance(value, int) else "nothing"
        for name, value in ids.items()
    }
    nobody = -1  # every row counts, tokens included
    for method, route in _routes():
        if method not in WRITE_METHODS:
            continue
        requests = []
        if route.body_field is not None:
            good = _request(route, method, ids)
            requests += [{**good, "json": body} for body in BAD_BODIES.values()]
            requests.append({**good, "json": None, "content": b"{" + b" " * 300_000 + b"}"})
        if route.dependant.path_params:
            requests.append(_request(route, method, unknown))
        for request in requests:
            before = _snapshot(database, nobody)
            answer = world.ada.request(**request)
            where = f"{method} {route.path} -> {answer.status_code}: {answer.text[:200]}"
            assert 400 <= answer.status_code < 500, where
            assert answer.json()["detail"], where
            assert _snapshot(database, nobody) == before, f"{where} changed stored data"
