"""Measure many accounts at once: group them by rules, share a lane between accounts that saw the
same records, classify every lane in one vectorised pass, and total the seconds.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from troth.core.intervals import Epochs
from troth.core.uptime.engine import LaneSets, classify
from troth.core.uptime.figures import UptimeFigures
from troth.core.uptime.rules import MeasurementRules
from troth.core.uptime.table import OutageTable


@dataclass(frozen=True, slots=True, eq=False)
class Subject:
    """One timeline to measure: the records (indices into the table) an account saw, under its rules."""

    key: Hashable
    rules: MeasurementRules
    records: Epochs


@dataclass(frozen=True, slots=True, eq=False)
class Group:
    """Subjects with equal rules, classified together; `lane_of[key]` is each subject's lane."""

    rules: MeasurementRules
    sets: LaneSets
    lane_of: Mapping[Hashable, int]


def records_by_account(table: OutageTable, accounts: Iterable[str], window: tuple[int, int]) -> dict[str, Epochs]:
    """For each account, the indices of the records that touch `[lo, hi)` and affect it."""
    lo, hi = window
    touching = (table.starts < hi) & (table.ends > lo) & (table.ends > table.starts)
    shared: list[int] = []
    own: dict[str, list[int]] = {account: [] for account in accounts}
    for index in np.flatnonzero(touching).tolist():
        scope = table.outages[index].accounts
        if scope is None:
            shared.append(index)
            continue
        for account in scope:
            if account in own:
                own[account].append(index)
    return {account: np.array(sorted(shared + extra), dtype=np.int64) for account, extra in own.items()}


def classify_subjects(table: OutageTable, subjects: Sequence[Subject], window: tuple[int, int]) -> list[Group]:
    """Classify every subject's minutes in `window`, one vectorised pass per distinct rules."""
    by_rules: dict[MeasurementRules, list[Subject]] = {}
    for subject in subjects:
        by_rules.setdefault(subject.rules, []).append(subject)
    groups = []
    for rules, members in by_rules.items():
        lanes: list[Epochs] = []
        lane_by_records: dict[bytes, int] = {}
        lane_of: dict[Hashable, int] = {}
        for subject in members:
            # Accounts that saw exactly the same records have the same minutes: one lane serves all.
            signature = subject.records.tobytes()
            if signature not in lane_by_records:
                lane_by_records[signature] = len(lanes)
                lanes.append(subject.records)
            lane_of[subject.key] = lane_by_records[signature]
        groups.append(Group(rules=rules, sets=classify(table, rules, lanes, window), lane_of=lane_of))
    return groups


def measure_totals(
    table: OutageTable, subjects: Sequence[Subject], window: tuple[int, int]
) -> dict[Hashable, UptimeFigures]:
    """Each subject's figures over the whole of `window`."""
    figures: dict[Hashable, UptimeFigures] = {}
    for group in classify_subjects(table, subjects, window):
        per_lane = lane_totals(group)
        for key, lane in group.lane_of.items():
            figures[key] = per_lane[lane]
    return figures


def lane_totals(group: Group) -> list[UptimeFigures]:
    sets, rules = group.sets, group.rules
    axis, count = sets.axis, sets.lanes
    down = axis.totals(sets.down, count)
    degraded = axis.totals(sets.degraded, count)
    unmeasured = axis.totals(sets.unmeasured, count)
    excluded = [axis.totals(part, count) for part in sets.excluded]
    reasons = rules.reasons
    measured = sets.measured.total()
    return [
        UptimeFigures(
            measured_seconds=measured,
            down_seconds=int(down[lane]),
            degraded_seconds=int(degraded[lane]),
            weight=rules.weight,
            excluded=tuple((reasons[k], int(part[lane])) for k, part in enumerate(excluded) if part[lane]),
            unmeasured_seconds=int(unmeasured[lane]),
        )
        for lane in range(count)
    ]
