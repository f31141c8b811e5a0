"""Refusals become 4xx answers with a clear message; request validation keeps FastAPI's shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from troth.core.errors import TrothError
from troth.services.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError, ServiceError


class WriterUnavailableError(Exception):
    """The writer process died before it answered a batch of writes."""


class ErrorOut(BaseModel):
    """The body of every refusal other than a validation error."""

    detail: str


class ProblemOut(BaseModel):
    """One problem of a request that could not be used; uploaded files also give line and column."""

    loc: list[str | int]
    msg: str
    type: str
    line: int | None = None
    column: int | None = None


class ProblemsOut(BaseModel):
    detail: list[ProblemOut]


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorOut, "description": "The body is not valid JSON"},
    401: {"model": ErrorOut, "description": "Missing, unknown or revoked token"},
    403: {"model": ErrorOut, "description": "The caller's role may not do this"},
    404: {"model": ErrorOut, "description": "No such object, or not one the caller may see"},
    409: {"model": ErrorOut, "description": "Contradicts what is stored"},
    413: {"model": ErrorOut, "description": "Request body too large"},
    422: {"model": ProblemsOut, "description": "The request cannot be used; each problem is listed"},
    429: {"model": ErrorOut, "description": "Too many failed authentications"},
}


def _status(error: ServiceError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ForbiddenError):
        return 403
    if isinstance(error, ConflictError):
        return 409
    return 422


def problems_body(error: InvalidError) -> dict[str, object]:
    problems = [
        ProblemOut(
            loc=["body", *(p.field.split(".") if p.field else [])],
            msg=p.message,
            type="value_error",
            line=p.line,
            column=p.column,
        ).model_dump(exclude_none=True)
        for p in error.problems
    ]
    return {"detail": problems}


def refusal(error: ServiceError) -> tuple[int, bytes]:
    """The status and JSON body of a refusal, as every route answers it."""
    if isinstance(error, InvalidError):
        return 422, _json(problems_body(error))
    return _status(error), _json({"detail": str(error)})


def _json(content: object) -> bytes:
    return bytes(JSONResponse(content).body)


async def _service_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ServiceError)
    status, body = refusal(error)
    return Response(body, status_code=status, media_type="application/json")


async def _writer_unavailable(request: Request, error: Exception) -> JSONResponse:
    """The writer process died with this request's batch: what it committed stays; retrying is safe
    with an idempotency key."""
    return JSONResponse({"detail": "the write could not be confirmed; retry it with the same idempotency key"}, 503)


def _allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> str:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in routes:
        match, _ = route.matches({**scope, "method": "GET"})
        if match is not Match.NONE and isinstance(route, APIRoute):
            methods |= route.methods or set()
    return ", ".join(sorted(methods))


def _http_error(routes: Sequence[BaseRoute]) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = _allowed_methods(routes, request.scope)
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)

    return handle


async def _core_error(request: Request, error: Exception) -> JSONResponse:
    """A safety net: whatever the core refuses is the request's fault, never the server's."""
    return JSONResponse({"detail": [{"loc": ["body"], "msg": str(error), "type": "value_error"}]}, status_code=422)


async def _integrity_error(request: Request, error: Exception) -> JSONResponse:
    """Two requests raced to create the same thing; the database kept one, this one stored nothing."""
    detail = "conflicts with a change made at the same time; nothing was stored"
    return JSONResponse({"detail": detail}, status_code=409)


async def _data_error(request: Request, error: Exception) -> JSONResponse:
    """A value the database cannot store or compare (a NUL character in a query, say): the request's fault."""
    detail = [{"loc": ["query"], "msg": "holds a value the database cannot store", "type": "value_error"}]
    return JSONResponse({"detail": detail}, status_code=422)


def install_error_handlers(app: FastAPI, routes: Sequence[BaseRoute]) -> None:
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(TrothError, _core_error)
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(WriterUnavailableError, _writer_unavailable)
    app.add_exception_handler(StarletteHTTPException, _http_error(routes))
