"""Accounts (customers): zone, plan, fee, currency, region, standing, contract overrides, and their SLA."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from troth.storage.base import Base


class AccountRow(Base):
    """One customer. `policy_key` names the SLA the account is on; `plan` selects its plan clauses.

    `overrides` are contract terms replacing the policy's, as dotted policy paths to values.
    """

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    policy_key: Mapped[str | None] = mapped_column(ForeignKey("policies.key"), index=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    plan: Mapped[str | None] = mapped_column(String(64))
    monthly_fee: Mapped[Decimal | None]
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    region: Mapped[str | None] = mapped_column(String(32))
    trial: Mapped[bool] = mapped_column(default=False)
    unpaid_since: Mapped[datetime | None]
    overrides: Mapped[dict[str, str]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
