"""The event path's statements, cheaply on SQLite: its reads, inserts, updates and deletes.

SQLAlchemy spends about 85 µs on each statement it runs and more on each row's parameters;
SQLite itself takes about 10 µs. On SQLite these statements are therefore compiled by SQLAlchemy
once (once for each length of their lists of values), and run on the driver's own cursor inside
the session's transaction: parameters bound by the columns' own bind processors, values read back
through the columns' own result processors. The SQL, the stored values and the values read are
SQLAlchemy's own, which tests hold byte for byte and value for value. Other databases take
SQLAlchemy's way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Delete, Insert, Select, Update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

Statement = Insert | Update
Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    """A row's values in the order of the SQL's parameters."""
    processors: tuple[tuple[int, Processor], ...]
    """The parameters that have a bind processor, by position."""

    def parameters(self, row: dict[str, Any]) -> Sequence[Any]:
        values = self.values(row)
        if not self.processors:
            return values
        processed = list(values)
        for index, process in self.processors:
            processed[index] = process(processed[index])
        return processed


_COMPILED: dict[tuple[int, tuple[str, ...]], _Compiled] = {}


def _compiled(statement: Statement, keys: tuple[str, ...], dialect: Dialect) -> _Compiled:
    key = (id(statement), keys)
    found = _COMPILED.get(key)
    if found is None:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        names = tuple(compiled.positiontup or ())
        processors = [compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
        values = (lambda row: (row[names[0]],)) if len(names) == 1 else itemgetter(*names)
        found = _COMPILED[key] = _Compiled(
            str(compiled), values, tuple((i, process) for i, process in enumerate(processors) if process is not None)
        )
    return found


def _connections(session: Session) -> tuple[Connection, Any | None]:
    """The session's connection, and its own sqlite3 connection under it (None on other databases)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return connection, None
    return connection, connection.connection.driver_connection


def execute_many(session: Session, statement: Statement, rows: Sequence[dict[str, Any]]) -> None:
    """Run `statement` once for each of `rows` (all with the same keys), in the session's transaction.

    `statement` must be built once at import (its compiled form is kept by identity)."""
    if not rows:
        return
    connection, driver = _connections(session)
    if driver is None:
        connection.execute(statement, list(rows))
        return
    compiled = _compiled(statement, tuple(rows[0]), connection.dialect)
    driver.executemany(compiled.sql, [compiled.parameters(row) for row in rows])


def insert_returning_ids(
    session: Session, statement: Insert, returning: Insert, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert `rows` (all with the same keys) and return the id each was given, in their order.

    SQLite's cursor inserts them one by one and tells each row's id; other databases run
    `returning`, the same insert returning the ids in the order of the rows (both built once)."""
    if not rows:
        return []
    connection, driver = _connections(session)
    if driver is None:
        return [row[0] for row in connection.execute(returning, list(rows))]
    compiled = _compiled(statement, tuple(rows[0]), connection.dialect)
    return [driver.execute(compiled.sql, compiled.parameters(row)).lastrowid for row in rows]


Query = Select[Any] | Delete


@dataclass(frozen=True, slots=True)
class _Place:
    """What one `?` of a compiled query binds: a parameter, or one element of a list parameter."""

    name: str
    index: int | None
    process: Processor | None

    def value(self, parameters: Mapping[str, Any]) -> Any:
        value = parameters[self.name] if self.index is None else parameters[self.name][self.index]
        return value if self.process is None else self.process(value)


@dataclass(frozen=True, slots=True)
class _Query:
    sql: str
    places: tuple[_Place, ...]
    results: tuple[tuple[int, Processor], ...]
    """The result columns that have a processor, by position."""

    def parameters(self, parameters: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(place.value(parameters) for place in self.places)

    def rows(self, found: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        if not self.results:
            return found
        processed = []
        for row in found:
            values = list(row)
            for index, process in self.results:
                values[index] = process(values[index])
            processed.append(tuple(values))
        return processed


_QUERIES: dict[tuple[int, tuple[tuple[str, int | None], ...]], _Query] = {}


def _shape(parameters: Mapping[str, Any]) -> tuple[tuple[str, int | None], ...]:
    """Each parameter's name, and its length if it is a list (a list's length changes the SQL)."""
    return tuple((name, len(value) if isinstance(value, list) else None) for name, value in parameters.items())


def _query(statement: Query, parameters: Mapping[str, Any], dialect: Dialect) -> _Query:
    key = (id(statement), _shape(parameters))
    found = _QUERIES.get(key)
    if found is None:
        compiled = statement.compile(dialect=dialect)
        expanded = compiled.construct_expanded_state(dict(parameters))
        elements = {
            element: (name, index)
            for name, elements in expanded.parameter_expansion.items()
            for index, element in enumerate(elements)
        }
        places = []
        for name in expanded.positiontup or ():
            parameter, index = elements.get(name, (name, None))
            process = compiled.binds[parameter].type.dialect_impl(dialect).bind_processor(dialect)
            places.append(_Place(parameter, index, process))
        found = _QUERIES[key] = _Query(expanded.statement, tuple(places), _result_processors(statement, dialect))
    return found


def _result_processors(statement: Query, dialect: Dialect) -> tuple[tuple[int, Processor], ...]:
    if not isinstance(statement, Select):
        return ()
    found = []
    for index, column in enumerate(statement.selected_columns):
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:
            found.append((index, process))
    return tuple(found)


def fetch_all(session: Session, statement: Select[Any], parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows `statement` selects, as tuples of the values SQLAlchemy would give for them.

    `statement` must be built once at import (its compiled form is kept by identity)."""
    connection, driver = _connections(session)
    if driver is None:
        return [tuple(row) for row in connection.execute(statement, dict(parameters))]
    query = _query(statement, parameters, connection.dialect)
    return query.rows(driver.execute(query.sql, query.parameters(parameters)).fetchall())


def execute_one(session: Session, statement: Delete, parameters: Mapping[str, Any]) -> None:
    """Run `statement` once, in the session's transaction (built once at import, as for `fetch_all`)."""
    connection, driver = _connections(session)
    if driver is None:
        connection.execute(statement, dict(parameters))
        return
    query = _query(statement, parameters, connection.dialect)
    driver.execute(query.sql, query.parameters(parameters))


def compiled_sql() -> list[str]:
    """Every SQL text compiled so far for SQLite's cursor, to read their query plans in tests."""
    return [compiled.sql for compiled in _COMPILED.values()] + [query.sql for query in _QUERIES.values()]
