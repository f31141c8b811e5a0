"""The ticket events file (CONTRACT.md, "Ticket events"): one event per line.

Two readers give the same result: a line-by-line one that builds `TicketEvent` values (and names
the file, line and field of every error), and, for large files, the typed block decoder in
`troth.batch.event_decode`, which falls back to the line-by-line reader for any block it cannot
decode exactly. Fields the contract does not name are ignored, as exports carry many of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from troth.batch.jsonl import Record, display_name, parse_line, read_lines
from troth.core.clocks import Author, EventKind, TicketError, TicketEvent, known_statuses
from troth.core.clocks.columns import EventColumns, columns_from_events
from troth.core.errors import InputError
from troth.core.instants import to_epoch
from troth.core.policies.model import PolicyHistory

Progress = Callable[[int], None]
"""Told how many bytes of the file have been read so far."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary:
    """The values a field may take: the levels and statuses of every version of the policy."""

    levels: frozenset[str]
    statuses: frozenset[str]


def vocabulary(history: PolicyHistory) -> Vocabulary:
    levels = frozenset(level.key for p in history.versions for level in p.levels)
    statuses = frozenset(s for p in history.versions for s in known_statuses(p))
    return Vocabulary(levels=levels, statuses=statuses)


def _one_of(record: Record, field: str, allowed: Iterable[str], *, required: bool) -> str | None:
    value = record.text(field, required=required)
    if value is not None and value not in allowed:
        choices = ", ".join(sorted(allowed))
        raise record.error(f"'{value}' is not one of {choices}", field)
    return value


def event_from_record(record: Record, words: Vocabulary) -> TicketEvent:
    """One event, validated: the fields its type needs, with the contract's defaults."""
    ticket = record.text("ticket")
    at = record.instant("at")
    kind_name = _one_of(record, "type", [k.value for k in EventKind], required=True)
    assert ticket is not None  # required fields raise when missing
    assert kind_name is not None
    kind = EventKind(kind_name)
    common = {"ticket": ticket, "at": at, "kind": kind, "sequence": record.line}
    match kind:
        case EventKind.CREATED:
            return _created(record, words, common)
        case EventKind.REPLY:
            author = _one_of(record, "author", [a.value for a in Author], required=True)
            assert author is not None
            return TicketEvent(
                **common,
                author=Author(author),
                public=record.boolean("public", default=True),
                automated=record.boolean("automated", default=False),
            )
        case EventKind.LEVEL:
            return TicketEvent(**common, level=_one_of(record, "level", words.levels, required=True))
        case EventKind.STATUS:
            return TicketEvent(**common, status=_one_of(record, "status", words.statuses, required=True))
        case _:
            return TicketEvent(**common)


def _created(record: Record, words: Vocabulary, common: dict[str, object]) -> TicketEvent:
    scheduled_at = record.instant("scheduled_at", required=False)
    if scheduled_at is not None and to_epoch(scheduled_at) < to_epoch(common["at"]):  # type: ignore[arg-type]
        raise record.error("is before the ticket's creation ('at')", "scheduled_at")
    return TicketEvent(
        **common,  # type: ignore[arg-type]
        account=record.text("account", required=False),
        level=_one_of(record, "level", words.levels, required=False),
        platform_level=record.boolean("platform_level", default=False),
        channel=record.text("channel", required=False),
        scheduled_at=scheduled_at,
    )


def located(error: TicketError, path: str) -> InputError:
    """A ticket error from the engines, located in the events file."""
    return InputError(error.message, file=display_name(path), line=error.sequence, field=error.field)


def read_events(path: str, words: Vocabulary) -> list[TicketEvent]:
    """Every event of the file, line by line."""
    name = display_name(path)
    return [event_from_record(parse_line(raw, file=name, line=n), words) for n, raw in read_lines(path)]


def read_event_columns(path: str, words: Vocabulary, progress: Progress | None = None) -> EventColumns:
    """Every event of the file as columns (the bulk engine's input)."""
    from troth.batch.event_files import decode_events

    return decode_events(path, words, progress)


def small_columns(path: str, words: Vocabulary) -> EventColumns:
    """The line-by-line reader's columns; the reference the block decoder is tested against."""
    return columns_from_events(read_events(path, words))
