"""Explanations a support manager can read: for each target, why its clock says what it says.

Pure: returns structured steps (instant, the calendar's zone for local time, text); the CLI
prints them. Every step is derived from the same facts and measures the engine uses, so an
explanation cannot disagree with the verdict it explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from troth.core.calendars import CompiledCalendar
from troth.core.clocks.events import TicketEvent
from troth.core.clocks.rules import ClockStatus, applies
from troth.core.clocks.single import (
    Measure,
    TargetClock,
    evaluate_facts,
    measure,
    period_measures,
    target_calendar,
)
from troth.core.clocks.timeline import TicketFacts
from troth.core.durations import DurationKind
from troth.core.instants import from_epoch, to_epoch
from troth.core.policies.model import Applicability, LevelChangeRule, Policy, Target, TargetStop

MAX_INTERVALS = 12
"""Working intervals listed one by one before the rest are summed up."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One line of an explanation: what happened at `at` (UTC), shown also in `zone`'s local time."""

    target: str
    text: str
    at: datetime | None = None
    zone: str | None = None


def hours(seconds: int) -> str:
    """Business time as hours and minutes (`45h00m`): business days vary by calendar, so no days."""
    sign = "-" if seconds < 0 else ""
    minutes = abs(seconds) // 60
    rest = abs(seconds) % 60
    text = f"{sign}{minutes // 60}h{minutes % 60:02d}m"
    return text + (f"{rest:02d}s" if rest else "")


_STOPS = {
    TargetStop.FIRST_AGENT_REPLY: "the first public, non-automated reply by an agent",
    TargetStop.RESTORED: "restoration (`restored`, or `resolved` if that comes first)",
    TargetStop.RESOLVED: "resolution (`resolved`)",
}


def explain_ticket(facts: TicketFacts, policy: Policy, *, customer_timezone: str | None) -> list[Step]:
    """Every target of the ticket's level, explained; ticket-wide facts first."""
    steps = _ticket_steps(facts, policy)
    clocks = {c.target: c for c in evaluate_facts(facts, policy, customer_timezone=customer_timezone)}
    for target in sorted(policy.level(facts.level).targets, key=lambda t: t.key):
        steps += _target_steps(facts, policy, target, clocks[target.key], customer_timezone)
    return steps


def _ticket_steps(facts: TicketFacts, policy: Policy) -> list[Step]:
    created = facts.created
    level = policy.level(facts.level)
    steps = [
        Step(
            target="",
            text=f"Policy '{policy.id}' version {policy.version} (in force from {policy.effective_from}), "
            "the version in force when the ticket was created",
        ),
        Step(
            target="",
            at=created.at,
            text=f"Ticket created at level {facts.initial_level}"
            + (" (the policy's default level)" if created.level is None else "")
            + (", platform-level issue" if created.platform_level else "")
            + (f", via {created.channel}" if created.channel else ""),
        ),
    ]
    rule = policy.level_change
    for change in facts.level_changes:
        effect = (
            "the new level's targets and calendars apply from the ticket's creation (retroactive)"
            if rule is LevelChangeRule.RETROACTIVE
            else "the new level's clocks restart at the change (restart)"
        )
        steps.append(
            Step(target="", at=change.at, text=f"Level changed from {change.from_level} to {change.to_level}: {effect}")
        )
    steps.append(Step(target="", text=f"Level in force at the evaluation instant: {level.name}"))
    for resolved, reopened in facts.reopened:
        steps.append(
            Step(
                target="",
                at=resolved,
                text=f"Resolved, then reopened at {reopened.isoformat()}: that resolution does not count",
            )
        )
    if facts.resolved_at is not None:
        steps.append(Step(target="", at=facts.resolved_at, text="Resolved: this resolution stands"))
    steps += [_ignored(event) for event in facts.ignored]
    return steps


def _ignored(event: TicketEvent) -> Step:
    return Step(
        target="", at=event.at, text=f"Ignored: '{event.kind.value}' after the ticket was resolved changes nothing"
    )


def _target_steps(
    facts: TicketFacts, policy: Policy, target: Target, clock: TargetClock, customer_timezone: str | None
) -> list[Step]:
    key = target.key
    steps = [
        Step(
            target=key, text=f"Clause: {target.clause or '(none given)'}" + (f" — {target.note}" if target.note else "")
        )
    ]
    scheduled = facts.created.scheduled_at is not None
    if not applies(target, platform_level=facts.created.platform_level, scheduled=scheduled):
        return [*steps, Step(target=key, text=_not_applicable_reason(target))]
    calendar = target_calendar(policy, target, customer_timezone, facts)
    zone = calendar.zone_name
    spec = calendar.spec
    whose = " (the account's own time zone)" if spec.uses_customer_timezone else ""
    steps.append(
        Step(target=key, text=f"Calendar '{spec.name}': {spec.description or 'working hours'}, in {zone}{whose}")
    )
    steps.append(Step(target=key, text=_length_text(target, facts)))
    m = measure(facts, policy, target, calendar)
    if target.periodic:
        steps.append(Step(target=key, text="Periodic: each public agent reply ends one period and starts the next"))
        periods = period_measures(facts, m)
        chosen = next((p for p in periods if p.start == to_epoch(clock.started_at)), periods[-1])
        m = chosen
    steps += _start_steps(m, calendar, facts, policy)
    steps += _level_steps(facts, policy, target)
    steps += _pause_steps(m, calendar, facts)
    steps += _stop_steps(m, target, zone)
    steps += _due_steps(m, clock, calendar)
    steps.append(_verdict(clock, zone))
    return steps


def _not_applicable_reason(target: Target) -> str:
    if target.duration.kind is DurationKind.NOT_APPLICABLE:
        return "Not applicable: the policy sets no duration for this target (N/A)"
    if target.applies_to is Applicability.PLATFORM_LEVEL:
        return "Not applicable: this target applies only to platform-level issues, and this ticket is not one"
    return "Not applicable: the target is due at the time the ticket is scheduled for, and the ticket carries none"


def _length_text(target: Target, facts: TicketFacts) -> str:
    if target.duration.kind is DurationKind.SCHEDULED:
        assert facts.created.scheduled_at is not None
        return f"Target '{target.duration.text}': due at the time the ticket is scheduled for"
    assert target.length is not None
    seconds = int(target.length.total_seconds())
    return f"Target '{target.duration.text}' = {hours(seconds)} of business time ({seconds} s) on this calendar"


def _start_steps(m: Measure, calendar: CompiledCalendar, facts: TicketFacts, policy: Policy) -> list[Step]:
    key, zone = m.target.key, calendar.zone_name
    start = from_epoch(m.start)
    restarted = (
        policy.level_change is LevelChangeRule.RESTART and facts.level_changes and m.start != to_epoch(facts.created_at)
    )
    what = "at the level change (restart)" if restarted else "at the ticket's creation"
    steps = [Step(target=key, at=start, zone=zone, text=f"Clock starts {what}")]
    if not calendar.is_open(start):
        opening = calendar.next_opening(start)
        steps.append(
            Step(target=key, at=opening, zone=zone, text="Outside working hours: the clock waited for this opening")
        )
    return steps


def _level_steps(facts: TicketFacts, policy: Policy, target: Target) -> list[Step]:
    """What each level change did to this target."""
    steps = []
    for change in facts.level_changes:
        before = policy.level(change.from_level).target(target.key) if policy.has_level(change.from_level) else None
        was = (
            f"level {change.from_level} had '{before.duration.text}'"
            if before
            else f"level {change.from_level} had no {target.key} target"
        )
        if policy.level_change is LevelChangeRule.RETROACTIVE:
            did = f"level {change.to_level}'s targets and calendar apply from creation"
        else:
            did = f"the clock restarts for level {change.to_level}"
        steps.append(
            Step(
                target=target.key,
                at=change.at,
                text=f"Level change {change.from_level} → {change.to_level}: {was}; {did}",
            )
        )
    return steps


def local(epoch: int, zone: str) -> str:
    """Wall-clock time in `zone`, e.g. `Fri 16:00` (pure arithmetic on the zone's rules)."""
    from zoneinfo import ZoneInfo

    return from_epoch(epoch).astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M")


def _status_at(facts: TicketFacts, epoch: int) -> str:
    return next((s.status for s in facts.statuses if to_epoch(s.start_at) == epoch), "a waiting state")


def _pause_steps(m: Measure, calendar: CompiledCalendar, facts: TicketFacts) -> list[Step]:
    key, zone = m.target.key, calendar.zone_name
    steps = []
    if not m.target.pauses_on:
        steps.append(Step(target=key, text="No status pauses this target"))
    for lo, hi in m.breaks:
        if hi is None:
            steps.append(
                Step(
                    target=key,
                    at=from_epoch(lo),
                    zone=zone,
                    text=f"Paused ({_status_at(facts, lo)}) and still paused: the clock does not advance",
                )
            )
            continue
        lost = calendar.elapsed_seconds(lo, hi)
        steps.append(
            Step(
                target=key,
                at=from_epoch(lo),
                zone=zone,
                text=f"Paused ({_status_at(facts, lo)}) until {local(hi, zone)}: "
                f"{hours(lost)} of business time do not count",
            )
        )
    return steps


def _stop_steps(m: Measure, target: Target, zone: str) -> list[Step]:
    key = target.key
    if m.stop is None:
        return [Step(target=key, text=f"Not stopped yet; stops on {_STOPS[target.stops_on]}")]
    at = from_epoch(m.stop)
    if m.unmet:
        return [
            Step(
                target=key,
                at=at,
                zone=zone,
                text="Stopped by the resolution, with no qualifying response ever sent: "
                "the promise of a response was not kept",
            )
        ]
    if target.periodic:
        return [Step(target=key, at=at, zone=zone, text="Period ended by a public agent reply or by the resolution")]
    return [Step(target=key, at=at, zone=zone, text=f"Stopped by {_STOPS[target.stops_on]}")]


def _due_steps(m: Measure, clock: TargetClock, calendar: CompiledCalendar) -> list[Step]:
    key, zone = m.target.key, calendar.zone_name
    if m.scheduled is not None:
        return [
            Step(target=key, at=from_epoch(m.scheduled), zone=zone, text="Due at the scheduled time the ticket carries")
        ]
    if clock.due_at is None:
        return [Step(target=key, text="No due time while paused: the paused business time is not yet known")]
    due = to_epoch(clock.due_at)
    steps = []
    counted = _counted(calendar, m, due)
    for lo, hi in counted[:MAX_INTERVALS]:
        steps.append(
            Step(
                target=key,
                at=from_epoch(lo),
                zone=zone,
                text=f"Counts {hours(hi - lo)}, until {local(hi, zone)}",
            )
        )
    if len(counted) > MAX_INTERVALS:
        rest = sum(hi - lo for lo, hi in counted[MAX_INTERVALS:])
        steps.append(
            Step(
                target=key, text=f"... and {hours(rest)} more in {len(counted) - MAX_INTERVALS} further working periods"
            )
        )
    closing = not calendar.spec.always_open and not calendar.is_open(from_epoch(due))
    why = " — exactly at closing time, so due at closing, not at the next opening" if closing else ""
    assert m.length is not None
    steps.append(
        Step(
            target=key,
            at=clock.due_at,
            zone=zone,
            text=f"Due: the {hours(m.length)} of business time are used up here{why}",
        )
    )
    return steps


def _counted(calendar: CompiledCalendar, m: Measure, due: int) -> list[tuple[int, int]]:
    """The working time that counts from the start to the due time: working intervals minus pauses."""
    pieces: list[tuple[int, int]] = []
    for lo, hi in calendar.working_intervals(m.start, due):
        cursor = lo
        for blo, bhi in m.breaks:
            end = hi if bhi is None else bhi
            if end <= cursor or blo >= hi:
                continue
            if blo > cursor:
                pieces.append((cursor, blo))
            cursor = max(cursor, end)
        if cursor < hi:
            pieces.append((cursor, hi))
    return pieces


def _breach(clock: TargetClock) -> str:
    """Which of the three ways to breach this clock took."""
    if clock.stopped_at is None:
        return "still open after its due time"
    if clock.due_at is not None and clock.stopped_at > clock.due_at:
        return "stopped after its due time"
    return "stopped by the resolution without the response it waited for"


def _verdict(clock: TargetClock, zone: str) -> Step:
    elapsed = "" if clock.elapsed_seconds is None else f"; {hours(clock.elapsed_seconds)} of business time elapsed"
    texts = {
        ClockStatus.MET: "Met: stopped at or before its due time",
        ClockStatus.BREACHED: f"Breached: {_breach(clock)}",
        ClockStatus.RUNNING: "Running: not stopped, and the due time has not passed",
        ClockStatus.PAUSED: "Paused: the clock is held by a waiting state",
        ClockStatus.NOT_APPLICABLE: "Not applicable",
    }
    steps_text = texts[clock.status] + elapsed
    if clock.warnings:
        steps_text += "; breach warnings at " + ", ".join(
            f"{w.percent}% {local(to_epoch(w.at), zone)}" for w in clock.warnings
        )
    return Step(target=clock.target, text=steps_text, zone=zone)
