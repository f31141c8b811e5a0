"""Remembered tokens: a busy client is not a query per request, and revocation still takes effect."""

from __future__ import annotations

from troth.services.actors import Actor
from troth.services.tokens import RecentActors, authenticate, revoke_token
from troth.services.users import bootstrap_admin
from troth.storage.database import Database
from troth.storage.models import Role


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _admin_token(database: Database) -> tuple[Actor, int, str]:
    with database.writing() as session:
        issued = bootstrap_admin(session, "Ada")
    return Actor(user_id=issued.token.user_id, role=Role.ADMIN), issued.token.id, issued.secret


def test_a_token_revoked_elsewhere_stops_working_once_its_memory_expires(database: Database) -> None:
    admin, token_id, secret = _admin_token(database)
    clock = FakeClock()
    recent = RecentActors(seconds=1.0, clock=clock)
    assert authenticate(database, secret, recent) == admin
    revoke_token(database, admin, token_id)  # as another server process would: this cache is not told
    clock.now += 0.5
    assert authenticate(database, secret, recent) == admin
    clock.now += 0.5
    assert authenticate(database, secret, recent) is None


def test_forgetting_makes_a_revocation_take_effect_at_once(database: Database) -> None:
    admin, token_id, secret = _admin_token(database)
    recent = RecentActors(seconds=60.0, clock=FakeClock())
    assert authenticate(database, secret, recent) == admin
    revoke_token(database, admin, token_id)
    recent.forget_all()
    assert authenticate(database, secret, recent) is None


def test_zero_seconds_asks_the_database_every_time(database: Database) -> None:
    admin, token_id, secret = _admin_token(database)
    recent = RecentActors(seconds=0.0, clock=FakeClock())
    assert authenticate(database, secret, recent) == admin
    revoke_token(database, admin, token_id)
    assert authenticate(database, secret, recent) is None


def test_an_unknown_token_is_never_remembered(database: Database) -> None:
    _admin_token(database)
    recent = RecentActors(seconds=60.0, clock=FakeClock())
    assert authenticate(database, "troth_not-a-real-token", recent) is None
    assert len(recent) == 0
