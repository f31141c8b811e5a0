"""Uptime and credits per account and month (from the core), month closes and claims."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from troth.services import credits as service
from troth.services.credits import Statement
from troth.storage.models import ClaimRow, MonthCloseRow
from troth.web.api.schemas import Body, DbId, Instant, Key, MoneyOut, Month, Out, UtcOut
from troth.web.deps import ActorDep, DatabaseDep
from troth.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["credits"], responses=ERROR_RESPONSES)


class StatementOut(Out):
    """CONTRACT.md's `troth credits` line for one account and month, plus the currency."""

    account: str
    month: str
    commitment_percent: float
    measured_minutes: float
    downtime_minutes: float
    excluded_minutes: float
    uptime_percent: float
    credit_percent: float
    credit_amount: str
    currency: str
    status: str
    explanation: list[str]


class MonthCloseOut(Out):
    account_id: str
    month: str
    policy_version_id: int
    commitment_percent: float | None
    measured_minutes: float
    downtime_minutes: float
    excluded_minutes: float
    uptime_percent: float
    credit_percent: float
    credit_amount: MoneyOut
    currency: str
    status: str
    explanation: list[str]
    closed_at: UtcOut


class ClaimIn(Body):
    account_id: Key
    month: Month
    note: str = Field(default="", max_length=2000)
    submitted_at: Instant | None = Field(default=None, description="Provider only (imports); default: now")


class ClaimOut(Out):
    id: int
    account_id: str
    month: str
    submitted_at: UtcOut
    note: str


def _statement(found: Statement) -> StatementOut:
    return StatementOut.model_validate({**found.statement.as_row(), "currency": found.currency})


def _close(row: MonthCloseRow) -> MonthCloseOut:
    return MonthCloseOut.model_validate(row)


@router.get("/accounts/{account_id}/months/{month}", response_model=StatementOut)
def month_statement(account_id: str, month: str, database: DatabaseDep, actor: ActorDep) -> StatementOut:
    """Uptime and credit for the month so far (the core's statement, with its explanation)."""
    return _statement(service.month_statement(database, actor, account_id, month))


@router.post("/accounts/{account_id}/months/{month}/close", response_model=MonthCloseOut, status_code=201)
def close_month(account_id: str, month: str, database: DatabaseDep, actor: ActorDep) -> MonthCloseOut:
    """Close a finished month (admin): its uptime and credit are recorded for good; closing twice is refused."""
    return _close(service.close_month(database, actor, account_id, month))


@router.get("/accounts/{account_id}/months/{month}/close", response_model=MonthCloseOut)
def get_close(account_id: str, month: str, database: DatabaseDep, actor: ActorDep) -> MonthCloseOut:
    return _close(service.get_close(database, actor, account_id, month))


@router.get("/accounts/{account_id}/closes", response_model=list[MonthCloseOut])
def list_closes(account_id: str, database: DatabaseDep, actor: ActorDep) -> list[MonthCloseOut]:
    return [_close(row) for row in service.list_closes(database, actor, account_id)]


def _claim(row: ClaimRow) -> ClaimOut:
    return ClaimOut.model_validate(row)


@router.get("/claims", response_model=list[ClaimOut], tags=["claims"])
def list_claims(database: DatabaseDep, actor: ActorDep, account_id: str | None = None) -> list[ClaimOut]:
    return [_claim(row) for row in service.list_claims(database, actor, account_id)]


@router.post("/claims", response_model=ClaimOut, status_code=201, tags=["claims"])
def submit_claim(body: ClaimIn, database: DatabaseDep, actor: ActorDep) -> ClaimOut:
    """Claim a month's credit, where the policy wants credits requested; once per account and month."""
    row = service.submit_claim(database, actor, body.account_id, body.month, body.note, body.submitted_at)
    return _claim(row)


@router.get("/claims/{claim_id}", response_model=ClaimOut, tags=["claims"])
def get_claim(claim_id: DbId, database: DatabaseDep, actor: ActorDep) -> ClaimOut:
    return _claim(service.get_claim(database, actor, claim_id))
