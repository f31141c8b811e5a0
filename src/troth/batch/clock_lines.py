"""The `tickets evaluate` output (CONTRACT.md): one JSON object per ticket and target, built with NumPy.

A line is a row of pieces, each taken from a table of byte strings with its key in front:
`{"ticket":"T-1"`, then `,"target":"...","level":"...","status":"..."` (one entry for each
combination), `,"started_at":"YYYY-MM-DDT` for each day and `HH:MM:SSZ"` for each second of a
day, `,"due_at":null`, decimal digits four at a time, and `}\\n` after the last. The pieces are
copied straight to their place in the chunk's output: a piece's place is where the pieces
before it in its line end, and all lines' pieces of one length are copied by one scatter of
fixed-width items (`V{length}`, at any byte offset). The result is exactly the compact JSON
`orjson.dumps` writes for the same row (the tests compare the two).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
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
CHUNK_ROWS = 16_000
U8 = npt.NDArray[np.uint8]
Table = npt.NDArray[np.void]
"""Byte strings of one length (`V{length}`)."""


@dataclass(frozen=True, slots=True)
class Pieces:
    """Byte strings of a few lengths, kept NUL-padded to the longest (`V{longest}`)."""

    lengths: Ints
    padded: Table

    @classmethod
    def of(cls, texts: Sequence[bytes]) -> Pieces:
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        width = max(1, int(lengths.max(initial=1)))
        return cls(lengths, np.array(texts, dtype=f"S{width}").view(f"V{width}"))

    @property
    def width(self) -> int:
        return int(self.padded.dtype.itemsize)

    def spill(self) -> int:
        """How far a string written padded can reach past its own end."""
        return self.width - self.shortest

    @property
    def shortest(self) -> int:
        return int(self.lengths.min(initial=self.width))

    def exactly(self, length: int) -> Table:
        """The strings' first `length` bytes (a view)."""
        return self.padded.view(np.uint8).reshape(-1, self.width)[:, :length].view(f"V{length}")[:, 0]


def _scatter(out: U8, at: Ints, items: Table) -> None:
    """Item `i` into `out` from byte `at[i]`: items of their size starting at every byte of `out`
    make one scatter put them anywhere."""
    size = items.dtype.itemsize
    np.ndarray((out.size - size + 1,), dtype=items.dtype, buffer=out, strides=(1,))[at] = items


def _place(out: U8, at: Ints, pieces: Pieces, index: Ints, lengths: Ints, *, padded: bool) -> None:
    """Entry `index[i]` of `pieces` (of length `lengths[i]`) into `out` from byte `at[i]`, for every i.

    Written `padded`, an entry's NULs land on the pieces after it in its line, which are written
    later; otherwise the entries of each length are written apart, each exactly."""
    if padded:
        _scatter(out, at, pieces.padded[index])
        return
    for length in np.unique(pieces.lengths).tolist():
        rows = np.flatnonzero(lengths == length)
        if length and rows.size:
            _scatter(out, at[rows], pieces.exactly(length)[index[rows]])


def _prefix(position: int) -> bytes:
    """What comes before the value of key `position`: `{"ticket":`, then `,"target":`..."""
    return (b"{" if position == 0 else b",") + orjson.dumps(KEYS[position]) + b":"


_END = b"}\n"


# ----- numbers -------------------------------------------------------------------------------

_DIGITS = (
    [f"{i:04d}".encode() for i in range(10_000)]  # after a group that is not zero: padded
    + [f"{i}".encode() for i in range(10_000)]  # leading: no leading zeros ("0" alone)
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


def _number_pieces(position: int, groups: int) -> list[Pieces]:
    """The pieces of key `position`'s number, a group of four digits each: the key in the first, `}\\n`
    after the last when it is the last key."""
    last = position == len(KEYS) - 1
    return [
        Pieces.of(
            [
                (_prefix(position) if group == 0 else b"") + digits + (_END if last and group == groups - 1 else b"")
                for digits in _DIGITS
            ]
        )
        for group in range(groups)
    ]


def _number_indexes(groups: int, values: Ints, present: Flags) -> list[Ints]:
    """Each group's entry in `_DIGITS` for non-negative integers, `null` where not present.

    Written as arithmetic on whole arrays: NumPy divides by a constant quickly (`//`, not
    `divmod`), and multiplying by a mask is several times faster than `np.where` here."""
    absent = ~present
    rest = values * present
    lows = []
    for _ in range(groups):
        high = rest // 10_000
        lows.append(rest - high * 10_000)
        rest = high
    shown = np.zeros(values.size, dtype=np.bool_)  # a group before this one is not zero
    indexes = []
    for group, low in enumerate(reversed(lows)):
        leading = ~shown
        index = low + _LEADING * leading  # `_PADDED` is 0
        if group < groups - 1:
            index += (_BLANK - index) * (leading & (low == 0))
        index += ((_NULL_NUMBER if group == 0 else _BLANK) - index) * absent
        indexes.append(index)
        shown |= low != 0
    return indexes


# ----- instants -------------------------------------------------------------------------------

_FIRST, _LAST = np.iinfo(np.int64).min, np.iinfo(np.int64).max


def _time_pieces() -> Pieces:
    """`HH:MM:SSZ"` for every second of a day, then nothing (after `null`). Built with NumPy:
    86,400 f-strings would add 0.15 s to every start of the command."""
    seconds = np.arange(86_400)
    table = np.zeros((86_401, 10), dtype=np.uint8)
    for column, value in ((0, seconds // 3600), (3, seconds // 60 % 60), (6, seconds % 60)):
        table[:-1, column], table[:-1, column + 1] = value // 10 + 48, value % 10 + 48
    table[:-1, [2, 5]] = ord(":")
    table[:-1, 8], table[:-1, 9] = ord("Z"), ord('"')
    lengths = np.full(86_401, 10, dtype=np.int64)
    lengths[-1] = 0
    return Pieces(lengths, table.view("V10")[:, 0])


_TIMES = _time_pieces()
_NULL_TIME = 86_400


class Instants:
    """Epoch seconds as `"YYYY-MM-DDTHH:MM:SSZ"` (with quotes) from pieces of days and times."""

    def __init__(self, clocks: ClockColumns) -> None:
        # The range of days written: a reduction of each column where present (no copies).
        always = np.ones(len(clocks), dtype=np.bool_)
        columns = [(clocks.started_at, always), (clocks.due_at, clocks.has_due), (clocks.stopped_at, clocks.has_stop)]
        low = min(int(np.where(p, v, _LAST).min(initial=_LAST)) for v, p in columns)
        high = max(int(np.where(p, v, _FIRST).max(initial=_FIRST)) for v, p in columns)
        self.first = low // 86_400 if low <= high else 0
        last = high // 86_400 if low <= high else 0
        origin = date(1970, 1, 1)
        self.days = [f'"{(origin + timedelta(days=d)).isoformat()}T'.encode() for d in range(self.first, last + 1)]

    def pieces(self, position: int) -> list[Pieces]:
        """The day pieces of key `position` (with `null` last), and the time pieces."""
        prefix = _prefix(position)
        return [Pieces.of([*(prefix + day for day in self.days), prefix + b"null"]), _TIMES]

    def indexes(self, values: Ints, present: Flags | None = None) -> list[Ints]:
        """The day and time entries of each instant (`null` where not present)."""
        days = values // 86_400
        seconds = values - days * 86_400
        days -= self.first
        if present is not None:  # arithmetic: faster than np.where or a masked assignment (`_number_indexes`)
            absent = ~present
            days += (len(self.days) - days) * absent
            seconds += (_NULL_TIME - seconds) * absent
        return [days, seconds]


# ----- names ----------------------------------------------------------------------------------

_NEEDS_ESCAPE = np.zeros(256, dtype=np.bool_)
_NEEDS_ESCAPE[:0x20] = True
_NEEDS_ESCAPE[[ord('"'), ord("\\")]] = True
"""Bytes orjson writes escaped in a JSON string: control characters, the quote and the backslash."""


def _ticket_pieces(texts: Sequence[str]) -> Pieces:
    """`{"ticket":` and each id as orjson writes it as a JSON string (a million ids: vectorised)."""
    ids = texts.ids if isinstance(texts, Names) else Ids.of(list(texts))
    prefix = _prefix(0) + b'"'
    if not len(ids) or _NEEDS_ESCAPE[np.frombuffer(ids.data, dtype=np.uint8)].any():
        return Pieces.of([_prefix(0) + orjson.dumps(text) for text in texts])
    widest = max(1, int(ids.lengths.max()))
    quoted = np.zeros((len(ids), len(prefix) + widest + 1), dtype=np.uint8)
    quoted[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    quoted[:, len(prefix) : -1] = fixed_width(ids, widest).view(np.uint8).reshape(len(ids), widest)
    quoted[np.arange(len(ids)), len(prefix) + ids.lengths] = ord('"')
    return Pieces(ids.lengths + len(prefix) + 1, quoted.view(f"V{quoted.shape[1]}")[:, 0])


def _json(text: str) -> bytes:
    return orjson.dumps(text)


def _names_pieces(clocks: ClockColumns) -> Pieces:
    """`,"target":...,"level":...,"status":...` for every target, level and status, in code order."""
    return Pieces.of(
        [
            b"%s%s%s%s%s%s" % (_prefix(1), _json(target), _prefix(2), _json(level), _prefix(3), _json(status.value))
            for target in clocks.targets
            for level in clocks.levels
            for status in STATUS_CODES
        ]
    )


# ----- lines ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Encoding:
    """What every chunk shares: the pieces of each part of a line, in line order."""

    clocks: ClockColumns
    pieces: list[Pieces]
    padded: list[bool]
    """Whether each part can be written padded (`_padded`)."""
    instants: Instants
    groups: tuple[int, int]
    """Groups of four digits of `target_seconds` and `elapsed_seconds`."""


def _encoding(clocks: ClockColumns) -> _Encoding:
    """The pieces; the million ticket ids are laid out in a thread meanwhile (the writing threads wait for all)."""
    with ThreadPoolExecutor(1) as pool:
        tickets = pool.submit(_ticket_pieces, clocks.ticket_ids)
        instants = Instants(clocks)
        groups = (
            _groups(clocks.target_seconds, clocks.has_length),
            _groups(clocks.elapsed_seconds, clocks.has_elapsed),
        )
        pieces = [_names_pieces(clocks)]
        for position in (4, 5, 6):
            pieces += instants.pieces(position)
        pieces += _number_pieces(7, groups[0]) + _number_pieces(8, groups[1])
        pieces.insert(0, tickets.result())
    return _Encoding(clocks, pieces, _padded(pieces), instants, groups)


def _padded(pieces: list[Pieces]) -> list[bool]:
    """Which parts can be written padded (`_chunk` writes the first part, the ticket, last).

    A part written padded covers the parts after it in its line with its NULs, and, past the end
    of the line, the next line's ticket at most: all of them are written later."""
    ticket = pieces[0].shortest
    rests = [sum(later.shortest for later in pieces[k + 1 :]) + ticket for k in range(len(pieces))]
    return [pieces[0].spill() == 0] + [p.spill() <= rest for p, rest in zip(pieces[1:], rests[1:], strict=True)]


def _chunks(clocks: ClockColumns) -> int:
    return -(-len(clocks) // CHUNK_ROWS)


def encode_chunks(clocks: ClockColumns) -> Iterator[memoryview]:
    """The output lines, a chunk of rows at a time, each line ending with a newline (bytes-like:
    written as they are, not copied into a `bytes` first).

    Chunks are encoded by both cores, in threads: NumPy releases the GIL in the gathers and copies
    that are most of the work, and threads share the clocks without forking a process (a forked
    worker paid ~3x on its first chunk for fresh memory pages) or sending the output back.
    """
    encoding = _encoding(clocks)
    yield from ordered_in_threads(partial(_encode_with, encoding), _chunks(clocks))


def _encode_with(encoding: _Encoding, index: int) -> memoryview:
    first = index * CHUNK_ROWS
    return _chunk(encoding, slice(first, min(first + CHUNK_ROWS, len(encoding.clocks))))


def _indexes(encoding: _Encoding, rows: slice) -> list[Ints]:
    """Each line's entry in each part's pieces, in line order."""
    c, instants = encoding.clocks, encoding.instants
    names = (c.target[rows] * len(c.levels) + c.level[rows]) * len(STATUS_CODES) + c.status[rows]
    indexes = [c.ticket[rows], names]
    indexes += instants.indexes(c.started_at[rows])
    indexes += instants.indexes(c.due_at[rows], c.has_due[rows])
    indexes += instants.indexes(c.stopped_at[rows], c.has_stop[rows])
    indexes += _number_indexes(encoding.groups[0], c.target_seconds[rows], c.has_length[rows])
    indexes += _number_indexes(encoding.groups[1], c.elapsed_seconds[rows], c.has_elapsed[rows])
    return indexes


def _chunk(encoding: _Encoding, rows: slice) -> memoryview:
    """The lines of `rows`: each piece copied to where the pieces before it in its line end (the
    ticket last, after the NULs of the line before it)."""
    indexes = _indexes(encoding, rows)
    lengths = [pieces.lengths[index] for pieces, index in zip(encoding.pieces, indexes, strict=True)]
    line = np.sum(lengths, axis=0)
    starts = np.cumsum(line) - line
    size = int(line.sum())
    out = np.empty(size + max(p.width for p in encoding.pieces), dtype=np.uint8)  # room for NULs past the end
    at = starts + lengths[0]
    parts = zip(encoding.pieces, indexes, lengths, encoding.padded, strict=True)
    first = next(parts)
    for pieces, index, length, padded in parts:
        _place(out, at, pieces, index, length, padded=padded)
        at += length
    _place(out, starts, *first[:3], padded=first[3])
    return out[:size].data


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
