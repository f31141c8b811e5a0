"""One test per ticket-target clause of the five seed SLAs, on the shipped policy files.

Each docstring quotes the clause; each test computes a due time from first principles in its
comment. 16 March 2026 is a Monday; US clocks went forward on 8 March, Europe's do on 29 March.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from clock_policies import Ticket, instant

from troth.batch.policy_files import read_policy
from troth.core.accounts import Account
from troth.core.clocks import ClockStatus, TargetClock, evaluate_ticket
from troth.core.policies.effective import effective_policy
from troth.core.policies.model import Policy

POLICIES = Path(__file__).resolve().parents[3] / "policies"


@cache
def seed(name: str) -> Policy:
    return read_policy(str(POLICIES / f"{name}.yaml"))


def clock(
    name: str, ticket: Ticket, at: str, *, zone: str | None = None, target: str = "first_response"
) -> TargetClock:
    found = evaluate_ticket(ticket.events, seed(name), at=instant(at), customer_timezone=zone)
    return next(c for c in found if c.target == target)


def due(
    name: str, created: str, level: str, *, zone: str | None = None, target: str = "first_response", **extra: object
) -> str:
    ticket = Ticket().created(created, level=level, **extra)
    found = clock(name, ticket, created, zone=zone, target=target)
    assert found.due_at is not None
    return found.due_at.strftime("%Y-%m-%dT%H:%M:%SZ")


# ----- Balto ----------------------------------------------------------------------------------


def test_balto_severity_1_four_business_hours() -> None:
    """Balto: "Severity 1 Major Impact ... 4 Business Hours"; "Monday through Friday, 7am to 6pm Central Time"."""
    # Monday 16:00 CDT: 16:00-18:00 (2 h), Tuesday 07:00-09:00 (2 h) -> 09:00 CDT = 14:00Z.
    assert due("balto", "2026-03-16T16:00:00-05:00", "1") == "2026-03-17T14:00:00Z"


def test_balto_severity_2_eight_business_hours() -> None:
    """Balto: "Severity 2 Moderate Impact ... 8 Business Hours"."""
    # Friday 13 March 12:00 CDT: 6 h to closing, Monday 07:00-09:00 -> Monday 09:00 CDT = 14:00Z.
    assert due("balto", "2026-03-13T12:00:00-05:00", "2") == "2026-03-16T14:00:00Z"


def test_balto_severity_3_two_business_days() -> None:
    """Balto: "Severity 3 Minor Impact ... 2 Business Days" (2 x 11 business hours)."""
    # Monday 10:00 -> Wednesday 10:00 CDT = 15:00Z.
    assert due("balto", "2026-03-16T10:00:00-05:00", "3") == "2026-03-18T15:00:00Z"


def test_balto_severity_4_two_business_days() -> None:
    """Balto: "Severity 4 No Issue ... A request for general support ... 2 Business Days"."""
    # Saturday: Monday 11 h + Tuesday 11 h -> Tuesday 18:00 CDT = 23:00Z.
    assert due("balto", "2026-03-14T10:00:00-05:00", "4") == "2026-03-17T23:00:00Z"


def test_balto_a_response_is_an_initial_reply() -> None:
    """Balto: "A response is an initial reply to the reported issue and may not constitute a resolution"."""
    ticket = Ticket().created("2026-03-16T10:00:00-05:00", level="1").reply("2026-03-16T16:00:00Z")
    assert clock("balto", ticket, "2026-03-17T12:00:00Z").status is ClockStatus.MET


# ----- WALT Labs -------------------------------------------------------------------------------


def test_walt_labs_thirty_minute_response_around_the_clock() -> None:
    """WALT Labs: "the support response time is 30 minutes from the moment a ticket is entered into our support
    portal"; "Our services are all 24×7"."""
    assert due("walt-labs", "2026-03-15T03:10:00Z", "standard") == "2026-03-15T03:40:00Z"  # a Sunday night


def test_walt_labs_a_customer_contract_can_say_otherwise() -> None:
    """WALT Labs: "Unless stated otherwise on a customer contract, the support response time is 30 minutes"."""
    northwind = Account(id="northwind-retail", overrides={"levels.standard.targets.first_response.duration": "15m"})
    sla = effective_policy(seed("walt-labs"), northwind)
    ticket = Ticket().created("2026-03-16T10:00:00Z")
    found = evaluate_ticket(ticket.events, sla, at=instant("2026-03-16T10:00:00Z"), customer_timezone=None)
    assert found[0].due_at == instant("2026-03-16T10:15:00Z")


def test_walt_labs_resolution_at_most_four_hours() -> None:
    """WALT Labs: "typically our maximum resolution could be up to 4 hours"."""
    assert due("walt-labs", "2026-03-16T22:00:00Z", "standard", target="resolution") == "2026-03-17T02:00:00Z"


# ----- Bloomneo --------------------------------------------------------------------------------


def test_bloomneo_first_response_is_a_real_engineer_not_an_automated_reply() -> None:
    """Bloomneo: "'First response' means a real engineer acknowledges your ticket ... not just an automated reply"."""
    ticket = Ticket().created("2026-03-16T10:00:00Z", level="P1").reply("2026-03-16T10:00:05Z", automated=True)
    assert clock("bloomneo", ticket, "2026-03-16T10:10:00Z").stopped_at is None


def test_bloomneo_p1_to_p4_use_the_placeholder_times_until_replaced() -> None:
    """Bloomneo: "We commit to the following first-response times" (P1 Critical ... P4 Low; times lost in the copy)."""
    created = "2026-03-16T10:00:00Z"
    assert [due("bloomneo", created, level) for level in ("P1", "P2", "P3", "P4")] == [
        "2026-03-16T10:30:00Z",
        "2026-03-16T12:00:00Z",
        "2026-03-16T18:00:00Z",
        "2026-03-17T10:00:00Z",
    ]
    assert "levels.P1.targets.first_response.duration" in seed("bloomneo").placeholders


# ----- Third Spectrum --------------------------------------------------------------------------


def test_third_spectrum_p1_immediate_response() -> None:
    """Third Spectrum: "P1 Global Outage — Immediate response — 24×7 Availability" (immediate read as 15 minutes)."""
    assert due("third-spectrum", "2026-03-15T02:00:00Z", "P1") == "2026-03-15T02:15:00Z"


def test_third_spectrum_p2_thirty_minute_response() -> None:
    """Third Spectrum: "P2 Isolated Outage — 30 Minute response — 24×7 Availability"."""
    assert due("third-spectrum", "2026-03-15T02:00:00Z", "P2") == "2026-03-15T02:30:00Z"


def test_third_spectrum_p3_four_hour_response() -> None:
    """Third Spectrum: "P3 High Priority — 4 Hour response — 24×7 Availability"."""
    assert due("third-spectrum", "2026-03-14T22:00:00Z", "P3") == "2026-03-15T02:00:00Z"


def test_third_spectrum_p4_three_business_days_on_8x5() -> None:
    """Third Spectrum: "P4 Normal Priority — 3 Business day response — 8×5 Availability" (3 x 9 h, customer's zone)."""
    # Monday 09:00 New York: 8 h Monday, 9 h Tuesday, 9 h Wednesday, 1 h Thursday -> 09:00 EDT = 13:00Z.
    assert due("third-spectrum", "2026-03-16T09:00:00-04:00", "P4", zone="America/New_York") == "2026-03-19T13:00:00Z"


def test_third_spectrum_p5_one_week_on_8x5() -> None:
    """Third Spectrum: "P5 Low Priority — 1 Week response — 8×5 Availability" (5 business days of 9 h)."""
    # Monday 08:00 Chicago + 45 business hours = Friday 17:00 CDT = 22:00Z.
    assert due("third-spectrum", "2026-03-16T08:00:00-05:00", "P5", zone="America/Chicago") == "2026-03-20T22:00:00Z"


def test_third_spectrum_p6_user_scheduled() -> None:
    """Third Spectrum: "P6 Scheduled Task — User scheduled — 8×5 Availability"."""
    scheduled = instant("2026-03-25T15:00:00Z")
    ticket = Ticket().created("2026-03-16T10:00:00Z", level="P6", scheduled_at=scheduled)
    found = clock("third-spectrum", ticket, "2026-03-16T10:00:00Z", zone="America/Chicago")
    assert (found.due_at, found.target_seconds) == (scheduled, None)


# ----- Eleveo ----------------------------------------------------------------------------------


def test_eleveo_severity_1_thirty_minutes_around_the_clock() -> None:
    """Eleveo 2.1/2: "Severity 1 ... supported and responded to 24x7x365"; "Response target: 30 min. (phone)"."""
    assert due("eleveo", "2026-03-15T03:00:00Z", "1", zone="Europe/Prague") == "2026-03-15T03:30:00Z"


def test_eleveo_severity_2_two_business_hours_in_the_clients_local_time() -> None:
    """Eleveo 2.1: "business hours Monday through Friday, 8:00am to 5:00pm Client's local time"; S2 "2 business
    hour"."""
    # Sydney (UTC+11) Monday 16:00 local: 1 h to closing, Tuesday 08:00-09:00 -> 09:00 AEDT = Monday 22:00Z.
    assert due("eleveo", "2026-03-16T05:00:00Z", "2", zone="Australia/Sydney") == "2026-03-16T22:00:00Z"


def test_eleveo_severity_3_four_business_hours() -> None:
    """Eleveo: "3 – Medium impact ... Response Target: 4 business hours (web)"."""
    assert due("eleveo", "2026-03-16T08:00:00+01:00", "3", zone="Europe/Prague") == "2026-03-16T11:00:00Z"


def test_eleveo_severity_4_one_business_day() -> None:
    """Eleveo: "4 – Low impact ... Response Target: 1 business day (web)" (9 business hours)."""
    assert due("eleveo", "2026-03-16T12:00:00+01:00", "4", zone="Europe/Prague") == "2026-03-17T11:00:00Z"


def test_eleveo_restoration_targets_by_severity() -> None:
    """Eleveo 4.1: restoration "1 – Critical 4 hours; 2 – High 2 business days; 3 – Medium 5 business days"."""
    created = "2026-03-16T08:00:00+01:00"
    found = [
        due("eleveo", created, level, zone="Europe/Prague", target="restoration", platform_level=True)
        for level in ("1", "2", "3")
    ]
    # 4 h around the clock; 18 business hours = Monday + Tuesday; 45 = Monday to Friday.
    assert found == ["2026-03-16T11:00:00Z", "2026-03-17T16:00:00Z", "2026-03-20T16:00:00Z"]


def test_eleveo_severity_4_has_no_restoration_target() -> None:
    """Eleveo 4.1: "4 – Low N/A"."""
    ticket = Ticket().created("2026-03-16T08:00:00Z", level="4", platform_level=True)
    found = clock("eleveo", ticket, "2026-03-16T09:00:00Z", zone="Europe/Prague", target="restoration")
    assert found.status is ClockStatus.NOT_APPLICABLE


def test_eleveo_restoration_applies_only_to_platform_level_issues() -> None:
    """Eleveo 3.4: "Time to restore and time to resolve apply only to Platform Level issues"."""
    ticket = Ticket().created("2026-03-16T08:00:00Z", level="1")
    found = clock("eleveo", ticket, "2026-03-16T09:00:00Z", zone="Europe/Prague", target="restoration")
    assert found.status is ClockStatus.NOT_APPLICABLE


def test_eleveo_time_to_resolve_has_no_target() -> None:
    """Eleveo 3.3: "Time to resolve is the amount of time it takes to resolve the root cause" (no target given)."""
    ticket = Ticket().created("2026-03-16T08:00:00Z", level="1", platform_level=True)
    found = clock("eleveo", ticket, "2026-03-16T09:00:00Z", zone="Europe/Prague", target="resolution")
    assert found.status is ClockStatus.NOT_APPLICABLE


def test_eleveo_a_redetermined_severity_applies_from_creation() -> None:
    """Eleveo 1.5: "The assigned severity level for an issue may be mutually redetermined ... during the issue
    resolution process"."""
    ticket = Ticket().created("2026-03-16T08:00:00Z", level="4").level("2026-03-16T09:00:00Z", "1")
    found = clock("eleveo", ticket, "2026-03-16T09:00:00Z", zone="Europe/Prague")
    assert (found.due_at, found.status) == (instant("2026-03-16T08:30:00Z"), ClockStatus.BREACHED)
