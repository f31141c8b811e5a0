"""A vectorised reader for large events files: blocks of JSON Lines scanned with NumPy.

Blocks whose lines have the plain shape `json_shape` proves exact are decoded column by column;
every other block — and every block holding a value the scan does not accept outright, such as
an unknown level or a missing field — is read line by line by `troth.batch.events`, which gives
the same values and names the file, line and field of any error. The tests hold both readers
equal on generated files.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from troth.batch import events as line_reader
from troth.batch.event_tickets import ticket_codes
from troth.batch.event_values import NO_MATCH, Lookup, instants, n_words
from troth.batch.event_values import hash_words as _hash
from troth.batch.json_shape import PAD, U8, Literal, Shape, Words, shape_of, words_at
from troth.batch.jsonl import display_name, parse_line
from troth.batch.workers import ordered_map, worker_count
from troth.core.clocks import EventKind, TicketEvent
from troth.core.clocks.columns import AUTHOR_CODES, KIND_CODES, NONE, EventColumns
from troth.core.errors import InputError
from troth.core.instants import to_epoch

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

BLOCK_BYTES = 1 << 22
PARALLEL_BYTES = 16 << 20
"""Smaller files are read in this process: starting workers would cost more than it saves."""
MAX_SCANNED_TEXT = 200
"""Longer ids and vocabulary words are read line by line (the scan reads at most PAD bytes past a string)."""
FIELDS = (
    "ticket",
    "at",
    "type",
    "account",
    "level",
    "platform_level",
    "channel",
    "scheduled_at",
    "author",
    "public",
    "automated",
    "status",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """The events of one block of lines, with codes into the reader's shared tables."""

    ticket_words: Words
    ticket_length: Ints
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
    accounts: tuple[str, ...]
    """The account names `account` codes index (the reader's table when the block was read)."""


class Tables:
    """Code tables shared by every block: levels and statuses are fixed, accounts grow."""

    def __init__(self, words: line_reader.Vocabulary) -> None:
        self.words = words
        self.levels = tuple(sorted(words.levels))
        self.statuses = tuple(sorted(words.statuses))
        self.accounts: dict[str, int] = {}
        self.field_names = Lookup(FIELDS)
        self.kind_names = Lookup([k.value for k in KIND_CODES])
        self.author_names = Lookup([a.value for a in AUTHOR_CODES])
        self.level_names = Lookup(self.levels)
        self.status_names = Lookup(self.statuses)

    def account(self, name: str | None) -> int:
        if name is None:
            return NONE
        return self.accounts.setdefault(name, len(self.accounts))


# ----- the slow path: line by line ----------------------------------------------------------


def _ticket_words(tickets: list[str]) -> tuple[Words, Ints]:
    encoded = [t.encode("utf-8") for t in tickets]
    width = n_words(max((len(e) for e in encoded), default=0))
    buffer = b"".join(e.ljust(8 * width, b"\0") for e in encoded)
    words = np.frombuffer(buffer, dtype="<u8").reshape(len(encoded), width).astype(np.uint64)
    return words, np.array([len(e) for e in encoded], dtype=np.int64)


def block_of_events(events: list[TicketEvent], tables: Tables) -> Block:
    words, length = _ticket_words([e.ticket for e in events])

    def ints(values: list[int]) -> Ints:
        return np.array(values, dtype=np.int64).reshape(len(events))

    def flags(values: list[bool]) -> Flags:
        return np.array(values, dtype=np.bool_).reshape(len(events))

    return Block(
        ticket_words=words,
        ticket_length=length,
        at=ints([to_epoch(e.at) for e in events]),
        kind=ints([KIND_CODES.index(e.kind) for e in events]),
        sequence=ints([e.sequence for e in events]),
        level=ints([NONE if e.level is None else tables.levels.index(e.level) for e in events]),
        account=ints([tables.account(e.account) for e in events]),
        platform_level=flags([e.platform_level for e in events]),
        scheduled_at=ints([0 if e.scheduled_at is None else to_epoch(e.scheduled_at) for e in events]),
        has_scheduled=flags([e.scheduled_at is not None for e in events]),
        author=ints([NONE if e.author is None else AUTHOR_CODES.index(e.author) for e in events]),
        public=flags([e.public for e in events]),
        automated=flags([e.automated for e in events]),
        status=ints([NONE if e.status is None else tables.statuses.index(e.status) for e in events]),
        accounts=tuple(tables.accounts),
    )


def read_block_lines(block: bytes, first_line: int, name: str, tables: Tables) -> Block:
    events = [
        line_reader.event_from_record(parse_line(raw, file=name, line=first_line + i), tables.words)
        for i, raw in enumerate(block.split(b"\n"))
        if raw.strip()
    ]
    return block_of_events(events, tables)


# ----- the fast path: a scanned block ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """One field over the block's lines: present, and its string (start, length) or bare literal."""

    present: Flags
    is_string: Flags
    start: Ints
    length: Ints
    literal: Ints


def _fields(shape: Shape, buffer: U8, tables: Tables) -> list[Field] | None:
    """Each known field over the lines; None when a line gives a field twice (the line reader decides)."""
    names = tables.field_names.find(buffer, shape.start[shape.keys], shape.length[shape.keys])
    known = names != NO_MATCH
    names, lines, value = names[known], shape.key_line[known], shape.value[known]
    cell = names * shape.lines + lines
    if np.any(np.bincount(cell, minlength=len(FIELDS) * shape.lines) > 1):
        return None
    value_of = np.full((len(FIELDS), shape.lines), -2, dtype=np.int64)
    literal_of = np.zeros((len(FIELDS), shape.lines), dtype=np.int64)
    value_of[names, lines] = value
    literal_of[names, lines] = shape.literal[known]
    safe = np.maximum(value_of, 0)
    start, length = shape.start[safe], shape.length[safe]
    return [Field(value_of[f] != -2, value_of[f] >= 0, start[f], length[f], literal_of[f]) for f in range(len(FIELDS))]


def _absent(f: Field) -> Flags:
    """Missing or null: what `Record.text` and `Record.boolean` read as not given."""
    absent: Flags = ~f.present | (f.literal == Literal.NULL)
    return absent


def _text_ok(f: Field, *, required: bool) -> Flags:
    """`Record.text`: a non-empty string, or (when optional) not given."""
    given = f.is_string & (f.length > 0)
    ok: Flags = given if required else given | _absent(f)
    return ok


def _flag(f: Field, *, default: bool) -> tuple[Flags, Flags]:
    """`Record.boolean`: (value, ok)."""
    ok = _absent(f) | (f.literal == Literal.TRUE) | (f.literal == Literal.FALSE)
    value = np.where(_absent(f), default, f.literal == Literal.TRUE)
    return value, ok


def _coded(buffer: U8, f: Field, names: Lookup) -> Ints:
    """The vocabulary index of the field's string on each line; NO_MATCH where it has none."""
    codes = np.full(f.present.size, NO_MATCH, dtype=np.int64)
    rows = np.flatnonzero(f.is_string)
    codes[rows] = names.find(buffer, f.start[rows], f.length[rows])
    return codes


@dataclass(frozen=True, slots=True)
class Scanned:
    buffer: U8
    fields: dict[str, Field]


def _accounts(s: Scanned, rows: Ints, tables: Tables) -> Ints | None:
    """Account codes of the `created` rows: distinct names found by hash, each verified byte for byte."""
    f = s.fields["account"]
    out = np.full(f.present.size, NONE, dtype=np.int64)
    given = rows[f.is_string[rows]]
    if given.size == 0:
        return out
    longest = int(f.length[given].max())
    if longest > MAX_SCANNED_TEXT:
        return None
    words = words_at(s.buffer, f.start[given], f.length[given], n_words(longest))
    hashed = _hash(words, f.length[given])
    _, first, inverse = np.unique(hashed, return_index=True, return_inverse=True)
    if not np.array_equal(words, words[first][inverse]):
        return None  # two names with one hash: let the line reader decide
    names = [
        bytes(s.buffer[a : a + n]).decode("ascii")
        for a, n in zip(f.start[given][first].tolist(), f.length[given][first].tolist(), strict=True)
    ]
    out[given] = np.array([tables.account(name) for name in names], dtype=np.int64)[inverse]
    return out


def scan_block(block: bytes, first_line: int, tables: Tables) -> Block | None:
    """The block's events, or None when the line reader must decide (odd shape or a bad value)."""
    buffer = np.frombuffer(block + bytes(PAD + MAX_SCANNED_TEXT), dtype=np.uint8)
    shape = shape_of(block, buffer)
    if shape is None:
        return None
    found = _fields(shape, buffer, tables)
    if found is None:
        return None
    s = Scanned(buffer, dict(zip(FIELDS, found, strict=True)))
    return _decode(s, shape.lines, first_line, tables)


def _decode(s: Scanned, lines: int, first_line: int, tables: Tables) -> Block | None:
    f = s.fields
    kind = _coded(s.buffer, f["type"], tables.kind_names)
    ticket, at = f["ticket"], f["at"]
    if not (_text_ok(ticket, required=True).all() and f["at"].is_string.all() and np.all(kind != NO_MATCH)):
        return None
    if int(ticket.length.max()) > MAX_SCANNED_TEXT:
        return None
    epochs = instants(s.buffer, at.start, at.length)
    if epochs is None:
        return None
    is_kind = {k: kind == KIND_CODES.index(k) for k in EventKind}
    created, reply = is_kind[EventKind.CREATED], is_kind[EventKind.REPLY]
    rows = np.flatnonzero(created)
    level = _coded(s.buffer, f["level"], tables.level_names)
    status = _coded(s.buffer, f["status"], tables.status_names)
    author = _coded(s.buffer, f["author"], tables.author_names)
    platform, platform_ok = _flag(f["platform_level"], default=False)
    public, public_ok = _flag(f["public"], default=True)
    automated, automated_ok = _flag(f["automated"], default=False)
    scheduled = _scheduled(s, rows, epochs)
    accounts = _accounts(s, rows, tables)
    checks = [
        ~created | ((_absent(f["level"]) | (level != NO_MATCH)) & platform_ok),
        ~created | (_text_ok(f["channel"], required=False) & _text_ok(f["account"], required=False)),
        ~reply | ((author != NO_MATCH) & public_ok & automated_ok),
        ~is_kind[EventKind.LEVEL] | (level != NO_MATCH),
        ~is_kind[EventKind.STATUS] | (status != NO_MATCH),
    ]
    if scheduled is None or accounts is None or not all(bool(c.all()) for c in checks):
        return None
    scheduled_at, has_scheduled = scheduled
    level_event = is_kind[EventKind.LEVEL] | (created & ~_absent(f["level"]))
    words = words_at(s.buffer, ticket.start, ticket.length, n_words(int(ticket.length.max())))
    return Block(
        ticket_words=words,
        ticket_length=ticket.length.copy(),
        at=epochs,
        kind=kind,
        sequence=first_line + np.arange(lines, dtype=np.int64),
        level=np.where(level_event, level, NONE),
        account=np.where(created, accounts, NONE),
        platform_level=created & platform,
        scheduled_at=scheduled_at,
        has_scheduled=has_scheduled,
        author=np.where(reply, author, NONE),
        public=public | ~reply,
        automated=reply & automated,
        status=np.where(is_kind[EventKind.STATUS], status, NONE),
        accounts=tuple(tables.accounts),
    )


def _scheduled(s: Scanned, rows: Ints, epochs: Ints) -> tuple[Ints, Flags] | None:
    """`scheduled_at` of `created` events: absent, or an instant not before the creation."""
    f = s.fields["scheduled_at"]
    value = np.zeros(f.present.size, dtype=np.int64)
    has = np.zeros(f.present.size, dtype=np.bool_)
    if not np.all(_absent(f)[rows] | f.is_string[rows]):
        return None
    given = rows[f.is_string[rows]]
    parsed = instants(s.buffer, f.start[given], f.length[given])
    if parsed is None or np.any(parsed < epochs[given]):
        return None
    value[given], has[given] = parsed, True
    return value, has


# ----- the file ------------------------------------------------------------------------------


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


def _merge(blocks: list[Block], tables: Tables) -> EventColumns:
    """One set of columns from the blocks (consumed: each field's block arrays are freed once copied)."""
    if not blocks:
        blocks.append(block_of_events([], tables))  # an empty file: no events, same shapes
    accounts = [_global_accounts(b, tables) for b in blocks]
    parts = {
        f.name: [getattr(b, f.name) for b in blocks] for f in fields(Block) if f.name not in {"accounts", "account"}
    }
    blocks.clear()
    width = max((w.shape[1] for w in parts["ticket_words"]), default=0)
    words = np.concatenate([np.pad(w, ((0, 0), (0, width - w.shape[1]))) for w in parts.pop("ticket_words")])
    columns: dict[str, npt.NDArray[Any]] = {
        "account": np.concatenate(accounts) if accounts else np.zeros(0, dtype=np.int64)
    }
    for name in list(parts):
        columns[name] = np.concatenate(parts.pop(name))
    length = columns.pop("ticket_length")
    codes, ids = ticket_codes(words, length, columns["kind"] == KIND_CODES.index(EventKind.CREATED))
    return EventColumns(
        ticket=codes,
        **columns,
        ticket_ids=ids,
        levels=tables.levels,
        accounts=tuple(tables.accounts),
        statuses=tables.statuses,
    )


def _global_accounts(block: Block, tables: Tables) -> Ints:
    """The block's account codes in the reader's table (blocks read by workers have their own)."""
    remap = np.array([tables.account(name) for name in block.accounts] + [NONE], dtype=np.int64)
    return remap[block.account]  # NONE (-1) picks the last entry, NONE


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


def _scannable(tables: Tables) -> bool:
    return all(len(w.encode()) <= MAX_SCANNED_TEXT for w in (*tables.levels, *tables.statuses))


def scan_events(path: str, words: line_reader.Vocabulary, progress: line_reader.Progress | None = None) -> EventColumns:
    """Every event of the file at `path` (or standard input for `-`) as columns."""
    tables = Tables(words)
    if path == "-" or worker_count() < 2 or _size(path) < PARALLEL_BYTES:
        return _merge(list(_read_serially(path, tables, progress)), tables)
    tasks = [RangeTask(path=path, offset=o, size=n, words=words) for o, n in _ranges(path)]
    blocks: list[Block] = []
    line, done = 1, 0
    with ordered_map(_read_range, tasks) as results:
        for result in results:
            if isinstance(result, RangeError):
                where = line + result.line - 1
                raise InputError(result.message, file=display_name(path), line=where, field=result.field)
            block, lines, size = result
            blocks.append(replace(block, sequence=block.sequence + (line - 1)))
            line, done = line + lines, done + size
            if progress is not None:
                progress(done)
    return _merge(blocks, tables)


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # the serial reader reports it


def _read_serially(path: str, tables: Tables, progress: line_reader.Progress | None) -> Iterator[Block]:
    name = display_name(path)
    scanning = _scannable(tables)
    line, done = 1, 0
    with _opened(path) as handle:
        for block in _blocks(handle):
            scanned = scan_block(block, line, tables) if scanning else None
            yield scanned if scanned is not None else read_block_lines(block, line, name, tables)
            line += block.count(b"\n")
            done += len(block)
            if progress is not None:
                progress(done)


# ----- reading ranges of a file in worker processes ---------------------------------------------


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
    try:
        size = Path(path).stat().st_size
        handle = Path(path).open("rb")  # noqa: SIM115  (closed below; the OSError must be told apart)
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", file=path) from None
    starts = [0]
    with handle:
        while starts[-1] + BLOCK_BYTES < size:
            handle.seek(starts[-1] + BLOCK_BYTES)
            handle.readline()
            if handle.tell() >= size:
                break
            starts.append(handle.tell())
    ends = [*starts[1:], size]
    return [(a, b - a) for a, b in zip(starts, ends, strict=True) if b > a]


def _read_range(task: RangeTask) -> tuple[Block, int, int] | RangeError:
    """Read one range (in a worker): its block, its line count and its size, or its first error."""
    with Path(task.path).open("rb") as handle:
        handle.seek(task.offset)
        data = handle.read(task.size)
    block = data if data.endswith(b"\n") else data + b"\n"
    tables = Tables(task.words)
    try:
        scanned = scan_block(block, 1, tables) if _scannable(tables) else None
        result = scanned if scanned is not None else read_block_lines(block, 1, display_name(task.path), tables)
    except InputError as error:
        return RangeError(message=error.message, line=error.line or 1, field=error.field)
    return result, block.count(b"\n"), len(data)
