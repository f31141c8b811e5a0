"""The single-ticket engine, the bulk engine and a minute-stepping reference agree on random tickets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from clock_policies import WAITING, level, policy, target
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from minute_reference import reference

from troth.core.clocks import Author, EventKind, TicketEvent, evaluate_ticket
from troth.core.clocks.bulk import Assignment, evaluate_columns
from troth.core.clocks.columns import ClockRow, EventColumns, clock_rows, columns_from_events, joined_clocks
from troth.core.clocks.single import clock_row
from troth.core.instants import to_epoch
from troth.core.policies.model import Applicability, LevelChangeRule

ZONES = ("America/Chicago", "Europe/Prague", "Australia/Sydney", "Asia/Kolkata", "UTC")
LEVELS = ("1", "2", "3")
STATUSES = ("open", WAITING, "closed", "on_hold")
BASE = datetime(2026, 3, 2, tzinfo=UTC)  # US clocks go forward on 8 March, Europe's on 29 March


def full_policy(rule: LevelChangeRule) -> object:
    return policy(
        level(
            "1",
            target("first_response", "30m", "24x7"),
            target("restoration", "4h", "24x7", applies_to=Applicability.PLATFORM_LEVEL),
            target("status_update", "2 business hours", "business", periodic=True),
        ),
        level(
            "2",
            target("first_response", "2 business hours", "client"),
            target("resolution", "1 business day", "client", pauses_on=frozenset({WAITING, "on_hold"})),
            target("restoration", "N/A", "client", applies_to=Applicability.PLATFORM_LEVEL),
            rank=2,
        ),
        level("3", target("first_response", "scheduled", "client"), target("resolution", "3 business days"), rank=3),
        default="2",
        rule=rule,
    )


POLICIES = {rule: full_policy(rule) for rule in LevelChangeRule}

minutes = st.integers(min_value=0, max_value=12 * 24 * 60)
soon_or_late = st.one_of(st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=6 * 24 * 60))
"""Minutes after creation: often within the short targets, sometimes days later."""


@st.composite
def tickets(draw: st.DrawFn, name: str) -> list[TicketEvent]:
    created_at = BASE + timedelta(minutes=draw(minutes))
    scheduled = draw(st.none() | st.integers(min_value=0, max_value=6 * 24 * 60))
    events = [
        TicketEvent(
            ticket=name,
            at=created_at,
            kind=EventKind.CREATED,
            level=draw(st.none() | st.sampled_from(LEVELS)),
            platform_level=draw(st.booleans()),
            scheduled_at=None if scheduled is None else created_at + timedelta(minutes=scheduled),
        )
    ]
    for _ in range(draw(st.integers(min_value=0, max_value=9))):
        at = created_at + timedelta(minutes=draw(soon_or_late))
        kind = draw(st.sampled_from([k for k in EventKind if k is not EventKind.CREATED]))
        fields: dict[str, object] = {}
        if kind is EventKind.REPLY:
            fields = {
                "author": draw(st.sampled_from(list(Author))),
                "public": draw(st.booleans()),
                "automated": draw(st.booleans()),
            }
        elif kind is EventKind.LEVEL:
            fields = {"level": draw(st.sampled_from(LEVELS))}
        elif kind is EventKind.STATUS:
            fields = {"status": draw(st.sampled_from(STATUSES))}
        events.append(TicketEvent(ticket=name, at=at, kind=kind, **fields))  # type: ignore[arg-type]
    return events


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[TicketEvent], list[str], datetime]:
    count = draw(st.integers(min_value=1, max_value=4))
    events = [e for i in range(count) for e in draw(tickets(f"T-{i}"))]
    order = draw(st.permutations(range(len(events))))
    shuffled = [events[i] for i in order]
    numbered = [
        TicketEvent(**{**{f: getattr(e, f) for f in TicketEvent.__slots__}, "sequence": n + 1})  # type: ignore[arg-type]
        for n, e in enumerate(shuffled)
    ]
    zones = [draw(st.sampled_from(ZONES)) for _ in range(count)]
    first = min(e.at for e in events)
    at = first + timedelta(minutes=draw(soon_or_late))
    return numbered, zones, at


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=batches(), rule=st.sampled_from(list(LevelChangeRule)))
def test_bulk_single_and_the_minute_reference_agree(
    batch: tuple[list[TicketEvent], list[str], datetime], rule: LevelChangeRule
) -> None:
    events, zones, at = batch
    sla = POLICIES[rule]
    names = sorted({e.ticket for e in events})
    zone_of = dict(zip([f"T-{i}" for i in range(len(zones))], zones, strict=True))
    single, slow = [], []
    for name in names:
        mine = [e for e in events if e.ticket == name]
        single += [clock_row(c) for c in evaluate_ticket(mine, sla, at=at, customer_timezone=zone_of[name])]
        slow += reference(mine, sla, at, zone_of[name])
    columns = columns_from_events(events)
    assignment = Assignment(
        policies=(sla,),
        ticket_policy=np.zeros(len(names), dtype=np.int64),
        zones=tuple(zone_of[n] for n in columns.ticket_ids),
        ticket_zone=np.arange(len(names), dtype=np.int64),
    )
    bulk = clock_rows(evaluate_columns(columns, assignment, at=to_epoch(at)))
    assert single == slow
    assert bulk == single
    assert in_ranges(columns, assignment, to_epoch(at)) == bulk


def in_ranges(columns: EventColumns, assignment: Assignment, at: int) -> list[ClockRow]:
    """The clocks of ranges of tickets evaluated apart and joined (as the CLI's threads do), for 2 and 3 ranges."""
    grouped = columns.take(np.argsort(columns.ticket, kind="stable"))
    assert grouped.grouped()
    parts = {
        count: [
            (a, evaluate_columns(grouped.tickets(a, b), assignment.tickets(a, b), at=at))
            for a, b in grouped.ticket_ranges(count)
        ]
        for count in (2, 3)
    }
    joined = [clock_rows(joined_clocks(p, grouped.ticket_ids)) for p in parts.values()]
    assert joined[0] == joined[1]
    return joined[0]
