"""Eleveo (seeds/004, SLA v1.4): every clause of the document, as the policy file holds it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from troth.core.durations import DurationKind
from troth.core.policies.model import Applicability, CreditTier, Measurement, Policy


def _target(policy: Policy, level: str, key: str) -> timedelta | None:
    target = policy.level(level).target(key)
    assert target is not None
    return target.length


def test_version_one_point_four_of_march_2024(eleveo: Policy) -> None:
    """ "Version 1.4 issued March 2024" """
    assert eleveo.version == "1.4"
    assert eleveo.effective_from == date(2024, 3, 1)


def test_initial_response_targets(eleveo: Policy) -> None:
    """ "Response target: 30 min. (phone)"; "2 business hour (web)"; "4 business hours (web)";
    "1 business day (web)" """
    assert _target(eleveo, "1", "first_response") == timedelta(minutes=30)
    assert _target(eleveo, "2", "first_response") == timedelta(hours=2)
    assert _target(eleveo, "3", "first_response") == timedelta(hours=4)
    assert _target(eleveo, "4", "first_response") == timedelta(hours=9)
    first = eleveo.level("1").target("first_response")
    assert first is not None
    assert (first.channel, eleveo.calendar(first.calendar).always_open) == ("phone", True)


def test_business_hours_are_in_the_clients_local_time(eleveo: Policy) -> None:
    """ "business hours Monday through Friday, 8:00am to 5:00pm Client's local time" """
    business = eleveo.calendar("business")
    assert business.uses_customer_timezone
    assert business.business_day() == timedelta(hours=9)


def test_restoration_targets_for_platform_level_issues_only(eleveo: Policy) -> None:
    """ "Restoration Target: 1 – Critical 4 hours; 2 – High 2 business days; 3 – Medium 5 business days;
    4 – Low N/A" and "Time to restore and time to resolve apply only to Platform Level issues." """
    assert _target(eleveo, "1", "restoration") == timedelta(hours=4)
    assert _target(eleveo, "2", "restoration") == timedelta(hours=18)
    assert _target(eleveo, "3", "restoration") == timedelta(hours=45)
    assert _target(eleveo, "4", "restoration") is None
    for level in eleveo.levels:
        restoration = level.target("restoration")
        assert restoration is not None
        assert restoration.applies_to is Applicability.PLATFORM_LEVEL


def test_time_to_resolve_is_defined_without_a_target(eleveo: Policy) -> None:
    """ "Time to resolve is the amount of time it takes to resolve the root cause of an issue." (no numbers)"""
    for level in eleveo.levels:
        resolution = level.target("resolution")
        assert resolution is not None
        assert resolution.duration.kind is DurationKind.NOT_APPLICABLE
        assert "no target" in resolution.note


def test_a_target_note_is_kept_without_the_line_break_a_folded_yaml_block_ends_with(eleveo: Policy) -> None:
    """The platform-level note is a folded block (`note: >`): explanations print it inside a line."""
    restoration = eleveo.levels[0].target("restoration")
    assert restoration is not None
    assert restoration.note.startswith('3.4 "Time to restore')
    assert restoration.note == restoration.note.strip()


def test_us_and_eu_support_centres(eleveo: Policy) -> None:
    """ "US Support Center ... phone: +1 888 939 4291 ... EU Support Center ... phone: +420 222 554 112" """
    phones = {c.region: c.address for c in eleveo.support.channels if c.kind == "phone"}
    assert phones == {"US": "+1 888 939 4291", "EU": "+420 222 554 112"}


def test_ninety_nine_percent_uptime_over_all_minutes(eleveo: Policy) -> None:
    """ "available 24 hours a day, 7 days a week, and use commercially reasonable best efforts to provide
    99% uptime" """
    assert eleveo.uptime is not None
    assert eleveo.uptime.commitment_percent == Decimal(99)
    assert eleveo.uptime.measurement is Measurement.ALL_MINUTES


def test_uptime_exclusions(eleveo: Policy) -> None:
    """ "unavailability of services of infrastructure provider, failure or delay of Client's Internet connection,
    misconfiguration ..., issues on the Client's network, or telecommunications services contracted directly" """
    assert eleveo.uptime is not None
    assert {"upstream_provider", "customer_internet", "customer", "customer_network", "customer_telecoms"} <= (
        eleveo.uptime.excluded_causes
    )
    assert eleveo.maintenance.excluded_from_downtime
    assert eleveo.maintenance.notice == timedelta(0)


def test_credit_tiers_claimed_within_thirty_days(eleveo: Policy) -> None:
    """ "Below 99.0 % — 10 % of the monthly payment; Below 97.0 % — 20 %"; "request a credit within thirty (30)
    days after the month" """
    credits = eleveo.credits
    assert credits is not None
    assert credits.tiers == (
        CreditTier(below_percent=Decimal("99.0"), credit_percent=Decimal(10)),
        CreditTier(below_percent=Decimal("97.0"), credit_percent=Decimal(20)),
    )
    assert not credits.claims.automatic
    assert credits.claims.window_days == 30
