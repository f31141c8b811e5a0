"""The numbers in `troth uptime`'s rows, for a block of accounts at once (accounts × periods arrays).

Exact integer arithmetic, rounded half-up to 4 decimals like every other figure. Downtime is kept
multiplied by `q`, the denominator of the degraded weight p/q, so that it stays a whole number:
downtime × q = down × q + degraded × p. When the numbers could outgrow 64 bits (a long period
with an exotic commitment or weight), the arrays hold Python integers instead: slower, still exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from troth.core.intervals import Epochs

Grid = npt.NDArray[Any]
"""A 2-D array: one row per account, one column per day or period."""

_INT64_SAFE = 2**62


@dataclass(frozen=True, slots=True, eq=False)
class Periods:
    """Reported periods as day ranges `[starts[k], ends[k])`, and each period's month."""

    starts: Epochs
    ends: Epochs
    month_start_day: Epochs
    """For the last day of each period, the index of the first day of its month."""
    month_measured: Epochs
    """For each period, the measured seconds of its whole month (for the error budget)."""
    measured: list[int]
    """Measured seconds of each period."""


@dataclass(frozen=True, slots=True, eq=False)
class Columns:
    """Rounded figures, one list per account with one value per period. `burn_rate` is NaN where
    no rate exists; budget columns are None for accounts without a commitment."""

    measured_minutes: list[list[float]]
    downtime_minutes: list[list[float]]
    excluded_minutes: list[list[float]]
    uptime_percent: list[list[float]]
    budget_left_minutes: list[list[float] | None]
    burn_rate: list[list[float] | None]


def rounded(numerators: Grid, denominators: Grid | int) -> npt.NDArray[np.float64]:
    """numerators ÷ denominators (positive) rounded half-up to 4 decimals, element by element."""
    magnitude = np.abs(numerators) * 10_000
    whole = (magnitude * 2 + denominators) // (np.asarray(denominators) * 2)
    signed = np.where(numerators < 0, -whole, whole)
    # Whole numbers below 2**53 are exact doubles, so dividing by 10 000 is correctly rounded.
    shown: npt.NDArray[np.float64] = np.asarray(signed, dtype=np.float64) / 10_000
    return shown


def _sums(values: Grid, starts: Epochs, ends: Epochs) -> Grid:
    """Per row, the sum of columns `[starts[k], ends[k])` for every k."""
    running = np.concatenate([np.zeros((values.shape[0], 1), dtype=values.dtype), np.cumsum(values, axis=1)], axis=1)
    sums: Grid = running[:, ends] - running[:, starts]
    return sums


def columns(
    down: Grid,
    degraded: Grid,
    excluded: Grid,
    measured: Epochs,
    periods: Periods,
    weight: Decimal,
    commitments: Sequence[Decimal | None],
) -> Columns:
    """Every figure of every (account, period): `down`, `degraded`, `excluded` are seconds per
    account and day, `measured` seconds per day."""
    p, q = weight.as_integer_ratio()
    scales = [c.as_integer_ratio()[1] for c in commitments if c is not None]
    bound = (int(periods.month_measured.max(initial=0)) + int(measured.sum()) + 1) * (p + q) * max(scales, default=1)
    exact = bound * 10**7 < _INT64_SAFE
    dtype: Any = np.int64 if exact else object
    down_q = down.astype(dtype) * q + degraded.astype(dtype) * p
    per_day = np.broadcast_to(measured.astype(dtype), down.shape)
    period_measured = _sums(per_day, periods.starts, periods.ends)
    period_down_q = _sums(down_q, periods.starts, periods.ends)
    measured_q = np.where(period_measured > 0, period_measured * q, 1)
    uptime = np.where(period_measured > 0, (period_measured * q - period_down_q) * 100, 100)
    left, burn = _budget(down_q, per_day, periods, q, commitments)
    return Columns(
        measured_minutes=rounded(period_measured, 60).tolist(),
        downtime_minutes=rounded(period_down_q, 60 * q).tolist(),
        excluded_minutes=rounded(_sums(excluded.astype(dtype), periods.starts, periods.ends), 60).tolist(),
        uptime_percent=rounded(uptime, measured_q).tolist(),
        budget_left_minutes=left,
        burn_rate=burn,
    )


def _budget(
    down_q: Grid, per_day: Grid, periods: Periods, q: int, commitments: Sequence[Decimal | None]
) -> tuple[list[list[float] | None], list[list[float] | None]]:
    """Budget left (minutes) and burn rate at the end of each period, for the period's month.

    With commitment c = cn/cd: allowed = month × (100·cd − cn) ÷ (100·cd); left = allowed − used;
    burn = (used ÷ allowed) ÷ (elapsed ÷ month) = used × 100·cd ÷ ((100·cd − cn) × elapsed).
    """
    ratios = [c.as_integer_ratio() if c is not None else (100, 1) for c in commitments]
    cn = np.array([[n] for n, _ in ratios], dtype=down_q.dtype)
    cd = np.array([[d] for _, d in ratios], dtype=down_q.dtype)
    used_q = _sums(down_q, periods.month_start_day, periods.ends)
    elapsed = _sums(per_day, periods.month_start_day, periods.ends)
    share = 100 * cd - cn
    full = periods.month_measured.astype(down_q.dtype)[np.newaxis, :]
    left = rounded(full * share * q - used_q * 100 * cd, 100 * cd * q * 60).tolist()
    rate_den = share * elapsed * q
    rates = rounded(used_q * 100 * cd, np.where(rate_den > 0, rate_den, 1))
    burn = np.where(rate_den > 0, rates, np.nan).tolist()
    has = [c is not None for c in commitments]
    return [row if ok else None for row, ok in zip(left, has, strict=True)], [
        row if ok else None for row, ok in zip(burn, has, strict=True)
    ]
