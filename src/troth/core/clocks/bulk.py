"""The bulk engine: the clocks of many tickets, vectorised over the calendar index.

The same rules as `single.py` (and `rules.py`, which both use), applied to arrays: per-ticket
facts come from `bulk_timeline`, each ticket expands into its level's target slots, periodic
targets into one row per period, and each (calendar, time zone) group of rows is evaluated with
`add_array` / `elapsed_array`, pauses handled as breaks one k-th pause at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from troth.core.calendars import compile_calendar
from troth.core.clocks.breaks import RowBreaks, add_with_breaks, elapsed_with_breaks
from troth.core.clocks.bulk_timeline import (
    TicketTable,
    check_tickets,
    code_table,
    first_in_group,
    last_in_group,
    ticket_table,
)
from troth.core.clocks.columns import ClockColumns, EventColumns, Flags, Ints
from troth.core.clocks.rules import STATUS_CODES, WARNING_PERCENTS, ClockStatus, status_codes
from troth.core.clocks.slots import STOP_CODES, Slots, slots_for
from troth.core.clocks.timeline import TicketError
from troth.core.policies.model import Policy, TargetStop

BREACHED = STATUS_CODES.index(ClockStatus.BREACHED)
RUNNING = STATUS_CODES.index(ClockStatus.RUNNING)
NOT_APPLICABLE = STATUS_CODES.index(ClockStatus.NOT_APPLICABLE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """The policy variant and customer time zone each ticket is judged by, by ticket code."""

    policies: tuple[Policy, ...]
    ticket_policy: Ints
    zones: tuple[str | None, ...]
    ticket_zone: Ints

    def tickets(self, first: int, end: int) -> Assignment:
        """The assignment of tickets `first` to `end - 1`, coded from 0 (as `EventColumns.tickets`)."""
        return replace(self, ticket_policy=self.ticket_policy[first:end], ticket_zone=self.ticket_zone[first:end])


@dataclass(frozen=True, slots=True, kw_only=True)
class Rows:
    """Measurement rows: one per applicable target, or per period of a periodic target."""

    parent: Ints
    group: Ints
    slot: Ints
    start: Ints
    stop: Ints
    has_stop: Flags
    unmet: Flags


def evaluate_columns(
    events: EventColumns, assignment: Assignment, *, at: int, with_warnings: bool = False
) -> ClockColumns:
    """Every target of every ticket's level at `at` (epoch seconds), as `single.evaluate_ticket` would.

    Raises TicketError (located by the event's sequence) for tickets without exactly one
    `created`, events before it, or a calendar in the customer's zone with no zone known.
    """
    check_tickets(events)
    policies = assignment.policies
    levels = code_table(events.levels, [p.default_level for p in policies])
    events = replace(events, levels=levels)
    defaults = np.array([levels.index(p.default_level) for p in policies], dtype=np.int64)
    table = ticket_table(events, at=at, default_level=defaults[assignment.ticket_policy])
    slots = slots_for(policies, levels)
    group, slot = _expand(table, slots, assignment)
    variant = assignment.ticket_policy[table.ticket[group]]
    applicable = slots.applies[slot, 2 * table.platform_level[group] + table.has_scheduled[group]]
    rows = _measurement_rows(table, slots, group, slot, variant, applicable)
    clocks = _assemble(table, slots, assignment, rows, group, slot, applicable, at=at, with_warnings=with_warnings)
    return replace(clocks, ticket_ids=events.ticket_ids)


def _expand(table: TicketTable, slots: Slots, assignment: Assignment) -> tuple[Ints, Ints]:
    """One row per ticket and target of its level, sorted by ticket then target."""
    key = assignment.ticket_policy[table.ticket] * len(table.levels) + table.level
    count = slots.count[key]
    if np.any(count < 0):
        bad = int(np.flatnonzero(count < 0)[0])
        raise TicketError(
            f"level '{table.levels[table.level[bad]]}' is not a level of the policy in force for this ticket",
            sequence=int(table.created_sequence[bad]),
            field="level",
        )
    group = np.repeat(np.arange(len(table)), count)
    offsets = np.arange(group.size) - np.repeat(np.cumsum(count) - count, count)
    return group, np.repeat(slots.first[key], count) + offsets


def _stops(table: TicketTable, stops_on: Ints, group: Ints) -> tuple[Ints, Flags, Flags]:
    """`single.stop_of` over rows: (stop, has_stop, unmet)."""
    response = stops_on == STOP_CODES.index(TargetStop.FIRST_AGENT_REPLY)
    restored = stops_on == STOP_CODES.index(TargetStop.RESTORED)
    has_response, has_resolved = table.has_response[group], table.has_resolved[group]
    resolved_at = table.resolved_at[group]
    restored_at = np.where(table.has_restored[group], table.restored_at[group], resolved_at)
    if_restored = np.where(has_resolved, np.minimum(restored_at, resolved_at), restored_at)
    stop = np.select(
        [response & has_response, response, restored], [table.response_at[group], resolved_at, if_restored], resolved_at
    )
    has_stop = np.select(
        [response, restored], [has_response | has_resolved, table.has_restored[group] | has_resolved], has_resolved
    )
    unmet = response & ~has_response & has_resolved
    return stop, has_stop, unmet


def _measurement_rows(
    table: TicketTable, slots: Slots, group: Ints, slot: Ints, variant: Ints, applicable: Flags
) -> Rows:
    parent = np.flatnonzero(applicable)
    g, s = group[parent], slot[parent]
    restart = slots.restart[variant[parent]] & table.has_change[g]
    start = np.where(restart, table.changed_at[g], table.created_at[g])
    stop, has_stop, unmet = _stops(table, slots.stops_on[s], g)
    stop = np.where(has_stop, np.maximum(stop, start), stop)
    single = Rows(parent=parent, group=g, slot=s, start=start, stop=stop, has_stop=has_stop, unmet=unmet)
    periodic = slots.periodic[s]
    if not np.any(periodic):
        return single
    return _concat(_take(single, np.flatnonzero(~periodic)), _periods(table, _take(single, np.flatnonzero(periodic))))


def _take(rows: Rows, keep: Ints) -> Rows:
    return Rows(**{name: getattr(rows, name)[keep] for name in Rows.__slots__})


def _concat(a: Rows, b: Rows) -> Rows:
    merged = Rows(**{name: np.concatenate([getattr(a, name), getattr(b, name)]) for name in Rows.__slots__})
    order = np.argsort(merged.parent, kind="stable")
    return _take(merged, order)


def _periods(table: TicketTable, rows: Rows) -> Rows:
    """`single.periods` over rows: each response after the start ends a period and starts the next;
    the resolution (if any) ends the last."""
    g = rows.group
    instants = np.concatenate([table.responses, rows.start])
    base, span = int(instants.min()), int(instants.max() - instants.min()) + 1
    # Responses are sorted by ticket, then time: one key orders them across tickets.
    keys = np.repeat(np.arange(len(table)), table.response_count) * span + (table.responses - base)
    before = np.searchsorted(keys, g * span + (rows.start - base), side="right") - table.response_first[g]
    n = table.response_count[g] - before + 1
    row = np.repeat(np.arange(g.size), n)
    p = np.arange(row.size) - np.repeat(np.cumsum(n) - n, n)
    later = table.response_first[g][row] + before[row]
    padded = np.append(table.responses, 0)  # reads past a ticket's responses are masked below
    last = p == n[row] - 1
    rg = g[row]
    return Rows(
        parent=rows.parent[row],
        group=rg,
        slot=rows.slot[row],
        start=np.where(p == 0, rows.start[row], padded[np.maximum(later + p - 1, 0)]),
        stop=np.where(last, table.resolved_at[rg], padded[later + p]),
        has_stop=~last | table.has_resolved[rg],
        unmet=np.zeros(row.size, dtype=np.bool_),
    )


def _breaks(table: TicketTable, slots: Slots, rows: Rows) -> RowBreaks:
    """Each row's pause spans, from the spans in its target's pause states."""
    first = np.zeros(rows.group.size, dtype=np.int64)
    count = np.zeros(rows.group.size, dtype=np.int64)
    los, his, opens = [], [], []
    offset = 0
    for code, states in enumerate(slots.pause_sets):
        spans = table.spans.only(np.array([i for i, s in enumerate(table.statuses) if s in states], dtype=np.int64))
        mine = slots.pause_set[rows.slot] == code
        first[mine] = offset + spans.first[rows.group[mine]]
        count[mine] = spans.count[rows.group[mine]]
        los.append(spans.lo)
        his.append(spans.hi)
        opens.append(spans.is_open)
        offset += spans.lo.size
    return RowBreaks(
        first=first,
        count=count,
        lo=np.concatenate(los) if los else np.zeros(0, dtype=np.int64),
        hi=np.concatenate(his) if his else np.zeros(0, dtype=np.int64),
        is_open=np.concatenate(opens) if opens else np.zeros(0, dtype=np.bool_),
        until=rows.stop,
        has_until=rows.has_stop,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarGroups:
    """Rows grouped by the compiled calendar they run on: (calendar spec, time zone)."""

    names: tuple[str, ...]
    """Zone names; `zone` codes index them."""
    zone: Ints
    key: Ints
    """calendar code * len(names) + zone code, per row."""

    def groups(self, mask: Flags) -> list[tuple[int, str, Ints]]:
        """(calendar code, zone name, rows) for each group with rows under `mask`."""
        chosen = np.flatnonzero(mask)
        keys = self.key[chosen]
        order = np.argsort(keys, kind="stable")
        distinct, first = np.unique(keys[order], return_index=True)
        bounds = [*first.tolist(), int(chosen.size)]
        width = len(self.names)
        return [
            (int(k) // width, self.names[int(k) % width], chosen[order[bounds[i] : bounds[i + 1]]])
            for i, k in enumerate(distinct.tolist())
        ]


def _calendar_groups(table: TicketTable, slots: Slots, assignment: Assignment, rows: Rows) -> CalendarGroups:
    """Each row's zone: its calendar's own, or the ticket's customer zone for `timezone: customer`."""
    names = [z for z in dict.fromkeys([*(c.timezone for c in slots.calendars), *assignment.zones]) if z is not None]
    names = names or ["UTC"]
    code = {name: i for i, name in enumerate(names)}
    missing = len(names)
    own = np.array([missing if c.timezone is None else code[c.timezone] for c in slots.calendars], dtype=np.int64)
    customer = np.array([missing if z is None else code[z] for z in assignment.zones], dtype=np.int64)
    spec = slots.calendar[rows.slot]
    zone = np.where(own[spec] == missing, customer[assignment.ticket_zone[table.ticket[rows.group]]], own[spec])
    lacking = np.flatnonzero(zone == missing)
    if lacking.size:
        first = lacking[np.argmin(table.created_sequence[rows.group[lacking]])]
        name = slots.calendars[spec[first]].name
        raise TicketError(
            f"calendar '{name}' runs in the customer's time zone, and none is known: ticket "
            "needs its account's time zone",
            sequence=int(table.created_sequence[rows.group[first]]),
            field="account",
        )
    return CalendarGroups(names=tuple(names), zone=zone, key=spec * len(names) + zone)


@dataclass(frozen=True, slots=True, kw_only=True)
class Measured:
    due: Ints
    held: Flags
    elapsed: Ints
    status: Ints
    warnings: Ints | None


def _measure(
    table: TicketTable, slots: Slots, assignment: Assignment, rows: Rows, *, at: int, with_warnings: bool
) -> Measured:
    n = rows.parent.size
    due = np.zeros(n, dtype=np.int64)
    held = np.zeros(n, dtype=np.bool_)
    elapsed = np.zeros(n, dtype=np.int64)
    breaks = _breaks(table, slots, rows)
    calendars = _calendar_groups(table, slots, assignment, rows)
    scheduled = slots.scheduled[rows.slot]
    for spec_code, zone, idx in calendars.groups(np.ones(n, dtype=np.bool_)):
        calendar = compile_calendar(slots.calendars[spec_code], zone)
        sub = breaks.subset(idx)
        end = np.where(rows.has_stop[idx], rows.stop[idx], at)
        elapsed[idx] = elapsed_with_breaks(calendar, rows.start[idx], end, sub)
        timed = ~scheduled[idx]
        lengths = slots.length[rows.slot[idx]]
        d, h = add_with_breaks(calendar, rows.start[idx][timed], lengths[timed], sub.subset(np.flatnonzero(timed)))
        due[idx[timed]], held[idx[timed]] = d, h
        due[idx[~timed]] = table.scheduled_at[rows.group[idx[~timed]]]
    status = status_codes(
        stopped=rows.has_stop, stopped_at=rows.stop, unmet=rows.unmet, has_due=~held, due_at=due, at=at
    ).astype(np.int64)
    warnings = _warnings(slots, rows, breaks, calendars, status) if with_warnings else None
    return Measured(due=due, held=held, elapsed=elapsed, status=status, warnings=warnings)


def _warnings(slots: Slots, rows: Rows, breaks: RowBreaks, calendars: CalendarGroups, status: Ints) -> Ints:
    """Breach warnings for running targets with a length: when each share of the target is used."""
    out = np.full((rows.parent.size, len(WARNING_PERCENTS)), -1, dtype=np.int64)
    running = (status == RUNNING) & ~slots.scheduled[rows.slot]
    for spec_code, zone, idx in calendars.groups(running):
        calendar = compile_calendar(slots.calendars[spec_code], zone)
        for column, percent in enumerate(WARNING_PERCENTS):
            seconds = warning_seconds_array(slots.length[rows.slot[idx]], percent)
            instant, held = add_with_breaks(calendar, rows.start[idx], seconds, breaks.subset(idx))
            out[idx, column] = np.where(held, -1, instant)
    return out


def warning_seconds_array(length: Ints, percent: int) -> Ints:
    """`rules.warning_seconds` over an array (rounded up)."""
    result: Ints = -(-length * percent // 100)
    return result


def _chosen(rows: Rows, status: Ints) -> Ints:
    """For each parent row, its measurement row: the first breached period, else the last."""
    index = np.arange(rows.parent.size)
    if bool(np.all(rows.parent[1:] > rows.parent[:-1])):
        return index  # one row each (no periodic target): nothing to choose
    breached = status == BREACHED
    parents, at_first = np.unique(rows.parent, return_index=True)
    del at_first
    position = np.searchsorted(parents, rows.parent)
    first_breached, has_breached = first_in_group(position[breached], index[breached], parents.size, 0)
    last, _ = last_in_group(position, index, parents.size, 0)
    return np.where(has_breached, first_breached, last)


def _assemble(
    table: TicketTable,
    slots: Slots,
    assignment: Assignment,
    rows: Rows,
    group: Ints,
    slot: Ints,
    applicable: Flags,
    *,
    at: int,
    with_warnings: bool,
) -> ClockColumns:
    n = group.size
    measured = _measure(table, slots, assignment, rows, at=at, with_warnings=with_warnings)
    pick = _chosen(rows, measured.status)
    parent = rows.parent[pick]
    status = np.full(n, NOT_APPLICABLE, dtype=np.int64)
    status[parent] = measured.status[pick]
    started = table.created_at[group].copy()
    started[parent] = rows.start[pick]
    due, has_due = _placed(n, parent, measured.due[pick], ~measured.held[pick])
    stop, has_stop = _placed(n, parent, rows.stop[pick], rows.has_stop[pick])
    elapsed, has_elapsed = _placed(n, parent, measured.elapsed[pick], np.ones(pick.size, dtype=np.bool_))
    length = slots.length[slot]
    warnings = None
    if measured.warnings is not None:
        warnings = np.full((n, len(WARNING_PERCENTS)), -1, dtype=np.int64)
        warnings[parent] = measured.warnings[pick]
    return ClockColumns(
        ticket=table.ticket[group],
        target=slots.target[slot],
        level=table.level[group],
        status=status,
        started_at=started,
        due_at=due,
        has_due=has_due,
        stopped_at=stop,
        has_stop=has_stop,
        target_seconds=length,
        has_length=applicable & ~slots.scheduled[slot] & (length >= 0),
        elapsed_seconds=elapsed,
        has_elapsed=has_elapsed,
        warnings=warnings,
        ticket_ids=(),
        targets=slots.targets,
        levels=table.levels,
        skipped_tickets=table.skipped,
    )


def _placed(n: int, rows: Ints, values: Ints, present: Flags) -> tuple[Ints, Flags]:
    out = np.zeros(n, dtype=np.int64)
    has = np.zeros(n, dtype=np.bool_)
    out[rows] = values
    has[rows] = present
    return out, has
