"""Builders for credit tests: seed policies, accounts, outages and one month's statements."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from seed_builders import seed
from troth.core.accounts import Account
from troth.core.credits.claims import Claim
from troth.core.credits.month import AccountTerms, month_statements
from troth.core.credits.statement import CreditStatement
from troth.core.instants import parse_instant
from troth.core.policies.effective import effective_policy
from troth.core.policies.model import Policy
from troth.core.uptime.periods import Month
from troth.core.uptime.records import Outage


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
