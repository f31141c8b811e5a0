"""The lines that account for every measured, down and excluded minute of one account's month.

Written for a finance person checking by hand: each line names the minutes, the records behind
them, and the policy clause that decides how they count.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import numpy as np

from troth.core.accounts import Account
from troth.core.instants import format_utc, from_epoch
from troth.core.uptime.figures import UptimeFigures, exact, minutes_text, percent_text
from troth.core.uptime.notes import AccountRecords, listed
from troth.core.uptime.periods import Month
from troth.core.uptime.rules import MeasurementRules
from troth.core.uptime.table import Treatment


@lru_cache(maxsize=1024)
def clause(text: str) -> str:
    """` (clause: …)` naming where a step comes from; YAML's folded lines are joined."""
    joined = " ".join(text.split())
    return f" (clause: {joined})" if joined else ""


@lru_cache(maxsize=256)
def measured_line(rules: MeasurementRules, month: Month, measured_seconds: int) -> str:
    """How the month is measured; the same for every account on the same rules."""
    total = minutes_text(measured_seconds)
    if rules.calendar is None:
        return f"Measured: all {total} minutes of {month} in {rules.zone}{clause(rules.uptime_clause)}."
    return (
        f"Measured: the {total} business minutes of {month} on calendar '{rules.calendar.name}' "
        f"({rules.calendar_zone}); downtime counts only in business hours{clause(rules.uptime_clause)}."
    )


def minute_lines(seen: AccountRecords, rules: MeasurementRules, figures: UptimeFigures, at: int) -> list[str]:
    """Downtime, degraded and excluded minutes, with the records behind each."""
    evidence = _evidence(seen)
    lines = [_downtime_line(evidence, figures)]
    if figures.degraded_seconds:
        lines.append(_degraded_line(evidence, rules, figures))
    index_of = {reason.key: index for index, reason in enumerate(rules.reasons)}
    for reason, seconds in figures.excluded:
        behind = listed(evidence.get(index_of[reason.key], []))
        lines.append(f"Excluded {minutes_text(seconds)} minutes: {reason.text}{clause(reason.clause)}: {behind}.")
    if seen.late.any():
        lines += _late_maintenance_lines(seen, rules)
    if figures.unmeasured_seconds:
        lines.append(
            f"Not measured: {minutes_text(figures.unmeasured_seconds)} minutes of {listed(evidence[_OUTSIDE])} fell "
            "outside the measured business minutes."
        )
    if seen.still_open.any():
        still_open = seen.ids(seen.still_open)
        lines.append(
            f"Still open: {listed(still_open)}; counted up to the evaluation instant {format_utc(from_epoch(at))}."
        )
    return lines


_DOWN, _DEGRADED, _OUTSIDE = "down", "degraded", "outside"


def _evidence(seen: AccountRecords) -> dict[int | str, list[str]]:
    """The ids behind each line, in one pass over the account's records: "down", "degraded",
    "outside" (minutes not measured), and reason indices for excluded minutes."""
    found: dict[int | str, list[str]] = {}
    windows = len(seen.in_window)
    ids = seen.ids(np.ones(seen.records.size, dtype=np.bool_))
    columns = (seen.treatment.tolist(), seen.reason.tolist(), seen.measured.tolist(), seen.within.tolist())
    rows = zip(ids, *columns, strict=True)
    for position, (outage, treatment, reason, measured, within) in enumerate(rows):
        if within > measured:
            found.setdefault(_OUTSIDE, []).append(outage)
        if not measured:
            continue
        if treatment == Treatment.DOWN or treatment == Treatment.DEGRADED:
            found.setdefault(_DOWN if treatment == Treatment.DOWN else _DEGRADED, []).append(outage)
            # Counted minutes inside a maintenance window are excluded by that window.
            for window in range(windows):
                if seen.in_window[window][position]:
                    found.setdefault(window, []).append(outage)
        else:
            found.setdefault(windows if treatment == Treatment.SHIELD else reason, []).append(outage)
    return found


def _downtime_line(evidence: dict[int | str, list[str]], figures: UptimeFigures) -> str:
    if not figures.down_seconds:
        return "Downtime: none."
    behind = listed(evidence.get(_DOWN, []))
    return f"Downtime: {minutes_text(figures.down_seconds)} minutes from {behind} (overlaps counted once)."


def _degraded_line(evidence: dict[int | str, list[str]], rules: MeasurementRules, figures: UptimeFigures) -> str:
    weighted = minutes_text(Fraction(rules.weight * Decimal(figures.degraded_seconds)))
    behind = listed(evidence.get(_DEGRADED, []))
    return (
        f"Degraded: {minutes_text(figures.degraded_seconds)} minutes from {behind} count at weight {rules.weight}: "
        f"{weighted} minutes of downtime{clause(rules.uptime_clause)}."
    )


def _late_maintenance_lines(seen: AccountRecords, rules: MeasurementRules) -> list[str]:
    lines = []
    for outage in seen.outages(seen.late):
        if not rules.maintenance_excluded:
            why = "the policy counts maintenance as downtime"
        elif outage.announced_at is None:
            why = "it was never announced"
        else:
            notice = rules.reasons[len(rules.windows)].text
            why = f"it was announced at {format_utc(outage.announced_at)}, too late for the rule ({notice})"
        lines.append(f"{outage.id} is maintenance that counts as downtime: {why}{clause(rules.maintenance_clause)}.")
    return lines


def commitment_source(account: Account) -> str:
    """Where an account's commitment comes from, when not from the policy as a whole."""
    if "uptime.commitment_percent" in account.overrides:
        return "the account's contract"
    return f"plan '{account.plan}'" if account.plan else ""


def uptime_line(figures: UptimeFigures, commitment: Decimal, commitment_clause: str, source: str = "") -> str:
    uptime = figures.uptime
    if figures.measured_seconds == 0:
        return f"Uptime: 100.0 %, as no minute of the month was measured; commitment {commitment} % met."
    met = "met" if uptime >= exact(commitment) else "missed"
    shown = percent_text(uptime)
    precisely = ""
    if met == "missed" and exact(Decimal(shown)) >= exact(commitment):
        # Rounding to 4 decimals can show the commitment itself; the comparison is exact.
        precisely = f" (exactly {float(uptime):.10f} %, which is below it)"
    return (
        f"Uptime: ({minutes_text(figures.measured_seconds)} − {minutes_text(figures.downtime_seconds)}) ÷ "
        f"{minutes_text(figures.measured_seconds)} × 100 = {shown} %{precisely}; commitment {commitment} %"
        f"{f' for {source}' if source else ''}{clause(commitment_clause)} {met}."
    )
