"""The ticket answer written straight to JSON is exactly the documented `TicketOut` body."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from troth.core.clocks import Author, EventKind
from troth.services.accounts import AccountChanges, create_account
from troth.services.actors import Actor
from troth.services.policies import upload_policy
from troth.services.ticket_events import add_event, create_ticket
from troth.services.tickets import NewEvent, NewTicket, TicketView, get_ticket
from troth.services.users import bootstrap_admin
from troth.storage.database import Database
from troth.storage.models import Role
from troth.web.api.ticket_json import ticket_json
from troth.web.api.tickets import TicketOut

POLICIES = Path(__file__).resolve().parents[2] / "policies"
OPENED = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)


def _views(database: Database) -> list[TicketView]:
    """Answers of every shape: new, paused (no due time), resolved, replayed with its events."""
    with database.writing() as session:
        admin = Actor(user_id=bootstrap_admin(session, "Ada").token.user_id, role=Role.ADMIN)
    upload_policy(database, admin, (POLICIES / "walt-labs.yaml").read_text())
    given = {"name": "Acme", "policy_key": "walt-labs", "timezone": "Europe/Prague"}
    create_account(database, admin, "acme", AccountChanges(**given, given=frozenset(given)))  # type: ignore[arg-type]
    now = OPENED + timedelta(hours=3)
    new = NewTicket(account_id="acme", subject='Ünïcode "quotes"', at=OPENED, channel="email")
    opened = create_ticket(database, admin, new, now=now)
    ticket = opened.ticket.id
    steps = [
        NewEvent(kind=EventKind.REPLY, at=OPENED + timedelta(minutes=5), body="on it", idempotency_key="r1"),
        NewEvent(kind=EventKind.STATUS, at=OPENED + timedelta(minutes=9), status="waiting_on_customer"),
        NewEvent(kind=EventKind.REPLY, at=OPENED + timedelta(minutes=20), author=Author.CUSTOMER),
        NewEvent(kind=EventKind.RESTORED, at=OPENED + timedelta(minutes=30)),
        NewEvent(kind=EventKind.RESOLVED, at=OPENED + timedelta(minutes=40)),
    ]
    views = [opened] + [add_event(database, admin, ticket, step, now=now) for step in steps]
    views.append(add_event(database, admin, ticket, steps[0], now=now))  # replayed: carries the events
    views.append(get_ticket(database, admin, ticket, now=now))
    return views


def test_the_json_answer_validates_as_ticket_out_and_survives_a_round_trip(database: Database) -> None:
    views = _views(database)
    assert any(clock.due_at is None for view in views for clock in view.clocks)
    assert any(clock.warnings for view in views for clock in view.clocks)
    assert views[-2].events
    for view in views:
        written = ticket_json(view)
        documented = TicketOut.model_validate_json(written)
        assert json.loads(documented.model_dump_json()) == json.loads(written)
