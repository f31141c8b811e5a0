"""A short way through the server for well-formed ticket writes, the requests a busy server mostly gets.

FastAPI's generic handling of a request (matching it against every route, solving dependencies,
reading and validating the body, building a response, three more layers of middleware) costs
several times what recording a batched event costs. This middleware serves the ticket write
routes (`troth.web.api.tickets.WRITES`) itself, but only when everything about a request is
plainly in order: a POST with a JSON body that the route's own model accepts, a ticket id in
range, and a bearer token that authenticates from a client not being rate-limited. It then builds
the same write request the route's own function builds and answers from the same batcher.

Anything else (a bad body, a missing or wrong token, an odd content type, a path parameter out
of range) goes on to FastAPI with the body replayed, so every refusal is the API's own answer,
word for word; a test holds both ways to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any

from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.datastructures import State
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from troth.services.ticket_events import WriteRequest
from troth.services.tokens import authenticate
from troth.web.api.tickets import TicketWrite
from troth.web.event_batches import EventBatcher
from troth.web.ratelimit import client_key
from troth.web.writers import Answer

_TICKET_ID = re.compile(r"[1-9][0-9]{0,9}")
_LARGEST_ID = 2**31 - 1
_JSON_TYPES = (b"application/json", b"application/json; charset=utf-8")

ErrorHandler = Callable[[Request, Any], Response | Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class _Route:
    route: APIRoute
    write: TicketWrite


def write_routes(routes: Sequence[BaseRoute], writes: Mapping[str, TicketWrite]) -> list[_Route]:
    """The POST routes among `routes` whose path template `writes` names: each of them, or an error."""
    found = [
        _Route(route, writes[route.path])
        for route in routes
        if isinstance(route, APIRoute) and route.path in writes and "POST" in (route.methods or ())
    ]
    missing = set(writes) - {lane.route.path for lane in found}
    if missing:
        raise LookupError(f"no POST route for the event lane's {sorted(missing)}")
    return found


class EventLane:
    """ASGI middleware: serves plainly valid ticket writes, hands everything else to `app` untouched."""

    def __init__(
        self,
        app: ASGIApp,
        state: State,
        routes: list[_Route],
        exception_handlers: Mapping[Any, ErrorHandler],
    ) -> None:
        self.app = app
        self.state = state
        self.routes = routes
        self.exception_handlers = exception_handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        for candidate in self.routes:
            found = candidate.route.path_regex.match(scope["path"])
            if found is not None:
                await self._serve(candidate, found.groupdict(), scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _serve(
        self, candidate: _Route, params: dict[str, str], scope: Scope, receive: Receive, send: Send
    ) -> None:
        body = await _read_body(receive)
        if body is None:
            return  # the client went away before it finished asking: there is no one to answer
        request = self._request(candidate, params, scope, body)
        if request is None:
            await self.app(scope, _replaying(body, receive), send)
            return
        scope["route"] = candidate.route  # what the metrics label the request by
        batcher: EventBatcher = self.state.event_batcher
        try:
            answer = await batcher.record(request)
        except Exception as error:  # the API's own handler answers it (503 for a dead writer)
            await self._handle(error, scope, receive, send)
            return
        await _send_answer(answer, send)

    def _request(self, candidate: _Route, params: dict[str, str], scope: Scope, body: bytes) -> WriteRequest | None:
        """The write request, or None when FastAPI should have the last word on this request."""
        ticket_id = None
        if "ticket_id" in params:
            if _TICKET_ID.fullmatch(params["ticket_id"]) is None or int(params["ticket_id"]) > _LARGEST_ID:
                return None
            ticket_id = int(params["ticket_id"])
        headers = dict(scope["headers"])
        if len(headers) != len(scope["headers"]) or headers.get(b"content-type") not in _JSON_TYPES:
            return None  # a repeated header (which one counts?) or a body that may not be JSON
        secret = _bearer(headers.get(b"authorization"))
        if secret is None or self.state.auth_failures.blocked(client_key(scope)) is not None:
            return None
        actor = authenticate(self.state.database, secret, self.state.recent_actors)
        if actor is None:
            return None
        try:
            valid = candidate.write.body.model_validate_json(body)
        except ValidationError:
            return None
        return candidate.write.request(actor, ticket_id, valid)

    async def _handle(self, error: Exception, scope: Scope, receive: Receive, send: Send) -> None:
        handler = next((self.exception_handlers[k] for k in type(error).__mro__ if k in self.exception_handlers), None)
        if handler is None:
            raise error
        response = handler(Request(scope, receive), error)
        if isawaitable(response):
            response = await response
        await response(scope, receive, send)


def _bearer(header: bytes | None) -> str | None:
    if header is None:
        return None
    scheme, _, secret = header.partition(b" ")
    if scheme.lower() != b"bearer" or not secret or b" " in secret:
        return None
    return secret.decode("latin-1")


async def _read_body(receive: Receive) -> bytes | None:
    """The request body, or None if the client disconnected first."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` as if the body had not been read yet."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _send_answer(answer: Answer, send: Send) -> None:
    headers = [(b"content-length", str(len(answer.body)).encode()), (b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
