"""Refusals become 4xx answers with a clear message; request validation keeps FastAPI's shape."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from troth.services.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError, ServiceError


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


async def _service_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ServiceError)
    if isinstance(error, InvalidError):
        return JSONResponse(problems_body(error), status_code=422)
    return JSONResponse({"detail": str(error)}, status_code=_status(error))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
