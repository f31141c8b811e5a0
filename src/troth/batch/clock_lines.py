"""The `tickets evaluate` output (CONTRACT.md): one JSON object per ticket and target, built with NumPy.

The lines of a chunk are the rows of one byte matrix, laid out in fixed columns: the keys, and a
slot for each value as wide as its widest value. Every value comes from a table whose entries
are its bytes, NUL-padded to the slot's width — quoted ticket ids, target names, `"YYYY-MM-DDT`
for each day and `HH:MM:SSZ"` for each second of a day, decimal digits four at a time, and
`null` — so a slot is filled by one gather of `V{width}` items (one copy per line, not one per
byte). Dropping the NULs then joins the slots into exactly the compact JSON `orjson.dumps`
writes for the same row (the tests compare the two).
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
Table = npt.NDArray[np.void]
"""Fixed-width byte strings (`V{width}`), NUL-padded: the values a slot is filled from."""


def _table(values: Sequence[bytes]) -> Table:
    """Byte strings as one fixed-width item each, NUL-padded to the longest."""
    width = max([1, *map(len, values)])
    return np.array(values, dtype=f"S{width}").view(f"V{width}")


def _width(table: Table) -> int:
    return int(table.dtype.itemsize)


def _slot(lines: U8, start: int, width: int) -> Table:
    """Columns `start` to `start + width` of every line (row) as one item a line: a view."""
    return lines[:, start : start + width].view(f"V{width}")[:, 0]


def _fill(lines: U8, start: int, table: Table, index: Ints) -> None:
    """The slot at `start` of every line from `table[index]` (indexes outside the table clip).

    Gathered into a new array, then copied into place: `np.take(..., out=)` into the strided slot
    would copy the slot into a buffer first, and cost half as much again."""
    _slot(lines, start, _width(table))[:] = np.take(table, index, mode="clip")


# ----- numbers -------------------------------------------------------------------------------

_DIGITS = _table(
    [f"{i:04d}".encode() for i in range(10_000)]  # after a group that is not zero: padded
    + [f"{i}".rjust(4, "\0").encode() for i in range(10_000)]  # leading: no leading zeros ("0" alone)
    + [b"", b"null"]
)
_PADDED, _LEADING, _BLANK, _NULL_NUMBER = 0, 10_000, 20_000, 20_001
"""Where each kind of group starts in `_DIGITS`: a group of digits is `_PADDED + value` after a
group that is not zero, `_LEADING + value` otherwise (`0` alone for the units), `_BLANK` when it
and every group before it are zero and it is not the last."""


def _groups(values: Ints, present: Flags) -> int:
    """How many groups of four digits the largest present value needs (non-negative values)."""
    largest = int(np.where(present, values, 0).max(initial=0))
    return -(-len(str(largest)) // 4)


def _fill_number(lines: U8, start: int, groups: int, values: Ints, present: Flags) -> None:
    """Non-negative integers as decimal digits (`groups` slots of four), or `null` where not present."""
    rest = np.where(present, values, 0)
    lows = []
    for _ in range(groups):
        rest, low = np.divmod(rest, 10_000)
        lows.append(low)
    shown = np.zeros(values.size, dtype=np.bool_)  # a group before this one is not zero
    for group, low in enumerate(reversed(lows)):
        if group == groups - 1:
            index = np.where(shown, low + _PADDED, low + _LEADING)
        else:
            index = np.where(shown, low + _PADDED, np.where(low == 0, _BLANK, low + _LEADING))
        index[~present] = _NULL_NUMBER if group == 0 else _BLANK
        _fill(lines, start + 4 * group, _DIGITS, index)
        shown |= low != 0


# ----- instants -------------------------------------------------------------------------------

INSTANT_WIDTH = 22
"""`"YYYY-MM-DDTHH:MM:SSZ"` with its quotes: a day slot of 12 bytes and a time slot of 10."""
_FIRST, _LAST = np.iinfo(np.int64).min, np.iinfo(np.int64).max


def _time_table() -> Table:
    """`HH:MM:SSZ"` for every second of a day, then NULs (the time of `null`). Built with NumPy:
    86,400 f-strings would add 0.15 s to every start of the command."""
    seconds = np.arange(86_400)
    table = np.zeros((86_401, 10), dtype=np.uint8)
    for column, value in ((0, seconds // 3600), (3, seconds // 60 % 60), (6, seconds % 60)):
        table[:-1, column], table[:-1, column + 1] = value // 10 + 48, value % 10 + 48
    table[:-1, [2, 5]] = ord(":")
    table[:-1, 8], table[:-1, 9] = ord("Z"), ord('"')
    return table.view("V10")[:, 0]


_TIMES = _time_table()
_NULL_TIME = 86_400


class Instants:
    """Writes epoch seconds as `"YYYY-MM-DDTHH:MM:SSZ"` (with quotes) from tables of days and times."""

    def __init__(self, clocks: ClockColumns) -> None:
        # The range of days written: a reduction of each column where present (no copies).
        always = np.ones(len(clocks), dtype=np.bool_)
        columns = [(clocks.started_at, always), (clocks.due_at, clocks.has_due), (clocks.stopped_at, clocks.has_stop)]
        low = min(int(np.where(p, v, _LAST).min(initial=_LAST)) for v, p in columns)
        high = max(int(np.where(p, v, _FIRST).max(initial=_FIRST)) for v, p in columns)
        self.first = low // 86_400 if low <= high else 0
        last = high // 86_400 if low <= high else 0
        origin = date(1970, 1, 1)
        days = [f'"{(origin + timedelta(days=d)).isoformat()}T'.encode() for d in range(self.first, last + 1)]
        self.days = _table([*days, b"null"])
        self.null_day = len(days)

    def fill(self, lines: U8, start: int, values: Ints, present: Flags | None = None) -> None:
        """The slot at `start` (INSTANT_WIDTH) of every line: each instant, or `null` where not present."""
        days, seconds = np.divmod(values, 86_400)
        days -= self.first
        if present is not None:
            days[~present], seconds[~present] = self.null_day, _NULL_TIME
        _fill(lines, start, self.days, days)
        _fill(lines, start + 12, _TIMES, seconds)


# ----- names ----------------------------------------------------------------------------------

_NEEDS_ESCAPE = np.zeros(256, dtype=np.bool_)
_NEEDS_ESCAPE[:0x20] = True
_NEEDS_ESCAPE[[ord('"'), ord("\\")]] = True
"""Bytes orjson writes escaped in a JSON string: control characters, the quote and the backslash."""


def _json_strings(texts: Sequence[str]) -> Table:
    """Each text as orjson writes it as a JSON string (a million ticket ids: vectorised)."""
    ids = texts.ids if isinstance(texts, Names) else Ids.of(list(texts))
    if not len(ids) or _NEEDS_ESCAPE[np.frombuffer(ids.data, dtype=np.uint8)].any():
        return _table([orjson.dumps(text) for text in texts])
    width = int(ids.lengths.max())
    quoted = np.zeros((len(ids), width + 2), dtype=np.uint8)
    quoted[:, 1:-1] = fixed_width(ids, width).view(np.uint8).reshape(len(ids), width)
    quoted[:, 0] = quoted[np.arange(len(ids)), ids.lengths + 1] = ord('"')
    return quoted.view(f"V{width + 2}")[:, 0]


# ----- lines ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Encoding:
    """What every chunk shares: the value tables and where each slot starts in a line."""

    clocks: ClockColumns
    names: tuple[Table, Table, Table, Table]
    instants: Instants
    groups: tuple[int, int]
    """Groups of four digits of `target_seconds` and `elapsed_seconds`."""
    starts: list[int]
    """Where each key's value starts in a line, in KEYS order."""
    template: U8
    """A line with its keys and `}\\n` in place, NULs in the slots."""


def _prefix(position: int) -> bytes:
    """What comes before the value of key `position`: `{"ticket":`, then `,"target":`..."""
    return (b"{" if position == 0 else b",") + orjson.dumps(KEYS[position]) + b":"


def _encoding(clocks: ClockColumns) -> _Encoding:
    names = (
        _json_strings(clocks.ticket_ids),
        _json_strings(clocks.targets),
        _json_strings(clocks.levels),
        _json_strings([s.value for s in STATUS_CODES]),
    )
    groups = (
        _groups(clocks.target_seconds, clocks.has_length),
        _groups(clocks.elapsed_seconds, clocks.has_elapsed),
    )
    widths = [*map(_width, names), INSTANT_WIDTH, INSTANT_WIDTH, INSTANT_WIDTH, *(4 * g for g in groups)]
    template = bytearray()
    starts = []
    for position, width in enumerate(widths):
        template += _prefix(position)
        starts.append(len(template))
        template += bytes(width)
    template += b"}\n"
    line = np.frombuffer(bytes(template), dtype=np.uint8)
    return _Encoding(clocks, names, Instants(clocks), groups, starts, line)


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


def _chunk(encoding: _Encoding, rows: slice) -> bytes:
    """The lines of `rows`: the line template, every slot filled in place, NULs dropped."""
    c, starts = encoding.clocks, encoding.starts
    lines = np.empty((c.ticket[rows].size, encoding.template.size), dtype=np.uint8)
    lines[:] = encoding.template
    for table, codes, start in zip(encoding.names, (c.ticket, c.target, c.level, c.status), starts, strict=False):
        _fill(lines, start, table, codes[rows])
    encoding.instants.fill(lines, starts[4], c.started_at[rows])
    encoding.instants.fill(lines, starts[5], c.due_at[rows], c.has_due[rows])
    encoding.instants.fill(lines, starts[6], c.stopped_at[rows], c.has_stop[rows])
    _fill_number(lines, starts[7], encoding.groups[0], c.target_seconds[rows], c.has_length[rows])
    _fill_number(lines, starts[8], encoding.groups[1], c.elapsed_seconds[rows], c.has_elapsed[rows])
    joined: bytes = lines[lines != 0].tobytes()
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
