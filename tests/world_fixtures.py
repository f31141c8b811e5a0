"""An admin with an account on Balto's SLA: what most service tests start from."""

from __future__ import annotations

from pathlib import Path

import pytest

from troth.services.accounts import AccountChanges, create_account
from troth.services.actors import Actor
from troth.services.policies import upload_policy
from troth.services.users import bootstrap_admin
from troth.storage.database import Database
from troth.storage.models import Role

BALTO = Path(__file__).resolve().parents[1] / "policies" / "balto.yaml"


@pytest.fixture
def admin(database: Database) -> Actor:
    """An admin, Balto's policy, and accounts 'acme' and 'globex' on it."""
    with database.writing() as session:
        user_id = bootstrap_admin(session, "Ada").token.user_id
    admin = Actor(user_id=user_id, role=Role.ADMIN)
    upload_policy(database, admin, BALTO.read_text())
    for key, name in (("acme", "Acme"), ("globex", "Globex")):
        given = {"name": name, "policy_key": "balto", "timezone": "America/Chicago"}
        create_account(database, admin, key, AccountChanges(**given, given=frozenset(given)))  # type: ignore[arg-type]
    return admin
