"""The policy model: what an SLA says, as frozen values the engines read.

Policy files (YAML) are validated at the edge and turned into these objects; nothing here parses
text or knows about files. Percentages and money are `Decimal`. Every clause carries `clause`, the
reference a person finds in the source document, so explanations can cite it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from troth.core.calendars.spec import CalendarSpec
from troth.core.durations import TargetDuration
from troth.core.errors import PolicyError


class TargetStop(StrEnum):
    """What stops a target's clock."""

    FIRST_AGENT_REPLY = "first_agent_reply"
    """The first public reply written by a person on the provider's side (never automated)."""
    RESTORED = "restored"
    """Service restored; `resolved` also stops it when no `restored` came before."""
    RESOLVED = "resolved"


class Applicability(StrEnum):
    ALL = "all"
    PLATFORM_LEVEL = "platform_level"
    """Only tickets marked `platform_level` (the issue affects the platform, not one client)."""


class LevelChangeRule(StrEnum):
    RETROACTIVE = "retroactive"
    """The new level's target and calendar apply from the ticket's creation."""
    RESTART = "restart"
    """The new level's target starts afresh at the change."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """One promise attached to a level, such as first response within 4 business hours.

    `length` is the resolved business-time length on `calendar`, None when the target has none
    (`N/A`, or `scheduled`: due at the time the ticket carries). A `periodic` target re-arms after
    each public agent reply while the ticket is open (e.g. status updates every 4 hours).
    """

    key: str
    duration: TargetDuration
    length: timedelta | None
    calendar: str
    stops_on: TargetStop
    pauses_on: frozenset[str] = frozenset()
    applies_to: Applicability = Applicability.ALL
    periodic: bool = False
    channel: str | None = None
    clause: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Level:
    """A severity or priority level; `rank` 1 is the most urgent and orders the queue."""

    key: str
    name: str
    rank: int
    description: str = ""
    examples: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()

    def target(self, key: str) -> Target | None:
        return next((t for t in self.targets if t.key == key), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportChannel:
    kind: str
    address: str = ""
    calendar: str | None = None
    region: str | None = None
    levels: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Support:
    """How customers reach support and the order in which tickets are worked."""

    channels: tuple[SupportChannel, ...] = ()
    queue_order: tuple[str, ...] = ("level", "age")
    tickets_only_via: tuple[str, ...] = ()
    clause: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """A plan or package; its values replace the policy-wide ones for accounts on it."""

    key: str
    name: str
    description: str = ""
    uptime_commitment_percent: Decimal | None = None
    features: tuple[str, ...] = ()
    backups: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RecurringWindow:
    """A maintenance window the policy itself defines, `[start, end)` local seconds after midnight."""

    name: str
    timezone: str
    start: int
    end: int
    weekdays: frozenset[int] = frozenset(range(7))
    region: str | None = None
    components: frozenset[str] = frozenset()
    clause: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Maintenance:
    """Maintenance windows; a one-off window is excluded from downtime when announced `notice` ahead."""

    windows: tuple[RecurringWindow, ...] = ()
    notice: timedelta | None = None
    excluded_from_downtime: bool = True
    clause: str = ""
    note: str = ""


class Measurement(StrEnum):
    ALL_MINUTES = "all_minutes"
    BUSINESS_MINUTES = "business_minutes"
    """Only the calendar's business minutes count, both as possible minutes and as downtime."""


class DegradedCounting(StrEnum):
    NONE = "none"
    FULL = "full"
    WEIGHTED = "weighted"


@dataclass(frozen=True, slots=True, kw_only=True)
class Exclusion:
    """A kind of downtime that does not count, by cause or by component, with the clause saying so."""

    cause: str | None = None
    component: str | None = None
    description: str = ""
    clause: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Uptime:
    """The uptime commitment and how it is measured over a calendar month in `timezone`."""

    commitment_percent: Decimal
    timezone: str
    measurement: Measurement = Measurement.ALL_MINUTES
    business_calendar: str | None = None
    exclusions: tuple[Exclusion, ...] = ()
    degraded: DegradedCounting = DegradedCounting.NONE
    degraded_weight: Decimal = Decimal(0)
    clause: str = ""
    note: str = ""

    @property
    def excluded_causes(self) -> frozenset[str]:
        return frozenset(e.cause for e in self.exclusions if e.cause is not None)

    @property
    def excluded_components(self) -> frozenset[str]:
        return frozenset(e.component for e in self.exclusions if e.component is not None)


class CreditMethod(StrEnum):
    TIERS = "tiers"
    """A table: the highest tier whose threshold the uptime is strictly below."""
    EXCESS_MULTIPLE = "excess_multiple"
    """Fee x multiple x (downtime beyond what the commitment allows) / measured minutes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditTier:
    """Uptime strictly below `below_percent` earns `credit_percent` of the period's fee."""

    below_percent: Decimal
    credit_percent: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Claims:
    """Automatic credits, or credits requested within `window_days` after the period ends."""

    automatic: bool = True
    window_days: int | None = None
    clause: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Eligibility:
    exclude_trials: bool = True
    require_paid_invoices: bool = True
    excluded_components: frozenset[str] = frozenset()
    clause: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Credits:
    method: CreditMethod
    tiers: tuple[CreditTier, ...] = ()
    multiple: Decimal | None = None
    cap_percent: Decimal | None = None
    claims: Claims = field(default_factory=Claims)
    eligibility: Eligibility = field(default_factory=Eligibility)
    clause: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Notices:
    incident_report_within: TargetDuration | None = None
    incident_report_calendar: str | None = None
    postmortem_after_major_incident: bool = False
    change_notice_days: int | None = None
    clause: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Backups:
    frequency: str
    retention: str = ""
    restore_test: str = ""
    encrypted: bool = False
    plans: tuple[str, ...] = ()
    clause: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """A part of the service that outages name (`component` in outage records)."""

    key: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusPage:
    """The public status page the policy promises: what it shows and how people subscribe."""

    shows: tuple[str, ...] = ()
    subscriptions: tuple[str, ...] = ()
    clause: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """One version of one SLA, in force from `effective_from`."""

    id: str
    name: str
    provider: str
    version: str
    effective_from: date
    calendars: Mapping[str, CalendarSpec]
    levels: tuple[Level, ...]
    default_level: str
    level_change: LevelChangeRule = LevelChangeRule.RETROACTIVE
    immediate_means: timedelta = timedelta(0)
    support: Support = field(default_factory=Support)
    plans: tuple[Plan, ...] = ()
    maintenance: Maintenance = field(default_factory=Maintenance)
    uptime: Uptime | None = None
    credits: Credits | None = None
    notices: Notices = field(default_factory=Notices)
    backups: Backups | None = None
    source: str = ""
    placeholders: tuple[str, ...] = ()
    """Dotted paths of values the source did not state, which a user must replace."""
    week: TargetDuration | None = None
    """What "1 week" means when the policy says (e.g. 5 business days); None: the calendar's working week."""
    components: tuple[Component, ...] = ()
    status_page: StatusPage | None = None
    description: str = ""

    def level(self, key: str) -> Level:
        for level in self.levels:
            if level.key == key:
                return level
        raise PolicyError(f"policy '{self.id}' has no level '{key}'")

    def has_level(self, key: str) -> bool:
        return any(level.key == key for level in self.levels)

    def calendar(self, name: str) -> CalendarSpec:
        try:
            return self.calendars[name]
        except KeyError:
            raise PolicyError(f"policy '{self.id}' has no calendar '{name}'") from None

    def plan(self, key: str) -> Plan:
        for plan in self.plans:
            if plan.key == key:
                return plan
        raise PolicyError(f"policy '{self.id}' has no plan '{key}'")


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyHistory:
    """Every version of one SLA; the engines use the version in force at an instant."""

    versions: tuple[Policy, ...]

    def in_force_at(self, at: datetime) -> Policy:
        """The latest version whose effective date (in UTC) is on or before `at`; else the first."""
        ordered = sorted(self.versions, key=lambda p: p.effective_from)
        chosen = ordered[0]
        for policy in ordered:
            if policy.effective_from <= at.date():
                chosen = policy
        return chosen
