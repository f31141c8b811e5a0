"""The rules both engines share: when a target applies, what it measures, and its status.

The single-ticket engine applies them to scalars, the bulk engine to arrays; each rule that has
both forms keeps them side by side here so they cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import numpy.typing as npt

from troth.core.durations import DurationKind
from troth.core.policies.model import Applicability, Target

WARNING_PERCENTS = (50, 75, 100)
"""Breach warnings: the instants at which these shares of a running target are used."""


class ClockStatus(StrEnum):
    MET = "met"
    BREACHED = "breached"
    RUNNING = "running"
    PAUSED = "paused"
    NOT_APPLICABLE = "not_applicable"


STATUS_CODES = tuple(ClockStatus)
"""Status by code, for the bulk engine's integer arrays."""


def applies(target: Target, *, platform_level: bool, scheduled: bool) -> bool:
    """Whether `target` measures anything on a ticket.

    N/A targets never do; platform-level targets only on tickets marked `platform_level`;
    scheduled targets only when the ticket carries `scheduled_at`; periodic targets need a length.
    """
    kind = target.duration.kind
    if kind is DurationKind.NOT_APPLICABLE:
        return False
    if target.applies_to is Applicability.PLATFORM_LEVEL and not platform_level:
        return False
    if kind is DurationKind.SCHEDULED:
        return scheduled and not target.periodic
    return target.length is not None


def length_seconds(target: Target) -> int | None:
    """The target's length in whole business seconds; None for scheduled and N/A targets."""
    if target.length is None or target.duration.kind is DurationKind.SCHEDULED:
        return None
    return int(target.length.total_seconds())


def warning_seconds(length: int, percent: int) -> int:
    """Business seconds after which `percent` of a target of `length` seconds is used (rounded up)."""
    return -(-length * percent // 100)


def status_of(*, stopped_at: int | None, unmet: bool, due_at: int | None, at: int) -> ClockStatus:
    """A stopped target is met when stopped at or before its due time (and by what it promised);
    a running one is breached once the evaluation instant passes its due time; with no due time
    (an open pause holds the clock) it is paused. Instants are epoch seconds."""
    if stopped_at is not None:
        met = not unmet and due_at is not None and stopped_at <= due_at
        return ClockStatus.MET if met else ClockStatus.BREACHED
    if due_at is None:
        return ClockStatus.PAUSED
    return ClockStatus.BREACHED if at > due_at else ClockStatus.RUNNING


def status_codes(
    *,
    stopped: npt.NDArray[np.bool_],
    stopped_at: npt.NDArray[np.int64],
    unmet: npt.NDArray[np.bool_],
    has_due: npt.NDArray[np.bool_],
    due_at: npt.NDArray[np.int64],
    at: int,
) -> npt.NDArray[np.int8]:
    """`status_of` over arrays; returns indexes into STATUS_CODES."""
    met = stopped & ~unmet & has_due & (stopped_at <= due_at)
    conditions = [met, stopped, ~has_due, at > due_at]
    choices = [STATUS_CODES.index(s) for s in (ClockStatus.MET, ClockStatus.BREACHED, ClockStatus.PAUSED)]
    choices.append(STATUS_CODES.index(ClockStatus.BREACHED))
    codes = np.select(conditions, choices, default=STATUS_CODES.index(ClockStatus.RUNNING))
    return codes.astype(np.int8)
