"""Outage and maintenance records, as monitors detect them or an operator imports them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class OutageKind(StrEnum):
    DOWN = "down"
    """The service (or the named component) was unavailable."""
    DEGRADED = "degraded"
    """Available but slow or partly failing; counts as the policy's `degraded` rule says."""
    MAINTENANCE = "maintenance"
    """Planned downtime; excluded when announced as the policy's notice rule requires."""


class Cause(StrEnum):
    """What caused an outage: a closed vocabulary, so that a typo never silently counts.

    A policy's exclusions name the causes that do not count; `internal` (the provider's own
    doing) is what every SLA counts, and is assumed when a record names no cause.
    """

    INTERNAL = "internal"
    THIRD_PARTY = "third_party"
    CUSTOMER = "customer"
    CUSTOMER_INTERNET = "customer_internet"
    CUSTOMER_NETWORK = "customer_network"
    CUSTOMER_TELECOMS = "customer_telecoms"
    CUSTOMER_SUSPENSION = "customer_suspension"
    FORCE_MAJEURE = "force_majeure"
    UPSTREAM_PROVIDER = "upstream_provider"
    EXTERNAL_NETWORK = "external_network"
    BETA = "beta"
    PERFORMANCE = "performance"
    NON_CRITICAL_WORKFLOW = "non_critical_workflow"
    LIMITED_IMPACT = "limited_impact"


CAUSE_DESCRIPTIONS: dict[Cause, str] = {
    Cause.INTERNAL: "the provider's own systems",
    Cause.THIRD_PARTY: "external apps or third parties the service integrates with",
    Cause.CUSTOMER: "the customer's own configuration, code or people acting for them",
    Cause.CUSTOMER_INTERNET: "the customer's Internet connection",
    Cause.CUSTOMER_NETWORK: "the customer's own network",
    Cause.CUSTOMER_TELECOMS: "telecommunications services the customer contracted directly",
    Cause.CUSTOMER_SUSPENSION: "a suspension or termination the customer started",
    Cause.FORCE_MAJEURE: "force majeure: circumstances beyond the provider's reasonable control",
    Cause.UPSTREAM_PROVIDER: "an upstream infrastructure or cloud provider",
    Cause.EXTERNAL_NETWORK: "networks or equipment outside the provider's reasonable control",
    Cause.BETA: "a pilot, alpha, beta or experimental feature",
    Cause.PERFORMANCE: "slowness or performance issues that do not prevent use",
    Cause.NON_CRITICAL_WORKFLOW: "a non-critical workflow, or one with a workaround",
    Cause.LIMITED_IMPACT: "an issue not affecting a significant subset of customers",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Outage:
    """One outage or maintenance record over `[start_at, end_at)` (UTC-aware instants).

    `end_at` is None while it is still going on: it then runs to the evaluation instant.
    `accounts` is None when it affects every account, else the ids it affects.
    `announced_at` is when a maintenance was announced (None: never announced).
    """

    id: str
    kind: OutageKind
    start_at: datetime
    end_at: datetime | None
    component: str
    accounts: frozenset[str] | None = None
    cause: Cause = Cause.INTERNAL
    announced_at: datetime | None = None

    def affects(self, account_id: str) -> bool:
        return self.accounts is None or account_id in self.accounts
