"""Bloomneo (seeds/002 plus the facts NOTES.md restores): every clause, and the lost ones as placeholders."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from troth.core.policies.model import CreditMethod, DegradedCounting, Measurement, Policy, TargetStop


def test_plan_tiers_commit_to_different_uptime(bloomneo: Policy) -> None:
    """ "Basic 99.5 %, Pro 99.9 %, Max 99.95 %" """
    commitments = {plan.key: plan.uptime_commitment_percent for plan in bloomneo.plans}
    assert commitments == {"basic": Decimal("99.5"), "pro": Decimal("99.9"), "max": Decimal("99.95")}


def test_uptime_counts_every_minute_of_the_month(bloomneo: Policy) -> None:
    """ "Uptime % = (Total minutes in month − Downtime minutes) ÷ Total minutes in month × 100" """
    assert bloomneo.uptime is not None
    assert bloomneo.uptime.measurement is Measurement.ALL_MINUTES
    assert bloomneo.uptime.degraded is DegradedCounting.FULL


def test_downtime_does_not_include_the_listed_causes(bloomneo: Policy) -> None:
    """ "Downtime does not include: ... the customer's own configuration, code or third-party integrations;
    force majeure; outages of upstream cloud providers; suspensions or terminations the customer started" """
    assert bloomneo.uptime is not None
    assert {"customer", "third_party", "force_majeure", "upstream_provider", "customer_suspension"} <= (
        bloomneo.uptime.excluded_causes
    )


def test_maintenance_announced_48_hours_ahead_is_excluded(bloomneo: Policy) -> None:
    """ "scheduled maintenance announced at least 48 hours ahead" """
    assert bloomneo.maintenance.excluded_from_downtime
    assert bloomneo.maintenance.notice == timedelta(hours=48)


def test_credits_are_automatic_and_capped_at_half_the_fee(bloomneo: Policy) -> None:
    """ "Service credits are applied automatically ... The maximum credit in any month is 50% of that month's fee." """
    credits = bloomneo.credits
    assert credits is not None
    assert credits.claims.automatic
    assert credits.cap_percent == Decimal(50)
    assert credits.method is CreditMethod.TIERS


def test_lost_facts_are_explicit_placeholders(bloomneo: Policy) -> None:
    """ "Not recoverable from any source we have: the credit-per-uptime table and the P1–P4 first-response times." """
    assert "credits.tiers" in bloomneo.placeholders
    for key in ("P1", "P2", "P3", "P4"):
        assert f"levels.{key}.targets.first_response.duration" in bloomneo.placeholders


def test_first_response_is_a_real_engineer(bloomneo: Policy) -> None:
    """ "'First response' means a real engineer acknowledges your ticket ... not just an automated reply." """
    assert [level.key for level in bloomneo.levels] == ["P1", "P2", "P3", "P4"]
    for level in bloomneo.levels:
        target = level.target("first_response")
        assert target is not None
        assert target.stops_on is TargetStop.FIRST_AGENT_REPLY
        assert "real engineer" in target.note


def test_credit_eligibility(bloomneo: Policy) -> None:
    """ "your account must be in good standing — meaning all invoices are paid" and "Service credits do not
    apply during free trials, beta features, or services labeled as 'experimental'" """
    assert bloomneo.credits is not None
    assert bloomneo.credits.eligibility.require_paid_invoices
    assert bloomneo.credits.eligibility.exclude_trials
    assert bloomneo.uptime is not None
    assert "beta" in bloomneo.uptime.excluded_causes


def test_notices_reports_and_post_mortems(bloomneo: Policy) -> None:
    """ "post a public incident report on our status page within 5 business days"; "After every major
    incident, we publish a post-mortem"; "we'll provide at least 60 days notice" """
    notices = bloomneo.notices
    assert notices.incident_report_within is not None
    assert notices.incident_report_within.amount == 5
    assert notices.incident_report_calendar == "business-days"
    assert notices.postmortem_after_major_incident
    assert notices.change_notice_days == 60


def test_daily_encrypted_backups_for_pro_and_max(bloomneo: Policy) -> None:
    """ "For Pro and Max plans, we provide automated daily backups ... Backups are encrypted ... We test
    backup restoration monthly" """
    backups = bloomneo.backups
    assert backups is not None
    assert (backups.frequency, backups.encrypted, backups.restore_test) == ("daily", True, "monthly")
    assert backups.plans == ("pro", "max")


def test_status_page_and_subscriptions(bloomneo: Policy) -> None:
    """ "You can subscribe to updates via email, RSS, or webhook." """
    assert bloomneo.status_page is not None
    assert bloomneo.status_page.subscriptions == ("email", "rss", "webhook")


def test_three_platform_layers(bloomneo: Policy) -> None:
    """ "three platform layers: Cloud Servers, Customer Tools, AI Agents" """
    assert [c.key for c in bloomneo.components] == ["cloud_servers", "customer_tools", "ai_agents"]
