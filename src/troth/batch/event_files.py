"""Reading a whole events file in blocks of lines: in this process, or over both cores.

A large file is cut into byte ranges at newlines; forked workers read one range each (decoded,
or line by line where decoding cannot decide) and send back its columns, with narrow codes into
the range's own ticket and account tables (as bytes, `troth.batch.ticket_ids`), which
`event_join.Joiner` joins into one sorted table each.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from troth.batch import events as line_reader
from troth.batch.event_decode import Block, Codes, Packed, pack, read_block, unpack
from troth.batch.event_join import Joiner
from troth.batch.jsonl import display_name
from troth.batch.workers import ordered_map, worker_count
from troth.core.clocks.columns import EventColumns
from troth.core.errors import InputError

BLOCK_BYTES = 1 << 22
EVENT_BYTES = 80
"""A little less than the shortest events of exports (~95 bytes a line here): the columns are
allocated for the file's size over this, and pages never written cost no memory."""
PARALLEL_BYTES = 16 << 20
"""Smaller files are read in this process: starting workers would cost more than it saves."""


def decode_events(
    path: str, words: line_reader.Vocabulary, progress: line_reader.Progress | None = None
) -> EventColumns:
    """Every event of the file at `path` (or standard input for `-`) as columns."""
    codes = Codes(words)
    if path == "-" or worker_count() < 2 or _size(path) < PARALLEL_BYTES:
        joiner = Joiner(codes)
        for block in _read_serially(path, codes, progress):
            joiner.add(block)
        return joiner.columns()
    tasks = [RangeTask(path=path, offset=o, size=n, words=words) for o, n in _ranges(path)]
    joiner = Joiner(codes, expected=_size(path) // EVENT_BYTES)
    line, done = 1, 0
    with ordered_map(_read_range, tasks) as results:
        for result in results:
            if isinstance(result, RangeError):
                where = line + result.line - 1
                raise InputError(result.message, file=display_name(path), line=where, field=result.field)
            packed, lines, size = result
            joiner.add(unpack(packed, line))
            line, done = line + lines, done + size
            if progress is not None:
                progress(done)
    return joiner.columns()


def _line_count(block: bytes) -> int:
    """Newlines in the block: NumPy counts them about three times as fast as `bytes.count`."""
    return int(np.count_nonzero(np.frombuffer(block, dtype=np.uint8) == ord("\n")))


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # the serial reader reports it


def _blocks(handle: BinaryIO) -> Iterator[bytes]:
    """Blocks of whole lines, each ending with a newline."""
    rest = b""
    while True:
        chunk = handle.read(BLOCK_BYTES)
        if not chunk:
            if rest:
                yield rest if rest.endswith(b"\n") else rest + b"\n"
            return
        data = rest + chunk
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            rest = data
            continue
        yield data[:cut]
        rest = data[cut:]


@contextmanager
def _opened(path: str) -> Iterator[BinaryIO]:
    """The file at `path`, or standard input for `-`."""
    if path == "-":
        yield sys.stdin.buffer
        return
    try:
        handle = Path(path).open("rb")  # noqa: SIM115  (closed below; the OSError must be told apart)
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", file=path) from None
    with handle:
        yield handle


def _read_serially(path: str, codes: Codes, progress: line_reader.Progress | None) -> Iterator[Block]:
    name = display_name(path)
    line, done = 1, 0
    with _opened(path) as handle:
        for block in _blocks(handle):
            lines = _line_count(block)
            yield read_block(block, lines, line, name, codes)
            line += lines
            done += len(block)
            if progress is not None:
                progress(done)


@dataclass(frozen=True, slots=True, kw_only=True)
class RangeTask:
    path: str
    offset: int
    size: int
    words: line_reader.Vocabulary


@dataclass(frozen=True, slots=True, kw_only=True)
class RangeError:
    """An input error in a range, its line counted from the range's first line (1)."""

    message: str
    line: int
    field: str | None


def _ranges(path: str) -> list[tuple[int, int]]:
    """(offset, size) of blocks of whole lines, found by looking for a newline after each block size."""
    size = Path(path).stat().st_size
    starts = [0]
    with _opened(path) as handle:
        while starts[-1] + BLOCK_BYTES < size:
            handle.seek(starts[-1] + BLOCK_BYTES)
            handle.readline()
            if handle.tell() >= size:
                break
            starts.append(handle.tell())
    ends = [*starts[1:], size]
    return [(a, b - a) for a, b in zip(starts, ends, strict=True) if b > a]


def _read_range(task: RangeTask) -> tuple[Packed, int, int] | RangeError:
    """Read one range (in a worker): its block, its line count and its size, or its first error."""
    with Path(task.path).open("rb") as handle:
        handle.seek(task.offset)
        data = handle.read(task.size)
    block = data if data.endswith(b"\n") else data + b"\n"
    lines = _line_count(block)
    try:
        result = read_block(block, lines, 1, display_name(task.path), Codes(task.words))
    except InputError as error:
        return RangeError(message=error.message, line=error.line or 1, field=error.field)
    return pack(result), lines, len(data)
