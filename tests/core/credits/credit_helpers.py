"""Builders for credit tests: seed policies, accounts, outages and one month's statements."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from troth.core.accounts import Account
from troth.core.credits.claims import Claim
from troth.core.credits.month import AccountTerms, month_statements
from troth.core.credits.statement import CreditStatement
from troth.core.instants import parse_instant
from troth.core.policies.effective import effective_policy
from troth.core.policies.loading import load_policy
from troth.core.policies.model import Policy
from troth.core.uptime.periods import Month
from troth.core.uptime.records import Cause, Outage, OutageKind

ROOT = Path(__file__).resolve().parents[3]


@cache
def seed(name: str) -> Policy:
    path = ROOT / "policies" / f"{name}.yaml"
    return load_policy(path.read_text(encoding="utf-8"), str(path))


def account(
    identifier: str = "acme",
    *,
    fee: str | None = "1000.00",
    plan: str | None = None,
    trial: bool = False,
    unpaid_since: str | None = None,
    currency: str = "USD",
    timezone: str | None = "America/Chicago",
) -> Account:
    return Account(
        id=identifier,
        monthly_fee=None if fee is None else Decimal(fee),
        plan=plan,
        trial=trial,
        unpaid_since=None if unpaid_since is None else parse_instant(unpaid_since),
        currency=currency,
        timezone=timezone,
    )


def outage(
    identifier: str,
    start: str,
    end: str | None,
    *,
    kind: str = "down",
    component: str = "core",
    accounts: list[str] | None = None,
    cause: str = "internal",
) -> Outage:
    return Outage(
        id=identifier,
        kind=OutageKind(kind),
        start_at=parse_instant(start),
        end_at=None if end is None else parse_instant(end),
        component=component,
        accounts=None if accounts is None else frozenset(accounts),
        cause=Cause(cause),
    )


def claim(who: str, month: str, at: str) -> Claim:
    return Claim(account=who, month=Month.parse(month), submitted_at=parse_instant(at))


def statements(
    policy: Policy | str,
    accounts: list[Account],
    outages: list[Outage],
    month: str = "2026-03",
    at: str = "2026-04-10T00:00:00Z",
    claims: list[Claim] | None = None,
) -> dict[str, CreditStatement]:
    chosen = seed(policy) if isinstance(policy, str) else policy
    terms = [AccountTerms(account=a, policy=effective_policy(chosen, a)) for a in accounts]
    found = month_statements(terms, outages, claims or [], Month.parse(month), parse_instant(at))
    return {s.account: s for s in found}


def with_credits(policy: Policy, **changes: object) -> Policy:
    assert policy.credits is not None
    return replace(policy, credits=replace(policy.credits, **changes))  # type: ignore[arg-type]
