"""Field types shared by the API's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
)

from troth.core.instants import format_utc

Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
"""An identifier people choose (account, component, policy): letters, digits, `.`, `_`, `-`."""

Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
IdempotencyKey = Annotated[str, StringConstraints(min_length=1, max_length=128)]
DbId = Annotated[int, Field(ge=1, le=2**31 - 1)]


def _utc(value: datetime) -> datetime:
    return value.replace(microsecond=0)


Instant = Annotated[AwareDatetime, AfterValidator(_utc)]
"""An instant in a request: RFC 3339 with an offset or Z (a value without one is refused)."""

UtcOut = Annotated[datetime, PlainSerializer(format_utc, return_type=str, when_used="json")]
"""An instant in a response: UTC with Z and whole seconds, as every output of Troth writes them."""

MoneyIn = Annotated[str, StringConstraints(pattern=r"^\d{1,12}(\.\d{1,2})?$")]
"""Money in a request, as a string so no binary fraction creeps in ("1000.00")."""


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


MoneyOut = Annotated[Decimal, PlainSerializer(_money, return_type=str, when_used="json")]


def _without_nul(value: object) -> object:
    """Refuse the NUL character anywhere in a value: PostgreSQL cannot store it in text."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain the NUL character (\\u0000)")
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _without_nul(item)
    return value


class Body(BaseModel):
    """Request bodies refuse unknown fields, so a misspelt field is an error, not silently ignored,
    and text no database can store."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: object) -> object:
        return _without_nul(value)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)
