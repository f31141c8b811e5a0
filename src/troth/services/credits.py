"""Uptime and credits per account and month (from the core), month closes, and credit claims.

The statement is the core's (`troth.core.credits.month`); this module only gathers its inputs
from storage and, at month close, records its verdict for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from troth.core.credits.claims import Claim
from troth.core.credits.month import AccountTerms, month_statements
from troth.core.credits.statement import CreditStatement
from troth.core.errors import PolicyError
from troth.core.uptime.periods import Month
from troth.core.uptime.records import Cause, Outage, OutageKind
from troth.services.accounts import core_account
from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.errors import ConflictError, InvalidError, NotFoundError
from troth.services.policies import effective_for, version_in_force
from troth.storage.database import Database
from troth.storage.models import AccountRow, ClaimRow, MaintenanceRow, MonthCloseRow, OutageRow
from troth.storage.repositories import outages as repo

LATEST_ZONE = "Etc/GMT+12"
"""The last zone on Earth to finish a day: a month is over everywhere once it is over here."""


def parse_month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as error:
        raise InvalidError.one(str(error), "month") from None


@dataclass(frozen=True, slots=True)
class Statement:
    """The core's statement for one account and month, and the policy version it applied."""

    statement: CreditStatement
    policy_version_id: int
    currency: str


def _outage(row: OutageRow, named: list[str]) -> Outage:
    return Outage(
        id=f"O-{row.id}",
        kind=OutageKind(row.kind),
        start_at=row.start_at,
        end_at=row.end_at,
        component=row.component_id,
        accounts=None if row.all_accounts else frozenset(named),
        cause=Cause(row.cause),
    )


def _window(row: MaintenanceRow, named: list[str], announced_at: datetime | None) -> Outage:
    return Outage(
        id=f"M-{row.id}",
        kind=OutageKind.MAINTENANCE,
        start_at=row.start_at,
        end_at=row.end_at,
        component=row.component_id,
        accounts=None if row.all_accounts else frozenset(named),
        announced_at=announced_at,
    )


def _utc_day(day: date, offset_days: int) -> datetime:
    """UTC midnight `offset_days` from `day`: a margin wide enough for any zone's month boundary."""
    return datetime.combine(day + timedelta(days=offset_days), time(0), tzinfo=UTC)


def _records(session: Session, account_id: str, month: Month) -> list[Outage]:
    """Every outage and window touching the account near the month (the core clips to the month)."""
    span_lo = _utc_day(month.first_day, -2)
    span_hi = _utc_day(month.next().first_day, 2)
    outages = repo.outages(session, account_id=account_id, start_before=span_hi, end_after=span_lo)
    named = repo.outage_accounts(session, [o.id for o in outages])
    windows = repo.maintenance(session, account_id=account_id, start_before=span_hi, end_after=span_lo)
    window_named = repo.maintenance_accounts(session, [w.id for w in windows])
    announced = repo.announcements_of(session, [w.id for w in windows])
    records = [_outage(o, named[o.id]) for o in outages]
    for w in windows:
        first = announced[w.id][0].at if announced[w.id] else None
        records.append(_window(w, window_named[w.id], first))
    return records


def _claims(session: Session, account_id: str, month: Month) -> list[Claim]:
    query = select(ClaimRow).where(ClaimRow.account_id == account_id, ClaimRow.month == str(month))
    return [Claim(account=c.account_id, month=month, submitted_at=c.submitted_at) for c in session.scalars(query)]


def _statement(session: Session, account: AccountRow, month: Month, at: datetime) -> Statement:
    if account.policy_key is None:
        raise InvalidError.one(f"account '{account.id}' is on no SLA yet", "account_id")
    version = version_in_force(session, account.policy_key, _utc_day(month.first_day, 0))
    customer = core_account(account)
    terms = AccountTerms(account=customer, policy=effective_for(version, customer))
    try:
        statements = month_statements(
            [terms], _records(session, account.id, month), _claims(session, account.id, month), month, at
        )
    except PolicyError as error:
        raise InvalidError.one(str(error), "account_id") from None
    return Statement(statements[0], version.id, account.currency)


def _visible_account(session: Session, actor: Actor, account_id: str) -> AccountRow:
    actor.require_account(account_id)
    account = session.get(AccountRow, account_id)
    if account is None:
        raise NotFoundError("account", account_id)
    return account


def month_statement(database: Database, actor: Actor, account_id: str, month_text: str) -> Statement:
    """Uptime and credit for one account and month as known now (the month may still be running)."""
    month = parse_month(month_text)
    with database.reading() as session:
        return _statement(session, _visible_account(session, actor, account_id), month, utc_now())


def close_month(database: Database, actor: Actor, account_id: str, month_text: str) -> MonthCloseRow:
    """Record the month's uptime and credit for good; a month is closed once, and only once it is over."""
    actor.require_admin()
    month = parse_month(month_text)
    now = utc_now()
    if now.timestamp() < month.span(LATEST_ZONE)[1]:
        raise InvalidError.one(f"{month} is not over yet; it can be closed from {month.next()} on", "month")
    with database.writing() as session:
        account = _visible_account(session, actor, account_id)
        if _closed(session, account_id, str(month)) is not None:
            raise ConflictError(f"{month} is already closed for account '{account_id}'; a closed month never changes")
        found = _statement(session, account, month, now)
        row = _close_row(found, actor, now)
        session.add(row)
        try:
            session.flush()
        except IntegrityError:
            raise ConflictError(f"{month} is already closed for account '{account_id}'") from None
        return row


def _close_row(found: Statement, actor: Actor, now: datetime) -> MonthCloseRow:
    shown = found.statement.as_row()
    return MonthCloseRow(
        account_id=found.statement.account,
        month=str(found.statement.month),
        policy_version_id=found.policy_version_id,
        commitment_percent=Decimal(str(shown["commitment_percent"])),
        measured_minutes=Decimal(str(shown["measured_minutes"])),
        downtime_minutes=Decimal(str(shown["downtime_minutes"])),
        excluded_minutes=Decimal(str(shown["excluded_minutes"])),
        uptime_percent=Decimal(str(shown["uptime_percent"])),
        credit_percent=Decimal(str(shown["credit_percent"])),
        credit_amount=found.statement.credit_amount,
        currency=found.currency,
        status=str(shown["status"]),
        explanation=list(found.statement.explanation),
        closed_at=now,
        closed_by=actor.user_id,
    )


def _closed(session: Session, account_id: str, month: str) -> MonthCloseRow | None:
    query = select(MonthCloseRow).where(MonthCloseRow.account_id == account_id, MonthCloseRow.month == month)
    return session.scalars(query).one_or_none()


def get_close(database: Database, actor: Actor, account_id: str, month_text: str) -> MonthCloseRow:
    month = parse_month(month_text)
    with database.reading() as session:
        _visible_account(session, actor, account_id)
        row = _closed(session, account_id, str(month))
    if row is None:
        raise NotFoundError("month close", f"{account_id} {month}")
    return row


def list_closes(database: Database, actor: Actor, account_id: str) -> list[MonthCloseRow]:
    with database.reading() as session:
        _visible_account(session, actor, account_id)
        query = select(MonthCloseRow).where(MonthCloseRow.account_id == account_id).order_by(MonthCloseRow.month)
        return list(session.scalars(query))


# Claims -------------------------------------------------------------------------------------


def submit_claim(
    database: Database, actor: Actor, account_id: str, month_text: str, note: str, submitted_at: datetime | None
) -> ClaimRow:
    """A request for a month's credit; a customer claims for their own account, now."""
    month = parse_month(month_text)
    now = utc_now()
    if submitted_at is not None and not actor.is_provider:
        raise InvalidError.one("a customer's claim is dated when it arrives", "submitted_at")
    when = submitted_at or now
    if when > now:
        raise InvalidError.one("a claim cannot be dated in the future", "submitted_at")
    with database.writing() as session:
        _visible_account(session, actor, account_id)
        query = select(ClaimRow.id).where(ClaimRow.account_id == account_id, ClaimRow.month == str(month))
        if session.scalars(query).first() is not None:
            raise ConflictError(f"account '{account_id}' has already claimed the credit for {month}")
        row = ClaimRow(account_id=account_id, month=str(month), submitted_at=when, note=note, created_by=actor.user_id)
        session.add(row)
        session.flush()
        return row


def list_claims(database: Database, actor: Actor, account_id: str | None) -> list[ClaimRow]:
    scope = actor.scope(account_id)
    query = select(ClaimRow).order_by(ClaimRow.month, ClaimRow.id)
    if scope is not None:
        query = query.where(ClaimRow.account_id == scope)
    with database.reading() as session:
        return list(session.scalars(query))


def get_claim(database: Database, actor: Actor, claim_id: int) -> ClaimRow:
    with database.reading() as session:
        row = session.get(ClaimRow, claim_id)
    if row is None or not actor.may_see_account(row.account_id):
        raise NotFoundError("claim", claim_id)
    return row
