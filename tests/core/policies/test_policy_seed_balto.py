"""Balto (seeds/000): every clause of the document, as the policy file holds it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from troth.core.calendars.spec import DayInterval
from troth.core.policies.model import CreditMethod, DegradedCounting, Measurement, Policy, TargetStop


def test_support_hours_are_weekdays_seven_to_six_central(balto: Policy) -> None:
    """ "Balto provides most Support Services Monday through Friday, 7am to 6pm Central Time." """
    business = balto.calendar("business")
    assert business.timezone == "America/Chicago"
    weekday = (DayInterval(start=7 * 3600, end=18 * 3600),)
    assert business.weekly == (weekday,) * 5 + ((), ())
    assert business.holiday_sources == ()


def test_severity_response_times_are_in_business_hours_and_days(balto: Policy) -> None:
    """ "Severity 1 ... 4 Business Hours; Severity 2 ... 8 Business Hours; Severity 3 ... 2 Business Days;
    Severity 4 ... 2 Business Days" — 2 business days are 2 x 11 business hours."""
    lengths = {level.key: level.target("first_response") for level in balto.levels}
    assert list(lengths) == ["1", "2", "3", "4"]
    expected = {"1": timedelta(hours=4), "2": timedelta(hours=8), "3": timedelta(hours=22), "4": timedelta(hours=22)}
    for key, target in lengths.items():
        assert target is not None
        assert target.length == expected[key]
        assert target.calendar == "business"


def test_a_response_is_an_initial_reply(balto: Policy) -> None:
    """ "A response is an initial reply to the reported issue and may not constitute a resolution" """
    target = balto.level("1").target("first_response")
    assert target is not None
    assert target.stops_on is TargetStop.FIRST_AGENT_REPLY
    assert target.pauses_on == frozenset()
    assert [len(level.targets) for level in balto.levels] == [1, 1, 1, 1]


def test_uptime_commitment_counts_business_minutes_only(balto: Policy) -> None:
    """ "Balto provides a 99.5% Uptime Commitment" and downtime is counted "excluding non-business hours" """
    assert balto.uptime is not None
    assert balto.uptime.commitment_percent == Decimal("99.5")
    assert balto.uptime.measurement is Measurement.BUSINESS_MINUTES
    assert balto.uptime.business_calendar == "business"
    assert balto.uptime.timezone == "America/Chicago"


def test_permitted_downtime_exclusions(balto: Policy) -> None:
    """ "Downtime excludes the following: ... third parties ... pilot, alpha, beta ... outside of our
    reasonable control ... Reporting, playbook configuration and user management ... Non-critical
    workflows ... Issues not impacting a significant subset of customers" """
    assert balto.uptime is not None
    assert {"third_party", "beta", "force_majeure", "non_critical_workflow", "limited_impact"} <= (
        balto.uptime.excluded_causes
    )
    assert balto.uptime.excluded_components == {"reporting", "playbook_configuration", "user_management"}
    assert all(e.clause for e in balto.uptime.exclusions)


def test_slowness_is_not_downtime(balto: Policy) -> None:
    """ "Slowness or other performance issues that don't prevent the use of Balto" """
    assert balto.uptime is not None
    assert balto.uptime.degraded is DegradedCounting.NONE


def test_credits_are_ten_times_the_excess_capped_at_thirty_percent(balto: Policy) -> None:
    """ "a credit ... equal to 10 times the amount that the customer paid for the period the Service was
    down in excess of the Uptime Commitment ... capped at a maximum of 30% of paid service" """
    credits = balto.credits
    assert credits is not None
    assert credits.method is CreditMethod.EXCESS_MULTIPLE
    assert credits.multiple == Decimal(10)
    assert credits.cap_percent == Decimal(30)
    assert credits.claims.automatic


def test_credits_require_paid_invoices(balto: Policy) -> None:
    """ "require you to have paid any outstanding invoices prior to the Downtime event" """
    assert balto.credits is not None
    assert balto.credits.eligibility.require_paid_invoices


def test_maintenance_is_not_excluded_because_the_sla_has_no_maintenance_clause(balto: Policy) -> None:
    """The document names no maintenance window or exclusion."""
    assert not balto.maintenance.excluded_from_downtime
    assert balto.placeholders == ()
