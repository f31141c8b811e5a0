"""Builders for uptime tests: seed policies, accounts and outages written with literal ISO strings."""

from __future__ import annotations

from seed_builders import seed
from troth.core.accounts import Account
from troth.core.instants import parse_instant, to_epoch
from troth.core.policies.effective import effective_policy
from troth.core.uptime.figures import UptimeFigures
from troth.core.uptime.measure import Subject, measure_totals, records_by_account
from troth.core.uptime.periods import Month
from troth.core.uptime.records import Outage
from troth.core.uptime.rules import MeasurementRules, rules_for
from troth.core.uptime.table import build_table


def month_figures(
    rules: MeasurementRules, outages: list[Outage], month: str, at: str, account: str = "acme"
) -> UptimeFigures:
    """One account's figures for a month in the rules' zone, as known at `at`."""
    table = build_table(outages, to_epoch(parse_instant(at)))
    window = Month.parse(month).span(rules.zone)
    records = records_by_account(table, [account], window)
    return measure_totals(table, [Subject(key=account, rules=rules, records=records[account])], window)[account]


def seed_figures(name: str, account: Account, outages: list[Outage], month: str, at: str) -> UptimeFigures:
    policy = effective_policy(seed(name), account)
    return month_figures(rules_for(policy, account), outages, month, at, account.id)


def minutes(seconds: int | float) -> float:
    return seconds / 60


def excluded_by(figures: UptimeFigures) -> dict[str, float]:
    """Excluded minutes by reason key."""
    return {reason.key: seconds / 60 for reason, seconds in figures.excluded}
