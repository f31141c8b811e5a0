"""Which minutes of each account were down, degraded, excluded (and why), for many accounts at once.

Each "lane" is one account's timeline (accounts that saw exactly the same records share a lane).
All lanes are laid on one `LaneAxis`, so every step below is one vectorised interval operation
for all of them. The rules, decided in docs/uptime-and-credits.md:

- Measured minutes are the window's minutes, or only the business calendar's working minutes.
- A counted record (down, degraded that the policy counts, maintenance announced too late) adds
  its minutes on its component, except where a maintenance window or an announced maintenance on
  that component covers them: maintenance time is excluded whatever else happened in it.
- A minute down on any component is down for the account; overlaps count once. A counted degraded
  minute that is not down is degraded. Every other affected minute is excluded, and attributed to
  the first reason (in `MeasurementRules.reasons` order) that covers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from troth.core.calendars import compile_calendar
from troth.core.intervals import Epochs, Intervals, LaneAxis
from troth.core.uptime.rules import MeasurementRules
from troth.core.uptime.table import Codes, OutageTable, Treatment, treatments
from troth.core.uptime.windows import window_intervals


@dataclass(frozen=True, slots=True, eq=False)
class LaneSets:
    """The classified minutes of every lane, as placed intervals on `axis`.

    `measured` is absolute (the same for every lane). `component_down` and `component_degraded`
    are on component lanes `lane * len(components) + component`.
    """

    axis: LaneAxis
    lanes: int
    measured: Intervals
    down: Intervals
    degraded: Intervals
    excluded: tuple[Intervals, ...]
    unmeasured: Intervals
    components: tuple[str, ...]
    component_down: Intervals
    component_degraded: Intervals


def measured_intervals(rules: MeasurementRules, lo: int, hi: int) -> Intervals:
    """The measured part of `[lo, hi)`: all of it, or the business calendar's working time."""
    if rules.calendar is None or rules.calendar_zone is None:
        return Intervals.of([lo], [hi])
    return Intervals.from_pairs(compile_calendar(rules.calendar, rules.calendar_zone).working_intervals(lo, hi))


@dataclass(frozen=True, slots=True, eq=False)
class _Rows:
    """One row per (lane, record) pair, ready to be laid on the axis by lane or by component lane."""

    axis: LaneAxis
    starts: Epochs
    ends: Epochs
    lane: Epochs
    component_lane: Epochs
    """lane × number of components + the record's component."""
    treatment: Codes
    reason: Codes

    @staticmethod
    def expand(table: OutageTable, rules: MeasurementRules, lanes: Sequence[Epochs], axis: LaneAxis) -> _Rows:
        sizes = np.array([len(records) for records in lanes], dtype=np.int64)
        lane = np.repeat(np.arange(len(lanes), dtype=np.int64), sizes)
        record = np.concatenate([np.asarray(r, dtype=np.int64) for r in lanes]) if lanes else lane
        treatment, reason = treatments(table, rules)
        width = max(len(table.component_names), 1)
        return _Rows(
            axis=axis,
            starts=table.starts[record],
            ends=table.ends[record],
            lane=lane,
            component_lane=lane * width + table.components[record],
            treatment=treatment[record],
            reason=reason[record],
        )

    def by_lane(self, select: npt.NDArray[np.bool_]) -> Intervals:
        return self.axis.place(self.starts[select], self.ends[select], self.lane[select])

    def by_component(self, select: npt.NDArray[np.bool_]) -> Intervals:
        return self.axis.place(self.starts[select], self.ends[select], self.component_lane[select])

    def treated(self, treatment: Treatment) -> npt.NDArray[np.bool_]:
        chosen: npt.NDArray[np.bool_] = self.treatment == treatment
        return chosen


def classify(table: OutageTable, rules: MeasurementRules, lanes: Sequence[Epochs], window: tuple[int, int]) -> LaneSets:
    """Classify the minutes of `window` (`[lo, hi)` epoch seconds) for every lane of records."""
    axis = LaneAxis.covering(*window)
    rows = _Rows.expand(table, rules, lanes, axis)
    measured = measured_intervals(rules, *window)
    affected = rows.by_lane(np.ones(rows.lane.size, dtype=np.bool_))
    measured_affected = axis.intersect_pattern(affected, measured)
    counted_down = rows.by_component(rows.treated(Treatment.DOWN))
    counted_degraded = rows.by_component(rows.treated(Treatment.DEGRADED))
    shields = rows.by_component(rows.treated(Treatment.SHIELD))
    shielded = _shield(axis, rules, counted_down.union(counted_degraded), shields, table.component_names, window)
    hidden = Intervals.empty()
    for part in shielded:
        hidden = hidden.union(part)
    component_down = axis.intersect_pattern(counted_down.difference(hidden), measured)
    component_degraded = axis.intersect_pattern(counted_degraded.difference(hidden), measured)
    # Back from component lanes to account lanes: a minute down on any component is down.
    to_lane = np.arange(len(lanes) * max(len(table.component_names), 1), dtype=np.int64)
    to_lane //= max(len(table.component_names), 1)
    down = axis.relane(component_down, to_lane)
    degraded = axis.relane(component_degraded, to_lane).difference(down)
    reasons = _reason_sets(rows, rules, [axis.relane(part, to_lane) for part in shielded])
    return LaneSets(
        axis=axis,
        lanes=len(lanes),
        measured=measured,
        down=down,
        degraded=degraded,
        excluded=_attribute(measured_affected.difference(down).difference(degraded), reasons),
        unmeasured=affected.difference(measured_affected),
        components=table.component_names,
        component_down=component_down,
        component_degraded=component_degraded.difference(component_down),
    )


def _reason_sets(rows: _Rows, rules: MeasurementRules, shielded: list[Intervals]) -> list[Intervals]:
    """For each reason in `rules.reasons`, the minutes it covers (on account lanes)."""
    found = list(shielded)
    # Announced maintenance is excluded time of its own, not only a shield over other records.
    announced = len(rules.windows)
    found[announced] = found[announced].union(rows.by_lane(rows.treated(Treatment.SHIELD)))
    excluded = rows.treated(Treatment.EXCLUDED)
    for index in range(announced + 1, len(rules.reasons)):
        found.append(rows.by_lane(excluded & (rows.reason == index)))
    return found


def _shield(
    axis: LaneAxis,
    rules: MeasurementRules,
    counted: Intervals,
    shields: Intervals,
    names: tuple[str, ...],
    window: tuple[int, int],
) -> list[Intervals]:
    """The counted component minutes each maintenance window, then announced maintenance, hides."""
    parts: list[Intervals] = []
    hidden = Intervals.empty()
    for recurring in rules.windows:
        pattern = window_intervals(recurring, *window)
        exposed = _on_components(axis, counted.difference(hidden), recurring.components, names)
        part = axis.intersect_pattern(exposed, pattern)
        hidden = hidden.union(part)
        parts.append(part)
    parts.append(counted.difference(hidden).intersection(shields))
    return parts


def _on_components(axis: LaneAxis, placed: Intervals, components: frozenset[str], names: tuple[str, ...]) -> Intervals:
    """Only the component lanes a window covers (an empty set of components means all)."""
    if not components:
        return placed
    codes = np.array([code for code, name in enumerate(names) if name in components], dtype=np.int64)
    keep = np.isin(axis.lanes_of(placed) % max(len(names), 1), codes)
    return Intervals(placed.starts[keep], placed.ends[keep])


def _attribute(excluded: Intervals, reason_sets: list[Intervals]) -> tuple[Intervals, ...]:
    """Split excluded minutes by reason: each minute goes to the first reason that covers it."""
    remaining = excluded
    parts = []
    for covering in reason_sets:
        part = remaining.intersection(covering)
        remaining = remaining.difference(part)
        parts.append(part)
    return tuple(parts)
