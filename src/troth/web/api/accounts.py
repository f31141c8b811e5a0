"""Accounts: their SLA and plan, fee, currency, zone, region and standing."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter
from pydantic import Field

from troth.services import accounts as service
from troth.services.accounts import AccountChanges
from troth.storage.models import AccountRow
from troth.web.api.schemas import Body, Instant, Key, MoneyIn, MoneyOut, Name, Out, UtcOut
from troth.web.deps import ActorDep, DatabaseDep
from troth.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/accounts", tags=["accounts"], responses=ERROR_RESPONSES)


class AccountPatch(Body):
    name: Name | None = None
    policy_key: Key | None = Field(default=None, description="The SLA the account is on")
    plan: Key | None = Field(default=None, description="The plan whose clauses apply")
    timezone: str | None = Field(default=None, max_length=64, description="The customer's IANA zone")
    monthly_fee: MoneyIn | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    region: str | None = Field(default=None, max_length=32)
    trial: bool | None = None
    unpaid_since: Instant | None = Field(default=None, description="Overdue invoice since, or null")
    overrides: dict[str, str] | None = Field(default=None, description="Contract terms: policy path to value")

    def changes(self) -> AccountChanges:
        values = self.model_dump(exclude_unset=True)
        if values.get("monthly_fee") is not None:
            values["monthly_fee"] = Decimal(values["monthly_fee"])
        return AccountChanges(**values, given=frozenset(values))


class AccountIn(AccountPatch):
    id: Key
    name: Name


class AccountOut(Out):
    id: str
    name: str
    policy_key: str | None
    plan: str | None
    timezone: str | None
    monthly_fee: MoneyOut | None
    currency: str
    region: str | None
    trial: bool
    unpaid_since: UtcOut | None
    overrides: dict[str, str]
    created_at: UtcOut


def _out(row: AccountRow) -> AccountOut:
    return AccountOut.model_validate(row)


@router.get("", response_model=list[AccountOut])
def list_accounts(database: DatabaseDep, actor: ActorDep) -> list[AccountOut]:
    """Every account (provider), or the caller's own (customer)."""
    return [_out(row) for row in service.list_accounts(database, actor)]


@router.post("", response_model=AccountOut, status_code=201)
def create_account(body: AccountIn, database: DatabaseDep, actor: ActorDep) -> AccountOut:
    """Create an account (admin)."""
    changes = AccountPatch.model_validate(body.model_dump(exclude={"id"}, exclude_unset=True)).changes()
    return _out(service.create_account(database, actor, body.id, changes))


@router.get("/{account_id}", response_model=AccountOut)
def get_account(account_id: str, database: DatabaseDep, actor: ActorDep) -> AccountOut:
    return _out(service.get_account(database, actor, account_id))


@router.patch("/{account_id}", response_model=AccountOut)
def update_account(account_id: str, body: AccountPatch, database: DatabaseDep, actor: ActorDep) -> AccountOut:
    """Change fields of an account (admin): its SLA and plan, fee, standing, contract overrides..."""
    return _out(service.update_account(database, actor, account_id, body.changes()))
