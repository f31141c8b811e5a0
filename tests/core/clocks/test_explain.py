"""Explanations come from the same measures as the verdicts: they say what the clock did, step by step."""

from __future__ import annotations

from clock_policies import BALTO_LIKE, ELEVEO_LIKE, WAITING, Ticket, instant, level, policy, target

from troth.core.clocks import ticket_facts
from troth.core.clocks.explain import Step, explain_ticket, hours
from troth.core.policies.model import LevelChangeRule, Policy


def steps(sla: Policy, ticket: Ticket, at: str, zone: str | None = None) -> list[Step]:
    facts = ticket_facts(ticket.events, at=instant(at), default_level=sla.default_level)
    assert facts is not None
    return explain_ticket(facts, sla, customer_timezone=zone)


def texts(found: list[Step], target: str) -> list[str]:
    return [s.text for s in found if s.target == target]


def test_it_says_the_clock_waited_for_opening_hours_and_why_it_is_due_then() -> None:
    ada = Ticket().created("2026-03-02T05:00:00-06:00", level="1")
    found = steps(BALTO_LIKE, ada, "2026-03-02T08:00:00-06:00")
    lines = texts(found, "first_response")
    assert "Outside working hours: the clock waited for this opening" in lines
    waited = next(s for s in found if s.text.startswith("Outside working hours"))
    assert (waited.at, waited.zone) == (instant("2026-03-02T07:00:00-06:00"), "America/Chicago")
    assert any(t.startswith("Due: the 4h00m of business time are used up here") for t in lines)


def test_it_shows_each_pause_with_the_business_time_it_held() -> None:
    ada = (
        Ticket()
        .created("2026-03-02T10:00:00-06:00", level="1")
        .status("2026-03-02T12:00:00-06:00", WAITING)
        .status("2026-03-03T12:00:00-06:00", "open")
    )
    lines = texts(steps(BALTO_LIKE, ada, "2026-03-03T13:00:00-06:00"), "resolution")
    assert "Paused (waiting_on_customer) until Tue 03 Mar 12:00: 11h00m of business time do not count" in lines


def test_it_says_a_resolution_without_a_response_left_the_promise_unkept() -> None:
    ada = Ticket().created("2026-03-02T10:00:00-06:00", level="1").resolved("2026-03-02T10:30:00-06:00")
    lines = texts(steps(BALTO_LIKE, ada, "2026-03-03T10:00:00-06:00"), "first_response")
    assert any("no qualifying response ever sent" in t for t in lines)


def test_a_breach_says_which_way_the_clock_breached() -> None:
    """Late, still open past the due time, or resolved without the response: each verdict names its own."""
    late = Ticket().created("2026-03-02T10:00:00-06:00", level="1").reply("2026-03-02T15:00:00-06:00")
    open_past_due = Ticket().created("2026-03-02T10:00:00-06:00", level="1")
    unanswered = Ticket().created("2026-03-02T10:00:00-06:00", level="1").resolved("2026-03-02T10:30:00-06:00")
    at = "2026-03-03T10:00:00-06:00"
    verdicts = [
        next(t for t in texts(steps(BALTO_LIKE, ticket, at), "first_response") if "Breached" in t)
        for ticket in (late, open_past_due, unanswered)
    ]
    assert [v.split(";")[0] for v in verdicts] == [
        "Breached: stopped after its due time",
        "Breached: still open after its due time",
        "Breached: stopped by the resolution without the response it waited for",
    ]


def test_it_explains_a_restart_and_a_periodic_target() -> None:
    sla = policy(
        level("1", target("first_response", "30m", "24x7"), target("status_update", "4h", "24x7", periodic=True)),
        level("2", target("first_response", "2h", "24x7"), target("status_update", "8h", "24x7", periodic=True)),
        rule=LevelChangeRule.RESTART,
    )
    ticket = Ticket().created("2026-03-02T08:00:00Z", level="2").level("2026-03-02T09:00:00Z", "1")
    ticket.reply("2026-03-02T09:10:00Z")
    found = steps(sla, ticket, "2026-03-02T10:00:00Z")
    assert "Clock starts at the level change (restart)" in texts(found, "first_response")
    assert "Periodic: each public agent reply ends one period and starts the next" in texts(found, "status_update")


def test_it_names_the_account_zone_of_a_customer_calendar() -> None:
    jan = Ticket().created("2026-03-02T09:00:00+01:00", level="2")
    lines = texts(steps(ELEVEO_LIKE, jan, "2026-03-02T10:00:00+01:00", "Europe/Prague"), "first_response")
    assert any(t.endswith("in Europe/Prague (the account's own time zone)") for t in lines)


def test_business_time_reads_as_hours_and_minutes() -> None:
    assert (hours(0), hours(5400), hours(162_000), hours(61)) == ("0h00m", "1h30m", "45h00m", "0h01m01s")
