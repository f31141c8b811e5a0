"""What a use case refuses, as errors the web layer maps to status codes (never a 500)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from troth.core.errors import TrothError


class ServiceError(TrothError):
    """Base of every refusal; the message is meant for the person who made the request."""


class NotFoundError(ServiceError):
    """No such thing, or not one the caller may see: the two are deliberately indistinguishable."""

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} '{key}' not found")


class ForbiddenError(ServiceError):
    """The caller's role may not do this at all (independent of which object is named)."""


class ConflictError(ServiceError):
    """The request contradicts what is stored: a duplicate, or a change to something final."""


@dataclass(frozen=True, slots=True)
class Located:
    """One problem in a request, at a field path or (for uploaded files) a line and column."""

    message: str
    field: str | None = None
    line: int | None = None
    column: int | None = None


class InvalidError(ServiceError):
    """The request is well-formed JSON but says something impossible; `problems` lists each."""

    def __init__(self, problems: Sequence[Located]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))

    @classmethod
    def one(cls, message: str, field: str | None = None) -> InvalidError:
        return cls([Located(message, field=field)])
