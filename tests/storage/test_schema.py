"""The migrations build exactly the schema the models describe, and the database keeps its promises."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from troth.storage import migrate
from troth.storage.base import Base
from troth.storage.database import Database
from troth.storage.models import AccountRow, MonthCloseRow, PolicyRow, PolicyVersionRow
from troth.storage.schema import integrity_problems

NOW = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def test_the_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_database_is_at_the_latest_migration(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision(engine)


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on_and_a_large_page_cache(database: Database) -> None:
    if not database.is_sqlite:
        pytest.skip("SQLite pragmas")
    with database.reading() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert session.execute(text("PRAGMA cache_size")).scalar() == -32 * 1024  # KiB, not SQLite's 2 MB


def test_it_refuses_a_row_that_points_at_nothing(database: Database) -> None:
    with pytest.raises(DBAPIError), database.writing() as session:
        session.add(AccountRow(id="acme", name="Acme", policy_key="no-such-policy", created_at=NOW))


def _close_march(database: Database) -> None:
    with database.writing() as session:
        session.add(PolicyRow(key="balto", name="Balto", created_at=NOW))
        session.add(AccountRow(id="acme", name="Acme", created_at=NOW))
        session.flush()
        version = PolicyVersionRow(
            policy_key="balto",
            number=1,
            version="1",
            effective_from=NOW.date(),
            digest="0" * 64,
            text="id: balto",
            uploaded_at=NOW,
        )
        session.add(version)
        session.flush()
        session.add(
            MonthCloseRow(
                account_id="acme",
                month="2026-03",
                policy_version_id=version.id,
                commitment_percent=Decimal("99.5"),
                measured_minutes=Decimal(44640),
                downtime_minutes=Decimal(0),
                excluded_minutes=Decimal(0),
                uptime_percent=Decimal(100),
                credit_percent=Decimal(0),
                credit_amount=Decimal("0.00"),
                currency="USD",
                status="none",
                explanation=["no downtime"],
                closed_at=NOW,
            )
        )


@pytest.mark.parametrize(
    "statement",
    ["UPDATE month_closes SET credit_amount = '100.00'", "DELETE FROM month_closes"],
)
def test_the_database_refuses_to_change_a_closed_month(database: Database, statement: str) -> None:
    _close_march(database)
    with pytest.raises(DBAPIError, match="immutable"), database.writing() as session:
        session.execute(text(statement))


def test_a_fresh_database_passes_its_integrity_check(database: Database) -> None:
    _close_march(database)
    assert integrity_problems(database.engine) == []
