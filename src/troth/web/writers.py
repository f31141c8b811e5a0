"""Who records a batch of ticket writes: this process, or a writer process of its own.

Either way a batch goes to `troth.services.ticket_events.record_events` and comes back as one
`Answer` per request: the status and JSON body its caller gets, a refusal included, exactly as the
API's error handlers would write it.

`troth serve` gives each server process a writer process (`TROTH_WRITER_PROCESS=0` keeps the
writes in a thread instead). The HTTP work (parsing, validation, routing, answers) and the writes
(the core evaluating each event, the database) then run on two cores at once instead of taking
turns under one interpreter lock: with two batches in flight, the server reads and answers one
batch's requests while the writer records the other's. bench/api_load.md has the figures. The
process is started on first use and again if it has died; a batch it could not answer (it died
with the batch) is a 503 for that batch's callers, and whatever it committed stays committed, as
after any crash.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from anyio import to_thread

from troth.services.errors import ServiceError
from troth.services.ticket_events import Outcome, WriteRequest, record_events
from troth.services.ticket_history import RecentHistories
from troth.storage.database import Database, open_database
from troth.web.api.ticket_json import ticket_json
from troth.web.collector import tune_for_serving
from troth.web.errors import WriterUnavailableError, refusal

READY = "ready"
STARTUP_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Answer:
    """What one caller hears: a status code and a JSON body."""

    status: int
    body: bytes


def answer_of(outcome: Outcome) -> Answer:
    """201 for a new ticket or event, 200 for a replayed request, or the refusal."""
    if isinstance(outcome, ServiceError):
        return Answer(*refusal(outcome))
    return Answer(201 if outcome.created else 200, ticket_json(outcome))


class InProcessWriter:
    """Records batches in this process (tests, and apps embedded in another program)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.recent = RecentHistories()

    def __call__(self, requests: Sequence[WriteRequest]) -> list[Answer]:
        return [answer_of(outcome) for outcome in record_events(self.database, requests, None, self.recent)]

    async def record(self, requests: Sequence[WriteRequest]) -> list[Answer]:
        """The answers, recorded in a worker thread so the event loop goes on meanwhile."""
        return await to_thread.run_sync(self, requests)

    depth = 1
    """One batch at a time: a second would only wait for the first's lock."""

    def start(self) -> None:
        """Nothing to start."""

    def close(self) -> None:
        """Nothing to stop."""


class WriterProcess:
    """Records batches in a process of its own, over a pipe.

    Batches are sent as they come and answered in order, so the server can hand over the next
    batch while the writer is still on the last one: the two processes then work at the same time.
    A reader thread takes the answers off the pipe.
    """

    depth = 2
    """Batches worth having in flight at once: one being written, the next waiting in the pipe."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._pending: deque[Future[list[Answer]]] = deque()
        self._lock = threading.Lock()

    def __call__(self, requests: Sequence[WriteRequest]) -> list[Answer]:
        return self.submit(requests).result()

    async def record(self, requests: Sequence[WriteRequest]) -> list[Answer]:
        """The answers, awaited on the event loop: the batch is handed over from the loop itself and
        its answers come back through the reader thread, with no worker thread in between."""
        if not self.running:
            await to_thread.run_sync(self.start)  # starting waits for the process: never on the loop
        return await asyncio.wrap_future(self.submit(requests))

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive() and self._connection is not None

    def submit(self, requests: Sequence[WriteRequest]) -> Future[list[Answer]]:
        """Send a batch; its answers arrive on the future (WriterUnavailableError if the writer dies)."""
        answered: Future[list[Answer]] = Future()
        with self._lock:
            connection = self._started()
            self._pending.append(answered)
            try:
                connection.send(list(requests))
            except OSError:
                self._fail_pending()
        return answered

    def start(self) -> None:
        """Start the process now, so the first batch does not wait for it to start."""
        with self._lock:
            self._started()

    def _started(self) -> Connection:
        if self._process is None or not self._process.is_alive() or self._connection is None:
            self._stop(kill=True)
            ours, theirs = self._context.Pipe()
            self._process = self._context.Process(
                target=serve_writes, args=(self.database_url, theirs), name="troth-writer", daemon=True
            )
            self._process.start()
            theirs.close()
            self._await_ready(ours)
            self._connection = ours
            threading.Thread(target=self._read_answers, args=(ours,), name="troth-writer-answers", daemon=True).start()
        return self._connection

    def _await_ready(self, connection: Connection) -> None:
        """Wait until the writer has started and opened the database, so no batch waits for that."""
        if not connection.poll(STARTUP_SECONDS) or connection.recv() != READY:
            connection.close()
            raise WriterUnavailableError(f"the writer process did not start within {STARTUP_SECONDS} s")

    def _read_answers(self, connection: Connection) -> None:
        """Hand each batch of answers to the oldest batch waiting, until the pipe closes."""
        while True:
            try:
                answers: list[Answer] = connection.recv()
            except (EOFError, OSError):
                with self._lock:
                    if self._connection is connection:
                        self._fail_pending()
                return
            with self._lock:
                waiting = self._pending.popleft()
            if not waiting.done():  # a caller that stopped waiting is not answered; its batch is stored
                waiting.set_result(answers)

    def _fail_pending(self) -> None:
        """The writer is gone: every batch it had not answered is unconfirmed."""
        while self._pending:
            waiting = self._pending.popleft()
            if not waiting.done():
                waiting.set_exception(WriterUnavailableError("the writer process stopped before it answered"))
        self._stop(kill=True)

    def close(self) -> None:
        """Stop the writer after the batches it has, if any (their answers still arrive meanwhile)."""
        with self._lock:
            process, connection = self._process, self._connection
            self._process = self._connection = None
            if connection is not None:
                with suppress(OSError):
                    connection.send(None)
        if process is not None:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        if connection is not None:
            connection.close()

    def _stop(self, *, kill: bool) -> None:
        if self._process is not None:
            if kill:
                self._process.kill()
            self._process.join(timeout=30)
            self._process = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def serve_writes(database_url: str, connection: Connection) -> None:
    """The writer process: record each batch it receives and send the answers back, until told to stop."""
    database = open_database(database_url)
    writer = InProcessWriter(database)
    tune_for_serving()
    connection.send(READY)
    try:
        while (requests := connection.recv()) is not None:
            connection.send(writer(requests))
    except EOFError:
        pass  # the server process is gone
    finally:
        database.dispose()
