"""Outages and maintenance windows: what affects an account, and over which span."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from troth.storage.models import (
    AnnouncementRow,
    MaintenanceAccountRow,
    MaintenanceRow,
    OutageAccountRow,
    OutageRow,
    OutageUpdateRow,
)


def outage_accounts(session: Session, outage_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in outage_ids}
    query = select(OutageAccountRow).where(OutageAccountRow.outage_id.in_(outage_ids))
    for row in session.scalars(query.order_by(OutageAccountRow.account_id)):
        found[row.outage_id].append(row.account_id)
    return found


def maintenance_accounts(session: Session, window_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in window_ids}
    query = select(MaintenanceAccountRow).where(MaintenanceAccountRow.maintenance_id.in_(window_ids))
    for row in session.scalars(query.order_by(MaintenanceAccountRow.account_id)):
        found[row.maintenance_id].append(row.account_id)
    return found


def outages(
    session: Session, *, account_id: str | None, start_before: datetime | None = None, end_after: datetime | None = None
) -> list[OutageRow]:
    """Outages (of one account, when given: those for all accounts and those naming it) that
    overlap `[end_after, start_before)` when those bounds are given."""
    query = select(OutageRow).order_by(OutageRow.start_at, OutageRow.id)
    if account_id is not None:
        named = select(OutageAccountRow.outage_id).where(OutageAccountRow.account_id == account_id)
        query = query.where(or_(OutageRow.all_accounts, OutageRow.id.in_(named)))
    if start_before is not None:
        query = query.where(OutageRow.start_at < start_before)
    if end_after is not None:
        query = query.where(or_(OutageRow.end_at.is_(None), OutageRow.end_at > end_after))
    return list(session.scalars(query))


def maintenance(
    session: Session, *, account_id: str | None, start_before: datetime | None = None, end_after: datetime | None = None
) -> list[MaintenanceRow]:
    query = select(MaintenanceRow).order_by(MaintenanceRow.start_at, MaintenanceRow.id)
    if account_id is not None:
        named = select(MaintenanceAccountRow.maintenance_id).where(MaintenanceAccountRow.account_id == account_id)
        query = query.where(or_(MaintenanceRow.all_accounts, MaintenanceRow.id.in_(named)))
    if start_before is not None:
        query = query.where(MaintenanceRow.start_at < start_before)
    if end_after is not None:
        query = query.where(MaintenanceRow.end_at > end_after)
    return list(session.scalars(query))


def updates_of(session: Session, outage_id: int) -> list[OutageUpdateRow]:
    query = select(OutageUpdateRow).where(OutageUpdateRow.outage_id == outage_id)
    return list(session.scalars(query.order_by(OutageUpdateRow.at, OutageUpdateRow.id)))


def announcements_of(session: Session, window_ids: Sequence[int]) -> dict[int, list[AnnouncementRow]]:
    found: dict[int, list[AnnouncementRow]] = {i: [] for i in window_ids}
    query = select(AnnouncementRow).where(AnnouncementRow.maintenance_id.in_(window_ids))
    for row in session.scalars(query.order_by(AnnouncementRow.at, AnnouncementRow.id)):
        found[row.maintenance_id].append(row)
    return found
