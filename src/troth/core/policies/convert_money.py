"""Uptime and credit documents to `Uptime` and `Credits`: exclusions, tier tables and bands."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from itertools import pairwise

from troth.core.calendars.spec import CalendarSpec
from troth.core.policies.convert_calendars import check_zone
from troth.core.policies.document import CreditBandDoc, CreditsDoc, CreditTierDoc, UptimeDoc
from troth.core.policies.findings import Findings
from troth.core.policies.model import (
    Claims,
    CreditMethod,
    Credits,
    CreditTier,
    Eligibility,
    Exclusion,
    Measurement,
    Uptime,
)
from troth.core.policies.yamltree import Path
from troth.core.uptime.records import Cause

_CAUSES = [cause.value for cause in Cause]


def check_components(names: list[str], path: Path, components: Collection[str], findings: Findings) -> None:
    """Components a clause names must be declared, when the policy declares any."""
    if not components:
        return
    for index, name in enumerate(names):
        if name not in components:
            findings.unknown((*path, index), "component", name, components)


def convert_uptime(
    doc: UptimeDoc, calendars: Mapping[str, CalendarSpec], components: Collection[str], findings: Findings
) -> Uptime:
    path: Path = ("uptime",)
    check_zone(doc.timezone, (*path, "timezone"), findings)
    if doc.business_calendar is not None and doc.business_calendar not in calendars:
        findings.unknown((*path, "business_calendar"), "calendar", doc.business_calendar, calendars)
    if doc.measurement is Measurement.BUSINESS_MINUTES and doc.business_calendar is None:
        findings.error(path, "measurement 'business_minutes' needs a business_calendar naming the calendar")
    exclusions = []
    for index, item in enumerate(doc.exclusions):
        where = (*path, "exclusions", index)
        if item.cause is None and item.component is None:
            findings.error(where, "an exclusion names a cause, a component, or both")
        if item.cause is not None and item.cause not in _CAUSES:
            # Outage records carry a cause from this closed vocabulary; any other name would never match.
            findings.unknown((*where, "cause"), "cause", item.cause, _CAUSES)
        if item.component is not None:
            check_components([item.component], (*where, "component"), components, findings)
        exclusions.append(
            Exclusion(
                cause=item.cause, component=item.component, description=item.description.strip(), clause=item.clause
            )
        )
    return Uptime(
        commitment_percent=doc.commitment_percent,
        timezone=doc.timezone,
        measurement=doc.measurement,
        business_calendar=doc.business_calendar,
        exclusions=tuple(exclusions),
        degraded=doc.degraded,
        degraded_weight=doc.degraded_weight,
        clause=doc.clause,
        note=doc.note.strip(),
    )


def check_tier_order(tiers: list[CreditTierDoc], path: Path, findings: Findings) -> bool:
    """Tiers run from the highest threshold down, and the credit never falls as uptime falls."""
    for index in range(1, len(tiers)):
        before, tier = tiers[index - 1], tiers[index]
        if tier.below_percent >= before.below_percent:
            findings.error(
                (*path, index, "below_percent"),
                f"tier table out of order: below {tier.below_percent}% comes after below {before.below_percent}%; "
                "list tiers from the highest threshold down",
            )
            return False
        if tier.credit_percent < before.credit_percent:
            findings.error(
                (*path, index, "credit_percent"),
                f"tier table out of order: {tier.credit_percent}% for uptime below {tier.below_percent}% is less than "
                f"{before.credit_percent}% for uptime below {before.below_percent}%",
            )
            return False
    return True


def bands_to_tiers(bands: list[CreditBandDoc], path: Path, findings: Findings) -> list[CreditTierDoc] | None:
    """Bands (">= a and < b earns c") as the equivalent tier table ("below b earns c").

    The bands must be contiguous and reach 0 %, otherwise some uptime would fall in a gap that a tier
    table cannot leave out.
    """
    ordered = sorted(enumerate(bands), key=lambda item: item[1].below_percent, reverse=True)
    for (_, upper), (index, lower) in pairwise(ordered):
        if lower.below_percent != upper.at_least_percent:
            findings.error(
                (*path, index),
                f"bands must be contiguous: this band ends below {lower.below_percent}% but the band above starts at "
                f"{upper.at_least_percent}%",
            )
            return None
    for index, band in ordered:
        if band.at_least_percent >= band.below_percent:
            findings.error((*path, index), "a band's at_least_percent must be below its below_percent")
            return None
    if ordered and ordered[-1][1].at_least_percent != 0:
        findings.error((*path, ordered[-1][0], "at_least_percent"), "the lowest band must start at 0%")
        return None
    return [CreditTierDoc(below_percent=band.below_percent, credit_percent=band.credit_percent) for _, band in ordered]


def _tiers(doc: CreditsDoc, findings: Findings) -> tuple[CreditTier, ...]:
    path: Path = ("credits",)
    if doc.tiers and doc.bands:
        findings.error((*path, "bands"), "give either tiers or bands, not both")
        return ()
    tiers: list[CreditTierDoc] | None = doc.tiers
    if doc.bands:
        tiers = bands_to_tiers(doc.bands, (*path, "bands"), findings)
    elif not check_tier_order(doc.tiers, (*path, "tiers"), findings):
        return ()
    if doc.method is CreditMethod.TIERS and tiers == []:
        findings.error(path, "method 'tiers' needs a tiers (or bands) table")
    return tuple(CreditTier(below_percent=t.below_percent, credit_percent=t.credit_percent) for t in tiers or ())


def convert_credits(doc: CreditsDoc, components: Collection[str], findings: Findings) -> Credits:
    path: Path = ("credits",)
    if doc.method is CreditMethod.EXCESS_MULTIPLE and doc.multiple is None:
        findings.error(path, "method 'excess_multiple' needs a multiple (e.g. 10)")
    if not doc.claims.automatic and doc.claims.window_days is None:
        findings.error((*path, "claims"), "credits that must be claimed need window_days")
    excluded = doc.eligibility.excluded_components
    check_components(excluded, (*path, "eligibility", "excluded_components"), components, findings)
    return Credits(
        method=doc.method,
        tiers=_tiers(doc, findings),
        multiple=doc.multiple,
        cap_percent=doc.cap_percent,
        claims=Claims(
            automatic=doc.claims.automatic,
            window_days=doc.claims.window_days,
            clause=doc.claims.clause,
            note=doc.claims.note.strip(),
        ),
        eligibility=Eligibility(
            exclude_trials=doc.eligibility.exclude_trials,
            require_paid_invoices=doc.eligibility.require_paid_invoices,
            excluded_components=frozenset(excluded),
            clause=doc.eligibility.clause,
            note=doc.eligibility.note.strip(),
        ),
        clause=doc.clause,
        note=doc.note.strip(),
    )
