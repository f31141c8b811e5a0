"""Liveness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text

from troth.web.deps import ActorDep, DatabaseDep
from troth.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["health"], responses=ERROR_RESPONSES)


class HealthOut(BaseModel):
    status: str
    database: str


@router.get("/health", response_model=HealthOut)
def health(database: DatabaseDep) -> HealthOut:
    """Answers when the server is up and its database answers a query."""
    with database.reading() as session:
        session.execute(text("SELECT 1"))
    return HealthOut(status="ok", database=database.engine.dialect.name)


@router.get(
    "/metrics",
    response_model=None,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
)
def metrics(request: Request, actor: ActorDep) -> Response:
    """Prometheus metrics, for the provider's monitoring (an admin's or agent's token)."""
    actor.require_provider()
    return Response(generate_latest(request.app.state.metrics_registry), media_type=CONTENT_TYPE_LATEST)
