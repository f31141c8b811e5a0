"""Money: `Decimal`, rounded half-up to the currency's minor unit, written with two decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# ISO 4217 currencies without a minor unit; every other currency Troth sees has cents.
# (Three-decimal currencies such as BHD are rounded to two, because CONTRACT.md writes two.)
_NO_MINOR_UNIT = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "UYI",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)


def minor_unit(currency: str) -> int:
    """Decimal places of the currency's minor unit."""
    return 0 if currency.upper() in _NO_MINOR_UNIT else 2


def to_money(amount: Fraction | Decimal, currency: str) -> Decimal:
    """`amount` rounded half-up (away from zero) to the currency's minor unit."""
    numerator, denominator = amount.as_integer_ratio()
    places = minor_unit(currency)
    # Integer arithmetic: exact, and much faster than a Decimal context per amount.
    minor = (abs(numerator) * 10**places * 2 + denominator) // (denominator * 2)
    return Decimal(minor if numerator >= 0 else -minor).scaleb(-places)


def money_text(amount: Decimal) -> str:
    """`"87.74"`: exactly two decimals, as CONTRACT.md writes money."""
    if amount.as_tuple().exponent != -2:
        amount = amount.quantize(_CENTS, rounding=ROUND_HALF_UP)
    return f"{amount:.2f}"


_CENTS = Decimal("0.01")
