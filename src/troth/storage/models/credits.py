"""Credit claims and month closes: the immutable record of an account's uptime and credit for a month."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from troth.storage.base import Base


class ClaimRow(Base):
    """A customer's request for the credit of a month (`YYYY-MM`), where the policy wants one."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("account_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    submitted_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(String(2000), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class MonthCloseRow(Base):
    """What the core computed for one account and month when the month was closed, never changed after.

    Percentages and money are exact decimals; `explanation` holds the core's lines, which account for
    every excluded minute and every step of the credit arithmetic. The database itself refuses
    updates and deletes of these rows (triggers created by the initial migration).
    """

    __tablename__ = "month_closes"
    __table_args__ = (UniqueConstraint("account_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    commitment_percent: Mapped[Decimal | None]
    measured_minutes: Mapped[Decimal]
    downtime_minutes: Mapped[Decimal]
    excluded_minutes: Mapped[Decimal]
    uptime_percent: Mapped[Decimal]
    credit_percent: Mapped[Decimal]
    credit_amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    explanation: Mapped[list[str]]
    closed_at: Mapped[datetime]
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
