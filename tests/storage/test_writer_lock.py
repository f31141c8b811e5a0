"""SQLite writers of different processes queue on a lock file, not in SQLite's busy handler."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from troth.storage.database import open_database


def _no_busy_timeout(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout=0")


def test_a_second_writer_waits_for_the_first_and_then_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'troth.db'}"
    first, second = open_database(url), open_database(url)  # two engines, as two processes would have
    # Without the lock file the second writer would meet the first's write lock at BEGIN IMMEDIATE,
    # and with no busy timeout it would fail at once ("database is locked").
    event.listen(second.engine, "connect", _no_busy_timeout)
    with first.writing() as session:
        session.execute(text("CREATE TABLE marks (who TEXT)"))
    order: list[str] = []
    holding = threading.Event()

    def hold() -> None:
        with first.writing() as session:
            holding.set()
            time.sleep(0.3)
            session.execute(text("INSERT INTO marks VALUES ('first')"))
            order.append("first")

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait()
    with second.writing() as session:
        session.execute(text("INSERT INTO marks VALUES ('second')"))
        order.append("second")
    holder.join()
    with second.reading() as session:
        stored = list(session.scalars(text("SELECT who FROM marks")))
    assert order == ["first", "second"]
    assert stored == ["first", "second"]
    assert (tmp_path / "troth.db-writer.lock").exists()
    first.dispose()
    second.dispose()


def test_an_in_memory_database_needs_no_lock_file() -> None:
    database = open_database("sqlite://")
    with database.writing() as session:
        assert session.execute(text("SELECT 1")).scalar() == 1
    database.dispose()
