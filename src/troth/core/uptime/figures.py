"""One account's minutes over one period, and the exact arithmetic on them.

Everything is counted in whole seconds and kept exact (`Fraction`); rounding happens only when a
number is shown: minutes and percentages half-up to 4 decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from troth.core.uptime.rules import Reason


def round_ratio(numerator: int, denominator: int, places: int = 4) -> float:
    """numerator ÷ denominator (denominator > 0) rounded half-up (away from zero) to `places` decimals.

    Integer arithmetic throughout, so the result is the float nearest the exactly rounded decimal.
    """
    scale: int = 10**places
    rounded = (abs(numerator) * scale * 2 + denominator) // (denominator * 2)
    return (rounded if numerator >= 0 else -rounded) / scale


def round_half_up(value: Fraction | int, places: int = 4) -> float:
    """`value` rounded half-up (away from zero) to `places` decimals, as the nearest float."""
    if isinstance(value, int):
        return float(value)
    return round_ratio(value.numerator, value.denominator, places)


def minutes(seconds: Fraction | int) -> float:
    """Seconds shown as minutes, rounded half-up to 4 decimals."""
    if isinstance(seconds, int):
        return round_ratio(seconds, 60)
    return round_ratio(seconds.numerator, seconds.denominator * 60)


def minutes_text(seconds: Fraction | int) -> str:
    """Minutes for an explanation: `200.0`, `12.5`, `0.1667`."""
    if isinstance(seconds, int) or seconds.denominator == 1:
        return _whole_seconds_text(int(seconds))
    return _number_text(minutes(seconds))


@lru_cache(maxsize=65_536)
def _whole_seconds_text(seconds: int) -> str:
    # Explanations repeat the same few durations across thousands of accounts.
    return _number_text(round_ratio(seconds, 60))


def percent_text(value: Fraction | Decimal) -> str:
    return _number_text(round_half_up(exact(value) if isinstance(value, Decimal) else value))


@lru_cache(maxsize=65_536)
def exact(value: Decimal) -> Fraction:
    """A policy's decimal (a commitment, a percentage) as an exact fraction, converted once."""
    return Fraction(value)


def _number_text(value: float) -> str:
    text = repr(value)
    return text if "e" not in text else f"{value:.4f}"


@dataclass(frozen=True, slots=True, kw_only=True)
class UptimeFigures:
    """Seconds of one period for one account: measured, down, degraded (counted, not down),
    excluded by reason, and affected seconds outside the measured minutes.

    `measured = down + degraded + excluded + untouched` always holds. Downtime is down plus
    `weight` times degraded.
    """

    measured_seconds: int
    down_seconds: int = 0
    degraded_seconds: int = 0
    weight: Decimal = Decimal(0)
    excluded: tuple[tuple[Reason, int], ...] = ()
    unmeasured_seconds: int = 0
    downtime_seconds: Fraction = field(init=False)
    """down + weight × degraded (derived)."""
    uptime: Fraction = field(init=False)
    """(measured − downtime) ÷ measured × 100, exactly; 100 when nothing is measured (derived)."""

    def __post_init__(self) -> None:
        # Derived once: statements read them many times, and exact fractions are not free.
        downtime = Fraction(self.down_seconds)
        if self.degraded_seconds:
            downtime += exact(self.weight) * self.degraded_seconds
        object.__setattr__(self, "downtime_seconds", downtime)
        object.__setattr__(self, "uptime", uptime_percent(self.measured_seconds, downtime))

    @property
    def excluded_seconds(self) -> int:
        return sum(seconds for _, seconds in self.excluded)

    @property
    def untouched_seconds(self) -> int:
        return self.measured_seconds - self.down_seconds - self.degraded_seconds - self.excluded_seconds


def uptime_percent(measured: int, downtime: Fraction) -> Fraction:
    """(measured − downtime) ÷ measured × 100; 100 when nothing is measured."""
    if measured == 0:
        return Fraction(100)
    if downtime.denominator == 1:
        return Fraction((measured - downtime.numerator) * 100, measured)
    return (measured - downtime) * 100 / measured


def round_ratios(numerators: npt.NDArray[Any], denominators: npt.NDArray[Any], places: int = 4) -> list[float]:
    """Each numerator ÷ denominator (whole numbers, denominators > 0) rounded half-up to `places`.

    Takes int64 arrays, or object arrays of Python ints when the numbers might not fit in 64 bits.
    """
    scale: int = 10**places
    magnitude = np.abs(numerators) * scale
    rounded = (magnitude * 2 + denominators) // (denominators * 2)
    signed = np.where(numerators < 0, -rounded, rounded)
    if signed.dtype == object:
        return [int(value) / scale for value in signed.tolist()]
    # Whole numbers below 2**53 are exact doubles, so this division is correctly rounded too.
    shown: list[float] = (signed / scale).tolist()
    return shown
