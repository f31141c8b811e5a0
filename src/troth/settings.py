"""Server settings: validated once, built by a function from the environment, never at import."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from troth.core.errors import TrothError

DEFAULT_DATABASE_FILE = "troth.db"


class SettingsError(TrothError):
    """An environment variable holds a value the server cannot use."""


class Settings(BaseModel):
    """What a server process needs to know; immutable once built.

    `database_url` is an SQLAlchemy URL: SQLite by default (a file in the working directory),
    PostgreSQL as `postgresql+psycopg://user:password@host/name`.
    `max_body_bytes` bounds every request body; larger bodies are refused with 413.
    `auth_failures_per_minute` is how many failed authentications one client address may make
    in a minute before further attempts are refused with 429.
    `token_cache_seconds` is how long a server process trusts a token it has seen without asking
    the database again: a token revoked through another process stops working within that time
    (through the same process, at once); 0 asks on every request.
    `writer_process` has `troth serve` record ticket writes in a process beside each server process
    (the HTTP work and the writes then run on two cores at once); off, they are recorded in a thread.
    `event_lane` serves plainly valid ticket writes by a short way past FastAPI's generic request
    handling (`troth.web.event_lane`; the answers are the same); off, every request takes the long way.
    `threads` bounds the thread pool that runs request handlers (requests beyond it wait on the
    event loop): the work is Python under one interpreter lock, and bench/api_load.py measured
    less CPU per event and higher throughput with 4 threads than with 1 or 40.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    database_url: str
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    auth_failures_per_minute: int = Field(default=20, ge=1)
    pool_size: int = Field(default=10, ge=1)
    threads: int = Field(default=4, ge=1, le=256)
    token_cache_seconds: float = Field(default=1.0, ge=0, le=60)
    writer_process: bool = True
    event_lane: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        if not url.startswith(("sqlite", "postgresql")):
            raise ValueError("must be an sqlite:// or postgresql+psycopg:// URL")
        return url


_ENVIRONMENT = {
    "TROTH_DATABASE_URL": "database_url",
    "TROTH_MAX_BODY_BYTES": "max_body_bytes",
    "TROTH_AUTH_FAILURES_PER_MINUTE": "auth_failures_per_minute",
    "TROTH_POOL_SIZE": "pool_size",
    "TROTH_THREADS": "threads",
    "TROTH_TOKEN_CACHE_SECONDS": "token_cache_seconds",
    "TROTH_WRITER_PROCESS": "writer_process",
    "TROTH_EVENT_LANE": "event_lane",
    "TROTH_HOST": "host",
    "TROTH_PORT": "port",
}


def default_database_url(directory: Path | None = None) -> str:
    """SQLite in a file of the working directory (or `directory`)."""
    path = (directory or Path.cwd()) / DEFAULT_DATABASE_FILE
    return f"sqlite:///{path}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names (or none)."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from TROTH_* environment variables, then `overrides`; a bad value is a SettingsError."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {field: env[name] for name, field in _ENVIRONMENT.items() if env.get(name)}
    values.update(overrides)
    values.setdefault("database_url", default_database_url())
    values["database_url"] = normalise_database_url(str(values["database_url"]))
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise SettingsError(f"bad settings: {problems}") from None
