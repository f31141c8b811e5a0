"""Credits for every account for one month: measure them together, then state each one."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np

from troth.core.accounts import Account
from troth.core.credits.claims import Claim
from troth.core.credits.explain import measured_line, minute_lines
from troth.core.credits.statement import CreditStatement, StatementInput, build_statement
from troth.core.errors import PolicyError
from troth.core.instants import to_epoch
from troth.core.intervals import Epochs
from troth.core.policies.model import Credits, Policy, Uptime
from troth.core.uptime.budget import error_budget
from troth.core.uptime.engine import measured_intervals
from troth.core.uptime.figures import UptimeFigures, minutes_text, percent_text
from troth.core.uptime.measure import Subject, measure_totals, records_by_account
from troth.core.uptime.notes import AccountRecords, RecordNotes, record_notes
from troth.core.uptime.periods import Month
from troth.core.uptime.records import Outage
from troth.core.uptime.rules import MeasurementRules, shared_rules
from troth.core.uptime.table import OutageTable, build_table


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountTerms:
    """An account and the policy as it applies to it (plan and contract overrides applied)."""

    account: Account
    policy: Policy


@dataclass(frozen=True, slots=True, kw_only=True)
class _Prepared:
    terms: AccountTerms
    uptime: Uptime
    credits: Credits
    rules: MeasurementRules
    window: tuple[int, int]


def month_statements(
    terms: Sequence[AccountTerms], outages: Sequence[Outage], claims: Sequence[Claim], month: Month, at: datetime
) -> list[CreditStatement]:
    """One statement per account for `month`, as known at `at`, sorted by account id."""
    table = build_table(outages, to_epoch(at))
    rules = shared_rules((t.policy, t.account) for t in terms)
    prepared = [_prepare(t, month, rules[t.account.id]) for t in terms]
    statements = []
    for window in sorted({p.window for p in prepared}):
        members = [p for p in prepared if p.window == window]
        statements += _statements_in_window(table, members, claims, month, at)
    return sorted(statements, key=lambda s: s.account)


def _prepare(terms: AccountTerms, month: Month, rules: MeasurementRules) -> _Prepared:
    policy = terms.policy
    if policy.uptime is None or policy.credits is None:
        raise PolicyError(f"policy '{policy.id}' has no uptime commitment with service credits")
    return _Prepared(
        terms=terms, uptime=policy.uptime, credits=policy.credits, rules=rules, window=_span(month, rules.zone)
    )


def _budget_line(prepared: _Prepared, figures: UptimeFigures, at: int) -> str:
    """For a month in progress: how much more downtime the commitment allows, and the burn rate."""
    lo, hi = prepared.window
    elapsed = _elapsed(prepared.rules, lo, max(lo, min(at, hi)))
    budget = error_budget(
        prepared.uptime.commitment_percent, figures.measured_seconds, elapsed, figures.downtime_seconds
    )
    rate = "no burn rate yet" if budget.burn_rate is None else f"burn rate {percent_text(budget.burn_rate)}"
    allowed = minutes_text(budget.allowed_seconds)
    if budget.left_seconds < 0:
        left = f"spent: {minutes_text(-budget.left_seconds)} minutes beyond the {allowed} allowed this month"
    else:
        left = f"{minutes_text(budget.left_seconds)} more minutes of downtime of the {allowed} allowed this month"
    return f"Error budget: {left}; {rate} (1.0 spends it exactly by the month's end)."


@lru_cache(maxsize=256)
def _elapsed(rules: MeasurementRules, lo: int, until: int) -> int:
    return measured_intervals(rules, lo, until).total()


@lru_cache(maxsize=64)
def _span(month: Month, zone: str) -> tuple[int, int]:
    return month.span(zone)


def _statements_in_window(
    table: OutageTable, members: list[_Prepared], claims: Sequence[Claim], month: Month, at: datetime
) -> list[CreditStatement]:
    window = members[0].window
    records = records_by_account(table, [p.terms.account.id for p in members], window)
    notes = {rules: record_notes(table, rules, window) for rules in {p.rules for p in members}}
    subjects = [Subject(key=p.terms.account.id, rules=p.rules, records=records[p.terms.account.id]) for p in members]
    ineligible = {p.terms.account.id: _began_while_overdue(table, notes[p.rules], p, records) for p in members}
    for p in members:
        left_out = ineligible[p.terms.account.id]
        if left_out.size:
            # The same account without the outages that began while an invoice was overdue.
            kept = np.setdiff1d(records[p.terms.account.id], left_out)
            subjects.append(Subject(key=(p.terms.account.id, "eligible"), rules=p.rules, records=kept))
    figures = measure_totals(table, subjects, window)
    claimed: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.month == month:
            claimed.setdefault(claim.account, []).append(claim)
    return [
        _statement(table, p, month, at, records[p.terms.account.id], notes[p.rules], figures, ineligible, claimed)
        for p in members
    ]


def _began_while_overdue(
    table: OutageTable, notes: RecordNotes, prepared: _Prepared, records: dict[str, Epochs]
) -> Epochs:
    """Counted records that began when the account already had an overdue invoice."""
    account = prepared.terms.account
    mine = records[account.id]
    if account.unpaid_since is None or not prepared.credits.eligibility.require_paid_invoices:
        return mine[:0]
    began = np.array([to_epoch(table.outages[i].start_at) for i in mine.tolist()], dtype=np.int64)
    seen = AccountRecords.take(table, notes, mine)
    # Only records that added measured minutes matter; the others change nothing.
    return mine[seen.counted & (seen.measured > 0) & (began >= to_epoch(account.unpaid_since))]


def _statement(
    table: OutageTable,
    prepared: _Prepared,
    month: Month,
    at: datetime,
    records: Epochs,
    notes: RecordNotes,
    figures: Mapping[Hashable, UptimeFigures],
    ineligible: dict[str, Epochs],
    claimed: dict[str, list[Claim]],
) -> CreditStatement:
    account = prepared.terms.account
    mine = figures[account.id]
    seen = AccountRecords.take(table, notes, records)
    lines = [
        measured_line(prepared.rules, month, mine.measured_seconds),
        *minute_lines(seen, prepared.rules, mine, table.at),
    ]
    if to_epoch(at) < prepared.window[1]:
        lines.append(
            f"The month is not over at the evaluation instant: figures so far, measured against all of {month}."
        )
        lines.append(_budget_line(prepared, mine, to_epoch(at)))
    return build_statement(
        StatementInput(
            account=account,
            month=month,
            zone=prepared.rules.zone,
            commitment=prepared.uptime.commitment_percent,
            commitment_clause=prepared.uptime.clause,
            credits=prepared.credits,
            figures=mine,
            eligible=figures.get((account.id, "eligible")),
            ineligible_ids=[table.outages[i].id for i in ineligible[account.id].tolist()],
            claims=claimed.get(account.id, []),
            at=at,
            lines=lines,
        )
    )
