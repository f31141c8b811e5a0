"""Events and clocks of many tickets as parallel arrays, for the bulk engine.

Instants are whole UTC epoch seconds (int64). Categorical fields are small integer codes into
the tuples that travel with the arrays; -1 means absent. Ticket codes are the ranks of the ticket
ids in sorted order, so sorting by code sorts by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from troth.core.clocks.events import Author, EventKind, TicketEvent
from troth.core.clocks.rules import STATUS_CODES
from troth.core.instants import to_epoch

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

KIND_CODES = tuple(EventKind)
AUTHOR_CODES = tuple(Author)
NONE = -1


@dataclass(frozen=True, slots=True, kw_only=True)
class EventColumns:
    """One row per event. `sequence` is the file order (line number) that breaks ties in time."""

    ticket: Ints
    at: Ints
    kind: Ints
    sequence: Ints
    level: Ints
    account: Ints
    platform_level: Flags
    scheduled_at: Ints
    has_scheduled: Flags
    author: Ints
    public: Flags
    automated: Flags
    status: Ints
    ticket_ids: Sequence[str]
    """Ticket ids in sorted order: `ticket_ids[code]` (a tuple, or a sequence that decodes them on demand)."""
    levels: tuple[str, ...]
    accounts: tuple[str, ...]
    statuses: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.ticket.size)

    def take(self, rows: Ints) -> EventColumns:
        """The events at `rows`, with the same code tables."""
        arrays = {name: getattr(self, name)[rows] for name in ARRAY_FIELDS}
        return EventColumns(
            **arrays, ticket_ids=self.ticket_ids, levels=self.levels, accounts=self.accounts, statuses=self.statuses
        )

    def grouped(self) -> bool:
        """Whether each ticket's events are together, tickets in code (id) order."""
        return bool(np.all(self.ticket[1:] >= self.ticket[:-1]))

    def tickets(self, first: int, end: int) -> EventColumns:
        """The events of tickets `first` to `end - 1`, coded from 0. Assumes `grouped()`: the arrays are
        views, not copies."""
        a, b = np.searchsorted(self.ticket, [first, end]).tolist()
        arrays = {name: getattr(self, name)[a:b] for name in ARRAY_FIELDS}
        arrays["ticket"] = arrays["ticket"] - first
        return EventColumns(
            **arrays,
            ticket_ids=self.ticket_ids[first:end],
            levels=self.levels,
            accounts=self.accounts,
            statuses=self.statuses,
        )

    def ticket_ranges(self, parts: int) -> list[tuple[int, int]]:
        """`(first, end)` ticket codes cutting the tickets into `parts` ranges of about as many events each."""
        per_ticket = np.cumsum(np.bincount(self.ticket, minlength=len(self.ticket_ids)))
        cuts = np.searchsorted(per_ticket, [len(self) * k // parts for k in range(1, parts)]).tolist()
        bounds = [0, *cuts, len(self.ticket_ids)]
        return [(a, b) for a, b in pairwise(bounds) if b > a]


ARRAY_FIELDS = (
    "ticket",
    "at",
    "kind",
    "sequence",
    "level",
    "account",
    "platform_level",
    "scheduled_at",
    "has_scheduled",
    "author",
    "public",
    "automated",
    "status",
)


def kind_code(kind: EventKind) -> int:
    return KIND_CODES.index(kind)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClockColumns:
    """One row per ticket and target of its level, sorted by ticket id, then target key.

    Where a `has_*` flag is false the value beside it means nothing (JSON null in output).
    """

    ticket: Ints
    target: Ints
    level: Ints
    status: Ints
    started_at: Ints
    due_at: Ints
    has_due: Flags
    stopped_at: Ints
    has_stop: Flags
    target_seconds: Ints
    has_length: Flags
    elapsed_seconds: Ints
    has_elapsed: Flags
    warnings: Ints | None
    """(rows x WARNING_PERCENTS) instants for running targets when asked for; -1 where none."""
    ticket_ids: Sequence[str]
    targets: tuple[str, ...]
    levels: tuple[str, ...]
    skipped_tickets: int
    """Tickets created after the evaluation instant, which have no clocks yet."""

    def __len__(self) -> int:
        return int(self.ticket.size)


def _code(table: dict[str, int], value: str | None) -> int:
    if value is None:
        return NONE
    return table.setdefault(value, len(table))


def columns_from_events(events: Sequence[TicketEvent]) -> EventColumns:
    """The columns of a list of events (of any tickets), for tests and small inputs."""
    ids = sorted({e.ticket for e in events})
    ticket_code = {ticket: i for i, ticket in enumerate(ids)}
    levels: dict[str, int] = {}
    accounts: dict[str, int] = {}
    statuses: dict[str, int] = {}

    def ints(values: Iterable[int]) -> Ints:
        return np.fromiter(values, dtype=np.int64, count=len(events))

    def flags(values: Iterable[bool]) -> Flags:
        return np.fromiter(values, dtype=np.bool_, count=len(events))

    return EventColumns(
        ticket=ints(ticket_code[e.ticket] for e in events),
        at=ints(to_epoch(e.at) for e in events),
        kind=ints(KIND_CODES.index(e.kind) for e in events),
        sequence=ints(e.sequence for e in events),
        level=ints(_code(levels, e.level) for e in events),
        account=ints(_code(accounts, e.account) for e in events),
        platform_level=flags(e.platform_level for e in events),
        scheduled_at=ints(0 if e.scheduled_at is None else to_epoch(e.scheduled_at) for e in events),
        has_scheduled=flags(e.scheduled_at is not None for e in events),
        author=ints(NONE if e.author is None else AUTHOR_CODES.index(e.author) for e in events),
        public=flags(e.public for e in events),
        automated=flags(e.automated for e in events),
        status=ints(_code(statuses, e.status) for e in events),
        ticket_ids=tuple(ids),
        levels=tuple(levels),
        accounts=tuple(accounts),
        statuses=tuple(statuses),
    )


def joined_clocks(parts: Sequence[tuple[int, ClockColumns]], ticket_ids: Sequence[str]) -> ClockColumns:
    """The clocks of ranges of tickets evaluated apart, `(first ticket code, clocks)` in ticket order, as one."""
    clocks = [c for _, c in parts]
    first = clocks[0]
    if any(c.targets != first.targets or c.levels != first.levels for c in clocks):
        raise ValueError("the parts were evaluated with different code tables")
    arrays = {name: np.concatenate([getattr(c, name) for c in clocks]) for name in CLOCK_ARRAYS}
    arrays["ticket"] = np.concatenate([c.ticket + offset for offset, c in parts])
    warnings = (
        None if first.warnings is None else np.concatenate([c.warnings for c in clocks if c.warnings is not None])
    )
    return ClockColumns(
        **arrays,
        warnings=warnings,
        ticket_ids=ticket_ids,
        targets=first.targets,
        levels=first.levels,
        skipped_tickets=sum(c.skipped_tickets for c in clocks),
    )


CLOCK_ARRAYS = (
    "target",
    "level",
    "status",
    "started_at",
    "due_at",
    "has_due",
    "stopped_at",
    "has_stop",
    "target_seconds",
    "has_length",
    "elapsed_seconds",
    "has_elapsed",
)


ClockRow = tuple[str, str, str, str, int, int | None, int | None, int | None, int | None]
"""(ticket, target, level, status, started, due, stopped, target_seconds, elapsed), instants in epoch seconds."""


def clock_rows(clocks: ClockColumns) -> list[ClockRow]:
    """The rows of `clocks` as plain tuples, None where a value is absent (for comparisons and output)."""

    def maybe(values: Ints, present: Flags) -> list[int | None]:
        return [int(v) if p else None for v, p in zip(values.tolist(), present.tolist(), strict=True)]

    due = maybe(clocks.due_at, clocks.has_due)
    stop = maybe(clocks.stopped_at, clocks.has_stop)
    length = maybe(clocks.target_seconds, clocks.has_length)
    elapsed = maybe(clocks.elapsed_seconds, clocks.has_elapsed)
    return [
        (
            clocks.ticket_ids[t],
            clocks.targets[k],
            clocks.levels[lv],
            STATUS_CODES[s].value,
            started,
            due[i],
            stop[i],
            length[i],
            elapsed[i],
        )
        for i, (t, k, lv, s, started) in enumerate(
            zip(
                clocks.ticket.tolist(),
                clocks.target.tolist(),
                clocks.level.tolist(),
                clocks.status.tolist(),
                clocks.started_at.tolist(),
                strict=True,
            )
        )
    ]
