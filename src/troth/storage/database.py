"""Engines and sessions for SQLite (the default) and PostgreSQL (psycopg 3).

SQLite runs in WAL mode with foreign keys on. Its transactions that write begin with
`BEGIN IMMEDIATE`: a deferred transaction that reads and then writes can fail at once with
"database is locked" when another writer got in between, which a busy timeout cannot cure.
Writers also queue on locks instead of spinning in SQLite's busy handler, whose growing sleeps
(up to 100 ms) would otherwise dominate tail latency and leave the database idle while a writer
sleeps: a thread lock within a process, and an exclusive `flock` on a file beside the database
between the processes of `troth serve --workers N` (the kernel wakes the next writer the moment
the last one releases it).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

_WRITE_OPTION = "troth_write"
_SQLITE_BUSY_TIMEOUT_MS = 30_000
_SQLITE_CACHE_KIB = 32 * 1024


def _sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Let SQLAlchemy's "begin" hook issue BEGIN itself instead of pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable across process crashes in WAL mode (only power loss may lose the last commits).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
    # SQLite's own page cache holds 2 MB; a connection re-read the pages of a growing database from
    # the operating system on every batch (the load benchmark's writer slowed as its database grew).
    cursor.execute(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    mode = "IMMEDIATE" if connection.get_execution_options().get(_WRITE_OPTION) else "DEFERRED"
    # Straight to the driver: through SQLAlchemy's statement machinery a BEGIN cost a tenth of a
    # millisecond, several times SQLite's own work, once for every transaction.
    connection.connection.driver_connection.execute(f"BEGIN {mode}")  # type: ignore[union-attr]


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for `url` with Troth's connection settings."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


class _WriterFile:
    """An exclusive lock on a file beside an SQLite database, held by one writing process at a time."""

    def __init__(self, database_file: str) -> None:
        self.path = database_file + "-writer.lock"
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fd = self._fd
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if self._fd == fd:  # still open: the database may have been disposed of meanwhile
                fcntl.flock(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the file, which releases the lock if it is held."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@dataclass
class Database:
    """One engine and the two kinds of session the services open: read-only and writing."""

    engine: Engine
    _read: sessionmaker[Session] = field(init=False)
    _write: sessionmaker[Session] = field(init=False)
    _write_lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    _writer_file: _WriterFile | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._write = sessionmaker(writer, expire_on_commit=False)
        database_file = self.engine.url.database if self.is_sqlite else None
        if database_file and database_file != ":memory:" and not database_file.startswith("file:"):
            self._writer_file = _WriterFile(database_file)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries; its transaction is rolled back at the end."""
        with self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose transaction commits when the block ends normally and rolls back otherwise."""
        if self._writer_file is not None:
            with self._write_lock, self._writer_file.held(), self._write.begin() as session:
                yield session
        elif self.is_sqlite:
            with self._write_lock, self._write.begin() as session:
                yield session
        else:
            with self._write.begin() as session:
                yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self._writer_file is not None:
            self._writer_file.close()


def open_database(url: str, *, pool_size: int = 10) -> Database:
    return Database(make_engine(url, pool_size=pool_size))
