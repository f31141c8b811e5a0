"""The shape of a block of flat JSON Lines objects, found with NumPy and proven exact.

A block qualifies when every line is printable ASCII without backslashes and every byte outside
strings belongs to a separator from a small table (`{`, `:`, `,`, `}` with at most one space
around, a bare `true`/`false`/`null`, the line end). Strings then cannot contain quotes, so the
quotes pair up, and the table's roles (what precedes and follows each separator) prove that each
line is one object of string keys with string or literal values. Anything else returns None and
the caller reads the block line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from itertools import product

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

Ints = npt.NDArray[np.int64]
Words = npt.NDArray[np.uint64]
Flags = npt.NDArray[np.bool_]
U8 = npt.NDArray[np.uint8]

PAD = 64
"""Zero bytes the caller appends to a block, so that 8-byte reads near its end stay inside."""
_MAX_GAP = 16
_PLAIN_BYTES = bytes(b for b in range(0x20, 0x7F) if b != ord("\\")) + b"\n\r"
"""Printable ASCII but the backslash, and line ends: deleting these from a plain block leaves nothing."""


class Role(IntEnum):
    START = 0
    KEY = 1
    VALUE = 2
    END = 3


class Literal(IntEnum):
    NONE = 0
    NULL = 1
    TRUE = 2
    FALSE = 3


LITERAL_TEXT = {Literal.NULL: "null", Literal.TRUE: "true", Literal.FALSE: "false"}


@dataclass(frozen=True, slots=True)
class Gap:
    before: Role
    after: Role
    literal: Literal
    newline: bool


def _gap_table() -> dict[bytes, Gap]:
    """Every separator the scan accepts, with the roles of the strings around it."""
    table: dict[bytes, Gap] = {}
    spaces = ("", " ")
    literals = tuple(LITERAL_TEXT.items())
    for s1, s2, nl in product(spaces, spaces, ("\n", "\r\n")):
        close = f"{s1}}}{nl}"
        table[(close + "{" + s2).encode()] = Gap(Role.VALUE, Role.KEY, Literal.NONE, newline=True)
        table[close.encode()] = Gap(Role.VALUE, Role.END, Literal.NONE, newline=True)
        for (code, text), s3 in product(literals, spaces):
            bare = f":{s3}{text}"
            table[(bare + close + "{" + s2).encode()] = Gap(Role.KEY, Role.KEY, code, newline=True)
            table[(bare + close).encode()] = Gap(Role.KEY, Role.END, code, newline=True)
    for s1, s2 in product(spaces, spaces):
        table[("{" + s1).encode()] = Gap(Role.START, Role.KEY, Literal.NONE, newline=False)
        table[(":" + s1).encode()] = Gap(Role.KEY, Role.VALUE, Literal.NONE, newline=False)
        table[("," + s1).encode()] = Gap(Role.VALUE, Role.KEY, Literal.NONE, newline=False)
        for (code, text), s3 in product(literals, spaces):
            table[f":{s1}{text}{s2},{s3}".encode()] = Gap(Role.KEY, Role.KEY, code, newline=False)
    return table


_KEEP = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [0xFFFFFFFFFFFFFFFF], dtype=np.uint64)
"""_KEEP[k] keeps the first k bytes of a little-endian word."""


def words_at(buffer: U8, start: Ints, length: Ints, n_words: int) -> Words:
    """The bytes `[start, start + length)` of the buffer as `n_words` little-endian words, zero-padded.

    The buffer must extend at least `8 * n_words` bytes past every start (see PAD).
    """
    if n_words == 0 or start.size == 0:
        return np.zeros((start.size, n_words), dtype=np.uint64)
    words: Words = sliding_window_view(buffer, 8 * n_words)[start].view("<u8")
    for column in range(n_words):
        words[:, column] &= _KEEP[np.clip(length - 8 * column, 0, 8)]
    return words


def word_key(text: bytes, n_words: int) -> tuple[int, ...]:
    """`text` as `n_words` little-endian words, zero-padded: what `words_at` reads for it."""
    padded = text.ljust(8 * n_words, b"\0")
    return tuple(int.from_bytes(padded[8 * i : 8 * i + 8], "little") for i in range(n_words))


class GapTable:
    """The separators as word pairs, looked up exactly (value, then every word compared)."""

    def __init__(self) -> None:
        entries = _gap_table()
        self.texts = list(entries)
        self.gaps = [entries[t] for t in self.texts]
        keys = np.array([(len(t), *word_key(t, 2)) for t in self.texts], dtype=np.uint64)
        self.length, self.w0, self.w1 = keys[:, 0].astype(np.int64), keys[:, 1], keys[:, 2]
        self.before = np.array([g.before for g in self.gaps], dtype=np.int64)
        self.after = np.array([g.after for g in self.gaps], dtype=np.int64)
        self.literal = np.array([g.literal for g in self.gaps], dtype=np.int64)
        self.newline = np.array([g.newline for g in self.gaps], dtype=np.bool_)
        self._hash = _mix(self.w0, self.w1, self.length)
        self._order = np.argsort(self._hash)
        self._sorted = self._hash[self._order]

    def codes(self, buffer: U8, start: Ints, length: Ints) -> Ints | None:
        """The table index of each gap, or None when any gap is not in the table."""
        if length.size and int(length.max()) > _MAX_GAP:
            return None
        w = words_at(buffer, start, length, 2)
        h = _mix(w[:, 0], w[:, 1], length)
        at = np.minimum(np.searchsorted(self._sorted, h), self._sorted.size - 1)
        code = self._order[at]
        exact = (self.length[code] == length) & (self.w0[code] == w[:, 0]) & (self.w1[code] == w[:, 1])
        return code.astype(np.int64) if bool(exact.all()) else None


def _mix(w0: Words, w1: Words, length: Ints) -> Words:
    first = np.multiply(w0, np.uint64(0x9E3779B97F4A7C15))
    second = np.multiply(w1, np.uint64(0xC2B2AE3D27D4EB4F))
    mixed: Words = np.bitwise_xor(np.bitwise_xor(first, second), length.astype(np.uint64))
    return mixed


GAPS = GapTable()


@dataclass(frozen=True, slots=True, kw_only=True)
class Shape:
    """The strings of a block and, for every key string, its line and its value.

    String i's content is `[start[i], start[i] + length[i])`. For key k (an index into the strings),
    `value[k]` is the index of its string value, or -1 with `literal[k]` for a bare literal.
    """

    lines: int
    start: Ints
    length: Ints
    keys: Ints
    key_line: Ints
    value: Ints
    literal: Ints


def _plain(block: bytes) -> bool:
    """Printable ASCII lines without backslashes or blank lines; `\r` only before `\n`."""
    if not block.endswith(b"\n") or block.translate(None, _PLAIN_BYTES) or b"\n\n" in block:
        return False
    if b"\r" in block:
        return block.count(b"\r") == block.count(b"\r\n") and b"\n\r\n" not in block and block[:2] != b"\r\n"
    return not block.startswith(b"\n")


def shape_of(block: bytes, buffer: U8) -> Shape | None:
    """The block's shape, or None unless every line is a flat object the scan reads exactly.

    `buffer` is the block followed by PAD zero bytes.
    """
    if not _plain(block):
        return None
    size = len(block)
    quotes = np.flatnonzero(buffer[:size] == 0x22)
    if quotes.size == 0 or quotes.size % 2 or block[: quotes[0]] not in _OPENING:
        return None
    opens, closes = quotes[0::2], quotes[1::2]
    gap_start = closes + 1
    gap_length = np.append(opens[1:], size) - gap_start
    codes = _gap_codes(buffer, gap_start, gap_length)
    if codes is None:
        return None
    role = GAPS.before[codes]
    if role[0] != Role.KEY or not np.array_equal(GAPS.after[codes[:-1]], role[1:]) or GAPS.after[codes[-1]] != Role.END:
        return None
    newline = GAPS.newline[codes]
    lines = int(np.count_nonzero(newline))
    if lines != block.count(b"\n"):
        return None
    line_of = np.concatenate([[0], np.cumsum(newline[:-1])])  # string i follows the newlines of gaps before it
    keys = np.flatnonzero(role == Role.KEY)
    bare = GAPS.literal[codes[keys]]
    return Shape(
        lines=lines,
        start=opens + 1,
        length=closes - opens - 1,
        keys=keys,
        key_line=line_of[keys],
        value=np.where(bare == Literal.NONE, keys + 1, -1),
        literal=bare,
    )


def _gap_codes(buffer: U8, start: Ints, length: Ints) -> Ints | None:
    """Gap codes: one-byte gaps (`:` and `,`, most of them) by their byte, the others by table."""
    codes = np.full(start.size, -1, dtype=np.int64)
    short = length == 1
    codes[short] = _ONE_BYTE[buffer[start[short]]]
    long = np.flatnonzero(~short)
    found = GAPS.codes(buffer, start[long], length[long])
    if found is None:
        return None
    codes[long] = found
    return None if bool(np.any(codes < 0)) else codes


_OPENING = (b"{", b"{ ")
_ONE_BYTE = np.full(256, -1, dtype=np.int64)
_ONE_BYTE[ord(":")] = GAPS.texts.index(b":")
_ONE_BYTE[ord(",")] = GAPS.texts.index(b",")
