"""The policy file's schema: what a YAML policy may say, checked by pydantic at the edge.

Every model forbids unknown keys, so a misspelt key is an error, never silently ignored. These models
only check shape and simple ranges; meaning (that a calendar name exists, that a tier table is in
order, that a duration parses) is checked while converting to the core model (`convert*.py`),
where each problem is reported at the line it comes from. docs/policy-language.md is the reference.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from troth.core.policies.model import (
    Applicability,
    CreditMethod,
    DegradedCounting,
    LevelChangeRule,
    Measurement,
    TargetStop,
)

Percent = Annotated[Decimal, Field(ge=0, le=100)]
Name = Annotated[str, Field(min_length=1)]


def _shape(value: Any) -> str:
    """Which of a union's shapes a value has, so pydantic reports errors of that shape only."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a text"


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


IntervalsDoc = Annotated[
    Annotated[str, Tag("a text")] | Annotated[list[str], Tag("a list")],
    Discriminator(_shape),
]
"""One day's hours: "07:00-18:00", "08:00-12:00, 13:00-17:00", a list of those, or "closed"."""


class DateRangeDoc(Doc):
    """Dates `from` to `to`, both included."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    name: str = ""


DateOrRange = Annotated[
    Annotated[dt.date, Tag("a text")] | Annotated[DateRangeDoc, Tag("a mapping")],
    Discriminator(_shape),
]


class HolidaysDoc(Doc):
    """Public holidays from the `holidays` package: ISO country code and optional subdivision."""

    country: Name
    subdivision: str | None = None
    categories: list[str] = []


class SpecialDayDoc(Doc):
    """A dated day with its own hours: an extra working day, or a short day."""

    date: dt.date
    hours: IntervalsDoc
    name: str = ""


class CalendarDoc(Doc):
    """Weekly hours in a time zone (IANA name, or `customer`), with holidays and dated exceptions."""

    timezone: str | None = None
    hours: Annotated[
        Annotated[str, Tag("a text")] | Annotated[dict[str, IntervalsDoc], Tag("a mapping")],
        Discriminator(_shape),
    ]
    holidays: list[HolidaysDoc] = []
    extra_holidays: list[DateOrRange] = []
    extra_working_days: list[SpecialDayDoc] = []
    short_days: list[SpecialDayDoc] = []
    day_length: str | None = None
    description: str = ""
    note: str = ""


class TargetDoc(Doc):
    """One target of a level; `stops_on` and `pauses_on` default by the target's key."""

    duration: Name
    calendar: Name
    stops_on: TargetStop | None = None
    pauses_on: list[str] | None = None
    applies_to: Applicability = Applicability.ALL
    periodic: bool = False
    channel: str | None = None
    clause: str = ""
    note: str = ""


class LevelDoc(Doc):
    name: Name
    rank: Annotated[int, Field(ge=1)] | None = None
    description: str = ""
    examples: list[str] = []
    targets: dict[str, TargetDoc] = {}


class SupportChannelDoc(Doc):
    kind: Name
    address: str = ""
    calendar: str | None = None
    region: str | None = None
    levels: list[str] = []
    note: str = ""


class SupportDoc(Doc):
    channels: list[SupportChannelDoc] = []
    queue_order: list[str] = ["level", "age"]
    tickets_only_via: list[str] = []
    clause: str = ""
    note: str = ""


class PlanDoc(Doc):
    name: Name
    description: str = ""
    uptime_commitment_percent: Percent | None = None
    features: list[str] = []
    backups: bool = False


class ComponentDoc(Doc):
    name: Name
    description: str = ""


class MaintenanceWindowDoc(Doc):
    """A recurring window the policy defines: `time` "HH:MM-HH:MM" on `days` ("daily" or weekdays)."""

    name: Name
    time: Name
    timezone: Name = "UTC"
    days: Annotated[
        Annotated[str, Tag("a text")] | Annotated[list[str], Tag("a list")],
        Discriminator(_shape),
    ] = "daily"
    region: str | None = None
    components: list[str] = []
    clause: str = ""
    note: str = ""


class MaintenanceDoc(Doc):
    windows: list[MaintenanceWindowDoc] = []
    notice: str | None = None
    excluded_from_downtime: bool = True
    clause: str = ""
    note: str = ""


class ExclusionDoc(Doc):
    cause: str | None = None
    component: str | None = None
    description: str = ""
    clause: str = ""


class UptimeDoc(Doc):
    commitment_percent: Percent
    timezone: Name
    measurement: Measurement = Measurement.ALL_MINUTES
    business_calendar: str | None = None
    exclusions: list[ExclusionDoc] = []
    degraded: DegradedCounting = DegradedCounting.NONE
    degraded_weight: Annotated[Decimal, Field(ge=0, le=1)] = Decimal(0)
    clause: str = ""
    note: str = ""


class CreditTierDoc(Doc):
    """Uptime strictly below `below_percent` earns `credit_percent`."""

    below_percent: Percent
    credit_percent: Percent


class CreditBandDoc(Doc):
    """Uptime at least `at_least_percent` and below `below_percent` earns `credit_percent`."""

    at_least_percent: Percent
    below_percent: Percent
    credit_percent: Percent


class ClaimsDoc(Doc):
    automatic: bool = True
    window_days: Annotated[int, Field(ge=1)] | None = None
    clause: str = ""
    note: str = ""


class EligibilityDoc(Doc):
    exclude_trials: bool = True
    require_paid_invoices: bool = True
    excluded_components: list[str] = []
    clause: str = ""
    note: str = ""


class CreditsDoc(Doc):
    method: CreditMethod
    tiers: list[CreditTierDoc] = []
    bands: list[CreditBandDoc] = []
    multiple: Annotated[Decimal, Field(gt=0)] | None = None
    cap_percent: Percent | None = None
    claims: ClaimsDoc = ClaimsDoc()
    eligibility: EligibilityDoc = EligibilityDoc()
    clause: str = ""
    note: str = ""


class NoticesDoc(Doc):
    incident_report_within: str | None = None
    incident_report_calendar: str | None = None
    postmortem_after_major_incident: bool = False
    change_notice_days: Annotated[int, Field(ge=0)] | None = None
    clause: str = ""
    note: str = ""


class BackupsDoc(Doc):
    frequency: Name
    retention: str = ""
    restore_test: str = ""
    encrypted: bool = False
    plans: list[str] = []
    clause: str = ""
    note: str = ""


class StatusPageDoc(Doc):
    shows: list[str] = []
    subscriptions: list[str] = []
    clause: str = ""
    note: str = ""


class PolicyDocument(Doc):
    """One version of one SLA, as written in a policy file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Troth policy",
        json_schema_extra={"description": "One version of one Service Level Agreement (docs/policy-language.md)."},
    )

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: Name
    provider: Name
    version: Name
    effective_from: dt.date
    source: str = ""
    description: str = ""
    default_level: Name
    level_change: LevelChangeRule = LevelChangeRule.RETROACTIVE
    immediate_means: str | None = None
    week: str | None = None
    calendars: dict[str, CalendarDoc] = {}
    levels: Annotated[dict[str, LevelDoc], Field(min_length=1)]
    support: SupportDoc = SupportDoc()
    plans: dict[str, PlanDoc] = {}
    components: dict[str, ComponentDoc] = {}
    maintenance: MaintenanceDoc = MaintenanceDoc()
    uptime: UptimeDoc | None = None
    credits: CreditsDoc | None = None
    notices: NoticesDoc = NoticesDoc()
    backups: BackupsDoc | None = None
    status_page: StatusPageDoc | None = None
