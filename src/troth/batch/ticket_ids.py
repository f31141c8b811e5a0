"""Ticket ids of many blocks joined into one sorted table, with NumPy rather than a dict of a million strings.

A block's distinct ids travel as one UTF-8 byte string and their byte lengths (`Ids`): cheap to
send between processes, unlike a tuple of strings (pickling a million short strings costs about
0.6 s here). The table is built by sorting fixed-width byte strings (`np.unique`): UTF-8 bytes
sort in the order Python sorts the strings (by code point), and the engine's ticket codes are
ranks in that order. NumPy pads fixed-width strings with NULs, so ids that contain a NUL, or
sets too wide to lay out (one very long id among many), are sorted by Python instead.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import SupportsIndex, overload

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]

LAYOUT_BYTES = 256 << 20
"""Largest fixed-width matrix built for sorting; beyond it Python sorts (the result is the same)."""


@dataclass(frozen=True, slots=True)
class Ids:
    """Strings as their concatenated UTF-8 bytes and each one's length in bytes."""

    data: bytes
    lengths: Ints

    @classmethod
    def of(cls, texts: list[str]) -> Ids:
        joined = "".join(texts)
        data = joined.encode()
        if len(data) == len(joined):  # ASCII: characters are bytes
            return cls(data, _lengths(texts))
        encoded = [text.encode() for text in texts]
        return cls(data, _lengths(encoded))

    def __len__(self) -> int:
        return int(self.lengths.size)

    def texts(self) -> list[str]:
        ends = np.cumsum(self.lengths).tolist()
        starts = [0, *ends][:-1]
        return [self.data[a:b].decode() for a, b in zip(starts, ends, strict=True)]


def _lengths(values: list[str] | list[bytes]) -> Ints:
    try:  # bytes() reads small ints about twice as fast as np.fromiter
        return np.frombuffer(bytes(map(len, values)), dtype=np.uint8).astype(np.int64)
    except ValueError:  # one of 256 or more
        return np.fromiter(map(len, values), dtype=np.int64, count=len(values))


class Names(Sequence[str]):
    """Strings kept as their UTF-8 bytes and decoded one at a time when asked for.

    A million ticket ids are needed as text only to name a ticket in an error; the output is
    written from the bytes themselves (`troth.batch.clock_lines`). Decoding them all would cost
    0.3 s in the parent process while both cores wait.
    """

    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        self._ends = np.cumsum(ids.lengths)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: SupportsIndex) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Names: ...

    def __getitem__(self, index: SupportsIndex | slice) -> str | Names:
        if isinstance(index, slice):
            first, end, step = index.indices(len(self))
            if step != 1:
                raise ValueError("Names are sliced in order, one after another")
            end = max(first, end)
            start, stop = self._start(first), self._start(end)
            return Names(Ids(self.ids.data[start:stop], self.ids.lengths[first:end]))
        position = operator.index(index)
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError("no such name")
        return self.ids.data[self._start(position) : int(self._ends[position])].decode()

    def _start(self, position: int) -> int:
        return int(self._ends[position - 1]) if position > 0 else 0


def joined(parts: list[Ids]) -> Ids:
    return Ids(b"".join(p.data for p in parts), np.concatenate([p.lengths for p in parts] or [np.zeros(0, np.int64)]))


def distinct_sorted(ids: Ids) -> tuple[Ids, Ints]:
    """The distinct strings in sorted order, and the rank of each string among them."""
    width = int(ids.lengths.max(initial=1)) or 1
    if b"\0" in ids.data or width * len(ids) > LAYOUT_BYTES:
        return _sorted_by_python(ids)
    values = fixed_width(ids, width)
    # Equal strings often come in runs (a ticket's events are usually together): sort one of each run.
    head = np.ones(values.size, dtype=np.bool_)
    head[1:] = values[1:] != values[:-1]
    heads = values[head]
    if bool((heads[1:] > heads[:-1]).all()):  # the runs are in order already (an export sorted by ticket)
        lengths = ids.lengths[head]
        # No string holds a NUL, so dropping NumPy's padding gives each one back whole.
        data = heads.tobytes() if bool((lengths == width).all()) else b"".join(heads.tolist())
        return Ids(data, lengths), np.cumsum(head) - 1
    distinct, first, rank = np.unique(heads, return_index=True, return_inverse=True)
    lengths = ids.lengths[np.flatnonzero(head)[first]]
    return Ids(b"".join(distinct.tolist()), lengths), rank[np.cumsum(head) - 1].astype(np.int64, copy=False)


def sorted_table(parts: list[Ids]) -> tuple[Names, list[Ints]]:
    """The distinct strings of all parts in sorted order, and for each part the rank of each of its strings."""
    distinct, rank = distinct_sorted(joined(parts))
    bounds = np.cumsum([len(p) for p in parts]).tolist()
    return Names(distinct), np.split(rank, bounds[:-1]) if parts else []


def fixed_width(ids: Ids, width: int) -> npt.NDArray[np.bytes_]:
    """The strings as NUL-padded `S{width}` values."""
    n = len(ids)
    if n * width == len(ids.data):  # all of the same length, as ids often are: nothing to lay out
        return np.frombuffer(ids.data, dtype=f"S{width}")
    matrix = np.zeros(n * width, dtype=np.uint8)
    # Byte j of string i goes to i * width + j: each string's bytes move by one shift.
    shift = np.arange(n) * width - (np.cumsum(ids.lengths) - ids.lengths)
    matrix[np.arange(len(ids.data)) + np.repeat(shift, ids.lengths)] = np.frombuffer(ids.data, dtype=np.uint8)
    return matrix.view(f"S{width}")


def _sorted_by_python(ids: Ids) -> tuple[Ids, Ints]:
    texts = ids.texts()
    distinct = sorted(set(texts))
    code = {text: i for i, text in enumerate(distinct)}
    return Ids.of(distinct), np.fromiter(map(code.__getitem__, texts), dtype=np.int64, count=len(texts))
