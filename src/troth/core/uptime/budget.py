"""The error budget: how much more downtime a month can take before the commitment breaks.

allowed = the month's measured minutes × (100 − commitment) %; left = allowed − downtime so far;
burn rate = (downtime so far ÷ allowed) ÷ (measured minutes elapsed ÷ the month's measured
minutes): 1.0 spends the budget exactly by the month's end, above 1.0 breaks the commitment early.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorBudget:
    """Seconds allowed, used and left in one month; `burn_rate` is None before any measured time
    has passed or when the commitment allows no downtime at all."""

    allowed_seconds: Fraction
    used_seconds: Fraction
    burn_rate: Fraction | None

    @property
    def left_seconds(self) -> Fraction:
        return self.allowed_seconds - self.used_seconds


def error_budget(commitment: Decimal, month_measured: int, elapsed_measured: int, downtime: Fraction) -> ErrorBudget:
    """The budget of a month measuring `month_measured` seconds, `elapsed_measured` of them past."""
    allowed = month_measured * (100 - Fraction(commitment)) / 100
    burn = None
    if allowed > 0 and elapsed_measured > 0:
        burn = (downtime / allowed) / Fraction(elapsed_measured, month_measured)
    return ErrorBudget(allowed_seconds=allowed, used_seconds=downtime, burn_rate=burn)
