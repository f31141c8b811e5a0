"""Alembic's environment: runs migrations on a connection it is given, or on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from troth.storage.base import Base
from troth.storage.database import make_engine
from troth.storage.models import AccountRow  # noqa: F401 - registers every table on Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("no database URL configured for migrations")
    engine = make_engine(url)
    with engine.connect() as fresh:
        _run(fresh)
    engine.dispose()


run_online()
