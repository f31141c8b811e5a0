"""Outages as columns of NumPy arrays, and how each record counts under an account's rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from troth.core.instants import to_epoch
from troth.core.intervals import Epochs
from troth.core.uptime.records import Cause, Outage, OutageKind
from troth.core.uptime.rules import MeasurementRules

Codes = npt.NDArray[np.int64]
KINDS: tuple[OutageKind, ...] = tuple(OutageKind)
CAUSES: tuple[Cause, ...] = tuple(Cause)


class Treatment(IntEnum):
    """How one record counts for one account (an int, because it is stored in NumPy arrays)."""

    DOWN = 0
    DEGRADED = 1
    SHIELD = 2
    """Announced maintenance: excluded itself, and hides what else happened on its component."""
    EXCLUDED = 3


@dataclass(frozen=True, slots=True, eq=False)
class OutageTable:
    """Every record as of the evaluation instant `at` (epoch seconds), one array element per record.

    Intervals are `[starts[i], ends[i])`. What is not known at `at` is cut off: an open record ends
    at `at`, and one that starts later is empty.
    """

    outages: tuple[Outage, ...]
    at: int
    starts: Epochs
    ends: Epochs
    kinds: Codes
    causes: Codes
    components: Codes
    component_names: tuple[str, ...]
    announced: Epochs
    announced_known: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.outages)


def build_table(outages: Sequence[Outage], at: int) -> OutageTable:
    """The columnar table of `outages` as known at `at`."""
    names = tuple(sorted({o.component for o in outages}))
    component_code = {name: code for code, name in enumerate(names)}
    starts = np.array([to_epoch(o.start_at) for o in outages], dtype=np.int64)
    ends = np.array([at if o.end_at is None else to_epoch(o.end_at) for o in outages], dtype=np.int64)
    starts = np.minimum(starts, at)
    return OutageTable(
        outages=tuple(outages),
        at=at,
        starts=starts,
        ends=np.clip(ends, starts, at),
        kinds=np.array([KINDS.index(o.kind) for o in outages], dtype=np.int64),
        causes=np.array([CAUSES.index(o.cause) for o in outages], dtype=np.int64),
        components=np.array([component_code[o.component] for o in outages], dtype=np.int64),
        component_names=names,
        announced=np.array(
            [0 if o.announced_at is None else to_epoch(o.announced_at) for o in outages], dtype=np.int64
        ),
        announced_known=np.array([o.announced_at is not None for o in outages], dtype=np.bool_),
    )


def announced_in_time(table: OutageTable, rules: MeasurementRules) -> npt.NDArray[np.bool_]:
    """Maintenance records whose announcement meets the notice rule (announced `notice` ahead)."""
    maintenance = table.kinds == KINDS.index(OutageKind.MAINTENANCE)
    if rules.notice is None:
        early = table.announced < table.starts
    else:
        early = table.announced <= table.starts - rules.notice // timedelta(seconds=1)
    in_time: npt.NDArray[np.bool_] = maintenance & table.announced_known & early & rules.maintenance_excluded
    return in_time


def treatments(table: OutageTable, rules: MeasurementRules) -> tuple[Codes, Codes]:
    """(treatment, reason index into `rules.reasons`) of every record; the reason is -1 when counted."""
    span = len(CAUSES) * max(len(table.component_names), 1)
    combos = table.kinds * span + table.causes * max(len(table.component_names), 1) + table.components
    unique, inverse = np.unique(combos, return_inverse=True)
    decided = [_treat(int(c), table.component_names, rules) for c in unique]
    treatment = np.array([d[0] for d in decided], dtype=np.int64)[inverse].reshape(-1)
    reason = np.array([d[1] for d in decided], dtype=np.int64)[inverse].reshape(-1)
    shield = announced_in_time(table, rules)
    treatment = np.where(shield, Treatment.SHIELD, treatment)
    reason = np.where(shield, len(rules.windows), reason)
    return treatment.astype(np.int64), reason.astype(np.int64)


def _treat(combo: int, names: tuple[str, ...], rules: MeasurementRules) -> tuple[Treatment, int]:
    components = max(len(names), 1)
    kind = KINDS[combo // (len(CAUSES) * components)]
    cause = CAUSES[combo // components % len(CAUSES)]
    component = names[combo % components] if names else ""
    first_exclusion = len(rules.windows) + 1
    for index, exclusion in enumerate(rules.exclusions):
        if exclusion.cause in (None, cause.value) and exclusion.component in (None, component):
            return Treatment.EXCLUDED, first_exclusion + index
    ineligible = sorted(rules.ineligible_components)
    if component in rules.ineligible_components:
        return Treatment.EXCLUDED, first_exclusion + len(rules.exclusions) + ineligible.index(component)
    if kind is OutageKind.DEGRADED:
        if rules.weight == 0:
            return Treatment.EXCLUDED, first_exclusion + len(rules.exclusions) + len(ineligible)
        return Treatment.DEGRADED, -1
    # Down, and maintenance that was not announced in time, count in full.
    return Treatment.DOWN, -1
