"""Which policy judges each ticket: the version in force at its creation, with its account's plan
and contract applied, and the account's own time zone for `timezone: customer` calendars."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import numpy as np

from troth.core.accounts import Account
from troth.core.clocks.bulk import Assignment
from troth.core.clocks.bulk_timeline import CREATED
from troth.core.clocks.columns import NONE, EventColumns, Ints
from troth.core.clocks.timeline import TicketError
from troth.core.policies.effective import effective_policy, terms_key
from troth.core.policies.model import Policy, PolicyHistory

SECONDS_PER_DAY = 86_400


def version_index(history: PolicyHistory, created_at: Ints) -> tuple[tuple[Policy, ...], Ints]:
    """`PolicyHistory.in_force_at` over creation instants: the versions by date, and each ticket's."""
    versions = tuple(sorted(history.versions, key=lambda p: p.effective_from))
    days = np.array([p.effective_from.toordinal() for p in versions], dtype=np.int64)
    created_day = created_at // SECONDS_PER_DAY + 719_163  # 1970-01-01 is ordinal day 719 163
    chosen = np.searchsorted(days, created_day, side="right") - 1
    return versions, np.maximum(chosen, 0)


def assign(events: EventColumns, history: PolicyHistory, accounts: Mapping[str, Account] | None) -> Assignment:
    """Each ticket's policy variant and zone. With `accounts`, a ticket's account must be one of them;
    without, every ticket gets the policy as written and no zone of its own."""
    created = np.flatnonzero(events.kind == CREATED)
    n = len(events.ticket_ids)
    created_at = np.zeros(n, dtype=np.int64)
    account_code = np.full(n, NONE, dtype=np.int64)
    sequence = np.zeros(n, dtype=np.int64)
    created_at[events.ticket[created]] = events.at[created]
    account_code[events.ticket[created]] = events.account[created]
    sequence[events.ticket[created]] = events.sequence[created]
    versions, version = version_index(history, created_at)
    known = [None if accounts is None else accounts.get(name) for name in events.accounts]
    if accounts is not None:
        _check_known(events, known, account_code, sequence)
    variants: list[Policy] = []
    variant_of: dict[tuple[object, ...], int] = {}
    zones: list[str | None] = [None]
    pair_variant = np.zeros((len(versions), len(known) + 1), dtype=np.int64)
    pair_zone = np.zeros(len(known) + 1, dtype=np.int64)
    for a, account in enumerate([*known, None]):
        zone = None if account is None else account.timezone
        if zone not in zones:
            zones.append(zone)
        pair_zone[a] = zones.index(zone)
        for v, policy in enumerate(versions):
            key = (v, None) if account is None else (v, *terms_key(account))
            if key not in variant_of:
                variant_of[key] = len(variants)
                variants.append(policy if account is None else effective_policy(policy, account))
            pair_variant[v, a] = variant_of[key]
    column = np.where(account_code == NONE, len(known), account_code)
    return Assignment(
        policies=tuple(variants),
        ticket_policy=pair_variant[version, column],
        zones=tuple(zones),
        ticket_zone=pair_zone[column],
    )


def _check_known(events: EventColumns, known: list[Account | None], account_code: Ints, sequence: Ints) -> None:
    unknown = [i for i, account in enumerate(known) if account is None]
    lacking = np.flatnonzero(np.isin(account_code, np.array(unknown, dtype=np.int64)))
    if lacking.size:
        ticket = lacking[np.argmin(sequence[lacking])]
        name = events.accounts[account_code[ticket]]
        raise TicketError(
            f"account '{name}' is not in the accounts file", sequence=int(sequence[ticket]), field="account"
        )


def policy_for_ticket(history: PolicyHistory, account: Account | None, created_at: datetime) -> Policy:
    """The version in force at the ticket's creation, with the account's plan and contract applied."""
    version = history.in_force_at(created_at.astimezone(UTC))  # effective dates are UTC days
    return version if account is None else effective_policy(version, account)
