"""How big a credit is: a tier table, or a multiple of the fee paid for the excess downtime; then the cap.

Decided (docs/uptime-and-credits.md):
- A credit is owed only when uptime is strictly below the commitment.
- Tier tables: the credit is that of the tier with the lowest threshold the uptime is strictly
  below ("below 99.0 % → 10 %, below 97.0 % → 20 %": 96.5 % earns 20 %). Band tables ("≥ 97 and
  < 99") reach the core as the equivalent tiers.
- Excess multiple (Balto): fee × multiple × excess ÷ measured, where excess is downtime minus the
  downtime the commitment allows (measured × (100 − commitment) %). Its `credit_percent` is that
  credit as a share of the fee: multiple × excess ÷ measured × 100, before rounding to money.
- The cap limits the share of the fee; the amount is fee × share, rounded half-up to the minor unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from troth.core.credits.explain import clause
from troth.core.credits.money import money_text, to_money
from troth.core.policies.model import CreditMethod, Credits, CreditTier
from troth.core.uptime.figures import UptimeFigures, exact, minutes_text, percent_text


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditArithmetic:
    """A credit's size: `share` of the fee (exact, 0..1 after the cap), the rounded `amount`, and how."""

    share: Fraction
    amount: Decimal
    lines: tuple[str, ...]

    @property
    def percent(self) -> Fraction:
        return self.share * 100

    @property
    def owed(self) -> bool:
        return self.share > 0


def select_tier(tiers: Sequence[CreditTier], uptime: Fraction) -> CreditTier | None:
    """The tier with the lowest threshold that `uptime` is strictly below, or None."""
    below = [tier for tier in tiers if uptime < exact(tier.below_percent)]
    return min(below, key=lambda tier: tier.below_percent, default=None)


def credit_arithmetic(
    credits: Credits, commitment: Decimal, figures: UptimeFigures, fee: Decimal, currency: str
) -> CreditArithmetic:
    """The credit owed for `figures` under `credits`, with the lines that show the arithmetic."""
    uptime = figures.uptime
    if uptime >= exact(commitment):
        return CreditArithmetic(share=Fraction(0), amount=Decimal(0), lines=())
    if credits.method is CreditMethod.TIERS:
        share, lines = _tier_share(credits, uptime)
    else:
        share, lines = _excess_share(credits, commitment, figures, fee, currency)
    capped, cap_lines = _cap(credits, share, fee, currency)
    amount = to_money(exact(fee) * capped, currency)
    # The excess line already shows its amount; a tier's share, or a capped one, is priced here.
    if capped > 0 and (capped != share or credits.method is CreditMethod.TIERS):
        cap_lines.append(
            f"Credit: {percent_text(capped * 100)} % of {money_text(fee)} {currency} = {money_text(amount)} "
            f"{currency} (rounded half-up to the minor unit)."
        )
    return CreditArithmetic(share=capped, amount=amount, lines=(*lines, *cap_lines))


def _tier_share(credits: Credits, uptime: Fraction) -> tuple[Fraction, list[str]]:
    tier = select_tier(credits.tiers, uptime)
    table = ", ".join(f"below {t.below_percent} % → {t.credit_percent} %" for t in credits.tiers)
    where = clause(credits.clause)
    if tier is None:
        return Fraction(0), [f"No tier of the credit table ({table}){where} applies to {percent_text(uptime)} %."]
    line = (
        f"Credit table ({table}){where}: {percent_text(uptime)} % is below {tier.below_percent} %, "
        f"so the credit is {tier.credit_percent} % of the monthly fee."
    )
    return exact(tier.credit_percent) / 100, [line]


def _excess_share(
    credits: Credits, commitment: Decimal, figures: UptimeFigures, fee: Decimal, currency: str
) -> tuple[Fraction, list[str]]:
    measured = figures.measured_seconds
    allowed = allowed_downtime(commitment, measured)
    excess = max(figures.downtime_seconds - allowed, Fraction(0))
    multiple = exact(credits.multiple or Decimal(0))
    share = multiple * excess / measured if measured else Fraction(0)
    amount = money_text(to_money(exact(fee) * share, currency))
    total, allows, beyond = minutes_text(measured), minutes_text(allowed), minutes_text(excess)
    lines = [
        f"Allowed downtime at {commitment} %: {total} × (100 − {commitment}) % = {allows} minutes; "
        f"downtime beyond it: {minutes_text(figures.downtime_seconds)} − {allows} = {beyond} minutes.",
        f"Credit{clause(credits.clause)}: {credits.multiple} × {money_text(fee)} {currency} × {beyond} ÷ {total} "
        f"minutes = {amount} {currency} (rounded half-up to the minor unit), that is {percent_text(share * 100)} % "
        "of the fee.",
    ]
    return share, lines


@lru_cache(maxsize=1024)
def allowed_downtime(commitment: Decimal, measured: int) -> Fraction:
    """Seconds of downtime the commitment allows: measured × (100 − commitment) %."""
    numerator, denominator = commitment.as_integer_ratio()
    return Fraction(measured * (100 * denominator - numerator), 100 * denominator)


def _cap(credits: Credits, share: Fraction, fee: Decimal, currency: str) -> tuple[Fraction, list[str]]:
    if credits.cap_percent is None or share == 0:
        return share, []
    cap = exact(credits.cap_percent) / 100
    limit = f"{money_text(to_money(exact(fee) * cap, currency))} {currency}"
    if share <= cap:
        return share, [f"Cap: {credits.cap_percent} % of the month's fee ({limit}); not reached."]
    return cap, [f"Cap: {credits.cap_percent} % of the month's fee ({limit}); the credit is capped there."]
