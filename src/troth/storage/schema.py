"""Whole-database chores: build the schema from nothing, empty it, check its integrity.

Used by `troth init`, `troth demo`, the test suites and the crash test.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from troth.storage import migrate
from troth.storage.base import Base
from troth.storage.models import AccountRow  # noqa: F401 - registers every table on Base.metadata


def drop_everything(engine: Engine) -> None:
    """Remove every table, trigger and function, including Alembic's own version table."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
            return
        # SQLite ignores `PRAGMA foreign_keys` inside a transaction, so drop children before parents.
        present = set(inspect(connection).get_table_names())
        ordered = [table.name for table in reversed(Base.metadata.sorted_tables) if table.name in present]
        for name in ordered + sorted(present - set(ordered)):
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')


def rebuild(engine: Engine) -> None:
    """An empty database at the latest migration."""
    drop_everything(engine)
    migrate.upgrade(engine)


def empty_tables(engine: Engine) -> None:
    """Delete every row but keep the schema (PostgreSQL: TRUNCATE, which skips the row triggers)."""
    names = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
            return
        # SQLite refuses to delete closed months (trigger), so lift the trigger for the wipe.
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS month_closes_no_delete")
        for name in names:
            connection.exec_driver_sql(f'DELETE FROM "{name}"')  # noqa: S608 - names come from our own metadata
        connection.exec_driver_sql(
            "CREATE TRIGGER month_closes_no_delete BEFORE DELETE ON month_closes "
            "BEGIN SELECT RAISE(ABORT, 'closed months are immutable'); END"
        )


def integrity_problems(engine: Engine) -> list[str]:
    """What the database's own checker reports; empty when all is well."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            problems = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            problems = [p for p in problems if p != "ok"]
            problems += [str(tuple(row)) for row in connection.exec_driver_sql("PRAGMA foreign_key_check")]
            return problems
        return _postgresql_problems(connection)


def _postgresql_problems(connection: Connection) -> list[str]:
    # PostgreSQL checks constraints on every write; what can still go wrong after a crash is an
    # invalid index left by an interrupted build, so report those.
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE NOT i.indisvalid OR NOT i.indisready"
        )
    )
    return [f"invalid index {row[0]}" for row in rows]
