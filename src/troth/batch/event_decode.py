"""The reader for large events files: blocks of lines decoded into typed structs with msgspec.

Each line is decoded into `Line` (the fields the contract names, each a string, a boolean or
null; other fields are skipped, as the line-by-line reader ignores them), then checked and turned
into columns a field at a time. A block where anything is unexpected — a line that is not JSON, a
value of another type, an unknown level, a blank line — is read again by the line-by-line reader
in `troth.batch.events`, which gives the same values or names the file, line and field of the
error. The tests hold both readers equal on generated files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import partial
from operator import attrgetter, is_
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

from troth.batch import events as line_reader
from troth.batch.event_instants import epochs
from troth.batch.jsonl import parse_line
from troth.core.clocks import EventKind, TicketEvent
from troth.core.clocks.columns import AUTHOR_CODES, KIND_CODES, NONE, EventColumns
from troth.core.instants import to_epoch

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

CREATED, REPLY = KIND_CODES.index(EventKind.CREATED), KIND_CODES.index(EventKind.REPLY)
LEVEL, STATUS = KIND_CODES.index(EventKind.LEVEL), KIND_CODES.index(EventKind.STATUS)


class Line(msgspec.Struct, gc=False):
    """One line as the contract names its fields; null reads as not given, like `Record`."""

    ticket: str | None = None
    at: str | None = None
    type: str | None = None
    account: str | None = None
    level: str | None = None
    author: str | None = None
    public: bool | None = None
    automated: bool | None = None
    status: str | None = None
    platform_level: bool | None = None
    channel: str | None = None
    scheduled_at: str | None = None


_DECODER = msgspec.json.Decoder(Line)


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """The events of one block of lines; tickets and accounts are codes into the block's own ids."""

    ticket: Ints
    at: Ints
    kind: Ints
    sequence: Ints
    level: Ints
    account: Ints
    platform_level: Flags
    scheduled_at: Ints
    has_scheduled: Flags
    author: Ints
    public: Flags
    automated: Flags
    status: Ints
    ticket_ids: tuple[str, ...]
    accounts: tuple[str, ...]


class Codes:
    """Vocabulary codes of a reader: levels and statuses sorted, null NONE."""

    def __init__(self, words: line_reader.Vocabulary) -> None:
        self.words = words
        self.levels = tuple(sorted(words.levels))
        self.statuses = tuple(sorted(words.statuses))
        self.level = _vocabulary(self.levels)
        self.status = _vocabulary(self.statuses)
        self.kind: dict[str | None, int] = {kind.value: i for i, kind in enumerate(KIND_CODES)}  # required: no None
        self.author = _vocabulary([a.value for a in AUTHOR_CODES])


def _vocabulary(names: Sequence[str]) -> dict[str | None, int]:
    """Each name's index, and NONE for null (the field not given)."""
    codes: dict[str | None, int] = {name: i for i, name in enumerate(names)}
    codes[None] = NONE
    return codes


def _table(values: list[str | None]) -> tuple[Ints, tuple[str, ...]]:
    """Codes of the values in a table of their distinct values, in first-seen order (NONE for None)."""
    table = dict.fromkeys(values)
    table.pop(None, None)
    code: dict[str | None, int] = {v: i for i, v in enumerate(table)}
    code[None] = NONE
    return _codes(code, values, len(values)), tuple(v for v in table if v is not None)


def _codes(table: Mapping[str | None, int], values: Iterable[str | None], count: int) -> Ints:
    """The code of each of `count` values; KeyError for a value not in the table."""
    return np.fromiter(map(table.__getitem__, values), dtype=np.int64, count=count)


def _field(lines: list[Line], name: str) -> Iterator[Any]:
    return map(attrgetter(name), lines)


def _given(values: list[str | None]) -> bool:
    """`Record.text` of a required field: every value a non-empty string."""
    return None not in values and "" not in values


def decode_block(block: bytes, first_line: int, codes: Codes) -> Block | None:
    """The block's events (a newline ends each line), or None when the line reader must decide."""
    try:
        lines = [_DECODER.decode(raw) for raw in block[:-1].split(b"\n")]
        return _decoded(lines, first_line, codes)
    except (msgspec.DecodeError, UnicodeDecodeError, KeyError):
        # Not JSON (or not UTF-8), a value of another type, a word outside its vocabulary (even in a
        # field the event's type ignores), a blank line: the line reader decides, exactly.
        return None


def _decoded(lines: list[Line], first_line: int, codes: Codes) -> Block | None:
    tickets, at = list(_field(lines, "ticket")), list(_field(lines, "at"))
    kind = _codes(codes.kind, _field(lines, "type"), len(lines))
    if not (_given(tickets) and _given(at)):
        return None
    when = epochs(at)
    if when is None:
        return None
    created, reply = kind == CREATED, kind == REPLY
    level = _codes(codes.level, _field(lines, "level"), len(lines))
    status = _codes(codes.status, _field(lines, "status"), len(lines))
    author = _codes(codes.author, _field(lines, "author"), len(lines))
    checks = [(kind != LEVEL) | (level >= 0), (kind != STATUS) | (status >= 0), ~reply | (author >= 0)]
    if not all(bool(c.all()) for c in checks):
        return None
    made = _created(lines, np.flatnonzero(created).tolist(), when)
    if made is None:
        return None
    account, accounts, scheduled_at, has_scheduled = made
    ticket, ticket_ids = _table(tickets)
    return Block(
        ticket=ticket,
        at=when,
        kind=kind,
        sequence=np.arange(first_line, first_line + len(lines), dtype=np.int64),
        level=np.where(created | (kind == LEVEL), level, NONE),
        account=account,
        platform_level=created & _flags(lines, "platform_level", value=True),
        scheduled_at=scheduled_at,
        has_scheduled=has_scheduled,
        author=np.where(reply, author, NONE),
        public=~reply | ~_flags(lines, "public", value=False),
        automated=reply & _flags(lines, "automated", value=True),
        status=np.where(kind == STATUS, status, NONE),
        ticket_ids=ticket_ids,
        accounts=accounts,
    )


def _flags(lines: list[Line], name: str, *, value: bool) -> Flags:
    """Where the field is `value` (not null, not the other boolean)."""
    return np.fromiter(map(partial(is_, value), _field(lines, name)), dtype=np.bool_, count=len(lines))


def _created(lines: list[Line], rows: list[int], when: Ints) -> tuple[Ints, tuple[str, ...], Ints, Flags] | None:
    """Account codes and scheduled instants of the `created` rows; None when one is not valid."""
    made = [lines[i] for i in rows]
    names = list(_field(made, "account"))
    if "" in names or "" in list(_field(made, "channel")):
        return None
    account = np.full(len(lines), NONE, dtype=np.int64)
    codes, accounts = _table(names)
    account[rows] = codes
    scheduled = [(i, e.scheduled_at) for i, e in zip(rows, made, strict=True) if e.scheduled_at is not None]
    value, has = np.zeros(len(lines), dtype=np.int64), np.zeros(len(lines), dtype=np.bool_)
    if scheduled:
        where = [i for i, _ in scheduled]
        parsed = epochs([text for _, text in scheduled])
        if parsed is None or bool(np.any(parsed < when[where])):
            return None
        value[where], has[where] = parsed, True
    return account, accounts, value, has


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
    ticket, ticket_ids = _table([e.ticket for e in events])
    account, accounts = _table([e.account for e in events])
    return Block(
        ticket=ticket,
        at=_ints([to_epoch(e.at) for e in events]),
        kind=_ints([KIND_CODES.index(e.kind) for e in events]),
        sequence=_ints([e.sequence for e in events]),
        level=_ints([codes.level[e.level] for e in events]),
        account=account,
        platform_level=_bools([e.platform_level for e in events]),
        scheduled_at=_ints([0 if e.scheduled_at is None else to_epoch(e.scheduled_at) for e in events]),
        has_scheduled=_bools([e.scheduled_at is not None for e in events]),
        author=_ints([NONE if e.author is None else AUTHOR_CODES.index(e.author) for e in events]),
        public=_bools([e.public for e in events]),
        automated=_bools([e.automated for e in events]),
        status=_ints([codes.status[e.status] for e in events]),
        ticket_ids=ticket_ids,
        accounts=accounts,
    )


def read_block(block: bytes, first_line: int, name: str, codes: Codes) -> Block:
    """The block's events: decoded, or read line by line when decoding cannot decide."""
    decoded = decode_block(block, first_line, codes)
    return decoded if decoded is not None else read_block_lines(block, first_line, name, codes)


# ----- one set of columns ----------------------------------------------------------------------

ARRAYS = tuple(f.name for f in fields(Block) if f.name not in {"ticket_ids", "accounts"})


def _recode(blocks: list[Block], name: str) -> tuple[list[Ints], list[str]]:
    """Each block's codes of `name` ("ticket_ids" or "accounts") in one table, in first-seen order."""
    table: dict[str, int] = {}
    column = "ticket" if name == "ticket_ids" else "account"
    recoded = []
    for b in blocks:
        remap = _ints([table.setdefault(v, len(table)) for v in getattr(b, name)] + [NONE])
        recoded.append(remap[getattr(b, column)])  # NONE (-1) picks the last entry, NONE
    return recoded, list(table)


NARROW = {"kind": np.int8, "level": np.int8, "author": np.int8, "status": np.int8, "ticket": np.int32}
NARROW |= {"account": np.int32, "sequence": np.int32}
"""Types wide enough for a block's codes (its own tables, small vocabularies, line numbers in it)."""


def compact(block: Block) -> Block:
    """The block with narrow codes: a worker sends it back through a pipe, which costs per byte."""
    return replace(block, **{name: getattr(block, name).astype(kind) for name, kind in NARROW.items()})


def merge(blocks: list[Block], codes: Codes) -> EventColumns:
    """One set of columns from the blocks (consumed: each field's block arrays are freed once joined)."""
    if not blocks:
        blocks.append(block_of_events([], codes))  # an empty file: no events, same shapes
    tickets, ids = _recode(blocks, "ticket_ids")
    accounts, account_names = _recode(blocks, "accounts")
    # Ticket codes are ranks of the ids in sorted order (EventColumns): sort by id, sorting by code.
    order = sorted(range(len(ids)), key=ids.__getitem__)
    rank = np.empty(len(ids) + 1, dtype=np.int64)
    rank[order] = np.arange(len(ids))
    columns: dict[str, npt.NDArray[Any]] = {
        "ticket": rank[np.concatenate(tickets)],
        "account": np.concatenate(accounts),
    }
    del tickets, accounts
    parts = {name: [getattr(b, name) for b in blocks] for name in ARRAYS if name not in columns}
    blocks.clear()
    for name in list(parts):
        joined = np.concatenate(parts.pop(name))
        columns[name] = joined.astype(np.int64, copy=False) if joined.dtype.kind == "i" else joined
    return EventColumns(
        **columns,
        ticket_ids=tuple(ids[i] for i in order),
        levels=codes.levels,
        accounts=tuple(account_names),
        statuses=codes.statuses,
    )
