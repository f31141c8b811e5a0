"""The vectorised engine agrees with the minute-by-minute reference on arbitrary records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from uptime_reference import classify_seconds

from troth.core.instants import from_epoch, to_epoch
from troth.core.policies.model import DegradedCounting, Exclusion, RecurringWindow
from troth.core.uptime.measure import Subject, measure_totals, records_by_account
from troth.core.uptime.records import Cause, Outage, OutageKind
from troth.core.uptime.rules import MeasurementRules
from troth.core.uptime.table import build_table

BASE = to_epoch(datetime(2026, 3, 1, tzinfo=UTC))
WINDOW = (BASE, BASE + 180 * 60)


@st.composite
def outages(draw: st.DrawFn) -> list[Outage]:
    count = draw(st.integers(0, 8))
    found = []
    for index in range(count):
        start = BASE + 60 * draw(st.integers(-20, 190))
        length = draw(st.one_of(st.none(), st.integers(0, 90)))
        announced = draw(st.one_of(st.none(), st.integers(0, 4000)))
        found.append(
            Outage(
                id=f"O-{index}",
                kind=draw(st.sampled_from(list(OutageKind))),
                start_at=from_epoch(start),
                end_at=None if length is None else from_epoch(start + 60 * length),
                component=draw(st.sampled_from(["core", "api", "reporting"])),
                accounts=draw(st.sampled_from([None, frozenset({"a"}), frozenset({"b"}), frozenset({"a", "b"})])),
                cause=draw(st.sampled_from([Cause.INTERNAL, Cause.THIRD_PARTY, Cause.FORCE_MAJEURE])),
                announced_at=None if announced is None else from_epoch(start - 60 * announced),
            )
        )
    return found


@st.composite
def rules(draw: st.DrawFn) -> MeasurementRules:
    windows = draw(
        st.lists(
            st.sampled_from(
                [
                    RecurringWindow(name="all", timezone="UTC", start=30 * 60, end=60 * 60),
                    RecurringWindow(
                        name="core", timezone="UTC", start=50 * 60, end=100 * 60, components=frozenset({"core"})
                    ),
                ]
            ),
            unique_by=lambda w: w.name,
            max_size=2,
        )
    )
    exclusions = draw(
        st.lists(
            st.sampled_from(
                [
                    Exclusion(cause="third_party"),
                    Exclusion(component="reporting"),
                    Exclusion(cause="force_majeure", component="api"),
                ]
            ),
            unique=True,
            max_size=3,
        )
    )
    degraded = draw(st.sampled_from(list(DegradedCounting)))
    return MeasurementRules(
        zone="UTC",
        exclusions=tuple(exclusions),
        ineligible_components=draw(st.sampled_from([frozenset(), frozenset({"api"})])),
        degraded=degraded,
        degraded_weight=Decimal("0.5") if degraded is DegradedCounting.WEIGHTED else Decimal(0),
        windows=tuple(windows),
        notice=draw(st.sampled_from([None, timedelta(hours=48)])),
    )


@settings(max_examples=150, deadline=None)
@given(outages(), rules(), st.integers(0, 240))
def test_the_engine_matches_the_reference(records: list[Outage], chosen: MeasurementRules, at_minute: int) -> None:
    at = BASE + 60 * at_minute
    table = build_table(records, at)
    by_account = records_by_account(table, ["a", "b"], WINDOW)
    figures = measure_totals(table, [Subject(key=k, rules=chosen, records=v) for k, v in by_account.items()], WINDOW)
    for account in ("a", "b"):
        mine = [o for o in records if o.affects(account)]
        expected = classify_seconds(mine, chosen, WINDOW, at, step=60)
        got = figures[account]
        assert got.down_seconds == expected.down
        assert got.degraded_seconds == expected.degraded
        assert {reason.key: seconds for reason, seconds in got.excluded} == dict(expected.excluded)
        assert got.untouched_seconds == expected.untouched
