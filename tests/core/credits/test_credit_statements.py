"""Statements as CONTRACT.md prints them: keys, rounding, statuses and explanations a person can check."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from credit_helpers import account, statements
from hypothesis import given, settings
from hypothesis import strategies as st

from seed_builders import outage
from troth.core.credits.claims import CreditStatus
from troth.core.errors import PolicyError
from troth.core.instants import format_utc, parse_instant
from troth.core.uptime.records import Outage

CONTRACT_KEYS = [
    "account",
    "month",
    "commitment_percent",
    "measured_minutes",
    "downtime_minutes",
    "excluded_minutes",
    "uptime_percent",
    "credit_percent",
    "credit_amount",
    "status",
    "explanation",
]
FIVE_HOURS = outage("O-1", "2026-03-03T09:00:00-06:00", "2026-03-03T14:00:00-06:00")
THIRD_PARTY = outage("O-2", "2026-03-12T10:00:00-05:00", "2026-03-12T10:30:00-05:00", cause="third_party")


def test_a_row_has_the_contracts_keys_in_the_contracts_order() -> None:
    row = statements("balto", [account(fee="4300.00")], [FIVE_HOURS, THIRD_PARTY])["acme"].as_row()
    assert list(row) == CONTRACT_KEYS
    assert row["month"] == "2026-03"
    assert row["commitment_percent"] == 99.5
    assert (row["measured_minutes"], row["downtime_minutes"], row["excluded_minutes"]) == (14520.0, 300.0, 30.0)
    assert row["uptime_percent"] == 97.9339  # (14520 − 300) ÷ 14520 × 100 = 97.93388…, 4 decimals
    assert row["credit_amount"] == "673.43"
    assert row["status"] == "applied"


def test_statements_are_sorted_by_account() -> None:
    found = statements("balto", [account("zeta"), account("alpha"), account("mid")], [FIVE_HOURS])
    assert list(found) == ["alpha", "mid", "zeta"]


def test_money_always_has_two_decimals() -> None:
    row = statements("eleveo", [account(fee="50")], [], claims=[])["acme"].as_row()
    assert row["credit_amount"] == "0.00"


def test_credit_is_zero_unless_applied_but_the_owed_amount_is_explained() -> None:
    down = outage("E-1", "2026-03-04T00:00:00Z", "2026-03-04T12:00:00Z")
    statement = statements("eleveo", [account(fee="3900.00")], [down], at="2026-04-02T00:00:00Z")["acme"]
    assert statement.status is CreditStatus.UNCLAIMED
    assert (statement.as_row()["credit_percent"], statement.as_row()["credit_amount"]) == (0.0, "0.00")
    assert any("10.0 % of 3900.00 USD = 390.00 USD" in line for line in statement.explanation)


def test_the_explanation_accounts_for_every_excluded_minute_and_the_arithmetic() -> None:
    statement = statements("balto", [account(fee="4300.00")], [FIVE_HOURS, THIRD_PARTY])["acme"]
    text = statement.explanation
    assert text[0].startswith("Measured: the 14520.0 business minutes of 2026-03 on calendar 'business'")
    assert text[1] == "Downtime: 300.0 minutes from O-1 (overlaps counted once)."
    assert text[2].startswith("Excluded 30.0 minutes: cause 'third_party'")
    assert text[2].endswith(": O-2.")
    assert any(line.startswith("Uptime: (14520.0 − 300.0) ÷ 14520.0 × 100 = 97.9339 %") for line in text)
    assert any("14520.0 × (100 − 99.5) % = 72.6 minutes" in line for line in text)
    assert any("30 % of the month's fee (1290.00 USD); not reached" in line for line in text)
    assert text[-1].startswith("Status applied")


def test_an_account_without_a_fee_is_owed_nothing_and_told_why() -> None:
    statement = statements("balto", [account(fee=None)], [FIVE_HOURS])["acme"]
    assert statement.credit_amount == 0
    assert any("no monthly_fee" in line for line in statement.explanation)


def test_a_policy_without_credits_cannot_state_credits() -> None:
    with pytest.raises(PolicyError, match="no uptime commitment with service credits"):
        statements("walt-labs", [account()], [])


def test_a_month_in_progress_says_its_figures_are_so_far() -> None:
    statement = statements("balto", [account()], [FIVE_HOURS], at="2026-03-20T00:00:00Z")["acme"]
    assert statement.figures.measured_seconds == 14520 * 60  # still the whole month
    assert any("not over" in line for line in statement.explanation)
    # 300 minutes down against 72.6 allowed: the budget is gone, and it burned fast.
    budget = next(line for line in statement.explanation if line.startswith("Error budget"))
    assert budget.startswith("Error budget: spent: 227.4 minutes beyond the 72.6 allowed this month; burn rate")


starts = st.integers(min_value=0, max_value=30 * 24 * 60)
lengths = st.integers(min_value=0, max_value=24 * 60)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(starts, lengths), max_size=5), st.tuples(starts, lengths))
def test_one_more_outage_never_lowers_a_credit(existing: list[tuple[int, int]], added: tuple[int, int]) -> None:
    def records(component: str, pairs: list[tuple[int, int]]) -> list[Outage]:
        found = []
        for index, (start, length) in enumerate(pairs):
            began = parse_instant("2026-03-01T06:00:00Z") + timedelta(minutes=start)
            ended = format_utc(began + timedelta(minutes=length))
            found.append(outage(f"O-{index}", format_utc(began), ended, component=component))
        return found

    # Balto and Bloomneo apply credits automatically, so the amount is what is owed.
    for policy, component, customer in (
        ("balto", "core", account(fee="4300.00")),
        ("bloomneo", "cloud_servers", account(fee="599.00", plan="pro")),
    ):
        less, more = (
            statements(policy, [customer], records(component, pairs))["acme"].credit_amount
            for pairs in (existing, [*existing, added])
        )
        assert Decimal(0) <= less <= more
