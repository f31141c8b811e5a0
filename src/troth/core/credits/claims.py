"""Claims: credits that are automatic, or that the customer must request within N days after the month.

Decided (docs/uptime-and-credits.md): the claim window is `[month start, local midnight ending the
month + N days)` in the policy's zone; a claim counts when submitted inside it and no later than the
evaluation instant (a claim dated after `--at` has not happened yet at `--at`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from troth.core.credits.explain import clause
from troth.core.instants import format_utc, from_epoch, to_epoch
from troth.core.policies.model import Claims
from troth.core.uptime.periods import Month, local_midnight


class CreditStatus(StrEnum):
    NONE = "none"
    """Commitment met (or no credit tier applies)."""
    APPLIED = "applied"
    """Owed, and automatic or claimed in time."""
    UNCLAIMED = "unclaimed"
    """Owed, the claim window is still open at the evaluation instant."""
    EXPIRED = "expired"
    """Owed, the window closed with no claim in it."""
    INELIGIBLE = "ineligible"
    """Owed in principle, but the account is not entitled (trial, overdue invoice...)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A customer's request for the credit of `month`, submitted at `submitted_at` (UTC-aware)."""

    account: str
    month: Month
    submitted_at: datetime


def claim_deadline(claims: Claims, month: Month, zone: str) -> datetime | None:
    """The instant the claim window closes (exclusive), or None when credits are automatic."""
    if claims.automatic or claims.window_days is None:
        return None
    end = month.next().first_day + timedelta(days=claims.window_days)
    return from_epoch(local_midnight(end, zone))


def claim_status(
    claims: Claims, month: Month, zone: str, submitted: Sequence[Claim], at: datetime
) -> tuple[CreditStatus, str]:
    """The status of an owed credit at `at`, given the account's claims for the month, and why."""
    where = clause(claims.clause)
    deadline = claim_deadline(claims, month, zone)
    if deadline is None:
        return CreditStatus.APPLIED, f"Status applied: credits are applied automatically{where}."
    opens = month.span(zone)[0]
    known = sorted((c.submitted_at for c in submitted if c.submitted_at <= at), key=to_epoch)
    in_time = [t for t in known if opens <= to_epoch(t) < to_epoch(deadline)]
    window = f"within {claims.window_days} days after the month, before {format_utc(deadline)}{where}"
    if in_time:
        return CreditStatus.APPLIED, f"Status applied: claimed at {format_utc(in_time[0])}, {window}."
    if at < deadline:
        return CreditStatus.UNCLAIMED, f"Status unclaimed: the credit must be requested {window}; no claim yet."
    late = f"; the claim at {format_utc(known[-1])} was outside it" if known else "; no claim was made"
    return CreditStatus.EXPIRED, f"Status expired: the credit had to be requested {window}{late}."
