"""Edge cases of measurement: month boundaries, DST, leap years, overlaps, open and scoped outages."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from uptime_helpers import excluded_by, month_figures

from seed_builders import outage, seed
from troth.core.accounts import Account
from troth.core.errors import PolicyError
from troth.core.policies.model import DegradedCounting, Exclusion, RecurringWindow, Uptime
from troth.core.uptime.rules import MeasurementRules, rules_for

UTC_RULES = MeasurementRules(zone="UTC")
CHICAGO = MeasurementRules(zone="America/Chicago")
AT = "2030-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("rules", "month", "minutes"),
    [
        (UTC_RULES, "2026-03", 31 * 1440),
        (CHICAGO, "2026-03", 31 * 1440 - 60),  # clocks go forward on 8 March
        (CHICAGO, "2026-11", 30 * 1440 + 60),  # and back on 1 November
        (MeasurementRules(zone="Europe/Prague"), "2026-10", 31 * 1440 + 60),
        (UTC_RULES, "2028-02", 29 * 1440),  # a leap year
        (UTC_RULES, "2026-02", 28 * 1440),
    ],
)
def test_a_month_is_every_real_minute_between_its_local_midnights(
    rules: MeasurementRules, month: str, minutes: int
) -> None:
    assert month_figures(rules, [], month, AT).measured_seconds == minutes * 60


def test_an_outage_across_the_spring_forward_counts_its_real_duration() -> None:
    # 01:00 CST to 04:00 CDT is two real hours: 02:00–03:00 never happened.
    change = outage("O-1", "2026-03-08T01:00:00-06:00", "2026-03-08T04:00:00-05:00")
    assert month_figures(CHICAGO, [change], "2026-03", AT).down_seconds == 2 * 3600


def test_an_outage_across_a_month_boundary_counts_in_each_month_for_its_part() -> None:
    boundary = outage("O-1", "2026-02-28T23:00:00Z", "2026-03-01T01:30:00Z")
    assert month_figures(UTC_RULES, [boundary], "2026-02", AT).down_seconds == 3600
    assert month_figures(UTC_RULES, [boundary], "2026-03", AT).down_seconds == 5400


def test_the_month_boundary_is_local_midnight_in_the_policys_zone() -> None:
    # 2026-03-01T03:00Z is still February in Chicago (21:00 CST on the 28th).
    late_evening = outage("O-1", "2026-03-01T03:00:00Z", "2026-03-01T07:00:00Z")
    assert month_figures(CHICAGO, [late_evening], "2026-02", AT).down_seconds == 3 * 3600
    assert month_figures(CHICAGO, [late_evening], "2026-03", AT).down_seconds == 3600


def test_overlapping_outages_count_once() -> None:
    records = [
        outage("O-1", "2026-03-03T09:00:00Z", "2026-03-03T12:00:00Z"),
        outage("O-2", "2026-03-03T11:00:00Z", "2026-03-03T12:30:00Z", component="api"),
        outage("O-3", "2026-03-03T09:30:00Z", "2026-03-03T10:00:00Z"),
    ]
    assert month_figures(UTC_RULES, records, "2026-03", AT).down_seconds == 210 * 60


def test_an_outage_with_no_end_runs_to_the_evaluation_instant() -> None:
    still_open = outage("O-1", "2026-03-31T20:00:00Z", None)
    during = month_figures(UTC_RULES, [still_open], "2026-03", "2026-03-31T21:15:00Z")
    after = month_figures(UTC_RULES, [still_open], "2026-03", "2026-04-05T00:00:00Z")
    assert during.down_seconds == 75 * 60
    assert after.down_seconds == 4 * 3600  # to the end of the month


def test_what_starts_after_the_evaluation_instant_is_not_known_yet() -> None:
    later = outage("O-1", "2026-03-20T10:00:00Z", "2026-03-20T11:00:00Z")
    assert month_figures(UTC_RULES, [later], "2026-03", "2026-03-20T09:00:00Z").down_seconds == 0
    assert month_figures(UTC_RULES, [later], "2026-03", "2026-03-20T10:30:00Z").down_seconds == 1800


def test_an_account_outside_a_scoped_outage_is_not_affected() -> None:
    scoped = outage("O-1", "2026-03-03T09:00:00Z", "2026-03-03T12:00:00Z", accounts=["globex"])
    assert month_figures(UTC_RULES, [scoped], "2026-03", AT, account="acme").down_seconds == 0
    assert month_figures(UTC_RULES, [scoped], "2026-03", AT, account="globex").down_seconds == 3 * 3600


def test_maintenance_announced_too_late_counts_as_downtime() -> None:
    rules = MeasurementRules(zone="UTC", notice=timedelta(hours=48))
    late = outage(
        "M-1", "2026-03-12T02:00:00Z", "2026-03-12T04:00:00Z", kind="maintenance", announced="2026-03-11T02:00:00Z"
    )
    never = outage("M-2", "2026-03-13T02:00:00Z", "2026-03-13T03:00:00Z", kind="maintenance")
    assert month_figures(rules, [late, never], "2026-03", AT).down_seconds == 3 * 3600


def test_announced_maintenance_hides_outages_on_its_component_only() -> None:
    rules = MeasurementRules(zone="UTC", notice=timedelta(hours=48))
    records = [
        outage(
            "M-1", "2026-03-12T02:00:00Z", "2026-03-12T04:00:00Z", kind="maintenance", announced="2026-03-01T00:00:00Z"
        ),
        outage("O-1", "2026-03-12T03:00:00Z", "2026-03-12T05:00:00Z"),  # same component: 04:00–05:00 counts
        outage("O-2", "2026-03-12T03:00:00Z", "2026-03-12T03:30:00Z", component="api"),  # other component: counts
    ]
    figures = month_figures(rules, records, "2026-03", AT)
    assert figures.down_seconds == 90 * 60  # 03:00–03:30 (api) + 04:00–05:00 (core)
    assert excluded_by(figures) == {"announced_maintenance": 90}  # 02:00–03:00 and 03:30–04:00


def test_a_window_on_some_components_leaves_the_others_counted() -> None:
    window = RecurringWindow(name="db", timezone="UTC", start=3600, end=7200, components=frozenset({"db"}))
    rules = MeasurementRules(zone="UTC", windows=(window,))
    records = [
        outage("O-1", "2026-03-05T01:00:00Z", "2026-03-05T02:00:00Z", component="db"),
        outage("O-2", "2026-03-06T01:00:00Z", "2026-03-06T02:00:00Z", component="web"),
    ]
    figures = month_figures(rules, records, "2026-03", AT)
    assert figures.down_seconds == 3600
    assert excluded_by(figures) == {"window:db": 60}


def test_an_exclusion_naming_cause_and_component_needs_both() -> None:
    rules = MeasurementRules(zone="UTC", exclusions=(Exclusion(cause="third_party", component="telephony"),))
    records = [
        outage("O-1", "2026-03-05T01:00:00Z", "2026-03-05T02:00:00Z", component="telephony", cause="third_party"),
        outage("O-2", "2026-03-06T01:00:00Z", "2026-03-06T02:00:00Z", cause="third_party"),
    ]
    figures = month_figures(rules, records, "2026-03", AT)
    assert figures.down_seconds == 3600
    assert excluded_by(figures) == {"cause:third_party+component:telephony": 60}


def test_weighted_degraded_time_adds_its_weight_of_downtime() -> None:
    rules = MeasurementRules(zone="UTC", degraded=DegradedCounting.WEIGHTED, degraded_weight=Decimal("0.25"))
    slow = outage("O-1", "2026-03-05T01:00:00Z", "2026-03-05T03:00:00Z", kind="degraded")
    figures = month_figures(rules, [slow], "2026-03", AT)
    assert figures.degraded_seconds == 2 * 3600
    assert figures.downtime_seconds == 30 * 60


def test_degraded_time_that_is_also_down_counts_as_down_once() -> None:
    rules = MeasurementRules(zone="UTC", degraded=DegradedCounting.FULL)
    records = [
        outage("O-1", "2026-03-05T01:00:00Z", "2026-03-05T03:00:00Z", kind="degraded"),
        outage("O-2", "2026-03-05T02:00:00Z", "2026-03-05T04:00:00Z", component="api"),
    ]
    figures = month_figures(rules, records, "2026-03", AT)
    assert (figures.down_seconds, figures.degraded_seconds) == (2 * 3600, 3600)


def test_a_policy_excluding_a_cause_outside_the_vocabulary_is_refused() -> None:
    odd = Uptime(commitment_percent=Decimal(99), timezone="UTC", exclusions=(Exclusion(cause="gremlins"),))
    policy = replace(seed("eleveo"), uptime=odd)
    with pytest.raises(PolicyError, match="excludes cause 'gremlins', which is not one of"):
        rules_for(policy, Account(id="acme"))
