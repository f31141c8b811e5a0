"""A migrated database per test session — a SQLite file, or TROTH_TEST_DATABASE_URL (PostgreSQL in
CI) — emptied after each test. Shared by the storage, services and web tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from troth.settings import normalise_database_url
from troth.storage.database import Database, make_engine
from troth.storage.schema import empty_tables, rebuild


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TROTH_TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    path: Path = tmp_path_factory.mktemp("database") / "troth.db"
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    rebuild(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def database(engine: Engine) -> Iterator[Database]:
    yield Database(engine)
    empty_tables(engine)
