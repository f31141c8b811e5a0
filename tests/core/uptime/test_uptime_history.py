"""`troth uptime`'s rows: uptime per day or month, per component, with the month's error budget."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from seed_builders import outage, seed
from troth.core.accounts import Account
from troth.core.instants import parse_instant
from troth.core.policies.effective import effective_policy
from troth.core.uptime.budget import error_budget
from troth.core.uptime.history import HistoryTerms, PeriodKind, Row, uptime_history

ORBIT = Account(id="orbit", plan="max")  # Bloomneo Max: 99.95 %
KETTLE = Account(id="kettle", plan="basic")  # Bloomneo Basic: 99.5 %


def history(
    accounts: list[Account], outages: list, first: str, last: str, by: PeriodKind, at: str, policy: str = "bloomneo"
) -> list[Row]:  # type: ignore[type-arg]
    terms = [HistoryTerms(account=a, policy=effective_policy(seed(policy), a)) for a in accounts]
    batches = uptime_history(terms, outages, date.fromisoformat(first), date.fromisoformat(last), by, parse_instant(at))
    return [row for batch in batches for row in batch]


def test_there_is_a_row_per_account_and_day_sorted_by_account_then_day() -> None:
    rows = history([ORBIT, KETTLE], [], "2026-03-01", "2026-03-03", PeriodKind.DAY, "2026-04-01T00:00:00Z")
    assert [(r["account"], r["period"]) for r in rows] == [
        ("kettle", "2026-03-01"),
        ("kettle", "2026-03-02"),
        ("kettle", "2026-03-03"),
        ("orbit", "2026-03-01"),
        ("orbit", "2026-03-02"),
        ("orbit", "2026-03-03"),
    ]
    assert list(rows[0]) == [
        "account",
        "period",
        "measured_minutes",
        "downtime_minutes",
        "excluded_minutes",
        "uptime_percent",
        "commitment_percent",
        "budget_left_minutes",
        "burn_rate",
        "components",
    ]


def test_each_day_shows_its_uptime_and_what_is_left_of_the_months_budget() -> None:
    records = [
        outage("B-1", "2026-03-02T10:00:00Z", "2026-03-02T10:12:00Z", component="cloud_servers"),
        outage("B-2", "2026-03-03T23:50:00Z", "2026-03-04T00:10:00Z", component="ai_agents"),
    ]
    rows = history([ORBIT], records, "2026-03-02", "2026-03-04", PeriodKind.DAY, "2026-04-01T00:00:00Z")
    by_day = {r["period"]: r for r in rows}
    assert by_day["2026-03-02"]["downtime_minutes"] == 12.0
    assert by_day["2026-03-02"]["uptime_percent"] == round((1440 - 12) / 1440 * 100, 4)
    assert by_day["2026-03-02"]["components"] == {
        "cloud_servers": {"downtime_minutes": 12.0, "uptime_percent": round((1440 - 12) / 1440 * 100, 4)}
    }
    # The budget is the month's: 44 640 minutes × 0.05 % = 22.32 minutes, less the downtime so far.
    assert by_day["2026-03-02"]["budget_left_minutes"] == 22.32 - 12
    assert by_day["2026-03-03"]["budget_left_minutes"] == round(22.32 - 12 - 10, 4)
    assert by_day["2026-03-04"]["budget_left_minutes"] == round(22.32 - 12 - 20, 4)


def test_the_burn_rate_compares_the_budget_spent_with_the_time_gone() -> None:
    records = [outage("B-1", "2026-03-02T10:00:00Z", "2026-03-02T10:12:00Z", component="cloud_servers")]
    rows = history([ORBIT], records, "2026-03-02", "2026-03-02", PeriodKind.DAY, "2026-04-01T00:00:00Z")
    budget = error_budget(Decimal("99.95"), 44640 * 60, 2 * 1440 * 60, Fraction(12 * 60))
    assert budget.burn_rate is not None
    assert rows[0]["burn_rate"] == round(float(budget.burn_rate), 4)
    assert rows[0]["budget_left_minutes"] == round(float(budget.left_seconds / 60), 4)
    assert rows[0]["burn_rate"] > 1  # at this pace the month's budget will not last


def test_a_day_in_progress_is_measured_up_to_the_evaluation_instant_and_later_days_are_left_out() -> None:
    still_open = outage("B-1", "2026-03-05T11:00:00Z", None, component="cloud_servers")
    rows = history([KETTLE], [still_open], "2026-03-04", "2026-03-31", PeriodKind.DAY, "2026-03-05T12:00:00Z")
    assert [r["period"] for r in rows] == ["2026-03-04", "2026-03-05"]
    assert rows[-1]["measured_minutes"] == 720.0
    assert rows[-1]["downtime_minutes"] == 60.0


def test_by_month_reports_whole_months_that_overlap_the_range() -> None:
    boundary = outage("B-1", "2026-02-28T23:00:00Z", "2026-03-01T01:00:00Z", component="cloud_servers")
    rows = history([KETTLE], [boundary], "2026-02-15", "2026-03-02", PeriodKind.MONTH, "2026-04-10T00:00:00Z")
    assert [(r["period"], r["measured_minutes"], r["downtime_minutes"]) for r in rows] == [
        ("2026-02", 28 * 1440.0, 60.0),
        ("2026-03", 31 * 1440.0, 60.0),
    ]
    assert rows[0]["budget_left_minutes"] == round(28 * 1440 * 0.005 - 60, 4)


def test_days_follow_the_policys_zone_across_a_dst_change() -> None:
    rows = history(
        [Account(id="acme", timezone="America/Chicago")],
        [],
        "2026-03-07",
        "2026-03-09",
        PeriodKind.DAY,
        "2026-04-10T00:00:00Z",
        policy="balto",
    )
    # Balto measures business minutes only: Saturday, Sunday (the DST change), then 11 hours Monday.
    assert [r["measured_minutes"] for r in rows] == [0.0, 0.0, 660.0]
    assert [r["uptime_percent"] for r in rows] == [100.0, 100.0, 100.0]


def test_a_policy_without_a_commitment_has_no_budget() -> None:
    rows = history(
        [Account(id="acme", region="US")],
        [outage("W-1", "2026-03-02T06:15:00Z", "2026-03-02T07:30:00Z", component="managed-cloud")],
        "2026-03-02",
        "2026-03-02",
        PeriodKind.DAY,
        "2026-04-01T00:00:00Z",
        policy="walt-labs",
    )
    assert rows[0]["commitment_percent"] is None
    assert rows[0]["budget_left_minutes"] is None
    assert rows[0]["burn_rate"] is None
    assert (rows[0]["downtime_minutes"], rows[0]["excluded_minutes"]) == (30.0, 45.0)


def test_error_budget_arithmetic() -> None:
    budget = error_budget(Decimal("99.5"), 14520 * 60, 7260 * 60, Fraction(363 * 6))
    assert budget.allowed_seconds == Fraction(726 * 6)  # 72.6 minutes
    assert budget.left_seconds == Fraction(363 * 6)  # 36.3 minutes used, 36.3 left
    assert budget.burn_rate == 1  # half the budget spent in half the month
    assert error_budget(Decimal(100), 100, 50, Fraction(0)).burn_rate is None
