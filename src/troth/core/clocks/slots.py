"""Every target the policies define, flattened into arrays the bulk engine can index.

A slot is one target of one level of one policy variant (a policy version with an account's
plan and contract applied). Slots of a level are in target-key order, so expanding a ticket into
its level's slots yields rows already sorted by target.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from troth.core.calendars import CalendarSpec
from troth.core.clocks.columns import Flags, Ints
from troth.core.clocks.rules import applies, length_seconds
from troth.core.durations import DurationKind
from troth.core.policies.model import LevelChangeRule, Policy, Target, TargetStop

STOP_CODES = tuple(TargetStop)
NO_LENGTH = -1
_FLAG_COMBINATIONS = ((False, False), (False, True), (True, False), (True, True))
"""(platform_level, scheduled) in the order of `Slots.applies` columns."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Slots:
    """Slot arrays, and `first/count[variant * len(levels) + level]` locating a level's slots
    (count -1: the variant has no such level). `applies[slot, 2 * platform_level + scheduled]`."""

    target: Ints
    stops_on: Ints
    periodic: Flags
    length: Ints
    scheduled: Flags
    pause_set: Ints
    calendar: Ints
    applies: Flags
    first: Ints
    count: Ints
    restart: Flags
    targets: tuple[str, ...]
    pause_sets: tuple[frozenset[str], ...]
    calendars: tuple[CalendarSpec, ...]


class _Codes:
    """Small integer codes for hashable values, in order of first use."""

    def __init__(self) -> None:
        self.values: list[Hashable] = []
        self._codes: dict[Hashable, int] = {}

    def code(self, value: Hashable) -> int:
        if value not in self._codes:
            self._codes[value] = len(self.values)
            self.values.append(value)
        return self._codes[value]


def _slot(target: Target, targets: list[str], pause_sets: _Codes, calendars: _Codes, spec: CalendarSpec) -> list[int]:
    length = length_seconds(target)
    flags = [applies(target, platform_level=p, scheduled=s) for p, s in _FLAG_COMBINATIONS]
    return [
        targets.index(target.key),
        STOP_CODES.index(target.stops_on),
        int(target.periodic),
        NO_LENGTH if length is None else length,
        int(target.duration.kind is DurationKind.SCHEDULED),
        pause_sets.code(target.pauses_on),
        calendars.code(spec),
        *(int(f) for f in flags),
    ]


def slots_for(policies: Sequence[Policy], levels: Sequence[str]) -> Slots:
    """The slots of every level (those named in `levels`) of every policy variant."""
    targets = sorted({t.key for p in policies for lv in p.levels for t in lv.targets})
    pause_sets, calendars = _Codes(), _Codes()
    first = np.zeros(len(policies) * len(levels), dtype=np.int64)
    count = np.full(len(policies) * len(levels), -1, dtype=np.int64)
    rows: list[list[int]] = []
    for v, policy in enumerate(policies):
        for level in policy.levels:
            if level.key not in levels:
                continue
            key = v * len(levels) + levels.index(level.key)
            first[key], count[key] = len(rows), len(level.targets)
            for target in sorted(level.targets, key=lambda t: t.key):
                rows.append(_slot(target, targets, pause_sets, calendars, policy.calendar(target.calendar)))
    table = np.array(rows, dtype=np.int64).reshape(len(rows), 11)
    return Slots(
        target=table[:, 0].copy(),
        stops_on=table[:, 1].copy(),
        periodic=table[:, 2].astype(np.bool_),
        length=table[:, 3].copy(),
        scheduled=table[:, 4].astype(np.bool_),
        pause_set=table[:, 5].copy(),
        calendar=table[:, 6].copy(),
        applies=table[:, 7:11].astype(np.bool_),
        first=first,
        count=count,
        restart=np.array([p.level_change is LevelChangeRule.RESTART for p in policies], dtype=np.bool_),
        targets=tuple(targets),
        pause_sets=tuple(v for v in pause_sets.values if isinstance(v, frozenset)),
        calendars=tuple(v for v in calendars.values if isinstance(v, CalendarSpec)),
    )
