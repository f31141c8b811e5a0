"""The `tickets evaluate` output (CONTRACT.md): one JSON object per ticket and target, built with NumPy.

Each line is laid out as a row of byte slots (`{"ticket":`, the id, `,"target":`...), every slot
NUL-padded to its widest value in the chunk; dropping the NULs joins the slots into exactly the
compact JSON `orjson.dumps` writes for the same row (the tests compare the two).

The slots are built column-major — one row of the matrix per byte position, one column per line —
so that every copy runs along the lines rather than along a few bytes; each slot is written in
place into one preallocated matrix (gathers with `out=`), which is transposed once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

import numpy as np
import numpy.typing as npt
import orjson

from troth.batch.ticket_ids import Ids, Names, fixed_width
from troth.batch.workers import ordered_in_threads
from troth.core.clocks.columns import ClockColumns, Flags, Ints
from troth.core.clocks.rules import STATUS_CODES
from troth.core.instants import format_utc, from_epoch

KEYS = (
    "ticket",
    "target",
    "level",
    "status",
    "started_at",
    "due_at",
    "stopped_at",
    "target_seconds",
    "elapsed_seconds",
)
CHUNK_ROWS = 25_000
U8 = npt.NDArray[np.uint8]


def _slots(values: Sequence[bytes]) -> U8:
    """Byte strings as a (width x count) matrix, NUL-padded: column `i` holds `values[i]`."""
    array = np.array(values, dtype=np.bytes_)
    return np.ascontiguousarray(array.view(np.uint8).reshape(array.size, array.itemsize).T)


_FOUR_DIGITS = (np.arange(10_000) // np.array([[1000], [100], [10], [1]]) % 10 + 48).astype(np.uint8)
"""`0000` to `9999`, one per column."""


def _number(values: Ints) -> U8:
    """Decimal digits of non-negative integers (width x count), with NULs in place of leading zeros.

    Digits are read four at a time from a table of 0000-9999: a quarter of the divisions."""
    width = len(str(int(values.max(initial=0))))
    groups = -(-width // 4)
    out = np.empty((4 * groups, values.size), dtype=np.uint8)
    rest = values
    for group in range(groups - 1, -1, -1):
        rest, low = np.divmod(rest, 10_000)
        out[4 * group : 4 * group + 4] = _FOUR_DIGITS[:, low]
    out = out[4 * groups - width :]
    # A digit shows when it or one to its left is not zero; the units digit always shows.
    shown = np.logical_or.accumulate(out[:-1] != 48, axis=0)
    out[:-1] *= shown
    return out


def _day_table(first: int, last: int) -> U8:
    """`"YYYY-MM-DDT` for every day from `first` to `last` (days since 1970-01-01), one per column."""
    origin = date(1970, 1, 1)
    texts = [f'"{(origin + timedelta(days=d)).isoformat()}T'.encode() for d in range(first, last + 1)]
    return np.ascontiguousarray(np.frombuffer(b"".join(texts), dtype=np.uint8).reshape(len(texts), 12).T)


def _time_table() -> U8:
    """`HH:MM:SSZ"` for every second of a day, one per column (built with NumPy: 86,400 f-strings
    would add 0.15 s to every start of the command)."""
    seconds = np.arange(86_400)
    hours, minutes, secs = seconds // 3600, seconds // 60 % 60, seconds % 60
    table = np.empty((10, 86_400), dtype=np.uint8)
    for row, value in ((0, hours), (3, minutes), (6, secs)):
        table[row], table[row + 1] = value // 10 + 48, value % 10 + 48
    table[[2, 5]] = ord(":")
    table[8], table[9] = ord("Z"), ord('"')
    return table


_TIMES = _time_table()
"""`HH:MM:SSZ"` for every second of a day, one per column."""


INSTANT_WIDTH = 22
"""`"YYYY-MM-DDTHH:MM:SSZ"` with its quotes."""
_NULL = np.frombuffer(b"null", dtype=np.uint8)
_FIRST, _LAST = np.iinfo(np.int64).min, np.iinfo(np.int64).max


class Instants:
    """Formats epoch seconds as `"YYYY-MM-DDTHH:MM:SSZ"` (with quotes) from tables of days and times."""

    def __init__(self, clocks: ClockColumns) -> None:
        # The range of days written: a reduction of each column where present (no copies).
        always = np.ones(len(clocks), dtype=np.bool_)
        columns = [(clocks.started_at, always), (clocks.due_at, clocks.has_due), (clocks.stopped_at, clocks.has_stop)]
        low = min(int(np.where(p, v, _LAST).min(initial=_LAST)) for v, p in columns)
        high = max(int(np.where(p, v, _FIRST).max(initial=_FIRST)) for v, p in columns)
        self.first = low // 86_400 if low <= high else 0
        self.days = _day_table(self.first, high // 86_400 if low <= high else 0)

    def write(self, out: U8, values: Ints, present: Flags | None = None) -> None:
        """Into `out` (INSTANT_WIDTH x count): each instant, or `null` where not present."""
        if present is not None:
            values = np.where(present, values, self.first * 86_400)
        days, seconds = np.divmod(values, 86_400)
        np.take(self.days, days - self.first, axis=1, out=out[:12], mode="clip")
        np.take(_TIMES, seconds, axis=1, out=out[12:], mode="clip")
        if present is not None:
            _write_null(out, present)


def _write_null(out: U8, present: Flags) -> None:
    """`null`, NUL-padded, in the columns of `out` where the value is not present."""
    absent = ~present
    out[:4, absent] = _NULL[:, None]
    out[4:, absent] = 0


_NEEDS_ESCAPE = np.zeros(256, dtype=np.bool_)
_NEEDS_ESCAPE[:0x20] = True
_NEEDS_ESCAPE[[ord('"'), ord("\\")]] = True
"""Bytes orjson writes escaped in a JSON string: control characters, the quote and the backslash."""


def _json_strings(texts: Sequence[str]) -> U8:
    """Each text as orjson writes it as a JSON string, one per column (a million ticket ids: vectorised)."""
    ids = texts.ids if isinstance(texts, Names) else Ids.of(list(texts))
    if not len(ids) or _NEEDS_ESCAPE[np.frombuffer(ids.data, dtype=np.uint8)].any():
        return _slots([orjson.dumps(text) for text in texts])
    width = int(ids.lengths.max())
    quoted = np.zeros((len(ids), width + 2), dtype=np.uint8)
    quoted[:, 1:-1] = fixed_width(ids, width).view(np.uint8).reshape(len(ids), width)
    quoted[:, 0] = quoted[np.arange(len(ids)), ids.lengths + 1] = ord('"')
    return np.ascontiguousarray(quoted.T)


@dataclass(frozen=True, slots=True)
class _Encoding:
    clocks: ClockColumns
    names: tuple[U8, U8, U8, U8]
    instant: Instants


def _encoding(clocks: ClockColumns) -> _Encoding:
    names = (
        _json_strings(clocks.ticket_ids),
        _json_strings(clocks.targets),
        _json_strings(clocks.levels),
        _json_strings([s.value for s in STATUS_CODES]),
    )
    return _Encoding(clocks, names, Instants(clocks))


def _chunks(clocks: ClockColumns) -> int:
    return -(-len(clocks) // CHUNK_ROWS)


def encode_chunks(clocks: ClockColumns) -> Iterator[bytes]:
    """The output lines, a chunk of rows at a time, each line ending with a newline.

    Chunks are encoded by both cores, in threads: NumPy releases the GIL in the gathers and copies
    that are most of the work, and threads share the clocks without forking a process (a forked
    worker paid ~3x on its first chunk for fresh memory pages) or sending the output back.
    """
    encoding = _encoding(clocks)
    yield from ordered_in_threads(partial(_encode_with, encoding), _chunks(clocks))


def _encode_with(encoding: _Encoding, index: int) -> bytes:
    first = index * CHUNK_ROWS
    return _chunk(encoding, slice(first, min(first + CHUNK_ROWS, len(encoding.clocks))))


def _prefix(position: int) -> bytes:
    """What comes before the value of key `position`: `{"ticket":`, then `,"target":`..."""
    return (b"{" if position == 0 else b",") + orjson.dumps(KEYS[position]) + b":"


def _chunk(encoding: _Encoding, rows: slice) -> bytes:
    """The lines of `rows`: each slot written into one byte matrix (byte position x line), NULs dropped."""
    clocks, instant = encoding.clocks, encoding.instant
    has_length, has_elapsed = clocks.has_length[rows], clocks.has_elapsed[rows]
    numbers = [
        _number(np.where(has_length, clocks.target_seconds[rows], 0)),
        _number(np.where(has_elapsed, clocks.elapsed_seconds[rows], 0)),
    ]
    heights = [*(table.shape[0] for table in encoding.names), INSTANT_WIDTH, INSTANT_WIDTH, INSTANT_WIDTH]
    heights += [max(digits.shape[0], 4) for digits in numbers]  # room for `null`
    ends = np.cumsum([len(_prefix(i)) + h for i, h in enumerate(heights)]).tolist()
    starts = [end - h for end, h in zip(ends, heights, strict=True)]
    out = np.empty((ends[-1] + 2, clocks.ticket[rows].size), dtype=np.uint8)
    for i, start in enumerate(starts):
        prefix = _prefix(i)
        out[start - len(prefix) : start] = np.frombuffer(prefix, dtype=np.uint8)[:, None]
    out[-2:] = np.frombuffer(b"}\n", dtype=np.uint8)[:, None]
    slot = [out[a : a + h] for a, h in zip(starts, heights, strict=True)]
    codes = (clocks.ticket, clocks.target, clocks.level, clocks.status)
    for table, code, into in zip(encoding.names, codes, slot, strict=False):
        np.take(table, code[rows], axis=1, out=into, mode="clip")
    instant.write(slot[4], clocks.started_at[rows])
    instant.write(slot[5], clocks.due_at[rows], clocks.has_due[rows])
    instant.write(slot[6], clocks.stopped_at[rows], clocks.has_stop[rows])
    for digits, present, into in zip(numbers, (has_length, has_elapsed), slot[7:], strict=True):
        into[: digits.shape[0]] = digits
        into[digits.shape[0] :] = 0
        _write_null(into, present)
    matrix = np.ascontiguousarray(out.T)
    joined: bytes = matrix[matrix != 0].tobytes()
    return joined


def row_object(clocks: ClockColumns, row: int) -> dict[str, object]:
    """One row as a dict in contract key order: the plain, slow form the encoder is tested against."""

    def instant(value: int, *, present: bool) -> str | None:
        return format_utc(from_epoch(value)) if present else None

    return {
        "ticket": clocks.ticket_ids[int(clocks.ticket[row])],
        "target": clocks.targets[int(clocks.target[row])],
        "level": clocks.levels[int(clocks.level[row])],
        "status": STATUS_CODES[int(clocks.status[row])].value,
        "started_at": instant(int(clocks.started_at[row]), present=True),
        "due_at": instant(int(clocks.due_at[row]), present=bool(clocks.has_due[row])),
        "stopped_at": instant(int(clocks.stopped_at[row]), present=bool(clocks.has_stop[row])),
        "target_seconds": int(clocks.target_seconds[row]) if clocks.has_length[row] else None,
        "elapsed_seconds": int(clocks.elapsed_seconds[row]) if clocks.has_elapsed[row] else None,
    }
