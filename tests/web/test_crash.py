"""A crash under load loses nothing acknowledged and leaves nothing inconsistent (SQLite and PostgreSQL).

The load generator is bench/api_load.py's: clients post ticket events to `troth serve` over
loopback, the server is killed with SIGKILL mid-load and restarted, then every acknowledged event
must be stored (found by its idempotency key), every ticket's stored clock states must equal a full
recompute from its events, and the database must pass its integrity check.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from troth.settings import normalise_database_url

BENCH = Path(__file__).resolve().parents[2] / "bench" / "api_load.py"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("api_load", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def _fresh_postgresql_database(url: str) -> str:
    """A database of its own beside the test database, so the crash test never touches the suite's."""
    base = make_url(url)
    name = f"{base.database}_crash"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def crash_database(tmp_path: Path) -> Iterator[tuple[str, str]]:
    url = os.environ.get("TROTH_TEST_DATABASE_URL")
    if url:
        yield "postgresql", _fresh_postgresql_database(normalise_database_url(url))
    else:
        yield "sqlite", f"sqlite:///{tmp_path / 'crash.db'}"


def test_a_sigkill_under_load_loses_no_acknowledged_event(crash_database: tuple[str, str]) -> None:
    name, url = crash_database
    api_load = _load_generator()
    result = api_load.run_crash(url, name, clients=20, crash_after=4.0, workers=1)
    assert result["acknowledged_events"] > 0, result
    assert result["lost_acknowledged"] == 0, result
    assert result["problems"] == [], result
    assert result["after_restart"] > 0, result
