"""Uptime per account per day or month, with the month's error budget: `troth uptime`'s rows.

Decided (docs/uptime-and-credits.md):
- Days and months are local to the policy's uptime zone. A period is measured up to the
  evaluation instant `at`; periods that start after it are not reported.
- With `--by month`, every month overlapping the range is reported whole (up to `at`).
- The error budget is the month's: each row shows what is left of its month's budget at the
  end of the row's period, and the burn rate so far (see `budget.py`).

Rows are computed for blocks of accounts (NumPy over accounts × periods) and handed out one
account at a time, so a year of days for many accounts streams out without ever being held whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from troth.core.accounts import Account
from troth.core.instants import to_epoch
from troth.core.intervals import Epochs
from troth.core.policies.model import Policy
from troth.core.uptime.columns import Columns, Periods, columns
from troth.core.uptime.engine import measured_intervals
from troth.core.uptime.figures import exact, round_half_up, round_ratio
from troth.core.uptime.measure import Group, Subject, classify_subjects, records_by_account
from troth.core.uptime.periods import Month, day_boundaries
from troth.core.uptime.records import Outage
from troth.core.uptime.rules import MeasurementRules, shared_rules
from troth.core.uptime.table import OutageTable, build_table

Row = dict[str, Any]


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
    month_start_day: npt.NDArray[np.int64]
    """For every day, the index of the first day of its month."""
    months: list[Month]
    labels: list[str]
    starts: Epochs
    ends: Epochs
    """Every reported period is days `[starts[k], ends[k])`, shown as `labels[k]`."""
    period_of_day: npt.NDArray[np.int64]
    """The reported period each day belongs to (-1 for days only used for the month's budget)."""

    def periods_for(self, measured: Epochs, month_measured: list[int]) -> Periods:
        """The reported periods with their measured seconds, given the seconds measured each day
        and in each whole month (both depend on the rules)."""
        last_day = self.ends - 1
        running = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(measured)])
        return Periods(
            starts=self.starts,
            ends=self.ends,
            month_start_day=self.month_start_day[last_day],
            month_measured=np.array(month_measured, dtype=np.int64)[self.month_of_day[last_day]],
            measured=(running[self.ends] - running[self.starts]).tolist(),
        )


@dataclass(frozen=True, slots=True, eq=False)
class _Totals:
    """Seconds per lane and day for one group of accounts, and the month figures for budgets."""

    group: Group
    measured: Epochs
    down: Epochs
    degraded: Epochs
    excluded: Epochs
    month_measured: list[int]
    components: dict[int, dict[int, dict[str, list[int]]]]
    """lane → day → component → [down seconds, degraded seconds], only where there are any."""


def uptime_history(
    terms: Sequence[HistoryTerms], outages: Sequence[Outage], first: date, last: date, by: PeriodKind, at: datetime
) -> Iterator[list[Row]]:
    """The rows of every period from `first` to `last` (inclusive dates), one list per account,
    accounts sorted by id."""
    table = build_table(outages, to_epoch(at))
    rules = shared_rules((t.policy, t.account) for t in terms)
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
    ordered = sorted(where)
    for begin in range(0, len(ordered), _BLOCK):
        yield from _block_rows(ordered[begin : begin + _BLOCK], where, commitments)


_BLOCK = 512
"""Accounts whose rows are computed together: big enough for NumPy to pay, small enough for memory."""


def _block_rows(
    accounts: list[str], where: dict[str, tuple[_Calendar, _Totals, int]], commitments: dict[str, Decimal | None]
) -> list[list[Row]]:
    rows: dict[str, list[Row]] = {}
    by_group: dict[int, list[str]] = {}
    for account in accounts:
        by_group.setdefault(id(where[account][1]), []).append(account)
    for members in by_group.values():
        calendar, totals, _ = where[members[0]]
        lanes = np.array([where[a][2] for a in members], dtype=np.int64)
        periods = calendar.periods_for(totals.measured, totals.month_measured)
        figures = columns(
            totals.down[lanes],
            totals.degraded[lanes],
            totals.excluded[lanes],
            totals.measured,
            periods,
            totals.group.rules.weight,
            [commitments[a] for a in members],
        )
        for index, account in enumerate(members):
            components = _components(totals.components.get(int(lanes[index]), {}), calendar, periods.measured, totals)
            rows[account] = _rows(account, commitments[account], calendar, figures, index, components)
    return [rows[account] for account in accounts]


def _calendar(zone: str, first: date, last: date, by: PeriodKind, at: int) -> _Calendar | None:
    start = Month.of(first).first_day
    final = Month.of(last).next().first_day - timedelta(days=1) if by is PeriodKind.MONTH else last
    bounds = day_boundaries(start, final, zone)
    # Only days that begin before `at` are known; the last known one ends at `at` at the latest.
    known = min(int(np.searchsorted(bounds, at, side="left")), bounds.size - 1)
    if known == 0:
        return None
    bounds = np.append(bounds[:known], min(int(bounds[known]), at))
    days = [start + timedelta(days=k) for k in range(known)]
    months = sorted({Month.of(d) for d in days})
    month_of_day = np.array([months.index(Month.of(d)) for d in days], dtype=np.int64)
    month_start = np.searchsorted(month_of_day, np.arange(len(months)), side="left")
    periods = _periods(days, months, month_start, first, by)
    period_of_day = np.full(len(days), -1, dtype=np.int64)
    for index, (_, begin, stop) in enumerate(periods):
        period_of_day[begin:stop] = index
    return _Calendar(
        zone=zone,
        days=days,
        bounds=bounds,
        month_of_day=month_of_day,
        month_start_day=month_start[month_of_day],
        months=months,
        labels=[label for label, _, _ in periods],
        starts=np.array([begin for _, begin, _ in periods], dtype=np.int64),
        ends=np.array([stop for _, _, stop in periods], dtype=np.int64),
        period_of_day=period_of_day,
    )


def _periods(
    days: list[date], months: list[Month], month_start: Epochs, first: date, by: PeriodKind
) -> list[tuple[str, int, int]]:
    """(label, first day index, day index past the end) of every reported period."""
    if by is PeriodKind.DAY:
        return [(d.isoformat(), k, k + 1) for k, d in enumerate(days) if d >= first]
    stops = [*month_start[1:].tolist(), len(days)]
    return [(str(m), int(month_start[i]), stops[i]) for i, m in enumerate(months)]


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


def _component_totals(group: Group, bounds: Epochs) -> dict[int, dict[int, dict[str, list[int]]]]:
    sets = group.sets
    width = max(len(sets.components), 1)
    found: dict[int, dict[int, dict[str, list[int]]]] = {}
    for slot, placed in enumerate((sets.component_down, sets.component_degraded)):
        lanes, days, seconds = sets.axis.bucket_pieces(placed, bounds)
        for lane, day, amount in zip(lanes.tolist(), days.tolist(), seconds.tolist(), strict=True):
            per_day = found.setdefault(lane // width, {}).setdefault(day, {})
            per_day.setdefault(sets.components[lane % width], [0, 0])[slot] += amount
    return found


def _rows(
    account: str,
    commitment: Decimal | None,
    calendar: _Calendar,
    figures: Columns,
    index: int,
    components: dict[int, dict[str, dict[str, float]]],
) -> list[Row]:
    shown_commitment = None if commitment is None else round_half_up(exact(commitment))
    nothing: list[float | None] = [None] * len(calendar.labels)
    left: Sequence[float | None] = figures.budget_left_minutes[index] or nothing
    burn: Sequence[float | None] = figures.burn_rate[index] or nothing
    values = zip(
        calendar.labels,
        figures.measured_minutes[index],
        figures.downtime_minutes[index],
        figures.excluded_minutes[index],
        figures.uptime_percent[index],
        left,
        burn,
        strict=True,
    )
    return [
        {
            "account": account,
            "period": label,
            "measured_minutes": measured_shown,
            "downtime_minutes": downtime_shown,
            "excluded_minutes": excluded_shown,
            "uptime_percent": uptime_shown,
            "commitment_percent": shown_commitment,
            "budget_left_minutes": left_shown,
            # NaN marks "no rate yet" in the arrays (it is the only value not equal to itself).
            "burn_rate": burn_shown if burn_shown == burn_shown else None,
            "components": components.get(period, _NONE),
        }
        for period, (label, measured_shown, downtime_shown, excluded_shown, uptime_shown, left_shown, burn_shown) in (
            enumerate(values)
        )
    ]


_NONE: dict[str, dict[str, float]] = {}


def _components(
    per_day: dict[int, dict[str, list[int]]], calendar: _Calendar, measured: list[int], totals: _Totals
) -> dict[int, dict[str, dict[str, float]]]:
    """Period index → component → its downtime and uptime, for periods with component downtime."""
    summed: dict[int, dict[str, list[int]]] = {}
    for day, names in per_day.items():
        period = int(calendar.period_of_day[day])
        if period < 0:
            continue
        for name, (down, degraded) in names.items():
            entry = summed.setdefault(period, {}).setdefault(name, [0, 0])
            entry[0] += down
            entry[1] += degraded
    p, q = totals.group.rules.weight.as_integer_ratio()
    shown: dict[int, dict[str, dict[str, float]]] = {}
    for period, names in summed.items():
        seconds = measured[period]
        for name in sorted(names):
            # Downtime × q is a whole number: down × q + degraded × p.
            down_q = names[name][0] * q + names[name][1] * p
            if down_q:
                shown.setdefault(period, {})[name] = {
                    "downtime_minutes": round_ratio(down_q, 60 * q),
                    "uptime_percent": round_ratio((seconds * q - down_q) * 100, seconds * q) if seconds else 100.0,
                }
    return shown
