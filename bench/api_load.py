"""Load on `troth serve`: concurrent clients post ticket events over loopback HTTP.

    .venv/bin/python bench/api_load.py                          # SQLite, 50 clients, 60 s
    .venv/bin/python bench/api_load.py --database postgresql    # PostgreSQL (installed and started if needed)
    .venv/bin/python bench/api_load.py --seconds 10 --clients 20
    .venv/bin/python bench/api_load.py --rate 1000              # open loop: 1,000 requests/s offered
    .venv/bin/python bench/api_load.py --crash-after 5          # SIGKILL the server under load, then verify

Each client keeps one HTTP/1.1 connection open and works like an integration: it opens a ticket,
then posts its events (agent replies, internal notes, customer replies, status changes) and
finally resolves it, then opens the next. By default each client sends its next request as soon
as the last is answered (closed loop: the figure is the server's ceiling, and by Little's law the
latency is then clients / throughput); with --rate the clients together send that many requests a
second on a fixed schedule (open loop: the latency the server gives at that load).

Every request carries an idempotency key, and an event counts as acknowledged when its request
was answered 2xx. The report gives acknowledged events per second and the latency percentiles
of those requests, then stops the server and checks that the database holds exactly the
acknowledged events.

With --crash-after, the server is killed with SIGKILL while under load and restarted; the check is
then that every acknowledged event is stored (by its idempotency key), that every ticket's stored
clock states equal a full recompute from its events, and that the database passes its integrity
check. The load generator is a minimal asyncio HTTP client, so that it takes as little of the
machine's CPU as possible from the server it measures; everything runs on one machine, so read
the figures as this machine's, not as a promise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles

from sqlalchemy import func, select

from troth.services.accounts import AccountChanges, create_account
from troth.services.actors import Actor
from troth.services.integrity import derived_state_problems
from troth.services.policies import upload_policy
from troth.services.users import bootstrap_admin
from troth.settings import normalise_database_url
from troth.storage.database import open_database
from troth.storage.models import Role, TicketEventRow, TicketRow
from troth.storage.schema import integrity_problems, rebuild

ROOT = Path(__file__).resolve().parents[1]
EVENTS_PER_TICKET = 12
BASELINE_SECONDS = 5.0
RESTART_TRIES = 5
ACCOUNT = "loadtest"


@dataclass
class Stats:
    """What the clients saw; `keys` are the idempotency keys of every acknowledged request."""

    latencies: list[float] = field(default_factory=list)
    answered_at: list[float] = field(default_factory=list)
    acknowledged: int = 0
    refused: dict[int, int] = field(default_factory=dict)
    failed: int = 0
    keys: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    token: str


def prepare(database_url: str) -> str:
    """An empty database with Balto's policy, one account on it, and an admin token."""
    database = open_database(database_url)
    rebuild(database.engine)
    with database.writing() as session:
        token = bootstrap_admin(session, "load test").secret
    admin = Actor(user_id=1, role=Role.ADMIN)
    upload_policy(database, admin, (ROOT / "policies" / "balto.yaml").read_text())
    given = {"name": "Load Test", "policy_key": "balto", "timezone": "America/Chicago"}
    create_account(database, admin, ACCOUNT, AccountChanges(**given, given=frozenset(given)))  # type: ignore[arg-type]
    database.dispose()
    return token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(database_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """`troth serve` on loopback; returns once it answers /health."""
    command = [str(Path(sys.executable).parent / "troth"), "serve", "--database-url", database_url]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, start_new_session=True)  # noqa: S603 - our own command line
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start within 30 s")


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the server and its workers: no shutdown code runs."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def cpu_seconds(group: int) -> float:
    """CPU time (user + system) used so far by every process of the server's process group (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[2]) == group:  # fields after the name: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


class Connection:
    """One keep-alive HTTP/1.1 connection that posts JSON and reads the status and body."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.head = f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict[str, object]) -> tuple[int, bytes]:
        data = json.dumps(body).encode()
        request = f"POST {path} HTTP/1.1\r\n{self.head}Content-Length: {len(data)}\r\n\r\n".encode() + data
        return await self.send(request)

    async def get(self, path: str) -> tuple[int, bytes]:
        return await self.send(f"GET {path} HTTP/1.1\r\n{self.head}\r\n".encode())

    async def send(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        try:
            self.writer.write(request)
            status_line = await self.reader.readline()
            length = 0
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            payload = await self.reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError):
            self.close()
            raise
        if not status_line:
            self.close()
            raise ConnectionError("connection closed")
        return int(status_line.split()[1]), payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def ticket_events(ticket_id: int, key: str) -> list[tuple[str, dict[str, object]]]:
    """The events one ticket receives after its creation, the last one resolving it."""
    base = f"/api/tickets/{ticket_id}"
    kinds: list[tuple[str, dict[str, object]]] = [
        ("/replies", {"body": "automatic acknowledgement", "automated": True}),
        ("/replies", {"body": "internal note", "public": False}),
        ("/replies", {"body": "looking into it"}),
        ("/status", {"status": "open"}),
        ("/replies", {"body": "a customer's answer", "author": "customer"}),
    ]
    events = [kinds[i % len(kinds)] for i in range(EVENTS_PER_TICKET - 2)] + [("/resolve", {})]
    return [(base + path, {**body, "idempotency_key": f"{key}-e{i}"}) for i, (path, body) in enumerate(events)]


class Pacer:
    """When a client sends: as fast as it can (closed loop), or on a fixed schedule (open loop).

    On a schedule, a request's latency counts from the instant it was due to be sent, not from when
    it went out: a client held up by a slow answer does not hide the wait it imposed on the
    requests behind it (coordinated omission).
    """

    def __init__(self, interval: float | None, phase: float) -> None:
        self.interval = interval
        self.due = time.perf_counter() + phase

    async def next_start(self) -> float:
        if self.interval is None:
            return time.perf_counter()
        due, self.due = self.due, self.due + self.interval
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        return due


async def _send(connection: Connection, path: str, body: dict[str, object], stats: Stats, pacer: Pacer) -> bytes | None:
    started = await pacer.next_start()
    try:
        status, payload = await connection.post(path, body)
    except (OSError, asyncio.IncompleteReadError, ConnectionError):
        stats.failed += 1
        await asyncio.sleep(0.05)
        return None
    if 200 <= status < 300:
        answered = time.perf_counter()
        stats.latencies.append(answered - started)
        stats.answered_at.append(answered)
        stats.acknowledged += 1
        stats.keys.add(str(body["idempotency_key"]))
        return payload
    stats.refused[status] = stats.refused.get(status, 0) + 1
    return None


async def client(number: int, server: Server, deadline: float, stats: Stats, pacer: Pacer) -> None:
    connection = Connection(server.port, server.token)
    try:
        await _work(connection, number, deadline, stats, pacer)
    finally:
        connection.close()


async def _work(connection: Connection, number: int, deadline: float, stats: Stats, pacer: Pacer) -> None:
    made = 0
    while time.monotonic() < deadline:
        key = f"c{number}-t{made}-{os.getpid()}-{int(time.time())}"
        made += 1
        body = {"account_id": ACCOUNT, "subject": "load", "level": str(1 + made % 4), "idempotency_key": key}
        payload = await _send(connection, "/api/tickets", body, stats, pacer)
        if payload is None:
            continue
        for path, event in ticket_events(json.loads(payload)["id"], key):
            if time.monotonic() >= deadline:
                return
            await _send(connection, path, event, stats, pacer)


async def load(server: Server, clients: int, seconds: float, rate: float | None = None) -> Stats:
    """`clients` clients for `seconds`: each as fast as it can, or together `rate` requests a second."""
    stats = Stats()
    deadline = time.monotonic() + seconds
    interval = None if rate is None else clients / rate
    pacers = [Pacer(interval, 0.0 if interval is None else interval * i / clients) for i in range(clients)]
    await asyncio.gather(*(client(i, server, deadline, stats, pacers[i]) for i in range(clients)))
    return stats


async def probe(server: Server, clients: int, seconds: float, path: str) -> tuple[int, list[float]]:
    """GET `path` as fast as the clients can: the server's ceiling for a request doing (almost) nothing."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []

    async def one() -> None:
        connection = Connection(server.port, server.token)
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                status, _ = await connection.get(path)
                if status == 200:
                    latencies.append(time.perf_counter() - started)
        finally:
            connection.close()

    await asyncio.gather(*(one() for _ in range(clients)))
    return len(latencies), latencies


def baselines(process: subprocess.Popen[bytes], server: Server, clients: int) -> dict[str, object]:
    """Requests per second and server CPU per request for two near-empty routes, for scale."""
    found: dict[str, object] = {}
    for path in ("/health", "/api/me"):
        started = cpu_seconds(process.pid)
        count, latencies = asyncio.run(probe(server, clients, BASELINE_SECONDS, path))
        used = cpu_seconds(process.pid) - started
        found[path] = {
            "per_second": round(count / BASELINE_SECONDS, 1),
            "p50_ms": round(percentile_ms(latencies, 50), 2),
            "server_cpu_ms": round(1000 * used / max(count, 1), 2),
        }
    return found


def stored_keys(database_url: str) -> tuple[int, set[str]]:
    """The number of stored events and every idempotency key stored (tickets' and events')."""
    database = open_database(database_url)
    with database.reading() as session:
        count = session.scalar(select(func.count()).select_from(TicketEventRow)) or 0
        keys = set(
            session.scalars(select(TicketEventRow.idempotency_key).where(TicketEventRow.idempotency_key.is_not(None)))
        )
        keys |= set(session.scalars(select(TicketRow.idempotency_key).where(TicketRow.idempotency_key.is_not(None))))
    database.dispose()
    return count, {k for k in keys if k is not None}


def consistency(database_url: str) -> list[str]:
    """Derived clock states against a full recompute, and the database's own integrity check."""
    database = open_database(database_url)
    problems = derived_state_problems(database) + integrity_problems(database.engine)
    database.dispose()
    return problems


def percentile_ms(values: list[float], percent: int) -> float:
    if len(values) < 2:
        return float("nan") if not values else values[0] * 1000
    return quantiles(values, n=100, method="inclusive")[percent - 1] * 1000


def by_window(stats: Stats, window: float) -> list[dict[str, float]]:
    """Events per second and p99 of each `window` seconds of the run: does the server keep its pace?"""
    if not stats.answered_at:
        return []
    first = min(stats.answered_at)
    windows: dict[int, list[float]] = {}
    for answered, latency in zip(stats.answered_at, stats.latencies, strict=True):
        windows.setdefault(int((answered - first) // window), []).append(latency)
    return [
        {"per_second": round(len(found) / window, 1), "p99_ms": round(percentile_ms(found, 99), 1)}
        for _, found in sorted(windows.items())
    ]


def summary(name: str, stats: Stats, seconds: float) -> dict[str, object]:
    return {
        "database": name,
        "seconds": seconds,
        "acknowledged_events": stats.acknowledged,
        "events_per_second": round(stats.acknowledged / seconds, 1),
        "p50_ms": round(percentile_ms(stats.latencies, 50), 2),
        "p99_ms": round(percentile_ms(stats.latencies, 99), 2),
        "by_10_seconds": by_window(stats, 10.0),
        "refused": stats.refused,
        "connection_errors": stats.failed,
    }


def database_url_for(kind: str, directory: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory / 'load.db'}"
    url = os.environ.get("TROTH_BENCH_DATABASE_URL")
    if url is None:
        script = ROOT / "scripts" / "postgres-for-tests.sh"
        env = {**os.environ, "TROTH_TEST_DB_NAME": "troth_bench"}
        done = subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True, env=env)  # noqa: S603, S607
        url = done.stdout.strip()
    return normalise_database_url(url)


def run_load(
    database_url: str, name: str, *, clients: int, seconds: float, workers: int, rate: float | None = None
) -> dict[str, object]:
    """The plain benchmark: load, stop the server gracefully, compare stored and acknowledged counts."""
    token = prepare(database_url)
    port = free_port()
    process = start_server(database_url, port, workers)
    server = Server(database_url, port, token)
    try:
        started, own_start = cpu_seconds(process.pid), time.process_time()
        stats = asyncio.run(load(server, clients, seconds, rate))
        used, own = cpu_seconds(process.pid) - started, time.process_time() - own_start
        scale = baselines(process, server, clients)
    finally:
        stop(process)
    stored, _ = stored_keys(database_url)
    result = summary(name, stats, seconds)
    result["offered_per_second"] = rate or "as fast as answered"
    result["workers"] = workers
    result["server_cpu_ms_per_event"] = round(1000 * used / max(stats.acknowledged, 1), 2)
    result["load_generator_cpu_ms_per_event"] = round(1000 * own / max(stats.acknowledged, 1), 2)
    result["stored_events"] = stored
    result["baselines"] = scale
    if stored != stats.acknowledged:
        raise SystemExit(f"stored {stored} events but {stats.acknowledged} were acknowledged: {result}")
    return result


def run_crash(database_url: str, name: str, *, clients: int, crash_after: float, workers: int) -> dict[str, object]:
    """Load, SIGKILL mid-flight, restart, and check that nothing acknowledged was lost or left inconsistent."""
    token = prepare(database_url)
    port = free_port()
    process = start_server(database_url, port, workers)
    server = Server(database_url, port, token)

    async def load_then_kill() -> Stats:
        running = asyncio.create_task(load(server, clients, crash_after + 1))
        await asyncio.sleep(crash_after)
        kill_hard(process)
        return await running

    stats = asyncio.run(load_then_kill())
    restarted = start_server(database_url, port, workers)
    try:
        after = asyncio.run(load(server, min(clients, 5), 1.0))
        for _ in range(RESTART_TRIES):  # a loaded machine may take a while to answer the first requests
            if after.acknowledged:
                break
            after = asyncio.run(load(server, min(clients, 5), 2.0))
    finally:
        stop(restarted)
    stored, keys = stored_keys(database_url)
    lost = sorted((stats.keys | after.keys) - keys)
    problems = consistency(database_url)
    result = summary(name, stats, crash_after)
    result.update(
        stored_events=stored, lost_acknowledged=len(lost), after_restart=after.acknowledged, problems=problems
    )
    if lost or problems or after.acknowledged == 0:
        raise SystemExit(f"crash check failed: {result}; lost e.g. {lost[:5]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument(
        "--rate", type=float, default=None, help="requests per second from all clients together (default: closed loop)"
    )
    parser.add_argument("--crash-after", type=float, default=None, help="SIGKILL the server after this many seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = database_url_for(args.database, Path(directory))
        if args.crash_after is None:
            result = run_load(
                url, args.database, clients=args.clients, seconds=args.seconds, workers=args.workers, rate=args.rate
            )
        else:
            result = run_crash(
                url, args.database, clients=args.clients, crash_after=args.crash_after, workers=args.workers
            )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
