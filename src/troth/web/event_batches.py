"""Group the ticket writes of concurrent requests (new tickets, their events) into batches.

One batch at a time per process.

While a batch is being written (in a worker thread, so the event loop keeps reading requests),
new events wait in a queue; when it commits, the next batch takes all of them. An idle server so
writes each event alone at once, and a busy one amortises the transaction, the commit and the
statements over every event that arrived meanwhile. A caller hears back only after the commit
that stored its event.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from anyio import to_thread

from troth.services.errors import ServiceError
from troth.services.ticket_events import Outcome, WriteRequest, record_events
from troth.services.ticket_history import RecentHistories
from troth.services.tickets import TicketView
from troth.storage.database import Database

MAX_BATCH = 128
"""Events per transaction at most: bounds the time one batch holds the write lock."""

_Waiting = tuple[WriteRequest, "asyncio.Future[Outcome]"]


@dataclass
class EventBatcher:
    database: Database
    max_batch: int = MAX_BATCH
    recent: RecentHistories = field(default_factory=RecentHistories)
    _waiting: list[_Waiting] = field(default_factory=list)
    _writer: asyncio.Task[None] | None = None

    async def record(self, request: WriteRequest) -> TicketView:
        """The ticket's view once `request`'s event is stored, or the request's refusal raised."""
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_all())
        outcome = await future
        if isinstance(outcome, ServiceError):
            raise outcome
        return outcome

    async def _write_all(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch :]
                await self._write(batch)
        finally:
            self._writer = None

    async def _write(self, batch: list[_Waiting]) -> None:
        requests = [request for request, _ in batch]
        try:
            outcomes = await to_thread.run_sync(record_events, self.database, requests, None, self.recent)
        except Exception as error:
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():  # a caller that went away is not answered; its event is stored
                future.set_result(outcome)
