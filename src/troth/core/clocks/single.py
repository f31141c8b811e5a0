"""The single-ticket engine: every target of a ticket's level at an evaluation instant.

All arithmetic is on whole UTC epoch seconds through the compiled calendar, whose intervals are
half-open `[start, end)`. Pauses are breaks in the target's calendar: closed time like nights and
weekends, so a paused clock does not advance and the due time moves by exactly the paused
business time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from troth.core.calendars import Break, CalendarError, CompiledCalendar, compile_calendar, resolve_zone
from troth.core.clocks.events import TicketEvent
from troth.core.clocks.rules import (
    WARNING_PERCENTS,
    ClockStatus,
    applies,
    length_seconds,
    status_of,
    warning_seconds,
)
from troth.core.clocks.timeline import TicketError, TicketFacts, ticket_facts
from troth.core.durations import DurationKind
from troth.core.instants import from_epoch, to_epoch
from troth.core.policies.model import LevelChangeRule, Policy, Target, TargetStop


@dataclass(frozen=True, slots=True, kw_only=True)
class BreachWarning:
    """`percent` of a running target is used at `at`."""

    percent: int
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetClock:
    """One target of one ticket at the evaluation instant (CONTRACT.md, `tickets evaluate`).

    `started_at` is the ticket's creation (or the level change, under `restart`); `due_at` is None
    while paused and for not-applicable targets; seconds are business seconds on the target's calendar.
    """

    ticket: str
    target: str
    level: str
    status: ClockStatus
    started_at: datetime
    due_at: datetime | None
    stopped_at: datetime | None
    target_seconds: int | None
    elapsed_seconds: int | None
    warnings: tuple[BreachWarning, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Measure:
    """What one target measures on one ticket, in epoch seconds.

    The clock runs from `start` on `calendar` outside `breaks` until `stop` (None: not stopped);
    `unmet` says the stop is not what the target promised (a ticket resolved without a response).
    `due` is fixed for scheduled targets; otherwise it follows from `length`.
    """

    target: Target
    calendar: CompiledCalendar
    start: int
    stop: int | None
    unmet: bool
    length: int | None
    scheduled: int | None
    breaks: tuple[Break, ...]


def measure_start(facts: TicketFacts, policy: Policy) -> int:
    """Creation, or the last level change when the policy restarts clocks on a change."""
    if policy.level_change is LevelChangeRule.RESTART and facts.level_changes:
        return to_epoch(facts.level_changes[-1].at)
    return to_epoch(facts.created_at)


def stop_of(facts: TicketFacts, stops_on: TargetStop) -> tuple[int | None, bool]:
    """The instant the target's clock stops, and whether that stop leaves the promise unmet.

    First response stops at the first public agent reply; a ticket resolved without one stops it
    unmet. Restoration stops at the first `restored`, or at the resolution if that is earlier.
    """
    resolved = None if facts.resolved_at is None else to_epoch(facts.resolved_at)
    match stops_on:
        case TargetStop.FIRST_AGENT_REPLY:
            if facts.responses:
                return to_epoch(facts.responses[0].at), False
            return resolved, resolved is not None
        case TargetStop.RESTORED:
            candidates = [to_epoch(t) for t in (facts.restored_at, facts.resolved_at) if t is not None]
            return (min(candidates) if candidates else None), False
        case TargetStop.RESOLVED:
            return resolved, False


def pause_breaks(facts: TicketFacts, pauses_on: frozenset[str], *, until: int | None) -> tuple[Break, ...]:
    """The spans in a pause state as breaks `[lo, hi)`; with `until`, nothing counts from there on."""
    breaks: list[Break] = []
    for span in facts.statuses:
        if span.status not in pauses_on:
            continue
        lo = to_epoch(span.start_at)
        hi = None if span.end_at is None else to_epoch(span.end_at)
        if until is not None:
            if lo >= until:
                continue
            hi = until if hi is None else min(hi, until)
        breaks.append((lo, hi))
    return tuple(breaks)


def measure(facts: TicketFacts, policy: Policy, target: Target, calendar: CompiledCalendar) -> Measure:
    start = measure_start(facts, policy)
    stop, unmet = stop_of(facts, target.stops_on)
    if stop is not None and stop < start:
        stop = start  # already stopped before a restart: the new clock has nothing left to measure
    scheduled = facts.created.scheduled_at if target.duration.kind is DurationKind.SCHEDULED else None
    return Measure(
        target=target,
        calendar=calendar,
        start=start,
        stop=stop,
        unmet=unmet,
        length=length_seconds(target),
        scheduled=None if scheduled is None else to_epoch(scheduled),
        breaks=pause_breaks(facts, target.pauses_on, until=stop),
    )


def due_of(m: Measure, *, seconds: int | None = None) -> int | None:
    """The due instant (or the instant `seconds` of the target are used); None while a pause holds it."""
    if m.scheduled is not None:
        return m.scheduled
    assert m.length is not None, "a target without a length is either scheduled or not applicable"
    return m.calendar.add_with_breaks(m.start, m.length if seconds is None else seconds, m.breaks)


def _warnings(m: Measure, status: ClockStatus) -> tuple[BreachWarning, ...]:
    if status is not ClockStatus.RUNNING or m.length is None or m.scheduled is not None:
        return ()
    found = []
    for percent in WARNING_PERCENTS:
        instant = due_of(m, seconds=warning_seconds(m.length, percent))
        if instant is not None:
            found.append(BreachWarning(percent=percent, at=from_epoch(instant)))
    return tuple(found)


def _clock(facts: TicketFacts, m: Measure, at: int) -> TargetClock:
    due = due_of(m)
    status = status_of(stopped_at=m.stop, unmet=m.unmet, due_at=due, at=at)
    elapsed = m.calendar.elapsed_with_breaks(m.start, at if m.stop is None else m.stop, m.breaks)
    return TargetClock(
        ticket=facts.ticket,
        target=m.target.key,
        level=facts.level,
        status=status,
        started_at=from_epoch(m.start),
        due_at=None if due is None else from_epoch(due),
        stopped_at=None if m.stop is None else from_epoch(m.stop),
        target_seconds=m.length if m.scheduled is None else None,
        elapsed_seconds=elapsed,
        warnings=_warnings(m, status),
    )


def periods(facts: TicketFacts, m: Measure) -> list[tuple[int, int | None]]:
    """A periodic target's periods `[start, stop)`: each public agent reply ends one and starts the
    next; the resolution ends the last."""
    starts = [m.start] + [to_epoch(r.at) for r in facts.responses if to_epoch(r.at) > m.start]
    resolved = None if facts.resolved_at is None else to_epoch(facts.resolved_at)
    stops: list[int | None] = [*starts[1:], resolved]
    return list(zip(starts, stops, strict=True))


def period_measures(facts: TicketFacts, m: Measure) -> list[Measure]:
    pauses = m.target.pauses_on
    return [
        replace(m, start=start, stop=stop, unmet=False, breaks=pause_breaks(facts, pauses, until=stop))
        for start, stop in periods(facts, m)
    ]


def _periodic_clock(facts: TicketFacts, m: Measure, at: int) -> TargetClock:
    """The first breached period if any (a missed update stays missed), else the current one."""
    clocks = [_clock(facts, period, at) for period in period_measures(facts, m)]
    return next((c for c in clocks if c.status is ClockStatus.BREACHED), clocks[-1])


def not_applicable(facts: TicketFacts, target: Target) -> TargetClock:
    return TargetClock(
        ticket=facts.ticket,
        target=target.key,
        level=facts.level,
        status=ClockStatus.NOT_APPLICABLE,
        started_at=facts.created_at,
        due_at=None,
        stopped_at=None,
        target_seconds=None,
        elapsed_seconds=None,
    )


def target_calendar(
    policy: Policy, target: Target, customer_timezone: str | None, facts: TicketFacts
) -> CompiledCalendar:
    spec = policy.calendar(target.calendar)
    try:
        zone = resolve_zone(spec, customer_timezone)
    except CalendarError as error:
        raise TicketError(
            f"{error}: ticket '{facts.ticket}' needs its account's time zone",
            sequence=facts.created.sequence,
            field="account",
        ) from None
    return compile_calendar(spec, zone)


def evaluate_facts(facts: TicketFacts, policy: Policy, *, customer_timezone: str | None) -> list[TargetClock]:
    """Every target of the ticket's level in force at `facts.evaluated_at`, sorted by target key."""
    at = to_epoch(facts.evaluated_at)
    clocks = []
    for target in sorted(policy.level(facts.level).targets, key=lambda t: t.key):
        scheduled = facts.created.scheduled_at is not None
        if not applies(target, platform_level=facts.created.platform_level, scheduled=scheduled):
            clocks.append(not_applicable(facts, target))
            continue
        m = measure(facts, policy, target, target_calendar(policy, target, customer_timezone, facts))
        if target.periodic:
            clocks.append(_periodic_clock(facts, m, at))
        else:
            clocks.append(_clock(facts, m, at))
    return clocks


def evaluate_ticket(
    events: Sequence[TicketEvent], policy: Policy, *, at: datetime, customer_timezone: str | None
) -> list[TargetClock]:
    """The clocks of one ticket at `at` (empty when it was created later).

    `policy` is the version in force at the ticket's creation, with its account's plan and
    contract applied; `customer_timezone` serves calendars that say `timezone: customer`.
    """
    facts = ticket_facts(events, at=at, default_level=policy.default_level)
    if facts is None:
        return []
    return evaluate_facts(facts, policy, customer_timezone=customer_timezone)


def clock_row(clock: TargetClock) -> tuple[str, str, str, str, int, int | None, int | None, int | None, int | None]:
    """The clock as a plain tuple in the order of `columns.ClockRow`, instants in epoch seconds."""

    def epoch(value: datetime | None) -> int | None:
        return None if value is None else to_epoch(value)

    return (
        clock.ticket,
        clock.target,
        clock.level,
        clock.status.value,
        to_epoch(clock.started_at),
        epoch(clock.due_at),
        epoch(clock.stopped_at),
        clock.target_seconds,
        clock.elapsed_seconds,
    )
