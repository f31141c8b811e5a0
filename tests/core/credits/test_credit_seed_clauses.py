"""One test per credit clause of the seed SLAs, each run on the shipped policy file."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from credit_helpers import account, claim, statements, with_credits

from seed_builders import outage, seed
from troth.core.credits.claims import CreditStatus
from troth.core.instants import format_utc, parse_instant
from troth.core.policies.model import CreditTier
from troth.core.uptime.records import Outage

CENT = Decimal("0.01")
BALTO_MARCH = Decimal(14520)  # business minutes of March 2026 (22 weekdays x 11 hours)


def balto_credit(fee: str, downtime_minutes: int) -> Decimal:
    """Balto's formula written out: 10 x fee x (downtime - what 99.5 % allows) / measured minutes."""
    allowed = BALTO_MARCH * Decimal("0.005")
    return (Decimal(fee) * 10 * (downtime_minutes - allowed) / BALTO_MARCH).quantize(CENT, ROUND_HALF_UP)


FIVE_HOURS = outage("O-1", "2026-03-03T09:00:00-06:00", "2026-03-03T14:00:00-06:00")


def test_balto_credits_ten_times_the_fee_paid_for_the_downtime_beyond_the_commitment() -> None:
    """Balto: "a credit to each affected account equal to 10 times the amount that the customer paid
    for the period the Service was down in excess of the Uptime Commitment" """
    statement = statements("balto", [account(fee="4300.00")], [FIVE_HOURS])["acme"]
    assert statement.credit_amount == balto_credit("4300.00", 300) == Decimal("673.43")
    assert statement.status is CreditStatus.APPLIED
    # Its credit_percent is the credit as a share of the fee.
    assert statement.as_row()["credit_percent"] == round(float(Decimal(10) * (300 - Decimal("72.6")) / 14520 * 100), 4)


def test_balto_credits_are_capped_at_30_percent_of_the_month() -> None:
    """Balto: Service Credits "are capped at a maximum of 30% of paid service during the month in which
    the Downtime occurred" """
    two_days = outage("O-1", "2026-03-25T07:00:00-05:00", "2026-03-26T18:00:00-05:00")
    statement = statements("balto", [account(fee="3000.00")], [two_days])["acme"]
    assert balto_credit("3000.00", 1320) > Decimal("900.00")
    assert statement.credit_amount == Decimal("900.00")
    assert statement.as_row()["credit_percent"] == 30.0


def test_balto_credits_are_applied_without_a_claim() -> None:
    """Balto: "Balto will apply a credit to each affected account" """
    assert statements("balto", [account()], [FIVE_HOURS])["acme"].status is CreditStatus.APPLIED


AFTER_INVOICE = outage("O-2", "2026-03-24T09:00:00-05:00", "2026-03-24T17:00:00-05:00")


def test_balto_downtime_after_an_invoice_became_overdue_earns_no_credit() -> None:
    """Balto: Service Credits "require you to have paid any outstanding invoices prior to the Downtime
    event" — judged per outage, at the instant it began."""
    overdue = "2026-03-16T00:00:00-05:00"
    found = statements(
        "balto",
        [account("early", fee="2000.00", unpaid_since=overdue), account("late", unpaid_since="2026-03-01T00:00:00Z")],
        [FIVE_HOURS, AFTER_INVOICE],
    )
    # The early outage still earns its credit, computed as if the later one had not happened.
    assert found["early"].credit_amount == balto_credit("2000.00", 300) == Decimal("313.22")
    assert found["early"].figures.downtime_seconds == (300 + 480) * 60
    assert any("O-2" in line and "overdue" in line for line in found["early"].explanation)
    # With every outage after the invoice went overdue, nothing is owed to the account.
    assert found["late"].status is CreditStatus.INELIGIBLE
    assert found["late"].credit_amount == 0


def test_balto_an_outage_that_began_in_good_standing_keeps_its_whole_credit() -> None:
    """Balto: "require you to have paid any outstanding invoices prior to the Downtime event": an
    invoice falling due while the outage lasts does not take its credit away."""
    during = account(fee="4300.00", unpaid_since="2026-03-03T10:00:00-06:00")
    assert statements("balto", [during], [FIVE_HOURS])["acme"].credit_amount == Decimal("673.43")


PLAN_OUTAGE = outage("B-1", "2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z", component="cloud_servers")


def test_bloomneo_commitments_depend_on_the_plan() -> None:
    """Bloomneo (NOTES.md): "Basic 99.5 %, Pro 99.9 %, Max 99.95 %" — one hour down is 99.8656 %."""
    found = statements(
        "bloomneo",
        [account("basic", plan="basic"), account("pro", plan="pro"), account("max", plan="max")],
        [PLAN_OUTAGE],
    )
    assert {name: s.commitment_percent for name, s in found.items()} == {
        "basic": Decimal("99.5"),
        "pro": Decimal("99.9"),
        "max": Decimal("99.95"),
    }
    assert found["basic"].status is CreditStatus.NONE
    assert found["pro"].status is CreditStatus.APPLIED
    assert found["max"].status is CreditStatus.APPLIED


def test_bloomneo_credits_are_capped_at_half_the_months_fee() -> None:
    """Bloomneo: "The maximum credit in any month is 50% of that month's fee." (with a stand-in table
    that would give more)"""
    generous = with_credits(
        seed("bloomneo"), tiers=(CreditTier(below_percent=Decimal(99), credit_percent=Decimal(80)),)
    )
    day = outage("B-1", "2026-03-05T00:00:00Z", "2026-03-06T00:00:00Z", component="cloud_servers")
    statement = statements(generous, [account(plan="basic", fee="2999.00")], [day])["acme"]
    assert statement.credit_amount == Decimal("1499.50")
    assert statement.as_row()["credit_percent"] == 50.0


def test_bloomneo_credits_are_applied_automatically() -> None:
    """Bloomneo: "Service credits are applied automatically — you don't need to ask." """
    assert statements("bloomneo", [account(plan="pro")], [PLAN_OUTAGE])["acme"].status is CreditStatus.APPLIED


def test_bloomneo_free_trials_earn_no_credit() -> None:
    """Bloomneo: "Service credits do not apply during free trials, beta features, or services labeled as
    'experimental'." """
    statement = statements("bloomneo", [account(plan="pro", trial=True)], [PLAN_OUTAGE])["acme"]
    assert statement.status is CreditStatus.INELIGIBLE
    assert (statement.credit_amount, statement.credit_percent) == (0, 0)


def eleveo_downtime(seconds: int) -> list[Outage]:
    """One outage of `seconds` on 4 March 2026 (UTC, Eleveo's month)."""
    start = parse_instant("2026-03-04T00:00:00Z")
    return [outage("E-1", format_utc(start), format_utc(start + timedelta(seconds=seconds)))]


@pytest.mark.parametrize(
    ("downtime_seconds", "percent", "status"),
    [
        (26784, 0, CreditStatus.NONE),  # exactly 99.0 %: not below the threshold
        (26785, 10, CreditStatus.APPLIED),  # a second more
        (42000, 10, CreditStatus.APPLIED),  # 98.43 %
        (80352, 10, CreditStatus.APPLIED),  # exactly 97.0 %: below 99.0 % but not below 97.0 %
        (80353, 20, CreditStatus.APPLIED),
    ],
)
def test_eleveo_credits_follow_its_tier_table(downtime_seconds: int, percent: int, status: CreditStatus) -> None:
    """Eleveo 5.2: "Below 99.0 % — 10 % of the monthly payment; Below 97.0 % — 20 % of the monthly payment" """
    nashville = claim("acme", "2026-03", "2026-04-02T09:00:00Z")
    found = statements("eleveo", [account(fee="3900.00")], eleveo_downtime(downtime_seconds), claims=[nashville])
    assert found["acme"].status is status
    assert found["acme"].credit_percent == percent
    assert found["acme"].credit_amount == Decimal("3900.00") * percent / 100


@pytest.mark.parametrize(
    ("claimed_at", "at", "status"),
    [
        (None, "2026-04-30T23:59:59Z", CreditStatus.UNCLAIMED),
        (None, "2026-05-01T00:00:00Z", CreditStatus.EXPIRED),
        ("2026-04-30T23:59:59Z", "2026-05-20T00:00:00Z", CreditStatus.APPLIED),
        ("2026-05-01T00:00:00Z", "2026-05-20T00:00:00Z", CreditStatus.EXPIRED),
        ("2026-04-15T00:00:00Z", "2026-04-10T00:00:00Z", CreditStatus.UNCLAIMED),  # not made yet at --at
    ],
)
def test_eleveo_credits_must_be_requested_within_30_days_after_the_month(
    claimed_at: str | None, at: str, status: CreditStatus
) -> None:
    """Eleveo 5.2: "the Client may request a credit within thirty (30) days after the month in which the
    uptime fell below threshold" """
    claims = [] if claimed_at is None else [claim("acme", "2026-03", claimed_at)]
    found = statements("eleveo", [account()], eleveo_downtime(42000), at=at, claims=claims)["acme"]
    assert found.status is status
    assert found.credit_amount == (Decimal("100.00") if status is CreditStatus.APPLIED else 0)
