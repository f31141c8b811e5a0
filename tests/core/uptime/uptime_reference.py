"""A slow, obviously correct reference: classify every second one at a time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from troth.core.instants import to_epoch
from troth.core.uptime.records import Outage, OutageKind
from troth.core.uptime.rules import MeasurementRules
from troth.core.uptime.table import Treatment, announced_in_time, build_table, treatments
from troth.core.uptime.windows import window_intervals


@dataclass
class ReferenceMinutes:
    down: int
    degraded: int
    excluded: Counter[str]
    untouched: int


def classify_seconds(
    outages: list[Outage],
    rules: MeasurementRules,
    window: tuple[int, int],
    at: int,
    *,
    step: int = 1,
    measured: set[int] | None = None,
) -> ReferenceMinutes:
    """Step by step (every boundary must be a multiple of `step` seconds): down beats degraded
    beats excluded; maintenance hides what happened on its component."""
    table = build_table(outages, at)
    treatment, reason = treatments(table, rules)
    in_time = announced_in_time(table, rules)
    reasons = rules.reasons
    windows = [set(_seconds(window_intervals(w, *window).pairs())) for w in rules.windows]
    result = ReferenceMinutes(0, 0, Counter(), 0)
    for t in range(window[0], window[1], step):
        if measured is not None and t not in measured:
            continue
        covering = [i for i in range(len(outages)) if table.starts[i] <= t < table.ends[i]]
        label = _label(t, covering, outages, treatment, reason, in_time, rules, windows)
        if label == "down":
            result.down += step
        elif label == "degraded":
            result.degraded += step
        elif label is None:
            result.untouched += step
        else:
            result.excluded[reasons[label].key] += step
    return result


def _label(t, covering, outages, treatment, reason, in_time, rules, windows):  # type: ignore[no-untyped-def]
    def hidden(component: str) -> int | None:
        for k, w in enumerate(rules.windows):
            if t in windows[k] and (not w.components or component in w.components):
                return k
        if any(in_time[i] and outages[i].component == component for i in covering):
            return len(rules.windows)
        return None

    counted = [i for i in covering if treatment[i] in (Treatment.DOWN, Treatment.DEGRADED)]
    if any(treatment[i] == Treatment.DOWN and hidden(outages[i].component) is None for i in counted):
        return "down"
    if any(treatment[i] == Treatment.DEGRADED and hidden(outages[i].component) is None for i in counted):
        return "degraded"
    if not covering:
        return None
    candidates = [hidden(outages[i].component) for i in counted]
    candidates += [len(rules.windows) for i in covering if treatment[i] == Treatment.SHIELD]
    candidates += [int(reason[i]) for i in covering if treatment[i] == Treatment.EXCLUDED]
    return min(c for c in candidates if c is not None)


def _seconds(pairs: list[tuple[int, int]]) -> list[int]:
    return [t for start, end in pairs for t in range(start, end)]


def epoch(text: str) -> int:
    from troth.core.instants import parse_instant

    return to_epoch(parse_instant(text))


__all__ = ["OutageKind", "ReferenceMinutes", "classify_seconds", "epoch"]
