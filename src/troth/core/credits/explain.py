"""The lines that account for every measured, down and excluded minute of one account's month.

Written for a finance person checking by hand: each line names the minutes, the records behind
them, and the policy clause that decides how they count.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from troth.core.accounts import Account
from troth.core.instants import format_utc, from_epoch
from troth.core.uptime.figures import UptimeFigures, minutes_text, percent_text
from troth.core.uptime.notes import AccountRecords, listed
from troth.core.uptime.periods import Month
from troth.core.uptime.records import OutageKind
from troth.core.uptime.rules import MeasurementRules, ReasonKind
from troth.core.uptime.table import Treatment


def clause(text: str) -> str:
    """` (clause: …)` naming where a step comes from; YAML's folded lines are joined."""
    joined = " ".join(text.split())
    return f" (clause: {joined})" if joined else ""


def measured_line(rules: MeasurementRules, month: Month, figures: UptimeFigures) -> str:
    total = minutes_text(figures.measured_seconds)
    if rules.calendar is None:
        return f"Measured: all {total} minutes of {month} in {rules.zone}{clause(rules.uptime_clause)}."
    return (
        f"Measured: the {total} business minutes of {month} on calendar '{rules.calendar.name}' "
        f"({rules.calendar_zone}); downtime counts only in business hours{clause(rules.uptime_clause)}."
    )


def minute_lines(seen: AccountRecords, rules: MeasurementRules, figures: UptimeFigures, at: int) -> list[str]:
    """Downtime, degraded and excluded minutes, with the records behind each."""
    measured = seen.measured > 0
    lines = [_downtime_line(seen, figures)]
    if figures.degraded_seconds:
        lines.append(_degraded_line(seen, rules, figures))
    reasons = rules.reasons
    for reason, seconds in figures.excluded:
        index = reasons.index(reason)
        if reason.kind is ReasonKind.WINDOW:
            evidence = seen.ids(seen.counted & (seen.in_window[index] > 0))
        elif reason.kind is ReasonKind.ANNOUNCED:
            evidence = seen.ids((seen.treatment == Treatment.SHIELD) & measured)
        else:
            evidence = seen.ids((seen.treatment == Treatment.EXCLUDED) & (seen.reason == index) & measured)
        lines.append(
            f"Excluded {minutes_text(seconds)} minutes: {reason.text}{clause(reason.clause)}: {listed(evidence)}."
        )
    lines += _late_maintenance_lines(seen, rules)
    if figures.unmeasured_seconds:
        outside = seen.ids(seen.within > seen.measured)
        lines.append(
            f"Not measured: {minutes_text(figures.unmeasured_seconds)} minutes of {listed(outside)} fell outside "
            "the measured business minutes."
        )
    still_open = [outage.id for outage in seen.outages if outage.end_at is None]
    if still_open:
        lines.append(
            f"Still open: {listed(still_open)}; counted up to the evaluation instant {format_utc(from_epoch(at))}."
        )
    return lines


def _downtime_line(seen: AccountRecords, figures: UptimeFigures) -> str:
    if not figures.down_seconds:
        return "Downtime: none."
    down = seen.ids((seen.treatment == Treatment.DOWN) & (seen.measured > 0))
    return f"Downtime: {minutes_text(figures.down_seconds)} minutes from {listed(down)} (overlaps counted once)."


def _degraded_line(seen: AccountRecords, rules: MeasurementRules, figures: UptimeFigures) -> str:
    degraded = seen.ids((seen.treatment == Treatment.DEGRADED) & (seen.measured > 0))
    weighted = rules.weight * Decimal(figures.degraded_seconds)
    return (
        f"Degraded: {minutes_text(figures.degraded_seconds)} minutes from {listed(degraded)} count at weight "
        f"{rules.weight}: {minutes_text(Fraction(weighted))} minutes of downtime{clause(rules.uptime_clause)}."
    )


def _late_maintenance_lines(seen: AccountRecords, rules: MeasurementRules) -> list[str]:
    lines = []
    for outage, treatment in zip(seen.outages, seen.treatment.tolist(), strict=True):
        if outage.kind is not OutageKind.MAINTENANCE or treatment != Treatment.DOWN:
            continue
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
    met = "met" if uptime >= Fraction(commitment) else "missed"
    shown = percent_text(uptime)
    exact = ""
    if met == "missed" and Fraction(Decimal(shown)) >= Fraction(commitment):
        # Rounding to 4 decimals can show the commitment itself; the comparison is exact.
        exact = f" (exactly {float(uptime):.10f} %, which is below it)"
    return (
        f"Uptime: ({minutes_text(figures.measured_seconds)} − {minutes_text(figures.downtime_seconds)}) ÷ "
        f"{minutes_text(figures.measured_seconds)} × 100 = {shown} %{exact}; commitment {commitment} %"
        f"{f' for {source}' if source else ''}{clause(commitment_clause)} {met}."
    )
