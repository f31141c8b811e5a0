"""Reading and writing JSON Lines, with every bad line located by file and line number."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

import orjson

from troth.core.errors import InputError
from troth.core.instants import parse_instant


@dataclass(frozen=True, slots=True)
class Record:
    """One JSON object from one line of a file, with what is needed to locate errors in it."""

    file: str
    line: int
    data: dict[str, Any]

    def error(self, message: str, field: str | None = None) -> InputError:
        return InputError(message, file=self.file, line=self.line, field=field)

    def text(self, field: str, *, required: bool = True) -> str | None:
        value = self.data.get(field)
        if value is None:
            if required:
                raise self.error("is required", field)
            return None
        if not isinstance(value, str) or not value:
            raise self.error(f"must be a non-empty string, not {orjson.dumps(value).decode()}", field)
        return value

    def instant(self, field: str, *, required: bool = True) -> Any:
        text = self.text(field, required=required)
        if text is None:
            return None
        try:
            return parse_instant(text)
        except ValueError:
            raise self.error(f"'{text}' is not an RFC 3339 instant with an offset or Z", field) from None

    def boolean(self, field: str, *, default: bool) -> bool:
        value = self.data.get(field, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(f"must be true or false, not {orjson.dumps(value).decode()}", field)
        return value

    def decimal(self, field: str) -> Decimal | None:
        value = self.data.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error('must be a decimal number written as a string, such as "1000.00"', field)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.error(f"'{value}' is not a decimal number", field) from None
        if not number.is_finite() or number < 0:
            raise self.error(f"'{value}' must be a finite, non-negative amount", field)
        return number


def display_name(path: str) -> str:
    return "<stdin>" if path == "-" else path


def read_lines(path: str) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, raw line) of a file, or of standard input for `-`; skips blank lines."""
    if path == "-":
        stream = sys.stdin.buffer
        for number, raw in enumerate(stream, start=1):
            if raw.strip():
                yield number, raw
        return
    try:
        with Path(path).open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if raw.strip():
                    yield number, raw
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", file=path) from None


def parse_line(raw: bytes, *, file: str, line: int) -> Record:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise InputError(f"is not valid JSON ({error})", file=file, line=line) from None
    if not isinstance(data, dict):
        raise InputError("must be a JSON object", file=file, line=line)
    return Record(file, line, data)


def read_records(path: str) -> Iterator[Record]:
    """Every JSON object of a JSON Lines file, located for errors."""
    name = display_name(path)
    for number, raw in read_lines(path):
        yield parse_line(raw, file=name, line=number)


def write_lines(rows: Iterable[dict[str, Any]], out: TextIO | None = None) -> None:
    """Write rows as JSON Lines (keys in the order given) to standard output."""
    stream = out if out is not None else sys.stdout
    write = stream.buffer.write if hasattr(stream, "buffer") else None
    for row in rows:
        encoded = orjson.dumps(row) + b"\n"
        if write is not None:
            write(encoded)
        else:
            stream.write(encoded.decode())
    stream.flush()
