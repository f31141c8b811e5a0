"""The events of recently written tickets, kept between batches so a busy ticket is not re-read each time.

A ticket receives its events one after another, each answered before the next is sent; without
memory every event would load and convert all the ticket's earlier events again. Stored events
never change and each one takes the next sequence number, so a remembered history is exactly the
stored one when its last sequence number is the ticket's highest stored one. A batch checks that
for all its tickets in one indexed query and reads only the tickets that fail it (another server
process wrote to them, or they were never seen). Histories are remembered only after their batch
committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from troth.core.clocks import TicketEvent
from troth.services.clocks import EventLike, core_event
from troth.storage.repositories.tickets import AnyTicket


@dataclass(frozen=True, slots=True)
class TicketHistory:
    """A ticket's stored events in arrival order, and the same events as the core reads them."""

    rows: tuple[EventLike, ...]
    events: tuple[TicketEvent, ...]

    @classmethod
    def of(cls, ticket: AnyTicket, rows: list[EventLike]) -> TicketHistory:
        return cls(tuple(rows), tuple(core_event(ticket, row) for row in rows))

    @property
    def last_seq(self) -> int:
        return self.rows[-1].seq if self.rows else 0

    def with_event(self, ticket: AnyTicket, row: EventLike) -> TicketHistory:
        return TicketHistory((*self.rows, row), (*self.events, core_event(ticket, row)))


@dataclass
class RecentHistories:
    """Histories of the tickets last written by this process, at most `limit` of them."""

    limit: int = 10_000
    _histories: dict[int, TicketHistory] = field(default_factory=dict)

    def get(self, ticket_id: int, last_seq: int) -> TicketHistory | None:
        """The remembered history if it is still the whole stored one (its last sequence number)."""
        history = self._histories.get(ticket_id)
        if history is None or history.last_seq != last_seq:
            return None
        return history

    def remember(self, histories: dict[int, TicketHistory]) -> None:
        for ticket_id, history in histories.items():
            self._histories.pop(ticket_id, None)  # re-inserted last: the least recently written go first
            self._histories[ticket_id] = history
        while len(self._histories) > self.limit:
            del self._histories[next(iter(self._histories))]

    def __len__(self) -> int:
        return len(self._histories)
