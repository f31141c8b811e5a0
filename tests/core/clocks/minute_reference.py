"""A slow, obviously correct reference for ticket clocks: it steps minute by minute.

It knows nothing of the calendar index: a minute counts when the calendar's weekly hours (read
from the spec in the zone's local time) cover it and the ticket is not in one of the target's
pause states. All instants in the tests are whole minutes, and so are the calendars' boundaries.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from troth.core.calendars import CalendarSpec
from troth.core.clocks import EventKind, TicketEvent
from troth.core.durations import DurationKind
from troth.core.instants import from_epoch, to_epoch
from troth.core.policies.model import Applicability, LevelChangeRule, Policy, Target, TargetStop

MINUTE = 60
HORIZON = 120 * 24 * 3600
"""How far past the evaluation instant the reference looks for a due time."""
CLOSING = {"resolved", "solved", "closed"}


def is_open(spec: CalendarSpec, zone: str, at: int) -> bool:
    if spec.always_open:
        return True
    local = from_epoch(at).astimezone(ZoneInfo(zone))
    second = local.hour * 3600 + local.minute * 60 + local.second
    return any(i.start <= second < i.end for i in spec.weekly[local.weekday()])


def ordered(events: list[TicketEvent]) -> list[TicketEvent]:
    return sorted(events, key=lambda e: (to_epoch(e.at), e.kind != EventKind.CREATED, e.sequence))


def applied_events(events: list[TicketEvent], at: int) -> list[TicketEvent]:
    """Replay the ticket: a resolution is undone by a later reopening status; after the last standing
    resolution nothing counts."""
    seen = [e for e in ordered(events) if to_epoch(e.at) <= at]
    last_reopen = -1
    for i, e in enumerate(seen):
        if e.kind == EventKind.STATUS and e.status not in CLOSING:
            last_reopen = i
    for i, e in enumerate(seen):
        if i > last_reopen and e.kind == EventKind.RESOLVED:
            return seen[: i + 1]
    return seen


def status_at(events: list[TicketEvent], t: int) -> str:
    """The ticket's status during the minute starting at `t` (changes at the minute's start count)."""
    status = "open"
    for e in events:
        if e.kind == EventKind.STATUS and to_epoch(e.at) <= t:
            status = e.status or status
    return status


def responses(events: list[TicketEvent]) -> list[int]:
    return [
        to_epoch(e.at)
        for e in events
        if e.kind == EventKind.REPLY and e.author == "agent" and e.public and not e.automated
    ]


def level_history(events: list[TicketEvent], default: str) -> tuple[str, int | None]:
    level, changed = default, None
    for e in events:
        if e.kind == EventKind.CREATED and e.level:
            level = e.level
        if e.kind == EventKind.LEVEL and e.level and e.level != level:
            level, changed = e.level, to_epoch(e.at)
    return level, changed


def counting(
    spec: CalendarSpec, zone: str, target: Target, events: list[TicketEvent], t: int, stop: int | None
) -> bool:
    # A pause that is still on at the clock's stop ends there; the target's clock does not run after it.
    paused = status_at(events, t) in target.pauses_on and (stop is None or t < stop)
    return is_open(spec, zone, t) and not paused


def run(
    spec: CalendarSpec,
    zone: str,
    target: Target,
    events: list[TicketEvent],
    start: int,
    stop: int | None,
    at: int,
    length: int | None,
    scheduled: int | None,
) -> dict[str, object]:
    end = at if stop is None else stop
    elapsed = sum(MINUTE for t in range(start, end, MINUTE) if counting(spec, zone, target, events, t, stop))
    if scheduled is not None:
        due: int | None = scheduled
    else:
        assert length is not None
        due = _due(spec, zone, target, events, start, stop, at, length)
    if stop is not None:
        unmet = False
        status = "met" if due is not None and stop <= due else "breached"
    elif due is None:
        status = "paused"
    else:
        status = "breached" if at > due else "running"
    return {
        "started": start,
        "due": due,
        "stopped": stop,
        "elapsed": elapsed,
        "status": status,
        "unmet": unmet if stop else False,
    }


def _due(
    spec: CalendarSpec,
    zone: str,
    target: Target,
    events: list[TicketEvent],
    start: int,
    stop: int | None,
    at: int,
    length: int,
) -> int | None:
    if length == 0 and not (status_at(events, start) in target.pauses_on and (stop is None or start < stop)):
        return start
    used, t = 0, start
    limit = max(at, stop or at) + HORIZON
    while t < limit:
        if counting(spec, zone, target, events, t, stop):
            used += MINUTE
            if used >= length:
                return t + MINUTE
        elif stop is None and t >= at and status_at(events, t) in target.pauses_on:
            return None  # an open pause holds the clock: no due time yet
        t += MINUTE
    raise AssertionError("the reference found no due time within its horizon")


def reference(
    events: list[TicketEvent], policy: Policy, at: datetime, customer_zone: str | None
) -> list[tuple[object, ...]]:
    """(ticket, target, level, status, started, due, stopped, target_seconds, elapsed) per target."""
    now = to_epoch(at)
    created = next(e for e in events if e.kind == EventKind.CREATED)
    if to_epoch(created.at) > now:
        return []
    applied = applied_events(events, now)
    level, changed = level_history(applied, policy.default_level)
    resolved = to_epoch(applied[-1].at) if applied[-1].kind == EventKind.RESOLVED else None
    restored = next((to_epoch(e.at) for e in applied if e.kind == EventKind.RESTORED), None)
    replies = responses(applied)
    start = to_epoch(created.at)
    if policy.level_change == LevelChangeRule.RESTART and changed is not None:
        start = changed
    rows = []
    for target in sorted(policy.level(level).targets, key=lambda t: t.key):
        rows.append(
            _row(target, policy, created, applied, level, start, replies, restored, resolved, now, customer_zone)
        )
    return rows


def _row(
    target: Target,
    policy: Policy,
    created: TicketEvent,
    applied: list[TicketEvent],
    level: str,
    start: int,
    replies: list[int],
    restored: int | None,
    resolved: int | None,
    now: int,
    customer_zone: str | None,
) -> tuple[object, ...]:
    kind = target.duration.kind
    scheduled = None if created.scheduled_at is None else to_epoch(created.scheduled_at)
    na = (
        kind == DurationKind.NOT_APPLICABLE
        or (target.applies_to == Applicability.PLATFORM_LEVEL and not created.platform_level)
        or (kind == DurationKind.SCHEDULED and (scheduled is None or target.periodic))
    )
    if na:
        return (created.ticket, target.key, level, "not_applicable", to_epoch(created.at), None, None, None, None)
    spec = policy.calendar(target.calendar)
    zone = spec.timezone or customer_zone
    assert zone is not None
    length = None if kind == DurationKind.SCHEDULED else int(target.length.total_seconds())  # type: ignore[union-attr]
    due_fixed = scheduled if kind == DurationKind.SCHEDULED else None
    if target.periodic:
        starts = [start] + [r for r in replies if r > start]
        stops: list[int | None] = [*starts[1:], resolved]
        results = [
            run(spec, zone, target, applied, s, e, now, length, None) for s, e in zip(starts, stops, strict=True)
        ]
        chosen = next((r for r in results if r["status"] == "breached"), results[-1])
    else:
        stop, unmet = _stop(target, replies, restored, resolved)
        if stop is not None:
            stop = max(stop, start)
        chosen = run(spec, zone, target, applied, start, stop, now, length, due_fixed)
        if unmet:
            chosen["status"] = "breached"
    return (
        created.ticket,
        target.key,
        level,
        chosen["status"],
        chosen["started"],
        chosen["due"],
        chosen["stopped"],
        length,
        chosen["elapsed"],
    )


def _stop(target: Target, replies: list[int], restored: int | None, resolved: int | None) -> tuple[int | None, bool]:
    if target.stops_on == TargetStop.FIRST_AGENT_REPLY:
        if replies:
            return replies[0], False
        return resolved, resolved is not None
    if target.stops_on == TargetStop.RESTORED:
        found = [t for t in (restored, resolved) if t is not None]
        return (min(found) if found else None), False
    return resolved, False
