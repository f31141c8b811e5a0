"""Components, outages with their updates, and maintenance windows with their announcements.

An outage or window affects every account (`all_accounts`) or only those listed in its account table.
Intervals are half-open `[start_at, end_at)`; an outage with no `end_at` is still going on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from troth.storage.base import Base


class ComponentRow(Base):
    __tablename__ = "components"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class OutageRow(Base):
    """`kind` is `down` or `degraded`; `cause` is matched against the policy's exclusions."""

    __tablename__ = "outages"

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[str] = mapped_column(ForeignKey("components.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    cause: Mapped[str] = mapped_column(String(64))
    start_at: Mapped[datetime] = mapped_column(index=True)
    end_at: Mapped[datetime | None]
    all_accounts: Mapped[bool]
    created_at: Mapped[datetime]


class OutageAccountRow(Base):
    __tablename__ = "outage_accounts"

    outage_id: Mapped[int] = mapped_column(ForeignKey("outages.id"), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True, index=True)


class OutageUpdateRow(Base):
    """A note posted while an outage is open (what is known, what is being done)."""

    __tablename__ = "outage_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    outage_id: Mapped[int] = mapped_column(ForeignKey("outages.id"), index=True)
    at: Mapped[datetime]
    message: Mapped[str] = mapped_column(Text)


class MaintenanceRow(Base):
    """A one-off maintenance window; it is excluded from downtime when announced early enough."""

    __tablename__ = "maintenance_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[str] = mapped_column(ForeignKey("components.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    start_at: Mapped[datetime] = mapped_column(index=True)
    end_at: Mapped[datetime]
    all_accounts: Mapped[bool]
    created_at: Mapped[datetime]


class MaintenanceAccountRow(Base):
    __tablename__ = "maintenance_accounts"

    maintenance_id: Mapped[int] = mapped_column(ForeignKey("maintenance_windows.id"), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True, index=True)


class AnnouncementRow(Base):
    """A notice of a maintenance window; the earliest one is when the window was announced."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    maintenance_id: Mapped[int] = mapped_column(ForeignKey("maintenance_windows.id"), index=True)
    at: Mapped[datetime]
    message: Mapped[str] = mapped_column(Text)
