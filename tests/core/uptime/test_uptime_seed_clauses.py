"""One test per uptime clause of the seed SLAs, each run on the shipped policy file."""

from __future__ import annotations

from datetime import date, timedelta

from uptime_helpers import excluded_by, seed_figures

from seed_builders import outage
from troth.core.accounts import Account

ACME = Account(id="acme", timezone="America/Chicago", region="US")
AT = "2026-04-10T00:00:00Z"


def business_minutes_of_march_2026() -> int:
    """Mon–Fri 07:00–18:00 (Balto's calendar names no holidays): 11 hours per weekday."""
    days = [date(2026, 3, 1) + timedelta(days=n) for n in range(31)]
    return sum(11 * 60 for day in days if day.weekday() < 5)


def test_balto_counts_downtime_only_inside_business_hours() -> None:
    """Balto: "“Downtime” starts when a critical Balto service is confirmed unavailable and concludes
    when service is restored, excluding non-business hours." """
    evening = outage("O-1", "2026-03-10T16:00:00-05:00", "2026-03-10T20:00:00-05:00")
    figures = seed_figures("balto", ACME, [evening], "2026-03", AT)
    assert figures.down_seconds / 60 == 120  # 16:00–18:00 counts
    assert figures.unmeasured_seconds / 60 == 120  # 18:00–20:00 does not


def test_balto_possible_minutes_are_the_business_minutes_of_the_month() -> None:
    """Balto: "Uptime is the percentage of total possible minutes the Service was available during a
    month." Since downtime excludes non-business hours, the possible minutes are business minutes too."""
    figures = seed_figures("balto", ACME, [], "2026-03", AT)
    assert figures.measured_seconds / 60 == business_minutes_of_march_2026() == 14520


def test_balto_excludes_issues_with_external_apps_or_third_parties() -> None:
    """Balto, Downtime excludes: "Issues that are related to external apps or third parties,
    including third-party phone systems" """
    phones = outage("O-1", "2026-03-12T10:00:00-05:00", "2026-03-12T11:00:00-05:00", cause="third_party")
    figures = seed_figures("balto", ACME, [phones], "2026-03", AT)
    assert figures.down_seconds == 0
    assert excluded_by(figures) == {"cause:third_party": 60}


def test_balto_excludes_reporting_playbook_configuration_and_user_management() -> None:
    """Balto, Downtime excludes: "Reporting, playbook configuration and user management in Balto Cloud" """
    screens = [
        outage("O-1", "2026-03-17T13:00:00-05:00", "2026-03-17T14:00:00-05:00", component="reporting"),
        outage("O-2", "2026-03-17T13:30:00-05:00", "2026-03-17T14:30:00-05:00", component="user_management"),
    ]
    figures = seed_figures("balto", ACME, screens, "2026-03", AT)
    assert figures.down_seconds == 0
    # Overlaps count once: 13:30–14:00 goes to the first exclusion that covers it.
    assert excluded_by(figures) == {"component:reporting": 60, "component:user_management": 30}


def test_balto_slowness_that_does_not_prevent_use_is_not_downtime() -> None:
    """Balto, Downtime excludes: "Slowness or other performance issues that don't prevent the use of Balto" """
    slow = outage("O-1", "2026-03-19T08:00:00-05:00", "2026-03-19T09:00:00-05:00", kind="degraded")
    figures = seed_figures("balto", ACME, [slow], "2026-03", AT)
    assert figures.downtime_seconds == 0
    assert excluded_by(figures) == {"degraded": 60}


def test_balto_excludes_pilot_alpha_and_beta_features() -> None:
    """Balto, Downtime excludes: "Any downtime for products or features we identify as pilot, alpha,
    beta or similar" """
    beta = outage("O-1", "2026-03-19T08:00:00-05:00", "2026-03-19T09:00:00-05:00", cause="beta")
    figures = seed_figures("balto", ACME, [beta], "2026-03", AT)
    assert excluded_by(figures) == {"cause:beta": 60}


def test_bloomneo_counts_every_minute_of_the_month() -> None:
    """Bloomneo: "Uptime % = (Total minutes in month − Downtime minutes) ÷ Total minutes in month × 100" """
    account = Account(id="acme", plan="pro")
    night = outage("B-1", "2026-03-07T01:00:00Z", "2026-03-07T02:30:00Z", component="cloud_servers")
    figures = seed_figures("bloomneo", account, [night], "2026-03", AT)
    assert figures.measured_seconds / 60 == 31 * 24 * 60
    assert float(figures.uptime) == (44640 - 90) / 44640 * 100


def test_bloomneo_maintenance_announced_48_hours_ahead_is_excluded() -> None:
    """Bloomneo (NOTES.md): downtime does not include "scheduled maintenance announced at least 48 hours ahead" """
    account = Account(id="acme", plan="basic")
    on_time = outage(
        "M-1",
        "2026-03-12T02:00:00Z",
        "2026-03-12T04:00:00Z",
        kind="maintenance",
        component="customer_tools",
        announced="2026-03-10T02:00:00Z",
    )
    figures = seed_figures("bloomneo", account, [on_time], "2026-03", AT)
    assert figures.downtime_seconds == 0
    assert excluded_by(figures) == {"announced_maintenance": 120}


def test_bloomneo_maintenance_announced_less_than_48_hours_ahead_counts() -> None:
    """Bloomneo (NOTES.md): only "scheduled maintenance announced at least 48 hours ahead" is excluded."""
    account = Account(id="acme", plan="basic")
    late = outage(
        "M-1",
        "2026-03-12T02:00:00Z",
        "2026-03-12T04:00:00Z",
        kind="maintenance",
        component="customer_tools",
        announced="2026-03-10T02:00:01Z",
    )
    figures = seed_figures("bloomneo", account, [late], "2026-03", AT)
    assert figures.down_seconds / 60 == 120


def test_bloomneo_excludes_outages_of_upstream_cloud_providers() -> None:
    """Bloomneo (NOTES.md): downtime does not include "outages of upstream cloud providers" """
    account = Account(id="acme", plan="max")
    upstream = outage(
        "B-1", "2026-03-22T09:00:00Z", "2026-03-22T10:00:00Z", component="cloud_servers", cause="upstream_provider"
    )
    figures = seed_figures("bloomneo", account, [upstream], "2026-03", AT)
    assert excluded_by(figures) == {"cause:upstream_provider": 60}


def test_walt_labs_us_clients_maintenance_window_is_six_to_seven_utc() -> None:
    """WALT Labs, Maintenance Windows: "For US Clients: 6-7am UTC" """
    spill = outage("W-1", "2026-03-02T05:30:00Z", "2026-03-02T07:30:00Z", component="managed-cloud")
    us = seed_figures("walt-labs", Account(id="acme", region="US"), [spill], "2026-03", AT)
    assert us.down_seconds / 60 == 60
    assert excluded_by(us) == {"window:US clients": 60}


def test_walt_labs_eu_clients_maintenance_window_is_one_to_two_utc() -> None:
    """WALT Labs, Maintenance Windows: "For EU Clients: 1-2am UTC" """
    failover = outage("W-1", "2026-03-03T01:00:00Z", "2026-03-03T01:45:00Z", component="managed-cloud")
    eu = seed_figures("walt-labs", Account(id="acme", region="EU"), [failover], "2026-03", AT)
    us = seed_figures("walt-labs", Account(id="acme", region="US"), [failover], "2026-03", AT)
    assert excluded_by(eu) == {"window:EU clients": 45}
    assert us.down_seconds / 60 == 45


def test_walt_labs_windows_recur_every_day() -> None:
    """WALT Labs: "Currently WALT Labs operates within the specific maintenance windows show below"
    — read as daily windows, so every day's 06:00–07:00 UTC is maintenance for US clients."""
    days = [
        outage(f"W-{n}", f"2026-03-{n:02d}T06:00:00Z", f"2026-03-{n:02d}T07:00:00Z", component="managed-cloud")
        for n in range(1, 32)
    ]
    us = seed_figures("walt-labs", Account(id="acme", region="US"), days, "2026-03", AT)
    assert us.down_seconds == 0
    assert excluded_by(us) == {"window:US clients": 31 * 60}


def test_eleveo_planned_downtime_with_advance_notice_is_excluded() -> None:
    """Eleveo 5.1: "(i) occasional planned downtime at non-peak hours (for which Eleveo will provide
    advance notice)" """
    planned = outage(
        "M-1", "2026-03-14T22:00:00Z", "2026-03-14T23:00:00Z", kind="maintenance", announced="2026-03-10T09:00:00Z"
    )
    unannounced = outage("M-2", "2026-03-21T22:00:00Z", "2026-03-21T23:00:00Z", kind="maintenance")
    figures = seed_figures("eleveo", Account(id="acme"), [planned, unannounced], "2026-03", AT)
    assert excluded_by(figures) == {"announced_maintenance": 60}
    assert figures.down_seconds / 60 == 60


def test_eleveo_excludes_unavailability_of_the_infrastructure_provider_and_the_clients_network() -> None:
    """Eleveo 5.1: "(ii) any unavailability caused by circumstances beyond Eleveo's reasonable control,
    including unavailability of services of infrastructure provider, ... issues on the Client's network" """
    records = [
        outage("E-1", "2026-03-06T01:00:00Z", "2026-03-06T02:00:00Z", cause="upstream_provider"),
        outage("E-2", "2026-03-20T09:00:00Z", "2026-03-20T11:00:00Z", cause="customer_network"),
    ]
    figures = seed_figures("eleveo", Account(id="acme"), records, "2026-03", AT)
    assert figures.down_seconds == 0
    assert excluded_by(figures) == {"cause:upstream_provider": 60, "cause:customer_network": 120}
