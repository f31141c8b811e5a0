"""Accounts (customers) as the engines see them: zone, plan, fee and standing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """A customer account.

    `timezone` is the customer's own IANA zone, used by calendars that say `timezone: customer`.
    `unpaid_since` is the instant from which an invoice has been overdue (UTC-aware), or None.
    `overrides` are contract terms that replace the policy's ("unless stated otherwise on a
    customer contract"), as dotted policy paths to values in policy-file syntax,
    e.g. {"levels.standard.targets.first_response.duration": "1h", "uptime.commitment_percent": "99.9"}.
    """

    id: str
    timezone: str | None = None
    plan: str | None = None
    monthly_fee: Decimal | None = None
    currency: str = "USD"
    region: str | None = None
    trial: bool = False
    unpaid_since: datetime | None = None
    overrides: Mapping[str, str] = field(default_factory=dict)

    def in_good_standing_at(self, at: datetime) -> bool:
        """True unless an invoice was already overdue at `at`."""
        return self.unpaid_since is None or self.unpaid_since > at
