"""An app on a migrated database (SQLite, or TROTH_TEST_DATABASE_URL), and named personas with tokens.

Personas: Ada the admin, Aaron the agent, Carla a customer user of Acme, Gus a customer user of Globex.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from troth.services.clock import utc_now
from troth.services.tokens import issue_token
from troth.services.users import bootstrap_admin
from troth.settings import load_settings
from troth.storage.database import Database
from troth.storage.models import AccountRow, Role, UserRow
from troth.web.app import create_app


@dataclass
class Personas:
    """A client per persona, each sending its own token."""

    ada: TestClient
    aaron: TestClient
    carla: TestClient
    gus: TestClient
    anonymous: TestClient


def _client(app: object, secret: str | None) -> TestClient:
    client = TestClient(app)  # type: ignore[arg-type]
    if secret:
        client.headers["Authorization"] = f"Bearer {secret}"
    return client


def seed_people(database: Database) -> dict[str, str]:
    with database.writing() as session:
        admin = bootstrap_admin(session, "Ada")
        now = utc_now()
        for account_id in ("acme", "globex"):
            session.add(AccountRow(id=account_id, name=account_id.title(), trial=False, overrides={}, created_at=now))
        session.flush()
        secrets = {"ada": admin.secret}
        people = (("aaron", Role.AGENT, None), ("carla", Role.CUSTOMER, "acme"), ("gus", Role.CUSTOMER, "globex"))
        for name, role, account in people:
            user = UserRow(name=name.title(), role=role, account_id=account, created_at=now)
            session.add(user)
            session.flush()
            secrets[name] = issue_token(session, user, "test").secret
        return secrets


@pytest.fixture
def people(database: Database) -> Iterator[Personas]:
    settings = load_settings({}, database_url=database.engine.url.render_as_string(hide_password=False))
    app = create_app(settings, database)
    secrets = seed_people(database)
    return Personas(
        ada=_client(app, secrets["ada"]),
        aaron=_client(app, secrets["aaron"]),
        carla=_client(app, secrets["carla"]),
        gus=_client(app, secrets["gus"]),
        anonymous=_client(app, None),
    )


POLICIES = Path(__file__).resolve().parents[2] / "policies"


def policy_text(name: str) -> str:
    return (POLICIES / f"{name}.yaml").read_text()


def put_on_policies(ada: TestClient) -> None:
    """Acme on Balto's SLA and Globex on WALT Labs'."""
    for name, account in (("balto", "acme"), ("walt-labs", "globex")):
        answer = ada.post("/api/policies", json={"text": policy_text(name)})
        assert answer.status_code == 201, answer.text
        assert ada.patch(f"/api/accounts/{account}", json={"policy_key": name}).status_code == 200


def seed_world(app: object, secrets: dict[str, str]) -> None:
    """Policies, and one of each thing the API serves, for a fuzzer to find."""
    ada = _client(app, secrets["ada"])
    put_on_policies(ada)
    ticket = ada.post("/api/tickets", json={"account_id": "acme", "subject": "s", "level": "1"}).json()
    ada.post(f"/api/tickets/{ticket['id']}/replies", json={"body": "hi"})
    ada.post("/api/components", json={"id": "core", "name": "Core"})
    ada.post("/api/outages", json={"component_id": "core", "title": "t", "start_at": "2026-03-03T16:00:00Z"})
    window = {
        "component_id": "core",
        "title": "m",
        "start_at": "2026-12-01T00:00:00Z",
        "end_at": "2026-12-01T01:00:00Z",
    }
    ada.post("/api/maintenance", json=window)
    ada.post("/api/claims", json={"account_id": "acme", "month": "2026-03"})


@pytest.fixture(scope="session")
def seeders() -> tuple[Callable[[Database], dict[str, str]], Callable[[object, dict[str, str]], None]]:
    """`seed_people` and `seed_world`, for module-scoped fixtures (importing conftest is fragile)."""
    return seed_people, seed_world


@pytest.fixture(scope="session")
def on_policies() -> Callable[[TestClient], None]:
    """`put_on_policies`, for tests that build apps of their own."""
    return put_on_policies


@pytest.fixture
def world(people: Personas) -> Personas:
    """The personas, with Acme on Balto's SLA and Globex on WALT Labs'."""
    put_on_policies(people.ada)
    return people
