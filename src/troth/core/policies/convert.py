"""A validated `PolicyDocument` to the frozen `Policy`, reporting every meaning error with its path."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta

from troth.core.calendars.spec import CalendarSpec, always_open
from troth.core.durations import DurationKind, DurationSyntaxError, TargetDuration, parse_clock_duration
from troth.core.policies.convert_calendars import (
    ALWAYS_OPEN,
    business_day_problem,
    check_zone,
    convert_calendar,
    parse_interval,
    parse_weekdays,
)
from troth.core.policies.convert_levels import Lengths, convert_levels, parse_target_duration
from troth.core.policies.convert_money import check_components, convert_credits, convert_uptime
from troth.core.policies.document import (
    BackupsDoc,
    MaintenanceDoc,
    MaintenanceWindowDoc,
    NoticesDoc,
    PolicyDocument,
    SupportDoc,
)
from troth.core.policies.findings import Findings
from troth.core.policies.model import (
    Backups,
    Component,
    Level,
    Maintenance,
    Notices,
    Plan,
    Policy,
    RecurringWindow,
    StatusPage,
    Support,
    SupportChannel,
)
from troth.core.policies.yamltree import Path


def convert_calendars(doc: PolicyDocument, findings: Findings) -> dict[str, CalendarSpec]:
    """Every calendar the file defines, plus `24x7` (always open, UTC) unless the file defines it.

    A calendar with errors is replaced by an always-open stand-in once its errors are reported, so
    that targets naming it are not reported again; the policy is rejected either way.
    """
    calendars: dict[str, CalendarSpec] = {ALWAYS_OPEN: always_open(ALWAYS_OPEN, "UTC")}
    for name, calendar_doc in doc.calendars.items():
        spec = convert_calendar(name, calendar_doc, ("calendars", name), findings)
        calendars[name] = spec if spec is not None else always_open(name, "UTC")
    return calendars


def clock_duration(text: str | None, path: Path, findings: Findings) -> timedelta | None:
    if text is None:
        return None
    try:
        return parse_clock_duration(text)
    except DurationSyntaxError as error:
        findings.error(path, str(error))
        return None


def _lengths(doc: PolicyDocument, findings: Findings) -> Lengths:
    immediate = clock_duration(doc.immediate_means, ("immediate_means",), findings) or timedelta(0)
    week: TargetDuration | None = None
    if doc.week is not None:
        week = parse_target_duration(doc.week, ("week",), findings)
        if week is not None and week.kind not in (DurationKind.FIXED, DurationKind.BUSINESS_DAYS):
            findings.error(("week",), "week must be a length such as '5 business days' or '40h'")
            week = None
    return Lengths(immediate=immediate, week=week)


def _check_level_refs(doc: PolicyDocument, levels: tuple[Level, ...], findings: Findings) -> None:
    keys = [level.key for level in levels]
    if doc.default_level not in keys:
        findings.unknown(("default_level",), "level", doc.default_level, keys)


def convert_support(
    doc: SupportDoc, calendars: Collection[str], levels: Collection[str], findings: Findings
) -> Support:
    channels = []
    for index, item in enumerate(doc.channels):
        path: Path = ("support", "channels", index)
        if item.calendar is not None and item.calendar not in calendars:
            findings.unknown((*path, "calendar"), "calendar", item.calendar, calendars)
        for position, level in enumerate(item.levels):
            if level not in levels:
                findings.unknown((*path, "levels", position), "level", level, levels)
        channels.append(
            SupportChannel(
                kind=item.kind,
                address=item.address,
                calendar=item.calendar,
                region=item.region,
                levels=tuple(item.levels),
                note=item.note.strip(),
            )
        )
    return Support(
        channels=tuple(channels),
        queue_order=tuple(doc.queue_order),
        tickets_only_via=tuple(doc.tickets_only_via),
        clause=doc.clause,
        note=doc.note.strip(),
    )


def _window(
    doc: MaintenanceWindowDoc, path: Path, components: Collection[str], findings: Findings
) -> RecurringWindow | None:
    check_zone(doc.timezone, (*path, "timezone"), findings)
    check_components(doc.components, (*path, "components"), components, findings)
    try:
        start, end = parse_interval(doc.time)
    except ValueError as error:
        findings.error((*path, "time"), str(error))
        return None
    day_texts = [doc.days] if isinstance(doc.days, str) else doc.days
    weekdays: set[int] = set()
    for index, text in enumerate(day_texts):
        where = (*path, "days") if isinstance(doc.days, str) else (*path, "days", index)
        days = parse_weekdays(text, where, findings)
        weekdays.update(days or ())
    return RecurringWindow(
        name=doc.name,
        timezone=doc.timezone,
        start=start,
        end=end,
        weekdays=frozenset(weekdays),
        region=doc.region,
        components=frozenset(doc.components),
        clause=doc.clause,
        note=doc.note.strip(),
    )


def convert_maintenance(doc: MaintenanceDoc, components: Collection[str], findings: Findings) -> Maintenance:
    windows = [_window(w, ("maintenance", "windows", i), components, findings) for i, w in enumerate(doc.windows)]
    return Maintenance(
        windows=tuple(w for w in windows if w is not None),
        notice=clock_duration(doc.notice, ("maintenance", "notice"), findings),
        excluded_from_downtime=doc.excluded_from_downtime,
        clause=doc.clause,
        note=doc.note.strip(),
    )


def convert_notices(doc: NoticesDoc, calendars: Mapping[str, CalendarSpec], findings: Findings) -> Notices:
    path: Path = ("notices",)
    within = None
    if doc.incident_report_within is not None:
        within = parse_target_duration(doc.incident_report_within, (*path, "incident_report_within"), findings)
    calendar_name = doc.incident_report_calendar
    if calendar_name is not None and calendar_name not in calendars:
        findings.unknown((*path, "incident_report_calendar"), "calendar", calendar_name, calendars)
    elif within is not None and within.kind in (DurationKind.BUSINESS_DAYS, DurationKind.WEEKS):
        if calendar_name is None:
            findings.error(path, "a report due in business days needs incident_report_calendar")
        elif (problem := business_day_problem(calendars[calendar_name])) is not None:
            findings.error((*path, "incident_report_within"), problem)
    return Notices(
        incident_report_within=within,
        incident_report_calendar=calendar_name,
        postmortem_after_major_incident=doc.postmortem_after_major_incident,
        change_notice_days=doc.change_notice_days,
        clause=doc.clause,
        note=doc.note.strip(),
    )


def convert_backups(doc: BackupsDoc, plans: Collection[str], findings: Findings) -> Backups:
    for index, plan in enumerate(doc.plans):
        if plan not in plans:
            findings.unknown(("backups", "plans", index), "plan", plan, plans)
    return Backups(
        frequency=doc.frequency,
        retention=doc.retention,
        restore_test=doc.restore_test,
        encrypted=doc.encrypted,
        plans=tuple(doc.plans),
        clause=doc.clause,
        note=doc.note.strip(),
    )


def convert_policy(doc: PolicyDocument, placeholders: tuple[str, ...], findings: Findings) -> Policy | None:
    """The `Policy` the document describes, or None when `findings` holds any error."""
    calendars = convert_calendars(doc, findings)
    lengths = _lengths(doc, findings)
    levels = convert_levels(doc.levels, calendars, lengths, findings)
    _check_level_refs(doc, levels, findings)
    components = list(doc.components)
    if doc.uptime is None:
        for key, plan_doc in doc.plans.items():
            if plan_doc.uptime_commitment_percent is not None:
                path: Path = ("plans", key, "uptime_commitment_percent")
                findings.error(path, "a plan's uptime commitment needs an `uptime` section saying how it is measured")
    plans = tuple(
        Plan(
            key=key,
            name=plan.name,
            description=plan.description.strip(),
            uptime_commitment_percent=plan.uptime_commitment_percent,
            features=tuple(plan.features),
            backups=plan.backups,
        )
        for key, plan in doc.plans.items()
    )
    policy = Policy(
        id=doc.id,
        name=doc.name,
        provider=doc.provider,
        version=doc.version,
        effective_from=doc.effective_from,
        calendars=calendars,
        levels=levels,
        default_level=doc.default_level,
        level_change=doc.level_change,
        immediate_means=lengths.immediate,
        support=convert_support(doc.support, calendars, [level.key for level in levels], findings),
        plans=plans,
        maintenance=convert_maintenance(doc.maintenance, components, findings),
        uptime=convert_uptime(doc.uptime, calendars, components, findings) if doc.uptime else None,
        credits=convert_credits(doc.credits, components, findings) if doc.credits else None,
        notices=convert_notices(doc.notices, calendars, findings),
        backups=convert_backups(doc.backups, list(doc.plans), findings) if doc.backups else None,
        source=doc.source,
        placeholders=placeholders,
        week=lengths.week,
        components=tuple(
            Component(key=k, name=c.name, description=c.description.strip()) for k, c in doc.components.items()
        ),
        status_page=_status_page(doc),
        description=doc.description.strip(),
    )
    return None if findings else policy


def _status_page(doc: PolicyDocument) -> StatusPage | None:
    page = doc.status_page
    if page is None:
        return None
    return StatusPage(
        shows=tuple(page.shows), subscriptions=tuple(page.subscriptions), clause=page.clause, note=page.note.strip()
    )
