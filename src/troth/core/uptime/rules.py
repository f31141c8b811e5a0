"""What decides which minutes count for one account: the policy's uptime clauses, resolved.

Accounts whose rules are equal (same zone, calendar, exclusions, windows...) are measured together.
Every way a minute can be excluded is a `Reason`, and the order of `MeasurementRules.reasons` is the
order in which an excluded minute is attributed when several reasons cover it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from troth.core.accounts import Account
from troth.core.calendars import CalendarSpec, resolve_zone
from troth.core.errors import CalendarError, PolicyError
from troth.core.policies.model import DegradedCounting, Exclusion, Measurement, Policy, RecurringWindow
from troth.core.uptime.records import CAUSE_DESCRIPTIONS, Cause
from troth.core.uptime.windows import describe_window


class ReasonKind(StrEnum):
    WINDOW = "maintenance_window"
    """Inside a recurring maintenance window the policy defines."""
    ANNOUNCED = "announced_maintenance"
    """A maintenance record announced as the policy's notice rule requires."""
    EXCLUSION = "exclusion"
    """A cause or component the policy's exclusions name."""
    INELIGIBLE_COMPONENT = "ineligible_component"
    """A component for which credits do not apply (beta, experimental...)."""
    DEGRADED = "degraded"
    """Degraded service, which the policy does not count."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """Why some minutes did not count: a human-readable `text` and the `clause` that says so."""

    kind: ReasonKind
    key: str
    text: str
    clause: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasurementRules:
    """How one account's uptime is measured over calendar periods in `zone`.

    `calendar` (in `calendar_zone`) is set when only business minutes count; `windows` are the
    recurring maintenance windows that apply to the account's region; `notice` is how far ahead a
    maintenance record must be announced (None: any announcement before it starts).
    """

    zone: str
    calendar: CalendarSpec | None = None
    calendar_zone: str | None = None
    exclusions: tuple[Exclusion, ...] = ()
    ineligible_components: frozenset[str] = frozenset()
    eligibility_clause: str = ""
    degraded: DegradedCounting = DegradedCounting.NONE
    degraded_weight: Decimal = Decimal(0)
    windows: tuple[RecurringWindow, ...] = ()
    maintenance_excluded: bool = True
    notice: timedelta | None = None
    maintenance_clause: str = ""
    uptime_clause: str = ""
    reasons: tuple[Reason, ...] = field(init=False, repr=False, compare=False)
    """Every reason a minute can be excluded for, in order of precedence (derived, built once)."""
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived values, set once: thousands of accounts share these rules, and they are grouped
        # by them, so hashing the nested calendar and exclusions every time would add up.
        object.__setattr__(self, "reasons", self._build_reasons())
        object.__setattr__(self, "_hash", hash(tuple(getattr(self, f.name) for f in fields(self) if f.compare)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def weight(self) -> Decimal:
        """How much one counted degraded minute adds to downtime."""
        match self.degraded:
            case DegradedCounting.FULL:
                return Decimal(1)
            case DegradedCounting.WEIGHTED:
                return self.degraded_weight
            case DegradedCounting.NONE:
                return Decimal(0)

    def _build_reasons(self) -> tuple[Reason, ...]:
        windows = tuple(
            Reason(
                kind=ReasonKind.WINDOW,
                key=f"window:{w.name}",
                text=f"maintenance window '{w.name}' ({describe_window(w)})",
                clause=w.clause or self.maintenance_clause,
            )
            for w in self.windows
        )
        announced = Reason(
            kind=ReasonKind.ANNOUNCED,
            key="announced_maintenance",
            text=_notice_text(self.notice),
            clause=self.maintenance_clause,
        )
        return (*windows, announced, *self._exclusion_reasons(), *self._other_reasons())

    def _exclusion_reasons(self) -> tuple[Reason, ...]:
        return tuple(
            Reason(kind=ReasonKind.EXCLUSION, key=_exclusion_key(e), text=_exclusion_text(e), clause=e.clause)
            for e in self.exclusions
        )

    def _other_reasons(self) -> tuple[Reason, ...]:
        ineligible = tuple(
            Reason(
                kind=ReasonKind.INELIGIBLE_COMPONENT,
                key=f"ineligible:{component}",
                text=f"component '{component}', for which credits do not apply",
                clause=self.eligibility_clause,
            )
            for component in sorted(self.ineligible_components)
        )
        degraded = Reason(
            kind=ReasonKind.DEGRADED,
            key="degraded",
            text="degraded service, which the policy does not count as downtime (degraded: none)",
            clause=self.uptime_clause,
        )
        return (*ineligible, degraded)


def _notice_text(notice: timedelta | None) -> str:
    if not notice:
        return "maintenance announced before it began"
    hours = notice / timedelta(hours=1)
    return f"maintenance announced at least {hours:g} hours ahead"


def _exclusion_key(exclusion: Exclusion) -> str:
    parts = [f"cause:{exclusion.cause}"] if exclusion.cause else []
    parts += [f"component:{exclusion.component}"] if exclusion.component else []
    return "+".join(parts)


def _exclusion_text(exclusion: Exclusion) -> str:
    parts = []
    if exclusion.cause:
        described = CAUSE_DESCRIPTIONS.get(Cause(exclusion.cause), exclusion.cause)
        parts.append(f"cause '{exclusion.cause}' ({described})")
    if exclusion.component:
        parts.append(f"component '{exclusion.component}'")
    return " on ".join(parts)


_CAUSES = frozenset(cause.value for cause in Cause)


def check_exclusions(policy: Policy) -> None:
    """Every excluded cause must be one outage records can carry, or it would never match."""
    if policy.uptime is None:
        return
    known = _CAUSES
    for exclusion in policy.uptime.exclusions:
        if exclusion.cause is not None and exclusion.cause not in known:
            raise PolicyError(
                f"policy '{policy.id}' excludes cause '{exclusion.cause}', "
                f"which is not one of {', '.join(sorted(known))}"
            )


def rules_for(policy: Policy, account: Account) -> MeasurementRules:
    """The measurement rules of `policy` (already effective for the account) for `account`."""
    check_exclusions(policy)
    maintenance = policy.maintenance
    windows = tuple(w for w in maintenance.windows if w.region is None or w.region == account.region)
    uptime = policy.uptime
    if uptime is None:
        # A policy without an uptime commitment (WALT Labs) is still measured for `troth uptime`:
        # every minute, in UTC, with its maintenance windows.
        return MeasurementRules(
            zone="UTC",
            windows=windows,
            maintenance_excluded=maintenance.excluded_from_downtime,
            notice=maintenance.notice,
            maintenance_clause=maintenance.clause,
        )
    calendar, calendar_zone = _business_calendar(policy, account)
    return MeasurementRules(
        zone=uptime.timezone,
        calendar=calendar,
        calendar_zone=calendar_zone,
        exclusions=uptime.exclusions,
        ineligible_components=policy.credits.eligibility.excluded_components if policy.credits else frozenset(),
        eligibility_clause=policy.credits.eligibility.clause if policy.credits else "",
        degraded=uptime.degraded,
        degraded_weight=uptime.degraded_weight,
        windows=windows,
        maintenance_excluded=maintenance.excluded_from_downtime,
        notice=maintenance.notice,
        maintenance_clause=maintenance.clause,
        uptime_clause=uptime.clause,
    )


def _business_calendar(policy: Policy, account: Account) -> tuple[CalendarSpec | None, str | None]:
    uptime = policy.uptime
    if uptime is None or uptime.measurement is not Measurement.BUSINESS_MINUTES:
        return None, None
    if uptime.business_calendar is None:
        raise PolicyError(f"policy '{policy.id}' measures business minutes but names no business_calendar")
    spec = policy.calendar(uptime.business_calendar)
    try:
        return spec, resolve_zone(spec, account.timezone)
    except CalendarError as error:
        raise CalendarError(f"account '{account.id}': {error}") from None


def shared_rules(terms: Iterable[tuple[Policy, Account]]) -> dict[str, MeasurementRules]:
    """Each account's rules, by account id; accounts on the same terms share one rules object.

    Rules depend only on the (effective) policy and the account's region and zone, so thousands of
    accounts typically need a handful of rules, which also makes grouping them by rules cheap.
    """
    built: dict[tuple[int, str | None, str | None], MeasurementRules] = {}
    found = {}
    for policy, account in terms:
        key = (id(policy), account.region, account.timezone)
        if key not in built:
            built[key] = rules_for(policy, account)
        found[account.id] = built[key]
    return found
