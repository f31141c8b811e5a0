"""The timeline rules of `timeline.py`, over the events of many tickets at once.

Events are sorted by ticket, time, `created` first, then file order; every per-ticket fact is a
reduction over contiguous groups, so the work is a few passes over the event arrays whatever the
number of tickets. Groups are the tickets that exist at the evaluation instant, in ticket order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from troth.core.clocks.columns import AUTHOR_CODES, NONE, EventColumns, Flags, Ints, kind_code
from troth.core.clocks.events import CLOSING_STATUSES, OPEN_STATUS, Author, EventKind
from troth.core.clocks.timeline import TicketError

CREATED, REPLY, LEVEL, STATUS, RESTORED, RESOLVED = (kind_code(k) for k in EventKind)


def first_in_group(group: Ints, values: Ints, n_groups: int, fill: int) -> tuple[Ints, Flags]:
    """Per group, the value of its first row (rows sorted by group); `fill` where a group has none."""
    out = np.full(n_groups, fill, dtype=np.int64)
    has = np.zeros(n_groups, dtype=np.bool_)
    if group.size:
        lead = np.ones(group.size, dtype=np.bool_)
        lead[1:] = group[1:] != group[:-1]
        out[group[lead]] = values[lead]
        has[group[lead]] = True
    return out, has


def last_in_group(group: Ints, values: Ints, n_groups: int, fill: int) -> tuple[Ints, Flags]:
    """Per group, the value of its last row (rows sorted by group)."""
    out = np.full(n_groups, fill, dtype=np.int64)
    has = np.zeros(n_groups, dtype=np.bool_)
    if group.size:
        tail = np.ones(group.size, dtype=np.bool_)
        tail[:-1] = group[1:] != group[:-1]
        out[group[tail]] = values[tail]
        has[group[tail]] = True
    return out, has


@dataclass(frozen=True, slots=True, kw_only=True)
class Spans:
    """Status spans `[lo, hi)` of every group, sorted; group g owns `first[g] : first[g] + count[g]`."""

    group: Ints
    lo: Ints
    hi: Ints
    is_open: Flags
    status: Ints
    first: Ints
    count: Ints

    def only(self, statuses: Ints) -> Spans:
        keep = np.isin(self.status, statuses)
        group = self.group[keep]
        n = self.first.size
        return Spans(
            group=group,
            lo=self.lo[keep],
            hi=self.hi[keep],
            is_open=self.is_open[keep],
            status=self.status[keep],
            first=np.searchsorted(group, np.arange(n)).astype(np.int64),
            count=np.bincount(group, minlength=n).astype(np.int64),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketTable:
    """Per-ticket facts, one entry per group (a ticket created by the evaluation instant)."""

    ticket: Ints
    created_at: Ints
    created_sequence: Ints
    platform_level: Flags
    scheduled_at: Ints
    has_scheduled: Flags
    level: Ints
    """The level in force at the evaluation instant (code into `levels`)."""
    changed_at: Ints
    has_change: Flags
    response_at: Ints
    has_response: Flags
    responses: Ints
    """Every response instant, sorted by group then time; group g owns `response_first[g]` on."""
    response_first: Ints
    response_count: Ints
    restored_at: Ints
    has_restored: Flags
    resolved_at: Ints
    has_resolved: Flags
    spans: Spans
    levels: tuple[str, ...]
    statuses: tuple[str, ...]
    skipped: int

    def __len__(self) -> int:
        return int(self.ticket.size)


def check_tickets(events: EventColumns) -> None:
    """Every ticket is created exactly once and nothing happens to it before; raises TicketError
    for the violation on the earliest line."""
    n = len(events.ticket_ids)
    created = np.flatnonzero(events.kind == CREATED)
    problems: list[TicketError] = []
    counts = np.bincount(events.ticket[created], minlength=n)
    if np.any(counts == 0):
        problems.append(_missing_created(events, counts))
    if np.any(counts > 1):
        problems.append(_created_twice(events, created))
    if not problems:
        created_at = np.zeros(n, dtype=np.int64)
        created_at[events.ticket[created]] = events.at[created]
        early = np.flatnonzero(events.at < created_at[events.ticket])
        if early.size:
            row = early[np.argmin(events.sequence[early])]
            ticket = events.ticket_ids[events.ticket[row]]
            problems.append(
                TicketError(
                    f"event of ticket '{ticket}' is before its creation", sequence=int(events.sequence[row]), field="at"
                )
            )
    if problems:
        raise min(problems, key=lambda p: p.sequence)


def _missing_created(events: EventColumns, counts: Ints) -> TicketError:
    lacking = np.flatnonzero(counts[events.ticket] == 0)
    row = lacking[np.argmin(events.sequence[lacking])]
    ticket = events.ticket_ids[events.ticket[row]]
    return TicketError(f"ticket '{ticket}' has no 'created' event", sequence=int(events.sequence[row]), field="type")


def _created_twice(events: EventColumns, created: Ints) -> TicketError:
    order = created[np.lexsort((events.sequence[created], events.ticket[created]))]
    tickets = events.ticket[order]
    repeat = order[1:][tickets[1:] == tickets[:-1]]
    row = repeat[np.argmin(events.sequence[repeat])]
    ticket = events.ticket_ids[events.ticket[row]]
    return TicketError(f"ticket '{ticket}' is created twice", sequence=int(events.sequence[row]), field="type")


def code_table(names: Sequence[str], extra: Sequence[str]) -> tuple[str, ...]:
    """`names`, then those of `extra` not among them: codes into `names` keep their meaning."""
    return tuple(names) + tuple(name for name in dict.fromkeys(extra) if name not in names)


def ticket_table(events: EventColumns, *, at: int, default_level: Ints) -> TicketTable:
    """The facts of every ticket at `at`; `default_level[ticket]` is the level for a `created` without one
    (a code into `events.levels`). Assumes `check_tickets` passed."""
    created = np.flatnonzero(events.kind == CREATED)
    n = len(events.ticket_ids)
    created_at = np.zeros(n, dtype=np.int64)
    created_at[events.ticket[created]] = events.at[created]
    alive = created_at <= at
    rows = np.flatnonzero((events.at <= at) & alive[events.ticket])
    order = _time_order(events, rows)
    e = events if order is None else events.take(order)  # one copy of the events, or none when already in order
    new = np.ones(len(e), dtype=np.bool_)
    new[1:] = e.ticket[1:] != e.ticket[:-1]
    group = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    n_groups = int(starts.size)
    position = np.arange(len(e)) - starts[group]
    e, group, position = _applied(e, group, position, n_groups)
    return _table(e, group, n_groups, default_level, skipped=int(np.count_nonzero(~alive)))


def _time_order(events: EventColumns, rows: Ints) -> Ints | None:
    """`rows` ordered by ticket, time, `created` first, then file order (`sequence`); None when
    that is every row, in the order they are (exports are often written so: then nothing is copied)."""
    every = rows.size == len(events)
    columns = (events.ticket, events.at, events.kind, events.sequence)
    if _in_order(*columns, len(events.ticket_ids)):
        return None if every else rows  # rows of events in order are in order: nothing to gather
    ticket, at, kind, sequence = (v if every else v[rows] for v in columns)
    order: Ints
    if at.size and bool(np.all(sequence[1:] > sequence[:-1])):
        # Rows are in file order already: one stable sort on a packed key keeps it for ties.
        key = _packed_key(ticket, at, kind, len(events.ticket_ids))
        if key is not None:
            if bool(np.all(key[1:] >= key[:-1])):
                return None if every else rows
            order = rows[np.argsort(key, kind="stable")]
            return order
    order = rows[np.lexsort((sequence, _after_created(kind), at, ticket))]
    return order


def _after_created(kind: Ints) -> Flags:
    """`created` sorts first among events at the same time: 0 for it, 1 for the others."""
    later: Flags = kind != CREATED
    return later


def _packed_key(ticket: Ints, at: Ints, kind: Ints, tickets: int) -> Ints | None:
    """(ticket, time, `created` first) packed in one int64 that sorts the same; None when too wide."""
    offset = at - int(at.min())
    if int(offset.max()) >= 1 << 34 or tickets >= 1 << 28:
        return None
    key: Ints = (ticket << 35) | (offset << 1) | _after_created(kind)
    return key


def _in_order(ticket: Ints, at: Ints, kind: Ints, sequence: Ints, tickets: int) -> bool:
    """Whether the events are ordered by ticket, time, `created` first, then file order."""
    if not at.size:
        return True
    if not bool(np.all(sequence[1:] > sequence[:-1])):
        return False
    key = _packed_key(ticket, at, kind, tickets)
    return key is not None and bool(np.all(key[1:] >= key[:-1]))


def _applied(e: EventColumns, group: Ints, position: Ints, n_groups: int) -> tuple[EventColumns, Ints, Ints]:
    """Drop the events after each ticket's standing resolution."""
    closing = np.array([i for i, s in enumerate(e.statuses) if s in CLOSING_STATUSES], dtype=np.int64)
    status = np.flatnonzero(e.kind == STATUS)
    reopening = status[~np.isin(e.status[status], closing)]
    last_reopen, _ = last_in_group(group[reopening], position[reopening], n_groups, -1)
    resolved = np.flatnonzero(e.kind == RESOLVED)
    resolving = resolved[position[resolved] > last_reopen[group[resolved]]]
    end, has_end = first_in_group(group[resolving], position[resolving], n_groups, 0)
    # Every group has rows (its `created` at least), in group order: where each one's last is.
    last = np.ones(group.size, dtype=np.bool_)
    last[:-1] = group[1:] != group[:-1]
    if bool(np.all(~has_end | (end == position[last]))):
        return e, group, position  # each standing resolution is its ticket's last event: no copy
    keep = ~has_end[group] | (position <= end[group])
    rows = np.flatnonzero(keep)
    return e.take(rows), group[rows], position[rows]


def _table(e: EventColumns, group: Ints, n_groups: int, default_level: Ints, *, skipped: int) -> TicketTable:
    created = np.flatnonzero(e.kind == CREATED)
    ticket = e.ticket[created]
    level, changed_at, has_change = _levels(e, group, default_level, n_groups)
    responding = np.flatnonzero(
        (e.kind == REPLY) & (e.author == AUTHOR_CODES.index(Author.AGENT)) & e.public & ~e.automated
    )
    response_at, has_response = first_in_group(group[responding], e.at[responding], n_groups, 0)
    restoring = np.flatnonzero(e.kind == RESTORED)
    restored_at, has_restored = first_in_group(group[restoring], e.at[restoring], n_groups, 0)
    # After `_applied`, a ticket's last event is `resolved` exactly when its resolution stands.
    # Every group has rows (its `created` at least) and they are in group order: one last row each.
    ends = np.ones(group.size, dtype=np.bool_)
    ends[:-1] = group[1:] != group[:-1]
    last = np.flatnonzero(ends)
    resolved_at = e.at[last]
    has_resolved = e.kind[last] == RESOLVED
    statuses = code_table(e.statuses, [OPEN_STATUS])
    return TicketTable(
        ticket=ticket,
        created_at=e.at[created],
        created_sequence=e.sequence[created],
        platform_level=e.platform_level[created],
        scheduled_at=e.scheduled_at[created],
        has_scheduled=e.has_scheduled[created],
        level=level,
        changed_at=changed_at,
        has_change=has_change,
        response_at=response_at,
        has_response=has_response,
        responses=e.at[responding],
        response_first=np.searchsorted(group[responding], np.arange(n_groups)).astype(np.int64),
        response_count=np.bincount(group[responding], minlength=n_groups).astype(np.int64),
        restored_at=restored_at,
        has_restored=has_restored,
        resolved_at=resolved_at,
        has_resolved=has_resolved,
        spans=_spans(e, group, n_groups, statuses.index(OPEN_STATUS)),
        levels=e.levels,
        statuses=statuses,
        skipped=skipped,
    )


def _levels(e: EventColumns, group: Ints, default_level: Ints, n_groups: int) -> tuple[Ints, Ints, Flags]:
    """The level in force at the end, and the instant of the last change that changed it."""
    rows = np.flatnonzero((e.kind == CREATED) | ((e.kind == LEVEL) & (e.level != NONE)))
    codes = e.level[rows].copy()
    at_creation = e.kind[rows] == CREATED
    unset = at_creation & (codes == NONE)
    codes[unset] = default_level[e.ticket[rows[unset]]]
    g = group[rows]
    changed = np.zeros(rows.size, dtype=np.bool_)
    changed[1:] = (g[1:] == g[:-1]) & (codes[1:] != codes[:-1])
    level, _ = last_in_group(g, codes, n_groups, NONE)
    changed_at, has_change = last_in_group(g[changed], e.at[rows[changed]], n_groups, 0)
    return level, changed_at, has_change


def _spans(e: EventColumns, group: Ints, n_groups: int, open_code: int) -> Spans:
    """Each status change (and the creation, in status `open`) starts a span that the next one ends."""
    rows = np.flatnonzero((e.kind == CREATED) | ((e.kind == STATUS) & (e.status != NONE)))
    status = np.where(e.kind[rows] == CREATED, open_code, e.status[rows])
    g = group[rows]
    lo = e.at[rows]
    is_open = np.ones(rows.size, dtype=np.bool_)
    is_open[:-1] = g[1:] != g[:-1]
    hi = np.zeros(rows.size, dtype=np.int64)
    hi[:-1] = lo[1:]
    hi[is_open] = 0
    return Spans(
        group=g,
        lo=lo,
        hi=hi,
        is_open=is_open,
        status=status.astype(np.int64),
        first=np.searchsorted(g, np.arange(n_groups)).astype(np.int64),
        count=np.bincount(g, minlength=n_groups).astype(np.int64),
    )
