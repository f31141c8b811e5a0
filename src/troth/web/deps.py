"""Dependencies every route shares: the database, and the authenticated caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from troth.services.actors import Actor
from troth.services.tokens import authenticate
from troth.storage.database import Database
from troth.web.ratelimit import FailureLimiter, client_key

_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer troth_...`")


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def current_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The caller named by the bearer token; 401 without a valid one, 429 after too many failures.

    Async on purpose: the token look-up is one indexed query, cheaper to run on the event loop than
    to hand to the thread pool (a sync dependency costs a thread hop of its own on every request).
    """
    limiter: FailureLimiter = request.app.state.auth_failures
    key = client_key(request.scope)
    wait = limiter.blocked(key)
    if wait is not None:
        raise HTTPException(429, "too many failed authentications; try again later", {"Retry-After": f"{wait:.0f}"})
    state = request.app.state
    actor = authenticate(state.database, credentials.credentials, state.recent_actors) if credentials else None
    if actor is None:
        limiter.record_failure(key)
        raise HTTPException(401, "a valid API token is required", {"WWW-Authenticate": "Bearer"})
    return actor


DatabaseDep = Annotated[Database, Depends(get_database)]
ActorDep = Annotated[Actor, Depends(current_actor)]
