"""Components, outages (open, update, close) and maintenance windows (schedule, announce).

An outage or window affects every account, or the accounts it names. A customer sees only those
that affect their account, and never the names of the other accounts an outage affects.
Intervals are half-open `[start_at, end_at)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from troth.core.uptime.records import Cause, OutageKind
from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.errors import ConflictError, InvalidError, NotFoundError
from troth.storage.database import Database
from troth.storage.models import (
    AccountRow,
    AnnouncementRow,
    ComponentRow,
    MaintenanceAccountRow,
    MaintenanceRow,
    OutageAccountRow,
    OutageRow,
    OutageUpdateRow,
)
from troth.storage.repositories import outages as repo

OUTAGE_KINDS = (OutageKind.DOWN, OutageKind.DEGRADED)


@dataclass(frozen=True, slots=True)
class OutageView:
    """An outage; `accounts` is None when it affects every account (as far as the caller may know)."""

    outage: OutageRow
    accounts: list[str] | None
    updates: list[OutageUpdateRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MaintenanceView:
    window: MaintenanceRow
    accounts: list[str] | None
    announcements: list[AnnouncementRow] = field(default_factory=list)

    @property
    def announced_at(self) -> datetime | None:
        return self.announcements[0].at if self.announcements else None


def _shown(actor: Actor, *, all_accounts: bool, named: list[str]) -> list[str] | None:
    if all_accounts:
        return None
    return named if actor.is_provider else [a for a in named if a == actor.account_id]


def _may_see(actor: Actor, *, all_accounts: bool, named: list[str]) -> bool:
    """Providers see every record; a customer only those for all accounts or naming theirs."""
    return actor.is_provider or all_accounts or actor.account_id in named


def _check_accounts(session: Session, accounts: Sequence[str] | None) -> None:
    if accounts is None:
        return
    if not accounts:
        raise InvalidError.one('name at least one account, or "all"', "accounts")
    known = set(session.scalars(select(AccountRow.id).where(AccountRow.id.in_(accounts))))
    unknown = sorted(set(accounts) - known)
    if unknown:
        raise InvalidError.one(f"no account '{unknown[0]}'", "accounts")


def _check_component(session: Session, component_id: str) -> None:
    if session.get(ComponentRow, component_id) is None:
        raise InvalidError.one(f"no component '{component_id}'; create it first", "component_id")


def _check_span(start_at: datetime, end_at: datetime | None, end_field: str = "end_at") -> None:
    if end_at is not None and end_at <= start_at:
        raise InvalidError.one(
            f"ends at {end_at.isoformat()}, not after it starts at {start_at.isoformat()}", end_field
        )


# Components ---------------------------------------------------------------------------------


def create_component(database: Database, actor: Actor, component_id: str, name: str, description: str) -> ComponentRow:
    actor.require_provider()
    with database.writing() as session:
        if session.get(ComponentRow, component_id) is not None:
            raise ConflictError(f"component '{component_id}' already exists")
        row = ComponentRow(id=component_id, name=name, description=description, created_at=utc_now())
        session.add(row)
        return row


def list_components(database: Database) -> list[ComponentRow]:
    with database.reading() as session:
        return list(session.scalars(select(ComponentRow).order_by(ComponentRow.id)))


def get_component(database: Database, component_id: str) -> ComponentRow:
    with database.reading() as session:
        row = session.get(ComponentRow, component_id)
    if row is None:
        raise NotFoundError("component", component_id)
    return row


# Outages ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NewOutage:
    component_id: str
    title: str
    kind: OutageKind = OutageKind.DOWN
    cause: Cause = Cause.INTERNAL
    start_at: datetime | None = None
    end_at: datetime | None = None
    accounts: list[str] | None = None


def _add_naming(
    session: Session,
    row: OutageRow | MaintenanceRow,
    accounts: list[str] | None,
    link: Callable[[int, str], OutageAccountRow | MaintenanceAccountRow],
) -> list[str] | None:
    """Store a new outage or window and the accounts it names (None: all of them); the names, sorted."""
    session.add(row)
    session.flush()
    if accounts is None:
        return None
    named = sorted(set(accounts))
    session.add_all([link(row.id, account_id) for account_id in named])
    return named


def open_outage(database: Database, actor: Actor, new: NewOutage) -> OutageView:
    """Record an outage (still going on when it has no end)."""
    actor.require_provider()
    if new.kind not in OUTAGE_KINDS:
        raise InvalidError.one("an outage is 'down' or 'degraded'; schedule maintenance instead", "kind")
    start_at = new.start_at or utc_now()
    _check_span(start_at, new.end_at)
    with database.writing() as session:
        _check_component(session, new.component_id)
        _check_accounts(session, new.accounts)
        row = OutageRow(
            component_id=new.component_id,
            title=new.title,
            kind=new.kind,
            cause=new.cause,
            start_at=start_at,
            end_at=new.end_at,
            all_accounts=new.accounts is None,
            created_at=utc_now(),
        )
        named = _add_naming(
            session, row, new.accounts, lambda key, account: OutageAccountRow(outage_id=key, account_id=account)
        )
        return OutageView(row, named)


def _visible_outage(session: Session, actor: Actor, outage_id: int) -> OutageView:
    row = session.get(OutageRow, outage_id)
    if row is None:
        raise NotFoundError("outage", outage_id)
    named = repo.outage_accounts(session, [row.id])[row.id]
    if not _may_see(actor, all_accounts=row.all_accounts, named=named):
        raise NotFoundError("outage", outage_id)
    return OutageView(row, _shown(actor, all_accounts=row.all_accounts, named=named), repo.updates_of(session, row.id))


def get_outage(database: Database, actor: Actor, outage_id: int) -> OutageView:
    with database.reading() as session:
        return _visible_outage(session, actor, outage_id)


def list_outages(database: Database, actor: Actor, account_id: str | None) -> list[OutageView]:
    scope = actor.scope(account_id)
    with database.reading() as session:
        rows = repo.outages(session, account_id=scope)
        named = repo.outage_accounts(session, [r.id for r in rows])
    return [OutageView(r, _shown(actor, all_accounts=r.all_accounts, named=named[r.id])) for r in rows]


def update_outage(
    database: Database,
    actor: Actor,
    outage_id: int,
    *,
    message: str,
    kind: OutageKind | None = None,
    cause: Cause | None = None,
) -> OutageView:
    """Post what is known; optionally correct the outage's kind or cause as understanding improves."""
    actor.require_provider()
    if kind is not None and kind not in OUTAGE_KINDS:
        raise InvalidError.one("an outage is 'down' or 'degraded'", "kind")
    with database.writing() as session:
        view = _visible_outage(session, actor, outage_id)
        view.outage.kind = kind or view.outage.kind
        view.outage.cause = cause or view.outage.cause
        session.add(OutageUpdateRow(outage_id=outage_id, at=utc_now(), message=message))
        session.flush()
        return _visible_outage(session, actor, outage_id)


def close_outage(database: Database, actor: Actor, outage_id: int, end_at: datetime | None) -> OutageView:
    """End an outage (now, or at the instant given); closing twice is refused."""
    actor.require_provider()
    with database.writing() as session:
        view = _visible_outage(session, actor, outage_id)
        if view.outage.end_at is not None:
            raise ConflictError(f"outage {outage_id} already ended at {view.outage.end_at.isoformat()}")
        end = end_at or utc_now()
        _check_span(view.outage.start_at, end)
        view.outage.end_at = end
        return view


# Maintenance --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NewMaintenance:
    component_id: str
    title: str
    start_at: datetime
    end_at: datetime
    accounts: list[str] | None = None


def schedule_maintenance(database: Database, actor: Actor, new: NewMaintenance) -> MaintenanceView:
    actor.require_provider()
    _check_span(new.start_at, new.end_at)
    with database.writing() as session:
        _check_component(session, new.component_id)
        _check_accounts(session, new.accounts)
        row = MaintenanceRow(
            component_id=new.component_id,
            title=new.title,
            start_at=new.start_at,
            end_at=new.end_at,
            all_accounts=new.accounts is None,
            created_at=utc_now(),
        )
        named = _add_naming(
            session,
            row,
            new.accounts,
            lambda key, account: MaintenanceAccountRow(maintenance_id=key, account_id=account),
        )
        return MaintenanceView(row, named)


def _visible_window(session: Session, actor: Actor, window_id: int) -> MaintenanceView:
    row = session.get(MaintenanceRow, window_id)
    if row is None:
        raise NotFoundError("maintenance window", window_id)
    named = repo.maintenance_accounts(session, [row.id])[row.id]
    if not _may_see(actor, all_accounts=row.all_accounts, named=named):
        raise NotFoundError("maintenance window", window_id)
    announcements = repo.announcements_of(session, [row.id])[row.id]
    return MaintenanceView(row, _shown(actor, all_accounts=row.all_accounts, named=named), announcements)


def get_maintenance(database: Database, actor: Actor, window_id: int) -> MaintenanceView:
    with database.reading() as session:
        return _visible_window(session, actor, window_id)


def list_maintenance(database: Database, actor: Actor, account_id: str | None) -> list[MaintenanceView]:
    scope = actor.scope(account_id)
    with database.reading() as session:
        rows = repo.maintenance(session, account_id=scope)
        ids = [r.id for r in rows]
        named = repo.maintenance_accounts(session, ids)
        announced = repo.announcements_of(session, ids)
    return [
        MaintenanceView(r, _shown(actor, all_accounts=r.all_accounts, named=named[r.id]), announced[r.id]) for r in rows
    ]


def announce_maintenance(
    database: Database, actor: Actor, window_id: int, message: str, at: datetime | None
) -> MaintenanceView:
    """Announce a window; the earliest announcement is when it counts as announced for notice rules."""
    actor.require_provider()
    now = utc_now()
    when = at or now
    if when > now:
        raise InvalidError.one("an announcement cannot be dated in the future", "at")
    with database.writing() as session:
        _visible_window(session, actor, window_id)
        session.add(AnnouncementRow(maintenance_id=window_id, at=when, message=message))
        session.flush()
        return _visible_window(session, actor, window_id)
