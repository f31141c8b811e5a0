"""Accounts: create, read, change; which SLA and plan each is on, its fee, zone and standing."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from troth.core.accounts import Account
from troth.core.errors import PolicyError
from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.errors import ConflictError, InvalidError, NotFoundError
from troth.services.policies import effective_for
from troth.storage.database import Database
from troth.storage.models import AccountRow, PolicyRow, PolicyVersionRow


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountChanges:
    """Fields to set on an account; only the names in `given` are applied (None is a real value)."""

    name: str | None = None
    policy_key: str | None = None
    timezone: str | None = None
    plan: str | None = None
    monthly_fee: Decimal | None = None
    currency: str | None = None
    region: str | None = None
    trial: bool | None = None
    unpaid_since: datetime | None = None
    overrides: dict[str, str] | None = None
    given: frozenset[str] = field(default_factory=frozenset)


_CHANGEABLE = frozenset(f.name for f in fields(AccountChanges)) - {"given"}
_REQUIRED = frozenset({"name", "currency", "trial", "overrides"})
"""Fields every account has: they may be changed, never cleared."""


def _check(session: Session, changes: AccountChanges) -> None:
    if "timezone" in changes.given and changes.timezone is not None:
        try:
            ZoneInfo(changes.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidError.one(f"'{changes.timezone}' is not an IANA time zone", "timezone") from None
    new_policy = changes.policy_key if "policy_key" in changes.given else None
    if new_policy is not None and session.get(PolicyRow, new_policy) is None:
        raise InvalidError.one(f"no policy '{changes.policy_key}' has been uploaded", "policy_key")
    for name in sorted(_REQUIRED & changes.given):
        if getattr(changes, name) is None:
            raise InvalidError.one(f"'{name}' cannot be null", name)
    if "name" in changes.given and not changes.name:
        raise InvalidError.one("an account needs a name", "name")


def _apply(account: AccountRow, changes: AccountChanges) -> None:
    for name in changes.given & _CHANGEABLE:
        value = getattr(changes, name)
        if name == "currency":
            value = str(value).upper()
        setattr(account, name, value)


def _check_terms(session: Session, account: AccountRow) -> None:
    """The account's plan and contract overrides must make sense under every version of its SLA."""
    if account.policy_key is None:
        return
    versions = session.scalars(select(PolicyVersionRow).where(PolicyVersionRow.policy_key == account.policy_key))
    for version in versions:
        try:
            effective_for(version, core_account(account))
        except PolicyError as error:
            where = "plan" if "plan" in str(error) else "overrides"
            raise InvalidError.one(str(error), where) from None


def create_account(database: Database, actor: Actor, account_id: str, changes: AccountChanges) -> AccountRow:
    actor.require_admin()
    with database.writing() as session:
        if session.get(AccountRow, account_id) is not None:
            raise ConflictError(f"account '{account_id}' already exists")
        _check(session, changes)
        account = AccountRow(id=account_id, name=changes.name or account_id, currency="USD", created_at=utc_now())
        account.overrides = {}
        account.trial = False
        _apply(account, changes)
        _check_terms(session, account)
        session.add(account)
        return account


def update_account(database: Database, actor: Actor, account_id: str, changes: AccountChanges) -> AccountRow:
    actor.require_account(account_id)
    actor.require_admin()
    with database.writing() as session:
        account = session.get(AccountRow, account_id)
        if account is None:
            raise NotFoundError("account", account_id)
        _check(session, changes)
        _apply(account, changes)
        _check_terms(session, account)
        return account


def get_account(database: Database, actor: Actor, account_id: str) -> AccountRow:
    actor.require_account(account_id)
    with database.reading() as session:
        account = session.get(AccountRow, account_id)
    if account is None:
        raise NotFoundError("account", account_id)
    return account


def list_accounts(database: Database, actor: Actor) -> list[AccountRow]:
    query = select(AccountRow).order_by(AccountRow.id)
    if not actor.is_provider:
        query = query.where(AccountRow.id == actor.account_id)
    with database.reading() as session:
        return list(session.scalars(query))


def core_account(row: AccountRow) -> Account:
    """The account as the core sees it."""
    return Account(
        id=row.id,
        timezone=row.timezone,
        plan=row.plan,
        monthly_fee=row.monthly_fee,
        currency=row.currency,
        region=row.region,
        trial=row.trial,
        unpaid_since=row.unpaid_since,
        overrides=dict(row.overrides),
    )
