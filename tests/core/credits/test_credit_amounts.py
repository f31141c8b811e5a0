"""Credit arithmetic: tier selection, excess multiples, caps, money rounding; and its properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from troth.core.credits.amounts import credit_arithmetic, select_tier
from troth.core.credits.money import minor_unit, money_text, to_money
from troth.core.policies.model import CreditMethod, Credits, CreditTier
from troth.core.uptime.figures import UptimeFigures, round_half_up

TIERS = (
    CreditTier(below_percent=Decimal("99.0"), credit_percent=Decimal(10)),
    CreditTier(below_percent=Decimal("97.0"), credit_percent=Decimal(20)),
)
TIERED = Credits(method=CreditMethod.TIERS, tiers=TIERS)
EXCESS = Credits(method=CreditMethod.EXCESS_MULTIPLE, multiple=Decimal(10), cap_percent=Decimal(30))
MONTH = 44640 * 60


@pytest.mark.parametrize(
    ("uptime", "credit"),
    [
        (Fraction(100), None),
        (Fraction(99), None),  # exactly at the threshold: not strictly below it
        (Fraction(98999999, 1000000), Decimal(10)),
        (Fraction(97), Decimal(10)),
        (Fraction(9699, 100), Decimal(20)),
        (Fraction(0), Decimal(20)),
    ],
)
def test_the_tier_is_the_highest_whose_threshold_the_uptime_is_strictly_below(
    uptime: Fraction, credit: Decimal | None
) -> None:
    tier = select_tier(TIERS, uptime)
    assert (tier.credit_percent if tier else None) == credit


def test_tier_order_in_the_table_does_not_matter() -> None:
    assert select_tier(tuple(reversed(TIERS)), Fraction(96)) == TIERS[1]


def test_nothing_is_owed_while_the_commitment_is_met_whatever_the_table_says() -> None:
    table = Credits(
        method=CreditMethod.TIERS, tiers=(CreditTier(below_percent=Decimal(100), credit_percent=Decimal(5)),)
    )
    met = UptimeFigures(measured_seconds=MONTH, down_seconds=60)
    assert credit_arithmetic(table, Decimal("99.9"), met, Decimal(100), "USD").share == 0


def test_the_excess_credit_is_fee_times_multiple_times_excess_over_measured() -> None:
    figures = UptimeFigures(measured_seconds=14520 * 60, down_seconds=300 * 60)
    owed = credit_arithmetic(EXCESS, Decimal("99.5"), figures, Decimal("4300.00"), "USD")
    assert owed.share == Fraction(10) * (Fraction(300) - Fraction(726, 10)) / 14520
    assert owed.amount == Decimal("673.43")
    # credit_percent (amount ÷ fee × 100, before rounding to cents) is the share in percent.
    assert round_half_up(owed.percent) == 15.6612
    assert any("10 × 4300.00 USD × 227.4 ÷ 14520.0 minutes = 673.43 USD" in line for line in owed.lines)


def test_weighted_degraded_minutes_count_in_the_excess() -> None:
    figures = UptimeFigures(
        measured_seconds=14520 * 60, down_seconds=200 * 60, degraded_seconds=200 * 60, weight=Decimal("0.5")
    )
    owed = credit_arithmetic(EXCESS, Decimal("99.5"), figures, Decimal("4300.00"), "USD")
    assert owed.amount == Decimal("673.43")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Fraction(5, 1000), "USD", "0.01"),  # half a cent rounds up
        (Fraction(4999, 1000000), "USD", "0.00"),
        (Fraction(-5, 1000), "USD", "-0.01"),  # half-up means away from zero
        (Fraction(12345, 100), "EUR", "123.45"),
        (Fraction(1005, 10), "JPY", "101.00"),  # no minor unit: whole yen, still written with two decimals
        (Decimal("87.745"), "USD", "87.75"),
    ],
)
def test_money_is_rounded_half_up_to_the_minor_unit(amount: Fraction | Decimal, currency: str, expected: str) -> None:
    assert money_text(to_money(amount, currency)) == expected


def test_currencies_without_cents_have_no_minor_unit() -> None:
    assert (minor_unit("JPY"), minor_unit("usd"), minor_unit("EUR")) == (0, 2, 2)


downtimes = st.integers(min_value=0, max_value=MONTH)


@given(downtimes, downtimes, st.sampled_from([TIERED, EXCESS]), st.sampled_from(["99.0", "99.5", "99.95"]))
def test_a_credit_never_decreases_when_downtime_grows(first: int, second: int, credits: Credits, level: str) -> None:
    less, more = sorted((first, second))
    fee = Decimal("1234.56")

    def owed(seconds: int) -> Decimal:
        figures = UptimeFigures(measured_seconds=MONTH, down_seconds=seconds)
        return credit_arithmetic(credits, Decimal(level), figures, fee, "USD").amount

    assert owed(less) <= owed(more)


@given(downtimes)
def test_the_cap_bounds_every_credit(seconds: int) -> None:
    figures = UptimeFigures(measured_seconds=MONTH, down_seconds=seconds)
    owed = credit_arithmetic(EXCESS, Decimal("99.5"), figures, Decimal("1000.00"), "USD")
    assert 0 <= owed.share <= Fraction(3, 10)
