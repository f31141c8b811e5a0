"""Money: `Decimal`, rounded half-up to the currency's minor unit, written with two decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
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
    """`amount` rounded half-up to the currency's minor unit."""
    exact = amount if isinstance(amount, Decimal) else _decimal(amount)
    return exact.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)


def money_text(amount: Decimal) -> str:
    """`"87.74"`: exactly two decimals, as CONTRACT.md writes money."""
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}"


def _decimal(value: Fraction) -> Decimal:
    # 40 significant digits: ample for any fee, so that only the final quantize rounds.
    with localcontext() as context:
        context.prec = 40
        return Decimal(value.numerator) / Decimal(value.denominator)
