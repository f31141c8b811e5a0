"""The reader for large events files: blocks of lines decoded with msgspec, then turned into columns.

A block of lines is decoded in one call into typed events (`troth.batch.event_records`: one type
per event `type`, declaring the fields the line-by-line reader reads for it, checked in C). The
columns are then built a field at a time, each type's fields from that type's rows only. A block
where anything is unexpected — a line that is not JSON, a value of another type, an unknown
level, a blank line — is read again by the line-by-line reader in `troth.batch.events`, which
gives the same values or names the file, line and field of the error. The tests hold both
readers equal on generated files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import repeat
from operator import attrgetter, is_not
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

from troth.batch import events as line_reader
from troth.batch.event_instants import epochs
from troth.batch.event_records import LINES, AnyEvent, Created, Level, Reply, Status
from troth.batch.jsonl import parse_line
from troth.batch.ticket_ids import Ids, distinct_sorted
from troth.core.clocks import TicketEvent
from troth.core.clocks.columns import AUTHOR_CODES, KIND_CODES, NONE
from troth.core.instants import to_epoch

Ints = npt.NDArray[np.int64]
Codes8 = npt.NDArray[np.int8]
Flags = npt.NDArray[np.bool_]
Column = npt.NDArray[np.signedinteger[Any]]
"""Codes of a block: narrow (int8, int32) where the block decoder built them, int64 from the line reader."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """The events of one block of lines; tickets and accounts are codes into the block's own ids."""

    ticket: Column
    at: Ints
    kind: Column
    sequence: Column
    level: Column
    account: Column
    platform_level: Flags
    scheduled_at: Ints
    has_scheduled: Flags
    author: Column
    public: Flags
    automated: Flags
    status: Column
    ticket_ids: Ids
    accounts: Ids


BYTE_NONE = 255
"""NONE as a byte: read as int8 it is -1."""


class Codes:
    """Vocabulary codes of a reader: levels and statuses sorted. A required field's table has no
    code for null (a KeyError sends the block to the line reader); an optional one's maps it to
    NONE (`BYTE_NONE` in the byte tables the block decoder reads)."""

    def __init__(self, words: line_reader.Vocabulary) -> None:
        self.words = words
        self.levels = tuple(sorted(words.levels))
        self.statuses = tuple(sorted(words.statuses))
        self.level: dict[str | None, int] = {name: i for i, name in enumerate(self.levels)}
        self.status: dict[str | None, int] = {name: i for i, name in enumerate(self.statuses)}
        self.author: dict[str | None, int] = {a.value: i for i, a in enumerate(AUTHOR_CODES)}
        self.optional_level = self.level | {None: NONE}
        self.optional_status = self.status | {None: NONE}
        self.optional_level_byte = self.level | {None: BYTE_NONE}
        self.bytes_fit = max(len(self.levels), len(self.statuses)) < 128
        """Whether every code fits in an int8 (the block decoder reads them as bytes); a policy has a few."""


def _table(values: list[str | None]) -> tuple[Ints, tuple[str, ...]]:
    """Codes of the values in a table of their distinct values, in first-seen order (NONE for None)."""
    table = dict.fromkeys(values)
    table.pop(None, None)
    code: dict[str | None, int] = {v: i for i, v in enumerate(table)}
    code[None] = NONE
    return np.fromiter(map(code.__getitem__, values), dtype=np.int64, count=len(values)), tuple(
        v for v in table if v is not None
    )


def _ticket_table(tickets: list[str]) -> tuple[Ints, Ids]:
    """Each event's ticket as its rank among the block's distinct ids, and those ids (sorted)."""
    distinct, rank = distinct_sorted(Ids.of(tickets))
    return rank, distinct


def _account_table(names: list[str | None]) -> tuple[Ints, Ids]:
    """Each `created` event's account as a code into the block's distinct accounts (NONE for none).
    A dict: a block names a few hundred accounts, which NumPy sorts more slowly as strings."""
    codes, distinct = _table(names)
    return codes, Ids.of(list(distinct))


def _bytes(values: Iterable[int]) -> npt.NDArray[np.uint8]:
    """Small non-negative ints (or booleans) as bytes: `bytes()` reads them about twice as fast as
    `np.fromiter` here. ValueError for a value outside 0-255."""
    return np.frombuffer(bytes(values), dtype=np.uint8)


def _byte_codes(table: Mapping[str | None, int], values: Iterable[str | None]) -> Codes8:
    """The code of each value (`BYTE_NONE` reads as NONE); KeyError for a value not in the table."""
    return _bytes(map(table.__getitem__, values)).view(np.int8)


_FALSE = False
"""`public` is false only when given as `false` (`is_not(value, _FALSE)`: no partial to call a value)."""


def _true(values: Iterable[bool | None]) -> Flags:
    """Where the value is true (not false, not null)."""
    return _bytes(map(bool, values)).view(np.bool_)


KIND, AT, TICKET, ACCOUNT = attrgetter("KIND"), attrgetter("at"), attrgetter("ticket"), attrgetter("account")
LEVEL, STATUS, AUTHOR = attrgetter("level"), attrgetter("status"), attrgetter("author")
PLATFORM, SCHEDULED = attrgetter("platform_level"), attrgetter("scheduled_at")
PUBLIC, AUTOMATED = attrgetter("public"), attrgetter("automated")


def decode_block(block: bytes, lines: int, first_line: int, codes: Codes) -> Block | None:
    """The block's events (a newline ends each of its `lines`), or None when the line reader must decide.

    The lines are decoded as one JSON array: a raw newline cannot be inside a JSON string, so
    joining the lines with commas only separates them. A blank line makes the array invalid, and
    a line holding two values (`{...},{...}`) makes one element too many: both go to the line reader.
    """
    if not codes.bytes_fit:
        return None
    try:
        events = LINES.decode(b"".join((b"[", memoryview(block.replace(b"\n", b","))[:-1], b"]")))
        if len(events) != lines:
            return None
        return _decoded(events, first_line, codes)
    except (msgspec.DecodeError, UnicodeDecodeError, KeyError):
        # Not JSON (or not UTF-8), a value of another type, a word outside its vocabulary, a blank
        # line: the line reader decides, exactly.
        return None


def _rows(kind: Codes8, event_type: type[AnyEvent], events: list[AnyEvent]) -> tuple[Ints, list[Any]]:
    """The rows of one event type, and their events."""
    rows = np.flatnonzero(kind == event_type.KIND)
    return rows, [events[i] for i in rows.tolist()]


def _decoded(events: list[AnyEvent], first_line: int, codes: Codes) -> Block | None:
    n = len(events)
    kind = _bytes(map(KIND, events)).view(np.int8)
    when = epochs(list(map(AT, events)))
    if when is None:
        return None
    created = _created(*_rows(kind, Created, events), when, codes)
    if created is None:
        return None
    ticket, ticket_ids = _ticket_table(list(map(TICKET, events)))
    replies = _replies(*_rows(kind, Reply, events), n, codes)
    rows, chosen = _rows(kind, Level, events)
    created.level[rows] = _byte_codes(codes.level, map(LEVEL, chosen))
    rows, chosen = _rows(kind, Status, events)
    status = np.full(n, NONE, dtype=np.int8)
    status[rows] = _byte_codes(codes.status, map(STATUS, chosen))
    return Block(
        ticket=ticket.astype(np.int32),
        at=when,
        kind=kind,
        sequence=np.arange(first_line, first_line + n, dtype=np.int64),
        level=created.level,
        account=created.account,
        platform_level=created.platform_level,
        scheduled_at=created.scheduled_at,
        has_scheduled=created.has_scheduled,
        author=replies.author,
        public=replies.public,
        automated=replies.automated,
        status=status,
        ticket_ids=ticket_ids,
        accounts=created.accounts,
    )


@dataclass(frozen=True, slots=True)
class _CreatedColumns:
    """The columns `created` events fill (`level` is shared with `level` events)."""

    account: Column
    accounts: Ids
    level: Codes8
    platform_level: Flags
    scheduled_at: Ints
    has_scheduled: Flags


def _created(rows: Ints, made: list[Created], when: Ints, codes: Codes) -> _CreatedColumns | None:
    """The columns of the `created` rows; None when a scheduled time is not valid."""
    n = when.size
    account = np.full(n, NONE, dtype=np.int32)
    account[rows], accounts = _account_table(list(map(ACCOUNT, made)))
    level = np.full(n, NONE, dtype=np.int8)
    level[rows] = _byte_codes(codes.optional_level_byte, map(LEVEL, made))
    platform_level = np.zeros(n, dtype=np.bool_)
    platform_level[rows] = _true(map(PLATFORM, made))
    scheduled_at = list(map(SCHEDULED, made))
    value, has = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.bool_)
    if scheduled_at.count(None) < len(scheduled_at):  # usually none is
        given = [i for i, text in enumerate(scheduled_at) if text is not None]
        where = rows[given]
        parsed = epochs([text for text in scheduled_at if text is not None])
        if parsed is None or bool(np.any(parsed < when[where])):
            return None
        value[where], has[where] = parsed, True
    return _CreatedColumns(account, accounts, level, platform_level, value, has)


@dataclass(frozen=True, slots=True)
class _ReplyColumns:
    author: Codes8
    public: Flags
    automated: Flags


def _replies(rows: Ints, replies: list[Reply], n: int, codes: Codes) -> _ReplyColumns:
    """The columns `reply` events fill: public unless `false`, automated only when `true`."""
    author = np.full(n, NONE, dtype=np.int8)
    author[rows] = _byte_codes(codes.author, map(AUTHOR, replies))
    public = np.ones(n, dtype=np.bool_)
    public[rows] = _bytes(map(is_not, map(PUBLIC, replies), repeat(_FALSE))).view(np.bool_)
    automated = np.zeros(n, dtype=np.bool_)
    automated[rows] = _true(map(AUTOMATED, replies))
    return _ReplyColumns(author, public, automated)


# ----- the line-by-line path -----------------------------------------------------------------


def _ints(values: list[int]) -> Ints:
    return np.array(values, dtype=np.int64).reshape(len(values))


def _bools(values: list[bool]) -> Flags:
    return np.array(values, dtype=np.bool_).reshape(len(values))


def read_block_lines(block: bytes, first_line: int, name: str, codes: Codes) -> Block:
    """The block read by the line reader: its values, or its first error (InputError)."""
    events = [
        line_reader.event_from_record(parse_line(raw, file=name, line=first_line + i), codes.words)
        for i, raw in enumerate(block.split(b"\n"))
        if raw.strip()
    ]
    return block_of_events(events, codes)


def block_of_events(events: list[TicketEvent], codes: Codes) -> Block:
    ticket, ticket_ids = _ticket_table([e.ticket for e in events])
    account, names = _table([e.account for e in events])
    accounts = Ids.of(list(names))
    return Block(
        ticket=ticket,
        at=_ints([to_epoch(e.at) for e in events]),
        kind=_ints([KIND_CODES.index(e.kind) for e in events]),
        sequence=_ints([e.sequence for e in events]),
        level=_ints([codes.optional_level[e.level] for e in events]),
        account=account,
        platform_level=_bools([e.platform_level for e in events]),
        scheduled_at=_ints([0 if e.scheduled_at is None else to_epoch(e.scheduled_at) for e in events]),
        has_scheduled=_bools([e.scheduled_at is not None for e in events]),
        author=_ints([NONE if e.author is None else AUTHOR_CODES.index(e.author) for e in events]),
        public=_bools([e.public for e in events]),
        automated=_bools([e.automated for e in events]),
        status=_ints([codes.optional_status[e.status] for e in events]),
        ticket_ids=ticket_ids,
        accounts=accounts,
    )


def read_block(block: bytes, lines: int, first_line: int, name: str, codes: Codes) -> Block:
    """The block's events: decoded, or read line by line when decoding cannot decide."""
    decoded = decode_block(block, lines, first_line, codes)
    return decoded if decoded is not None else read_block_lines(block, first_line, name, codes)


# ----- one set of columns ----------------------------------------------------------------------

NARROW: dict[str, type[np.signedinteger[Any]]] = {"kind": np.int8, "level": np.int8, "author": np.int8}
NARROW |= {"status": np.int8, "ticket": np.int32, "account": np.int32, "sequence": np.int32}
"""Types wide enough for a block's codes (its own tables, small vocabularies, line numbers in it)."""

FLAGS = ("platform_level", "has_scheduled", "public", "automated")
"""The flags a packed block carries as the bits of one byte, in this order."""

_NOTHING = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Packed:
    """A block as a worker sends it back through a pipe, which costs per byte (~21 bytes an event
    instead of 36): narrow codes, the four flags as the bits of one byte, scheduled instants only
    where given, line numbers only when they are not 1, 2, 3..."""

    block: Block
    flags: npt.NDArray[np.uint8]
    scheduled_at: Ints
    consecutive: bool


def _narrowed(values: Column, kind: type[np.signedinteger[Any]]) -> Column:
    """The values as `kind` when they fit (codes of a small vocabulary always do), else as they are."""
    if values.dtype == kind or int(values.max(initial=0)) > np.iinfo(kind).max:
        return values
    return values.astype(kind)


def pack(block: Block) -> Packed:
    narrow: dict[str, Any] = {name: _narrowed(getattr(block, name), kind) for name, kind in NARROW.items()}
    consecutive = bool(np.array_equal(block.sequence, np.arange(1, block.at.size + 1)))
    if consecutive:
        narrow["sequence"] = _NOTHING
    flags = sum(getattr(block, name).astype(np.uint8) << bit for bit, name in enumerate(FLAGS))
    scheduled_at = block.scheduled_at[block.has_scheduled]
    empty: dict[str, Any] = dict.fromkeys(FLAGS, _NOTHING.astype(np.bool_))
    stripped = replace(block, **narrow, **empty, scheduled_at=_NOTHING)
    return Packed(stripped, np.asarray(flags, dtype=np.uint8), scheduled_at, consecutive)


def unpack(packed: Packed, first_line: int) -> Block:
    """The packed block, its line numbers counted from `first_line` (codes stay narrow: `Joiner` widens them)."""
    block, n = packed.block, packed.block.at.size
    flags = {name: (packed.flags >> bit) & 1 == 1 for bit, name in enumerate(FLAGS)}
    scheduled_at = np.zeros(n, dtype=np.int64)
    scheduled_at[flags["has_scheduled"]] = packed.scheduled_at
    if packed.consecutive:
        sequence = np.arange(first_line, first_line + n, dtype=np.int64)
    else:
        sequence = block.sequence.astype(np.int64) + (first_line - 1)
    return replace(block, **flags, scheduled_at=scheduled_at, sequence=sequence)
