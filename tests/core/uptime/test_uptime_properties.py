"""Properties of measurement that hold for any records: checked with hypothesis."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from uptime_reference import classify_seconds

from seed_builders import seed
from troth.core.accounts import Account
from troth.core.calendars import compile_calendar
from troth.core.instants import from_epoch, to_epoch
from troth.core.uptime.figures import UptimeFigures
from troth.core.uptime.measure import Subject, measure_totals, records_by_account
from troth.core.uptime.records import Cause, Outage, OutageKind
from troth.core.uptime.rules import MeasurementRules, rules_for
from troth.core.uptime.table import build_table

# A week of Balto's business hours (Mon 2026-03-09 to Mon 2026-03-16, US Central), minute by minute.
WEEK = (to_epoch(datetime(2026, 3, 9, 5, tzinfo=UTC)), to_epoch(datetime(2026, 3, 16, 5, tzinfo=UTC)))
BALTO = rules_for(seed("balto"), Account(id="acme", timezone="America/Chicago"))
BALTO_CALENDAR = compile_calendar(seed("balto").calendar("business"), "America/Chicago")


@st.composite
def records(draw: st.DrawFn, window: tuple[int, int] = WEEK, count: int = 10) -> list[Outage]:
    lo, hi = window
    found = []
    for index in range(draw(st.integers(0, count))):
        start = lo + 60 * draw(st.integers(-120, (hi - lo) // 60))
        found.append(
            Outage(
                id=f"O-{index}",
                kind=draw(st.sampled_from(list(OutageKind))),
                start_at=from_epoch(start),
                end_at=from_epoch(start + 60 * draw(st.integers(0, 900))),
                component=draw(st.sampled_from(["core", "reporting"])),
                cause=draw(st.sampled_from([Cause.INTERNAL, Cause.THIRD_PARTY, Cause.BETA])),
            )
        )
    return found


def figures_for(rules: MeasurementRules, outages: list[Outage], window: tuple[int, int] = WEEK) -> UptimeFigures:
    table = build_table(outages, window[1])
    mine = records_by_account(table, ["acme"], window)["acme"]
    return measure_totals(table, [Subject(key="acme", rules=rules, records=mine)], window)["acme"]


@settings(max_examples=60, deadline=None)
@given(records())
def test_measured_minutes_are_down_degraded_excluded_or_untouched(outages: list[Outage]) -> None:
    figures = figures_for(BALTO, outages)
    # Independently, minute by minute: which measured minutes did no record touch?
    minutes = np.arange(WEEK[0], WEEK[1], 60, dtype=np.int64)
    measured = BALTO_CALENDAR.is_open_array(minutes)
    touched = np.zeros(minutes.size, dtype=np.bool_)
    for o in outages:
        touched |= (minutes >= to_epoch(o.start_at)) & (minutes < to_epoch(o.end_at or o.start_at))
    untouched = int((measured & ~touched).sum()) * 60
    assert figures.measured_seconds == int(measured.sum()) * 60
    assert figures.untouched_seconds == untouched
    assert figures.down_seconds + figures.degraded_seconds + figures.excluded_seconds + untouched == (
        figures.measured_seconds
    )


@settings(max_examples=60, deadline=None)
@given(records())
def test_uptime_lies_between_0_and_100(outages: list[Outage]) -> None:
    for rules in (BALTO, MeasurementRules(zone="UTC")):
        assert 0 <= figures_for(rules, outages).uptime <= 100


@settings(max_examples=60, deadline=None)
@given(records(), records(count=3))
def test_more_outages_never_raise_uptime(outages: list[Outage], more: list[Outage]) -> None:
    extra = [o.__class__(**{**_as_dict(o), "id": f"X-{o.id}"}) for o in more]
    for rules in (BALTO, MeasurementRules(zone="UTC", degraded_weight=Decimal("0.5"))):
        assert figures_for(rules, outages + extra).uptime <= figures_for(rules, outages).uptime


def _as_dict(outage: Outage) -> dict[str, object]:
    return {name: getattr(outage, name) for name in Outage.__slots__}


DAY = (to_epoch(datetime(2026, 3, 10, 5, tzinfo=UTC)), to_epoch(datetime(2026, 3, 11, 5, tzinfo=UTC)))


@settings(max_examples=80, deadline=None)
@given(records(window=DAY, count=8))
def test_business_minutes_measurement_matches_the_minute_by_minute_reference(outages: list[Outage]) -> None:
    measured = {t for start, end in BALTO_CALENDAR.working_intervals(*DAY) for t in range(start, end, 60)}
    expected = classify_seconds(outages, BALTO, DAY, DAY[1], step=60, measured=measured)
    got = figures_for(BALTO, outages, DAY)
    assert (got.down_seconds, got.degraded_seconds) == (expected.down, expected.degraded)
    assert {reason.key: seconds for reason, seconds in got.excluded} == dict(expected.excluded)
