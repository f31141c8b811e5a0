"""Group the ticket writes of concurrent requests (new tickets, their events) into batches.

One batch at a time per server process: while a batch is being written (by a writer of
`troth.web.writers`, away from the event loop, which keeps reading requests), new writes
wait in a queue; when it commits, the next batch takes all of them. An idle server so writes each
event alone at once, and a busy one amortises the transaction, the commit and the statements over
every event that arrived meanwhile. A caller hears back only after the commit that stored its
event.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from troth.services.ticket_events import WriteRequest
from troth.web.writers import Answer

MAX_BATCH = 128
"""Events per transaction at most: bounds the time one batch holds the write lock."""

Writer = Callable[[Sequence[WriteRequest]], Awaitable[list[Answer]]]
"""Records a batch and answers each of its requests (`record` of a writer of `troth.web.writers`)."""
_Waiting = tuple[WriteRequest, "asyncio.Future[Answer]"]


@dataclass
class EventBatcher:
    """Batches for `write`; `depth` batches may be in flight at once (each awaited in a task of its own)."""

    write: Writer
    max_batch: int = MAX_BATCH
    depth: int = 1
    _waiting: list[_Waiting] = field(default_factory=list)
    _in_flight: int = 0
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def record(self, request: WriteRequest) -> Answer:
        """The answer to `request`, once its batch is committed (or refused)."""
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        self._dispatch()
        return await future

    def _dispatch(self) -> None:
        while self._waiting and self._in_flight < self.depth:
            batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch :]
            self._in_flight += 1
            task = asyncio.create_task(self._write(batch))
            self._tasks.add(task)  # the loop keeps only weak references to tasks
            task.add_done_callback(self._tasks.discard)

    async def _write(self, batch: list[_Waiting]) -> None:
        try:
            await self._answer(batch)
        finally:
            self._in_flight -= 1
            self._dispatch()

    async def _answer(self, batch: list[_Waiting]) -> None:
        requests = [request for request, _ in batch]
        try:
            answers = await self.write(requests)
        except Exception as error:  # the database or the writer failed: every caller of the batch hears it
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), answer in zip(batch, answers, strict=True):
            if not future.done():  # a caller that went away is not answered; its event is stored
                future.set_result(answer)
