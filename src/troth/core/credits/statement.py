"""One account's credit statement for one month: figures, credit, status and explanation.

Eligibility (decided, docs/uptime-and-credits.md):
- Trial accounts are ineligible when the policy excludes trials.
- Good standing is judged per outage, at the instant it began: an outage that began on or after
  `unpaid_since` earns no credit, even if the invoice is paid later; one that began before keeps
  its whole duration, even if an invoice became overdue while it lasted. The credit is computed
  as if the ineligible outages had not happened; when that leaves nothing owed, the status is
  `ineligible`. The reported downtime and uptime still include every outage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from troth.core.accounts import Account
from troth.core.credits.amounts import CreditArithmetic, credit_arithmetic
from troth.core.credits.claims import Claim, CreditStatus, claim_status
from troth.core.credits.explain import clause, commitment_source, uptime_line
from troth.core.credits.money import money_text
from troth.core.instants import format_utc
from troth.core.policies.model import Credits
from troth.core.uptime.figures import UptimeFigures, exact, minutes, minutes_text, percent_text, round_half_up
from troth.core.uptime.periods import Month


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditStatement:
    """What CONTRACT.md's `troth credits` prints for one account; money is `Decimal`."""

    account: str
    month: Month
    commitment_percent: Decimal
    figures: UptimeFigures
    credit_percent: Fraction
    credit_amount: Decimal
    status: CreditStatus
    explanation: tuple[str, ...]
    currency: str = "USD"

    def as_row(self) -> dict[str, object]:
        """The contract's JSON object, keys in the contract's order."""
        return {
            "account": self.account,
            "month": str(self.month),
            "commitment_percent": round_half_up(exact(self.commitment_percent)),
            "measured_minutes": minutes(self.figures.measured_seconds),
            "downtime_minutes": minutes(self.figures.downtime_seconds),
            "excluded_minutes": minutes(self.figures.excluded_seconds),
            "uptime_percent": round_half_up(self.figures.uptime),
            "credit_percent": round_half_up(self.credit_percent),
            "credit_amount": money_text(self.credit_amount),
            "status": self.status.value,
            "explanation": list(self.explanation),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementInput:
    """Everything one statement needs; `eligible` is the figures without outages that began while
    an invoice was overdue (None when there were none), and `ineligible_ids` names those outages."""

    account: Account
    month: Month
    zone: str
    commitment: Decimal
    commitment_clause: str
    credits: Credits
    figures: UptimeFigures
    eligible: UptimeFigures | None
    ineligible_ids: Sequence[str]
    claims: Sequence[Claim]
    at: datetime
    lines: Sequence[str]


def build_statement(given: StatementInput) -> CreditStatement:
    """Apply the credit rules to one account's month and explain every step."""
    fee = given.account.monthly_fee if given.account.monthly_fee is not None else Decimal(0)
    currency = given.account.currency
    source = commitment_source(given.account)
    lines = [*given.lines, uptime_line(given.figures, given.commitment, given.commitment_clause, source)]
    owed = credit_arithmetic(given.credits, given.commitment, given.figures, fee, currency)
    if not owed.owed:
        lines.append("No credit is owed." if given.figures.uptime >= exact(given.commitment) else owed.lines[0])
        return _statement(given, CreditStatus.NONE, owed, lines, pay=False)
    lines += owed.lines
    if given.account.monthly_fee is None:
        lines.append("The accounts file gives no monthly_fee, so the amount is 0.00.")
    status, owed = _eligibility(given, owed, fee, lines)
    if status is None:
        status, why = claim_status(given.credits.claims, given.month, given.zone, given.claims, given.at)
        lines.append(why)
    return _statement(given, status, owed, lines, pay=status is CreditStatus.APPLIED)


def _eligibility(
    given: StatementInput, owed: CreditArithmetic, fee: Decimal, lines: list[str]
) -> tuple[CreditStatus | None, CreditArithmetic]:
    """INELIGIBLE with the reason, or None and the credit the account is entitled to."""
    rules = given.credits.eligibility
    where = clause(rules.clause)
    if given.account.trial and rules.exclude_trials:
        lines.append(f"Status ineligible: trial accounts receive no credits{where}.")
        return CreditStatus.INELIGIBLE, owed
    if given.eligible is None or given.account.unpaid_since is None:
        return None, owed
    since = format_utc(given.account.unpaid_since)
    lines.append(
        f"An invoice has been overdue since {since}: outages that began after that earn no credit{where}: "
        f"{', '.join(given.ineligible_ids)}. Without them downtime is {minutes_text(given.eligible.downtime_seconds)} "
        f"minutes and uptime {percent_text(given.eligible.uptime)} %."
    )
    entitled = credit_arithmetic(given.credits, given.commitment, given.eligible, fee, given.account.currency)
    if not entitled.owed:
        lines.append("Status ineligible: no credit is owed for the outages that began while in good standing.")
        return CreditStatus.INELIGIBLE, owed
    lines += entitled.lines
    return None, entitled


def _statement(
    given: StatementInput, status: CreditStatus, owed: CreditArithmetic, lines: list[str], *, pay: bool
) -> CreditStatement:
    return CreditStatement(
        account=given.account.id,
        month=given.month,
        commitment_percent=given.commitment,
        figures=given.figures,
        credit_percent=owed.percent if pay else Fraction(0),
        credit_amount=owed.amount if pay else Decimal(0),
        status=status,
        explanation=tuple(lines),
        currency=given.account.currency,
    )
