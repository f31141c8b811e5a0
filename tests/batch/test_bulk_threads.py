"""The engine over ranges of tickets in threads gives the clocks, and the errors, of the whole file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from troth.batch import bulk_threads
from troth.batch.accounts import read_accounts
from troth.batch.policy_files import read_policy_history
from troth.core.clocks import Author, EventKind, TicketError, TicketEvent
from troth.core.clocks.assign import assign
from troth.core.clocks.bulk import evaluate_columns
from troth.core.clocks.columns import EventColumns, clock_rows, columns_from_events
from troth.core.instants import to_epoch

HISTORY = read_policy_history(["policies/eleveo.yaml"])
ACCOUNTS = read_accounts("examples/eleveo/accounts.jsonl")
NAMES = sorted(ACCOUNTS)
START = datetime(2026, 3, 16, 8, tzinfo=UTC)
AT = to_epoch(START + timedelta(days=10))


@pytest.fixture(autouse=True)
def two_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_threads, "PARALLEL_EVENTS", 0)
    monkeypatch.setattr(bulk_threads, "worker_count", lambda: 2)


def export(count: int, level: str | None = None, bad_level_at: tuple[int, ...] = ()) -> EventColumns:
    """Tickets E-000..., each created, answered and resolved; grouped by ticket as exports are."""
    events = []
    for i in range(count):
        name, created = f"E-{i:03d}", START + timedelta(minutes=37 * i)
        chosen = "gold" if i in bad_level_at else (level or str(1 + i % 4))
        events += [
            TicketEvent(
                ticket=name,
                at=created,
                kind=EventKind.CREATED,
                account=NAMES[i % len(NAMES)],
                level=chosen,
                platform_level=i % 3 == 0,
            ),
            TicketEvent(ticket=name, at=created + timedelta(hours=i % 7), kind=EventKind.REPLY, author=Author.AGENT),
            TicketEvent(ticket=name, at=created + timedelta(hours=30 + i % 50), kind=EventKind.RESOLVED),
        ]
    numbered = [
        TicketEvent(**{**{f: getattr(e, f) for f in TicketEvent.__slots__}, "sequence": n + 1})  # type: ignore[arg-type]
        for n, e in enumerate(events)
    ]
    return columns_from_events(numbered)


def test_the_clocks_of_ticket_ranges_in_threads_are_the_clocks_of_the_whole() -> None:
    columns = export(200)
    assert columns.grouped()
    assignment = assign(columns, HISTORY, ACCOUNTS)
    whole = evaluate_columns(columns, assignment, at=AT)
    assert clock_rows(bulk_threads.evaluate_in_threads(columns, assignment, at=AT)) == clock_rows(whole)


def test_with_bad_tickets_in_both_ranges_the_error_is_the_whole_files() -> None:
    # A level the policy does not have is reported for the first such ticket, in either range.
    columns = export(200, bad_level_at=(30, 170))
    assignment = assign(columns, HISTORY, ACCOUNTS)
    with pytest.raises(TicketError) as whole:
        evaluate_columns(columns, assignment, at=AT)
    with pytest.raises(TicketError) as threaded:
        bulk_threads.evaluate_in_threads(columns, assignment, at=AT)
    assert (threaded.value.message, threaded.value.sequence) == (whole.value.message, whole.value.sequence)
    assert whole.value.sequence == 30 * 3 + 1


def test_events_not_grouped_by_ticket_are_evaluated_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = export(20)
    shuffled = columns.take(np.random.default_rng(3).permutation(len(columns)))
    assert not shuffled.grouped()

    def refuse(*args: object) -> object:
        raise AssertionError("ranges were cut from events not grouped by ticket")

    monkeypatch.setattr(EventColumns, "tickets", refuse)
    assignment = assign(shuffled, HISTORY, ACCOUNTS)
    expected = clock_rows(evaluate_columns(columns, assignment, at=AT))
    assert clock_rows(bulk_threads.evaluate_in_threads(shuffled, assignment, at=AT)) == expected
