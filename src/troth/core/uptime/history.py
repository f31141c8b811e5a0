"""Uptime per account per day or month, with the month's error budget: `troth uptime`'s rows.

Decided (docs/uptime-and-credits.md):
- Days and months are local to the policy's uptime zone. A period is measured up to the
  evaluation instant `at`; periods that start after it are not reported.
- With `--by month`, every month overlapping the range is reported whole (up to `at`).
- The error budget is the month's: each row shows what is left of its month's budget at the
  end of the row's period, and the burn rate so far (see `budget.py`).

Rows are produced one account at a time, so a year of days for many accounts streams out
without holding every row in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from troth.core.accounts import Account
from troth.core.instants import to_epoch
from troth.core.intervals import Epochs
from troth.core.policies.model import Policy
from troth.core.uptime.engine import measured_intervals
from troth.core.uptime.figures import round_half_up, round_ratios, uptime_percent
from troth.core.uptime.measure import Group, Subject, classify_subjects, records_by_account
from troth.core.uptime.periods import Month, day_boundaries
from troth.core.uptime.records import Outage
from troth.core.uptime.rules import MeasurementRules, rules_for
from troth.core.uptime.table import OutageTable, build_table

Row = dict[str, Any]
_INT64_SAFE = 2**62


class PeriodKind(StrEnum):
    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryTerms:
    """An account and the policy as it applies to it."""

    account: Account
    policy: Policy


@dataclass(frozen=True, slots=True, eq=False)
class _Calendar:
    """The days of one zone's range: their boundaries, months, and which of them are reported."""

    zone: str
    days: list[date]
    bounds: Epochs
    month_of_day: npt.NDArray[np.int64]
    months: list[Month]
    periods: list[tuple[str, int, int]]
    """(label, first day index, day index past the end) of every reported period."""


@dataclass(frozen=True, slots=True, eq=False)
class _Totals:
    """Seconds per lane and day for one group of accounts, and the month figures for budgets."""

    group: Group
    measured: Epochs
    down: Epochs
    degraded: Epochs
    excluded: Epochs
    month_measured: list[int]
    components: dict[tuple[int, int], dict[str, list[int]]]


def uptime_history(
    terms: Sequence[HistoryTerms], outages: Sequence[Outage], first: date, last: date, by: PeriodKind, at: datetime
) -> Iterator[Row]:
    """Rows for every account (sorted by id) and period from `first` to `last` (inclusive dates)."""
    table = build_table(outages, to_epoch(at))
    rules = {t.account.id: rules_for(t.policy, t.account) for t in terms}
    commitments = {t.account.id: t.policy.uptime.commitment_percent if t.policy.uptime else None for t in terms}
    where: dict[str, tuple[_Calendar, _Totals, int]] = {}
    for zone in sorted({r.zone for r in rules.values()}):
        members = [t.account.id for t in terms if rules[t.account.id].zone == zone]
        calendar = _calendar(zone, first, last, by, table.at)
        if calendar is None:
            continue
        for totals in _group_totals(table, calendar, members, rules):
            for account, lane in totals.group.lane_of.items():
                where[str(account)] = (calendar, totals, lane)
    for account in sorted(where):
        calendar, totals, lane = where[account]
        yield from _rows(account, commitments[account], calendar, totals, lane)


def _calendar(zone: str, first: date, last: date, by: PeriodKind, at: int) -> _Calendar | None:
    start = Month.of(first).first_day
    end = Month.of(last).next().first_day - timedelta(days=1) if by is PeriodKind.MONTH else last
    bounds = day_boundaries(start, end, zone)
    known = min(int(np.searchsorted(bounds, at, side="left")), bounds.size - 1)  # days that start before `at`
    if known == 0:
        return None
    bounds = np.append(bounds[:known], min(int(bounds[known]) if known < bounds.size else at, at))
    days = [start + timedelta(days=k) for k in range(known)]
    months = sorted({Month.of(d) for d in days})
    month_of_day = np.array([months.index(Month.of(d)) for d in days], dtype=np.int64)
    if by is PeriodKind.DAY:
        periods = [(d.isoformat(), k, k + 1) for k, d in enumerate(days) if d >= first]
    else:
        periods = [(str(m), *_day_range(month_of_day, i)) for i, m in enumerate(months)]
    return _Calendar(zone=zone, days=days, bounds=bounds, month_of_day=month_of_day, months=months, periods=periods)


def _day_range(month_of_day: npt.NDArray[np.int64], month: int) -> tuple[int, int]:
    indices = np.flatnonzero(month_of_day == month)
    return int(indices[0]), int(indices[-1]) + 1


def _group_totals(
    table: OutageTable, calendar: _Calendar, members: list[str], rules: dict[str, MeasurementRules]
) -> list[_Totals]:
    window = (int(calendar.bounds[0]), int(calendar.bounds[-1]))
    records = records_by_account(table, members, window)
    subjects = [Subject(key=account, rules=rules[account], records=records[account]) for account in members]
    found = []
    for group in classify_subjects(table, subjects, window):
        sets, axis, lanes, bounds = group.sets, group.sets.axis, group.sets.lanes, calendar.bounds
        excluded = sets.excluded[0] if sets.excluded else sets.down.difference(sets.down)
        for part in sets.excluded[1:]:
            excluded = excluded.union(part)
        found.append(
            _Totals(
                group=group,
                measured=np.diff(sets.measured.covered_before(bounds)),
                down=axis.bucket_totals(sets.down, bounds, lanes),
                degraded=axis.bucket_totals(sets.degraded, bounds, lanes),
                excluded=axis.bucket_totals(excluded, bounds, lanes),
                month_measured=[
                    measured_intervals(group.rules, *m.span(calendar.zone)).total() for m in calendar.months
                ],
                components=_component_totals(group, bounds),
            )
        )
    return found


def _component_totals(group: Group, bounds: Epochs) -> dict[tuple[int, int], dict[str, list[int]]]:
    """(lane, day) → component → [down seconds, degraded seconds], only where there are any."""
    sets = group.sets
    width = max(len(sets.components), 1)
    found: dict[tuple[int, int], dict[str, list[int]]] = {}
    for slot, placed in enumerate((sets.component_down, sets.component_degraded)):
        lanes, days, seconds = sets.axis.bucket_pieces(placed, bounds)
        for lane, day, amount in zip(lanes.tolist(), days.tolist(), seconds.tolist(), strict=True):
            entry = found.setdefault((lane // width, day), {}).setdefault(sets.components[lane % width], [0, 0])
            entry[slot] += amount
    return found


def _ints(values: npt.NDArray[np.int64], bound: int) -> npt.NDArray[Any]:
    """int64 when every intermediate fits comfortably, else exact Python ints."""
    return values if bound < _INT64_SAFE else values.astype(object)


def _rows(account: str, commitment: Decimal | None, calendar: _Calendar, totals: _Totals, lane: int) -> Iterator[Row]:
    weight = totals.group.rules.weight
    p, q = weight.as_integer_ratio()
    starts = np.array([first for _, first, _ in calendar.periods], dtype=np.int64)
    ends = np.array([end for _, _, end in calendar.periods], dtype=np.int64)
    # The largest intermediate is about seconds × q × 100 × commitment denominator × 2 × 10**4.
    scale = commitment.as_integer_ratio()[1] if commitment is not None else 1
    bound = (int(totals.measured.sum()) + 1) * (q + p) * scale * 10**7
    down_q = _ints(totals.down[lane] * q + totals.degraded[lane] * p, bound)
    measured = _ints(totals.measured, bound)
    period_measured = _period_sums(measured, starts, ends)
    period_down_q = _period_sums(down_q, starts, ends)
    excluded = _period_sums(_ints(totals.excluded[lane], bound), starts, ends)
    safe = np.where(period_measured > 0, period_measured, 1)
    uptime_num = np.where(period_measured > 0, (period_measured * q - period_down_q) * 100, 100)
    columns = {
        "measured_minutes": round_ratios(period_measured, np.full_like(period_measured, 60)),
        "downtime_minutes": round_ratios(period_down_q, np.full_like(period_down_q, 60 * q)),
        "excluded_minutes": round_ratios(excluded, np.full_like(excluded, 60)),
        "uptime_percent": round_ratios(uptime_num, np.where(period_measured > 0, safe * q, 1)),
    }
    budget = _budget_columns(commitment, calendar, totals, down_q, measured, ends, q)
    for index, (label, first, end) in enumerate(calendar.periods):
        yield {
            "account": account,
            "period": label,
            "measured_minutes": columns["measured_minutes"][index],
            "downtime_minutes": columns["downtime_minutes"][index],
            "excluded_minutes": columns["excluded_minutes"][index],
            "uptime_percent": columns["uptime_percent"][index],
            "commitment_percent": None if commitment is None else round_half_up(Fraction(commitment)),
            "budget_left_minutes": budget[0][index],
            "burn_rate": budget[1][index],
            "components": _components(totals, lane, first, end, int(period_measured[index]), weight),
        }


def _period_sums(values: npt.NDArray[Any], starts: Epochs, ends: Epochs) -> npt.NDArray[Any]:
    running = np.concatenate([np.zeros(1, dtype=values.dtype), np.cumsum(values)])
    sums: npt.NDArray[Any] = running[ends] - running[starts]
    return sums


def _budget_columns(
    commitment: Decimal | None,
    calendar: _Calendar,
    totals: _Totals,
    down_q: npt.NDArray[Any],
    measured: npt.NDArray[Any],
    ends: Epochs,
    q: int,
) -> tuple[list[float | None], list[float | None]]:
    """Budget left (minutes) and burn rate at the end of each period, for the period's month."""
    if commitment is None or ends.size == 0:
        return [None] * ends.size, [None] * ends.size
    cn, cd = commitment.as_integer_ratio()
    month = calendar.month_of_day[ends - 1]
    first_day = np.array([int(np.flatnonzero(calendar.month_of_day == m)[0]) for m in month.tolist()], dtype=np.int64)
    used_q = _period_sums(down_q, first_day, ends)
    elapsed = _period_sums(measured, first_day, ends)
    full = np.array([totals.month_measured[m] for m in month.tolist()], dtype=np.int64).astype(measured.dtype)
    share = 100 * cd - cn  # allowed = full × share ÷ (100 cd)
    left = round_ratios(full * share * q - used_q * 100 * cd, np.full_like(used_q, 100 * cd * q * 60))
    rate_den = q * share * elapsed
    rates = round_ratios(used_q * 100 * cd, np.where(rate_den > 0, rate_den, 1))
    burn = [rate if den > 0 else None for rate, den in zip(rates, rate_den.tolist(), strict=True)]
    return list(left), burn


def _components(
    totals: _Totals, lane: int, first: int, end: int, measured: int, weight: Decimal
) -> dict[str, dict[str, float]]:
    found: dict[str, list[int]] = {}
    for day in range(first, end):
        for name, (down, degraded) in totals.components.get((lane, day), {}).items():
            entry = found.setdefault(name, [0, 0])
            entry[0] += down
            entry[1] += degraded
    shown = {}
    for name in sorted(found):
        downtime = found[name][0] + Fraction(weight) * found[name][1]
        if downtime:
            shown[name] = {
                "downtime_minutes": round_half_up(downtime / 60),
                "uptime_percent": round_half_up(uptime_percent(measured, downtime)),
            }
    return shown
