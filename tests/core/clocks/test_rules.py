"""One test per semantic rule of DESIGN.md and per edge case docs/ticket-clocks.md decides.

Personas: Ada files tickets from Chicago (business calendar Mon–Fri 07:00–18:00 Central), Jan
from Prague (a `timezone: customer` calendar Mon–Fri 08:00–17:00). 2 March 2026 is a Monday.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from clock_policies import BALTO_LIKE, ELEVEO_LIKE, WAITING, Ticket, instant, level, policy, target

from troth.core.clocks import ClockStatus, TargetClock, evaluate_ticket
from troth.core.clocks.bulk import Assignment, evaluate_columns
from troth.core.clocks.columns import clock_rows, columns_from_events
from troth.core.clocks.single import clock_row
from troth.core.instants import to_epoch
from troth.core.policies.model import LevelChangeRule, Policy

CHICAGO_MONDAY_10 = "2026-03-02T10:00:00-06:00"


def clocks(sla: Policy, ticket: Ticket, at: str, zone: str | None = None) -> dict[str, TargetClock]:
    found = evaluate_ticket(ticket.events, sla, at=instant(at), customer_timezone=zone)
    return {c.target: c for c in found}


def test_a_business_time_target_starts_at_creation_and_waits_for_the_opening() -> None:
    """DESIGN: "outside working hours the clock waits for the next opening"."""
    ada = Ticket().created("2026-03-02T05:00:00-06:00", level="1")
    fr = clocks(BALTO_LIKE, ada, "2026-03-02T08:00:00-06:00")["first_response"]
    assert fr.started_at == instant("2026-03-02T05:00:00-06:00")
    assert fr.due_at == instant("2026-03-02T11:00:00-06:00")  # 07:00 opening + 4 business hours
    assert fr.elapsed_seconds == 3600


def test_a_target_reached_exactly_at_closing_is_due_at_closing() -> None:
    """DESIGN: "reaching it exactly at closing time is due at closing, not at the next opening"."""
    ada = Ticket().created("2026-03-02T14:00:00-06:00", level="1")
    due = clocks(BALTO_LIKE, ada, "2026-03-02T14:00:00-06:00")["first_response"].due_at
    assert due == instant("2026-03-02T18:00:00-06:00")


def test_two_business_days_from_monday_ten_is_wednesday_ten() -> None:
    """DESIGN: "a ticket filed Monday 10:00 is due Wednesday 10:00"."""
    ada = Ticket().created(CHICAGO_MONDAY_10, level="3")
    assert clocks(BALTO_LIKE, ada, CHICAGO_MONDAY_10)["first_response"].due_at == instant("2026-03-04T10:00:00-06:00")


def test_two_business_days_from_the_weekend_is_tuesday_at_closing() -> None:
    """DESIGN: "one filed at the weekend is due Tuesday at closing"."""
    ada = Ticket().created("2026-02-28T10:00:00-06:00", level="3")
    due = clocks(BALTO_LIKE, ada, CHICAGO_MONDAY_10)["first_response"].due_at
    assert due == instant("2026-03-03T18:00:00-06:00")


def test_first_response_stops_on_a_public_reply_by_an_agent() -> None:
    """DESIGN: "First response stops at the first public reply written by a person on the provider's side"."""
    ada = Ticket().created(CHICAGO_MONDAY_10, level="1").reply("2026-03-02T11:00:00-06:00")
    fr = clocks(BALTO_LIKE, ada, "2026-03-03T10:00:00-06:00")["first_response"]
    assert (fr.status, fr.stopped_at, fr.elapsed_seconds) == (
        ClockStatus.MET,
        instant("2026-03-02T11:00:00-06:00"),
        3600,
    )


def test_automated_replies_internal_notes_and_customer_messages_never_stop_first_response() -> None:
    """DESIGN: "Automated replies, internal notes and the customer's own messages never stop it"."""
    ada = (
        Ticket()
        .created(CHICAGO_MONDAY_10, level="1")
        .reply("2026-03-02T10:01:00-06:00", automated=True)
        .reply("2026-03-02T10:02:00-06:00", public=False)
        .reply("2026-03-02T10:03:00-06:00", author="customer")
    )
    fr = clocks(BALTO_LIKE, ada, "2026-03-02T12:00:00-06:00")["first_response"]
    assert (fr.status, fr.stopped_at) == (ClockStatus.RUNNING, None)


def test_a_level_change_applies_the_new_target_and_calendar_from_creation() -> None:
    """DESIGN: "A severity change applies the new level's target and calendar retroactively from the ticket's
    creation"."""
    jan = Ticket().created("2026-03-02T09:00:00+01:00", level="4").level("2026-03-02T12:00:00+01:00", "1")
    fr = clocks(ELEVEO_LIKE, jan, "2026-03-02T12:00:00+01:00", "Europe/Prague")["first_response"]
    assert fr.level == "1"
    assert fr.started_at == instant("2026-03-02T09:00:00+01:00")
    assert fr.due_at == instant("2026-03-02T09:30:00+01:00")  # level 1: 30 minutes on 24x7, from creation
    assert fr.status is ClockStatus.BREACHED


def test_a_policy_may_restart_clocks_on_a_level_change() -> None:
    """DESIGN: "a policy may choose `restart` instead"."""
    restart = policy(*ELEVEO_LIKE.levels, default="2", rule=LevelChangeRule.RESTART)
    jan = Ticket().created("2026-03-02T09:00:00+01:00", level="4").level("2026-03-02T12:00:00+01:00", "1")
    fr = clocks(restart, jan, "2026-03-02T12:10:00+01:00", "Europe/Prague")["first_response"]
    assert fr.started_at == instant("2026-03-02T12:00:00+01:00")
    assert (fr.due_at, fr.status) == (instant("2026-03-02T12:30:00+01:00"), ClockStatus.RUNNING)


def test_a_target_already_stopped_before_a_restart_stays_met() -> None:
    restart = policy(*ELEVEO_LIKE.levels, default="2", rule=LevelChangeRule.RESTART)
    jan = (
        Ticket()
        .created("2026-03-02T09:00:00+01:00", level="4")
        .reply("2026-03-02T10:00:00+01:00")
        .level("2026-03-02T12:00:00+01:00", "1")
    )
    fr = clocks(restart, jan, "2026-03-02T13:00:00+01:00", "Europe/Prague")["first_response"]
    assert (fr.status, fr.stopped_at, fr.elapsed_seconds) == (ClockStatus.MET, instant("2026-03-02T12:00:00+01:00"), 0)


def test_the_output_level_is_the_level_in_force_at_the_evaluation_instant() -> None:
    jan = Ticket().created("2026-03-02T09:00:00+01:00", level="4").level("2026-03-02T12:00:00+01:00", "1")
    before = clocks(ELEVEO_LIKE, jan, "2026-03-02T11:00:00+01:00", "Europe/Prague")["first_response"]
    assert before.level == "4"


def test_waiting_on_the_customer_pauses_resolution_but_not_first_response() -> None:
    """DESIGN: "Pause states (e.g. waiting on customer) stop restoration and resolution clocks, never first
    response"."""
    ada = Ticket().created(CHICAGO_MONDAY_10, level="1").status("2026-03-02T11:00:00-06:00", WAITING)
    found = clocks(BALTO_LIKE, ada, "2026-03-02T16:00:00-06:00")
    assert found["first_response"].status is ClockStatus.BREACHED  # due 14:00, the pause does not hold it
    assert (found["resolution"].status, found["resolution"].due_at) == (ClockStatus.PAUSED, None)
    assert found["resolution"].elapsed_seconds == 3600


def test_resuming_gives_the_same_due_time_as_if_the_pause_had_been_closed_hours() -> None:
    """A pause is a break in the calendar: the due time moves by exactly the paused business time."""
    ada = (
        Ticket()
        .created(CHICAGO_MONDAY_10, level="1")
        .status("2026-03-02T12:00:00-06:00", WAITING)
        .status("2026-03-03T12:00:00-06:00", "open")
    )
    resolution = clocks(BALTO_LIKE, ada, "2026-03-03T13:00:00-06:00")["resolution"]
    # 22 business hours from Monday 10:00 is Wednesday 10:00; the pause covers Monday 12:00-18:00
    # and Tuesday 07:00-12:00, 11 business hours, so Wednesday 10:00 + 11 h = Thursday 10:00.
    assert resolution.due_at == instant("2026-03-05T10:00:00-06:00")
    assert resolution.elapsed_seconds == 2 * 3600 + 3600


def test_a_stopped_target_is_met_at_its_due_time_and_breached_after() -> None:
    """DESIGN: "A target stopped at or before its due time is met; stopped later, or still open after it, breached"."""
    on_time = Ticket().created(CHICAGO_MONDAY_10, level="1").reply("2026-03-02T14:00:00-06:00")
    late = Ticket().created(CHICAGO_MONDAY_10, level="1").reply("2026-03-02T14:00:01-06:00")
    open_ = Ticket().created(CHICAGO_MONDAY_10, level="1")
    at = "2026-03-03T10:00:00-06:00"
    assert clocks(BALTO_LIKE, on_time, at)["first_response"].status is ClockStatus.MET
    assert clocks(BALTO_LIKE, late, at)["first_response"].status is ClockStatus.BREACHED
    assert clocks(BALTO_LIKE, open_, at)["first_response"].status is ClockStatus.BREACHED
    assert clocks(BALTO_LIKE, open_, "2026-03-02T14:00:00-06:00")["first_response"].status is ClockStatus.RUNNING


def test_resolved_also_stops_restoration_when_nothing_was_restored() -> None:
    """CONTRACT: "`resolved` also stops restoration when no `restored` came before it"."""
    jan = Ticket().created("2026-03-02T09:00:00Z", level="1", platform_level=True).resolved("2026-03-02T10:00:00Z")
    restoration = clocks(ELEVEO_LIKE, jan, "2026-03-03T09:00:00Z", "Europe/Prague")["restoration"]
    assert (restoration.status, restoration.stopped_at) == (ClockStatus.MET, instant("2026-03-02T10:00:00Z"))


def test_restoration_applies_only_to_platform_level_issues() -> None:
    jan = Ticket().created("2026-03-02T09:00:00Z", level="1")
    restoration = clocks(ELEVEO_LIKE, jan, "2026-03-03T09:00:00Z", "Europe/Prague")["restoration"]
    assert restoration.status is ClockStatus.NOT_APPLICABLE
    assert (restoration.due_at, restoration.target_seconds, restoration.elapsed_seconds) == (None, None, None)


def test_a_level_change_to_a_level_whose_target_is_n_a_makes_it_not_applicable() -> None:
    jan = Ticket().created("2026-03-02T09:00:00Z", level="1", platform_level=True).level("2026-03-02T15:00:00Z", "4")
    restoration = clocks(ELEVEO_LIKE, jan, "2026-03-03T09:00:00Z", "Europe/Prague")["restoration"]
    assert restoration.status is ClockStatus.NOT_APPLICABLE


def test_a_ticket_resolved_without_a_response_breaches_first_response() -> None:
    """Decided: a resolution is not a response. The clock stops there, unmet."""
    ada = Ticket().created(CHICAGO_MONDAY_10, level="1").resolved("2026-03-02T10:30:00-06:00")
    fr = clocks(BALTO_LIKE, ada, "2026-03-03T10:00:00-06:00")["first_response"]
    assert (fr.status, fr.stopped_at, fr.elapsed_seconds) == (
        ClockStatus.BREACHED,
        instant("2026-03-02T10:30:00-06:00"),
        1800,
    )


def test_events_after_the_resolution_change_nothing() -> None:
    """Decided: a resolved ticket cannot be answered, restored or reclassified after the fact."""
    ada = (
        Ticket()
        .created(CHICAGO_MONDAY_10, level="1")
        .resolved("2026-03-02T11:00:00-06:00")
        .reply("2026-03-02T11:30:00-06:00")
        .level("2026-03-02T12:00:00-06:00", "3")
    )
    found = clocks(BALTO_LIKE, ada, "2026-03-03T10:00:00-06:00")
    assert found["first_response"].level == "1"
    assert found["first_response"].status is ClockStatus.BREACHED


def test_a_reopened_ticket_counts_as_never_resolved_until_resolved_again() -> None:
    ada = (
        Ticket()
        .created(CHICAGO_MONDAY_10, level="1")
        .resolved("2026-03-02T11:00:00-06:00")
        .status("2026-03-02T12:00:00-06:00", "open")
        .reply("2026-03-02T13:00:00-06:00")
    )
    found = clocks(BALTO_LIKE, ada, "2026-03-02T15:00:00-06:00")
    assert (found["first_response"].status, found["first_response"].elapsed_seconds) == (ClockStatus.MET, 3 * 3600)
    assert found["resolution"].stopped_at is None  # the time it spent resolved counts (5 business hours so far)
    assert found["resolution"].elapsed_seconds == 5 * 3600


def test_a_closing_status_after_resolution_does_not_reopen() -> None:
    ada = (
        Ticket()
        .created(CHICAGO_MONDAY_10, level="1")
        .resolved("2026-03-02T11:00:00-06:00")
        .status("2026-03-02T12:00:00-06:00", "closed")
    )
    resolution = clocks(BALTO_LIKE, ada, "2026-03-03T10:00:00-06:00")["resolution"]
    assert resolution.stopped_at == instant("2026-03-02T11:00:00-06:00")


def test_events_are_applied_in_time_order_whatever_their_order_in_the_file() -> None:
    ada = Ticket().reply("2026-03-02T11:00:00-06:00")
    ada = ada.created(CHICAGO_MONDAY_10, level="1")
    fr = clocks(BALTO_LIKE, ada, "2026-03-02T12:00:00-06:00")["first_response"]
    assert fr.stopped_at == instant("2026-03-02T11:00:00-06:00")


def test_at_equal_instants_events_apply_in_file_order() -> None:
    """A reopening and a resolution at the same instant: the later line wins."""
    resolved_last = (
        Ticket()
        .created(CHICAGO_MONDAY_10, level="1")
        .status("2026-03-02T11:00:00-06:00", "open")
        .resolved("2026-03-02T11:00:00-06:00")
    )
    reopened_last = (
        Ticket()
        .created(CHICAGO_MONDAY_10, level="1")
        .resolved("2026-03-02T11:00:00-06:00")
        .status("2026-03-02T11:00:00-06:00", "open")
    )
    at = "2026-03-02T12:00:00-06:00"
    assert clocks(BALTO_LIKE, resolved_last, at)["resolution"].stopped_at is not None
    assert clocks(BALTO_LIKE, reopened_last, at)["resolution"].stopped_at is None


def test_a_ticket_created_after_the_evaluation_instant_has_no_clocks() -> None:
    ada = Ticket().created("2026-03-03T10:00:00-06:00", level="1")
    assert clocks(BALTO_LIKE, ada, CHICAGO_MONDAY_10) == {}


def test_a_calendar_in_the_customer_zone_runs_on_the_accounts_local_hours() -> None:
    """`timezone: customer`: the same UTC instant is inside Jan's hours in Prague and outside Ada's in Chicago."""
    ticket = Ticket().created("2026-03-02T08:00:00Z", level="2")
    prague = clocks(ELEVEO_LIKE, ticket, "2026-03-02T08:00:00Z", "Europe/Prague")["first_response"]
    chicago = clocks(ELEVEO_LIKE, ticket, "2026-03-02T08:00:00Z", "America/Chicago")["first_response"]
    assert prague.due_at == instant("2026-03-02T11:00:00+01:00")
    assert chicago.due_at == instant("2026-03-02T10:00:00-06:00")


def test_a_scheduled_target_is_due_at_the_scheduled_time_the_ticket_carries() -> None:
    sla = policy(level("6", target("first_response", "scheduled", "client")))
    scheduled = Ticket().created("2026-03-02T08:00:00Z", scheduled_at=instant("2026-03-05T15:00:00Z"))
    fr = clocks(sla, scheduled, "2026-03-03T08:00:00Z", "Europe/Prague")["first_response"]
    assert (fr.status, fr.due_at, fr.target_seconds) == (ClockStatus.RUNNING, instant("2026-03-05T15:00:00Z"), None)
    unscheduled = Ticket().created("2026-03-02T08:00:00Z")
    assert clocks(sla, unscheduled, "2026-03-03T08:00:00Z", "Europe/Prague")["first_response"].status is (
        ClockStatus.NOT_APPLICABLE
    )


def periodic_policy() -> Policy:
    return policy(level("1", target("status_update", "4h", "24x7", periodic=True)))


def test_a_periodic_target_re_arms_after_each_public_agent_reply() -> None:
    ticket = Ticket().created("2026-03-02T08:00:00Z").reply("2026-03-02T11:00:00Z").reply("2026-03-02T14:30:00Z")
    update = clocks(periodic_policy(), ticket, "2026-03-02T16:00:00Z")["status_update"]
    assert update.started_at == instant("2026-03-02T14:30:00Z")
    assert (update.due_at, update.status) == (instant("2026-03-02T18:30:00Z"), ClockStatus.RUNNING)


def test_a_missed_periodic_update_stays_breached() -> None:
    ticket = Ticket().created("2026-03-02T08:00:00Z").reply("2026-03-02T13:00:00Z").reply("2026-03-02T14:00:00Z")
    update = clocks(periodic_policy(), ticket, "2026-03-02T15:00:00Z")["status_update"]
    assert (update.status, update.started_at, update.stopped_at) == (
        ClockStatus.BREACHED,
        instant("2026-03-02T08:00:00Z"),
        instant("2026-03-02T13:00:00Z"),
    )


def test_breach_warnings_mark_half_three_quarters_and_all_of_a_running_target() -> None:
    ada = Ticket().created(CHICAGO_MONDAY_10, level="1")
    fr = clocks(BALTO_LIKE, ada, CHICAGO_MONDAY_10)["first_response"]
    assert [(w.percent, w.at) for w in fr.warnings] == [
        (50, instant("2026-03-02T12:00:00-06:00")),
        (75, instant("2026-03-02T13:00:00-06:00")),
        (100, instant("2026-03-02T14:00:00-06:00")),
    ]


def test_breach_warnings_skip_the_pause_like_closed_hours() -> None:
    ada = Ticket().created(CHICAGO_MONDAY_10, level="1")
    ada.status("2026-03-02T10:30:00-06:00", WAITING).status("2026-03-02T11:30:00-06:00", "open")
    resolution = clocks(BALTO_LIKE, ada, "2026-03-02T12:00:00-06:00")["resolution"]
    # 50% of 22 h is 11 h: Monday 10:00-10:30, 11:30-18:00 (7 h), Tuesday 07:00-11:00 (4 h).
    assert resolution.warnings[0].at == instant("2026-03-03T11:00:00-06:00")


def test_bulk_warnings_are_the_single_engines() -> None:
    ada = Ticket("T-1").created(CHICAGO_MONDAY_10, level="1").status("2026-03-02T10:30:00-06:00", WAITING)
    ada.status("2026-03-02T11:30:00-06:00", "open")
    at = instant("2026-03-02T12:00:00-06:00")
    single = evaluate_ticket(ada.events, BALTO_LIKE, at=at, customer_timezone=None)
    assignment = Assignment(
        policies=(BALTO_LIKE,), ticket_policy=np.zeros(1, np.int64), zones=(None,), ticket_zone=np.zeros(1, np.int64)
    )
    bulk = evaluate_columns(columns_from_events(ada.events), assignment, at=to_epoch(at), with_warnings=True)
    assert clock_rows(bulk) == [clock_row(c) for c in single]
    assert bulk.warnings is not None
    expected = [[to_epoch(w.at) for w in c.warnings] or [-1, -1, -1] for c in single]
    assert bulk.warnings.tolist() == expected


def test_a_pause_that_starts_after_the_due_time_does_not_hide_the_breach() -> None:
    ada = Ticket().created(CHICAGO_MONDAY_10, level="1").status("2026-03-04T12:00:00-06:00", WAITING)
    resolution = clocks(BALTO_LIKE, ada, "2026-03-05T12:00:00-06:00")["resolution"]
    assert (resolution.status, resolution.due_at) == (ClockStatus.BREACHED, instant("2026-03-04T10:00:00-06:00"))


def test_elapsed_time_is_business_time_to_the_stop_or_to_the_evaluation_instant() -> None:
    ada = Ticket().created("2026-03-02T17:00:00-06:00", level="1")
    fr = clocks(BALTO_LIKE, ada, "2026-03-03T08:00:00-06:00")["first_response"]
    assert fr.elapsed_seconds == 2 * 3600  # 17:00-18:00 Monday and 07:00-08:00 Tuesday
    assert timedelta(seconds=fr.elapsed_seconds) < timedelta(hours=15)
