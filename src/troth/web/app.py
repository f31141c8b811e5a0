"""The application factory: settings in, a FastAPI app out (OpenAPI at /docs)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from anyio import to_thread
from fastapi import APIRouter, FastAPI
from prometheus_client import CollectorRegistry

from troth.services.clock import utc_now
from troth.services.tokens import RecentActors
from troth.settings import Settings, load_settings
from troth.storage.database import Database, open_database
from troth.web.api import accounts, credits, health, outages, policies, queue, tickets, users
from troth.web.bodylimit import BodyLimit
from troth.web.collector import tune_for_serving
from troth.web.errors import install_error_handlers
from troth.web.event_batches import EventBatcher
from troth.web.event_lane import EventLane, write_routes
from troth.web.metrics import HttpMetrics, MetricsMiddleware, TicketCollector
from troth.web.ratelimit import FailureLimiter
from troth.web.writers import InProcessWriter, WriterProcess

ROUTERS: tuple[APIRouter, ...] = (
    tickets.router,
    health.router,
    accounts.router,
    users.router,
    policies.router,
    queue.router,
    outages.router,
    credits.router,
)
"""Every router of the API; the isolation suite reads its routes from here.

Requests are matched against routes in this order, so the busiest (ticket events) come first."""


def _lifespan(settings: Settings, *, serving: bool) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = settings.threads
        if serving:
            tune_for_serving()
        app.state.writer.start()
        yield
        app.state.writer.close()
        app.state.database.dispose()

    return lifespan


def create_app(settings: Settings, database: Database | None = None, *, serving: bool = False) -> FastAPI:
    """A server for `settings`; tests may pass an already open `database`.

    `serving` is for a server process of its own (`troth serve`): it records ticket writes in a
    writer process beside it, and tunes the process's garbage collector, which an app living in a
    test process must leave alone.
    """
    app = FastAPI(
        lifespan=_lifespan(settings, serving=serving),
        title="Troth",
        summary="Keeps the promises written in Service Level Agreements, and proves it.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.database = database or open_database(settings.database_url, pool_size=settings.pool_size)
    own_process = serving and settings.writer_process
    app.state.writer = WriterProcess(settings.database_url) if own_process else InProcessWriter(app.state.database)
    app.state.event_batcher = EventBatcher(app.state.writer.record, depth=app.state.writer.depth)
    app.state.recent_actors = RecentActors(settings.token_cache_seconds)
    app.state.auth_failures = FailureLimiter(settings.auth_failures_per_minute)
    registry = CollectorRegistry()
    registry.register(TicketCollector(app.state.database, utc_now))
    app.state.metrics_registry = registry
    install_error_handlers(app, [route for router in ROUTERS for route in router.routes])
    for router in ROUTERS:
        app.include_router(router)
    if settings.event_lane:
        lanes = write_routes(tickets.router.routes, tickets.WRITES)
        app.add_middleware(EventLane, state=app.state, routes=lanes, exception_handlers=app.exception_handlers)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=HttpMetrics(registry))
    return app


def app_from_environment() -> FastAPI:
    """The app for `troth serve`: settings from TROTH_* variables, read when the server starts."""
    return create_app(load_settings(), serving=True)
