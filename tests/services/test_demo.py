"""The demo loads the five seed policies with accounts, tickets and outages, all consistent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from troth.services.demo import SEEDS, load_demo
from troth.services.integrity import derived_state_problems
from troth.services.tokens import authenticate
from troth.storage.database import Database
from troth.storage.models import AccountRow, PolicyRow, Role, TargetStateRow, TicketRow
from troth.storage.schema import integrity_problems

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_loads_every_seed_policy_with_accounts_and_tickets(database: Database) -> None:
    report = load_demo(database, ROOT / "policies", ROOT / "examples")
    with database.reading() as session:
        assert set(session.scalars(select(PolicyRow.key))) == set(SEEDS)
        on_policy = session.scalars(select(AccountRow.policy_key)).all()
        assert set(on_policy) == set(SEEDS)
        assert session.scalar(select(func.count()).select_from(TicketRow)) == report.tickets > 0
    roles = {name: authenticate(database, secret) for name, secret in report.tokens.items()}
    assert {name: actor.role for name, actor in roles.items() if actor} == {
        "admin": Role.ADMIN,
        "agent": Role.AGENT,
        "customer": Role.CUSTOMER,
    }
    assert derived_state_problems(database) == []
    assert integrity_problems(database.engine) == []


def test_the_consistency_check_notices_a_tampered_state(database: Database) -> None:
    load_demo(database, ROOT / "policies", ROOT / "examples")
    with database.writing() as session:
        state = session.scalars(select(TargetStateRow).where(TargetStateRow.due_at.is_not(None)).limit(1)).one()
        victim = state.ticket_id
        assert state.due_at is not None
        moved = state.due_at + timedelta(hours=1)
        query = update(TargetStateRow).where(TargetStateRow.ticket_id == victim, TargetStateRow.target == state.target)
        session.execute(query.values(due_at=moved))
    assert any(f"ticket {victim}:" in p for p in derived_state_problems(database))
