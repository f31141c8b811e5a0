"""Third Spectrum (seeds/003): the P1–P6 matrix, as the policy file holds it."""

from __future__ import annotations

from datetime import timedelta

from troth.core.calendars.spec import DayInterval
from troth.core.durations import DurationKind
from troth.core.policies.model import Policy


def _length(policy: Policy, level: str) -> timedelta | None:
    target = policy.level(level).target("first_response")
    assert target is not None
    return target.length


def test_p1_immediate_response_means_fifteen_minutes(third_spectrum: Policy) -> None:
    """ "P1 Global Outage — Immediate response — 24×7 Availability" """
    assert third_spectrum.immediate_means == timedelta(minutes=15)
    assert _length(third_spectrum, "P1") == timedelta(minutes=15)


def test_p2_and_p3_respond_around_the_clock(third_spectrum: Policy) -> None:
    """ "P2 Isolated Outage — 30 Minute response"; "P3 High Priority — 4 Hour response"; "24×7 Availability" """
    assert _length(third_spectrum, "P2") == timedelta(minutes=30)
    assert _length(third_spectrum, "P3") == timedelta(hours=4)
    target = third_spectrum.level("P3").target("first_response")
    assert target is not None
    assert third_spectrum.calendar(target.calendar).always_open


def test_8x5_is_weekdays_eight_to_five_in_the_customers_zone(third_spectrum: Policy) -> None:
    """ "8×5 Availability" names no hours or zone: read as Mon–Fri 08:00–17:00, customer's time."""
    calendar = third_spectrum.calendar("8x5")
    assert calendar.uses_customer_timezone
    assert calendar.weekly[0] == (DayInterval(start=8 * 3600, end=17 * 3600),)
    assert calendar.working_days_per_week() == 5


def test_p4_three_business_days_and_p5_one_week(third_spectrum: Policy) -> None:
    """ "P4 Normal Priority — 3 Business day response"; "P5 Low Priority — 1 Week response";
    1 week is read as 5 business days."""
    assert _length(third_spectrum, "P4") == timedelta(hours=27)
    assert _length(third_spectrum, "P5") == timedelta(hours=45)


def test_p6_is_user_scheduled(third_spectrum: Policy) -> None:
    """ "P6 Scheduled Task — User scheduled" """
    target = third_spectrum.level("P6").target("first_response")
    assert target is not None
    assert target.duration.kind is DurationKind.SCHEDULED
    assert target.length is None


def test_technicians_by_phone_24x7x365(third_spectrum: Policy) -> None:
    """ "Technicians are available 24x7x365 ... US Toll Free: 1-855-760-1700; International: +1-212-760-1700" """
    phones = {channel.address for channel in third_spectrum.support.channels if channel.kind == "phone"}
    assert phones == {"1-855-760-1700", "+1-212-760-1700"}
    assert [level.key for level in third_spectrum.levels] == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert third_spectrum.uptime is None
