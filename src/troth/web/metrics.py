"""Prometheus metrics: requests and latencies by route, open tickets per state, breached targets.

Each app has its own registry (several apps live in one test process). Ticket gauges are read
from the database when Prometheus scrapes, so every server process reports the same truth.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, or_, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from troth.storage.database import Database
from troth.storage.models import TargetStateRow, TicketRow

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class HttpMetrics:
    """Request counts and latencies by method, route template and status.

    Each labelled series is looked up once and kept: prometheus-client's `labels()` takes a lock
    and builds its key on every call, which costs more than the count itself on the event path.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "troth_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=registry
        )
        self.latency = Histogram(
            "troth_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self._counted: dict[tuple[str, str, str], Counter] = {}
        self._timed: dict[tuple[str, str], Histogram] = {}

    def record(self, method: str, route: str, status: str, seconds: float) -> None:
        counted = self._counted.get((method, route, status))
        if counted is None:
            counted = self._counted[method, route, status] = self.requests.labels(method, route, status)
        timed = self._timed.get((method, route))
        if timed is None:
            timed = self._timed[method, route] = self.latency.labels(method, route)
        counted.inc()
        timed.observe(seconds)


class MetricsMiddleware:
    """Counts and times every HTTP request under its route template (never the raw path)."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            self.metrics.record(method, route, str(status), time.perf_counter() - started)


class TicketCollector(Collector):
    """Open tickets per status and breached targets, counted in the database at scrape time."""

    def __init__(self, database: Database, now: Callable[[], datetime]) -> None:
        self.database = database
        self.now = now

    def collect(self) -> Iterator[Metric]:
        open_tickets = GaugeMetricFamily("troth_open_tickets", "Open tickets by status", labels=["status"])
        breached = GaugeMetricFamily("troth_breached_targets", "Targets breached, open tickets and closed alike")
        now = self.now()
        with self.database.reading() as session:
            for status, count in session.execute(
                select(TicketRow.status, func.count()).where(TicketRow.is_open).group_by(TicketRow.status)
            ):
                open_tickets.add_metric([status], count)
            overdue = or_(TargetStateRow.status == "breached", TargetStateRow.is_open & (TargetStateRow.due_at < now))
            breached.add_metric([], session.scalar(select(func.count()).where(overdue)) or 0)
        yield open_tickets
        yield breached

    def describe(self) -> Iterator[Metric]:
        return iter(())
