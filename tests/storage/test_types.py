"""Instants and money survive a round trip through either database unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import StatementError

from troth.storage.database import Database
from troth.storage.models import AccountRow
from troth.storage.types import NaiveDatetimeError, UtcDateTime

CHICAGO_WINTER = timezone(timedelta(hours=-6))


def _account(**fields: object) -> AccountRow:
    defaults: dict[str, object] = {"id": "acme", "name": "Acme", "created_at": datetime(2026, 3, 1, tzinfo=UTC)}
    defaults.update(fields)
    return AccountRow(**defaults)


def test_it_returns_an_offset_instant_as_the_same_instant_in_utc(database: Database) -> None:
    unpaid = datetime(2026, 3, 6, 16, 30, tzinfo=CHICAGO_WINTER)
    with database.writing() as session:
        session.add(_account(unpaid_since=unpaid))
    with database.reading() as session:
        stored = session.scalars(select(AccountRow.unpaid_since)).one()
    assert stored == unpaid
    assert stored is not None
    assert stored.utcoffset() == timedelta(0)
    assert stored.hour == 22


def test_it_refuses_a_naive_datetime(database: Database) -> None:
    naive = _account(created_at=datetime(2026, 3, 1))
    with database.writing() as session:
        session.add(naive)
        with pytest.raises(StatementError) as caught:
            session.flush()
        session.rollback()
    assert isinstance(caught.value.orig, NaiveDatetimeError)


def test_it_keeps_money_exact(database: Database) -> None:
    with database.writing() as session:
        session.add(_account(monthly_fee=Decimal("1234.10")))
    with database.reading() as session:
        fee = session.scalars(select(AccountRow.monthly_fee)).one()
    assert fee == Decimal("1234.10")
    assert str(fee) == "1234.10"


def test_it_rolls_back_a_write_that_fails(database: Database) -> None:
    def write_then_fail() -> None:
        with database.writing() as session:
            session.add(_account())
            session.flush()
            raise RuntimeError("something went wrong after the insert")

    with pytest.raises(RuntimeError):
        write_then_fail()
    with database.reading() as session:
        assert session.scalars(select(AccountRow)).all() == []


@given(
    moment=st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC) | st.timezones()
    ),
)
def test_on_sqlite_an_instant_is_stored_as_the_very_text_sqlalchemy_would_store(moment: datetime) -> None:
    """The one-step SQLite bind gives SQLAlchemy's own DATETIME text for the UTC instant, any zone."""
    dialect = sqlite.dialect()
    assume(moment.utcoffset() is not None)
    generic = UtcDateTime().process_bind_param(moment, dialect)
    sqlalchemy_text = sqlite.DATETIME().bind_processor(dialect)(generic)  # type: ignore[misc]
    fast = UtcDateTime().bind_processor(dialect)
    assert fast is not None
    assert fast(moment) == sqlalchemy_text


def test_on_sqlite_the_one_step_bind_still_refuses_a_naive_datetime() -> None:
    bind = UtcDateTime().bind_processor(sqlite.dialect())
    assert bind is not None
    assert bind(None) is None
    with pytest.raises(NaiveDatetimeError):
        bind(datetime(2026, 3, 1))
