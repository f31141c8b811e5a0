"""WALT Labs (seeds/001): every clause of the document, as the policy file holds it."""

from __future__ import annotations

from datetime import timedelta

from troth.core.policies.model import Policy


def test_one_standard_level_is_also_the_default(walt_labs: Policy) -> None:
    """The document has no severity levels: every ticket gets the same promise."""
    assert [level.key for level in walt_labs.levels] == ["standard"]
    assert walt_labs.default_level == "standard"


def test_every_ticket_is_answered_within_thirty_minutes_around_the_clock(walt_labs: Policy) -> None:
    """ "the support response time is 30 minutes from the moment a ticket is entered into our support portal" """
    target = walt_labs.level("standard").target("first_response")
    assert target is not None
    assert target.length == timedelta(minutes=30)
    assert walt_labs.calendar(target.calendar).always_open
    assert target.channel == "portal"


def test_resolution_is_measured_against_the_four_hour_maximum(walt_labs: Policy) -> None:
    """ "We aim to resolve most issues within the same timeframe but typically our maximum resolution
    could be up to 4 hours" """
    target = walt_labs.level("standard").target("resolution")
    assert target is not None
    assert target.length == timedelta(hours=4)
    assert "30 minutes" in target.note


def test_tickets_only_via_the_portal_by_priority_then_order_received(walt_labs: Policy) -> None:
    """ "Tickets must be submitted through our support portal ... answered based on priority as well as in
    the order received." """
    assert walt_labs.support.tickets_only_via == ("portal",)
    assert walt_labs.support.queue_order == ("level", "age")


def test_standard_and_premium_packages(walt_labs: Policy) -> None:
    """ "broken out into two packages, Standard & Premium" """
    assert [plan.key for plan in walt_labs.plans] == ["standard", "premium"]
    assert any("Architectural reviews" in feature for feature in walt_labs.plan("premium").features)


def test_daily_maintenance_windows_per_region(walt_labs: Policy) -> None:
    """ "For US Clients: 6-7am UTC; For EU Clients: 1-2am UTC" — read as recurring daily."""
    windows = {w.region: w for w in walt_labs.maintenance.windows}
    assert (windows["US"].start, windows["US"].end) == (6 * 3600, 7 * 3600)
    assert (windows["EU"].start, windows["EU"].end) == (1 * 3600, 2 * 3600)
    assert all(w.timezone == "UTC" and w.weekdays == frozenset(range(7)) for w in windows.values())


def test_no_uptime_commitment_and_no_credits(walt_labs: Policy) -> None:
    """The document makes no uptime or credit promise."""
    assert walt_labs.uptime is None
    assert walt_labs.credits is None
