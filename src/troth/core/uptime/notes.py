"""Per-record evidence for explanations: how each record counted and how much of it was measured.

The minutes in an explanation come from the engine (overlaps counted once); these notes only say
which records stand behind them, so a person can look each one up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from troth.core.intervals import Epochs, Intervals
from troth.core.uptime.engine import measured_intervals
from troth.core.uptime.records import Outage, OutageKind
from troth.core.uptime.rules import MeasurementRules
from troth.core.uptime.table import KINDS, Codes, OutageTable, Treatment, treatments
from troth.core.uptime.windows import window_intervals

MAX_LISTED = 8


@dataclass(frozen=True, slots=True, eq=False)
class RecordNotes:
    """For every record of the table, under one account's rules and over one window."""

    treatment: Codes
    reason: Codes
    late: npt.NDArray[np.bool_]
    """Maintenance that counts as downtime (announced too late, or never)."""
    still_open: npt.NDArray[np.bool_]
    within: Epochs
    """Seconds of the record inside the window."""
    measured: Epochs
    """Seconds of the record inside the measured minutes (overlaps with other records included)."""
    in_window: tuple[Epochs, ...]
    """Per recurring window: seconds of the record inside it."""


def _overlap(pattern: Intervals, table: OutageTable, window: tuple[int, int]) -> Epochs:
    starts = np.clip(table.starts, *window)
    ends = np.clip(table.ends, *window)
    return pattern.covered_before(ends) - pattern.covered_before(starts)


def record_notes(table: OutageTable, rules: MeasurementRules, window: tuple[int, int]) -> RecordNotes:
    treatment, reason = treatments(table, rules)
    measured = measured_intervals(rules, *window)
    windows = tuple(_overlap(window_intervals(w, *window).intersection(measured), table, window) for w in rules.windows)
    maintenance = table.kinds == KINDS.index(OutageKind.MAINTENANCE)
    return RecordNotes(
        late=maintenance & (treatment == Treatment.DOWN),
        still_open=np.array([o.end_at is None for o in table.outages], dtype=np.bool_),
        treatment=treatment,
        reason=reason,
        within=np.clip(table.ends, *window) - np.clip(table.starts, *window),
        measured=_overlap(measured, table, window),
        in_window=windows,
    )


def listed(ids: list[str]) -> str:
    """`O-1, O-2` or `O-1, …, O-8 and 12 more`."""
    if len(ids) <= MAX_LISTED:
        return ", ".join(ids)
    return f"{', '.join(ids[:MAX_LISTED])} and {len(ids) - MAX_LISTED} more"


@dataclass(frozen=True, slots=True, eq=False)
class AccountRecords:
    """The notes of the records one account saw (indices `records` into the table)."""

    table: OutageTable
    records: Epochs
    treatment: Codes
    reason: Codes
    late: npt.NDArray[np.bool_]
    still_open: npt.NDArray[np.bool_]
    within: Epochs
    measured: Epochs
    in_window: tuple[Epochs, ...]

    @staticmethod
    def take(table: OutageTable, notes: RecordNotes, records: Epochs) -> AccountRecords:
        return AccountRecords(
            table=table,
            records=records,
            late=notes.late[records],
            still_open=notes.still_open[records],
            treatment=notes.treatment[records],
            reason=notes.reason[records],
            within=notes.within[records],
            measured=notes.measured[records],
            in_window=tuple(part[records] for part in notes.in_window),
        )

    def ids(self, select: npt.NDArray[np.bool_]) -> list[str]:
        return [outage.id for outage in self.outages(select)]

    def outages(self, select: npt.NDArray[np.bool_]) -> list[Outage]:
        return [self.table.outages[i] for i in self.records[select].tolist()]

    @property
    def counted(self) -> npt.NDArray[np.bool_]:
        chosen: npt.NDArray[np.bool_] = (self.treatment == Treatment.DOWN) | (self.treatment == Treatment.DEGRADED)
        return chosen
