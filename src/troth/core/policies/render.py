"""A policy as a human-readable document: sections of paragraphs and tables, and as Markdown.

The neutral structure (`Section`, `Table`) lets the CLI draw rich tables in a terminal and write
Markdown elsewhere from one definition of what a reader sees. Values the source did not state
(placeholders) are marked wherever they appear.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from troth.core.calendars.spec import WEEKDAY_NAMES, CalendarSpec, DayHours, always_open
from troth.core.durations import DurationKind
from troth.core.errors import CalendarError
from troth.core.policies.convert_calendars import ALWAYS_OPEN
from troth.core.policies.model import Applicability, Credits, Level, LevelChangeRule, Measurement, Policy, Target

PLACEHOLDER_MARK = " ⚠ placeholder"


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()


def _hm(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}"


def format_length(length: timedelta) -> str:
    """`4h`, `30m`, `22h`, `1d 3h` style text for a length of (business) time."""
    total = int(length.total_seconds())
    if total == 0:
        return "0m"
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d"] if days else []
    parts += [f"{hours}h"] if hours else []
    parts += [f"{minutes}m"] if minutes else []
    return " ".join(parts)


def business_hours(length: timedelta) -> str:
    """ "45 business hours": how long a business-day or week target is on its calendar."""
    seconds = int(length.total_seconds())
    if seconds % 3600:
        return f"{format_length(length)} of business time"
    return f"{seconds // 3600} business hours"


def _day_text(hours: DayHours) -> str:
    return ", ".join(f"{_hm(i.start)}–{_hm(i.end % 86_400)}" for i in hours) or "closed"


def weekly_text(spec: CalendarSpec) -> str:
    """ "Mon–Fri 07:00–18:00" style text: consecutive days with the same hours are grouped."""
    if spec.always_open:
        return "24x7"
    groups: list[tuple[int, int, DayHours]] = []
    for day, hours in enumerate(spec.weekly):
        if groups and groups[-1][2] == hours and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, hours)
        else:
            groups.append((day, day, hours))
    parts = []
    for first, last, hours in groups:
        if not hours:
            continue
        days = WEEKDAY_NAMES[first][:3].title()
        if last != first:
            days += "–" + WEEKDAY_NAMES[last][:3].title()
        parts.append(f"{days} {_day_text(hours)}")
    return "; ".join(parts) or "no weekly hours"


def _calendar_row(spec: CalendarSpec) -> tuple[str, ...]:
    zone = spec.timezone if spec.timezone is not None else "customer's own"
    holidays = (
        ", ".join(h.country + (f"-{h.subdivision}" if h.subdivision else "") for h in spec.holiday_sources) or "none"
    )
    exceptions = []
    if spec.closed_dates:
        exceptions.append(f"{len(spec.closed_dates)} extra closed days")
    exceptions += [f"{day.isoformat()}: {_day_text(hours)}" for day, hours in spec.special_days]
    try:
        day = format_length(spec.business_day())
    except CalendarError:
        day = "undefined (unequal days)"
    return (spec.name, weekly_text(spec), zone, holidays, "; ".join(exceptions) or "none", day)


def calendars_section(policy: Policy) -> Section:
    used = _used_calendars(policy)
    rows = tuple(_calendar_row(spec) for name, spec in policy.calendars.items() if name in used)
    headers = ("Calendar", "Hours", "Time zone", "Public holidays", "Exceptions", "Business day")
    return Section(title="Calendars", tables=(Table(headers=headers, rows=rows),))


def _used_calendars(policy: Policy) -> set[str]:
    """Calendars the file defines or a clause uses (the built-in `24x7` only when used)."""
    used = {t.calendar for level in policy.levels for t in level.targets}
    used |= {c.calendar for c in policy.support.channels if c.calendar}
    if policy.uptime and policy.uptime.business_calendar:
        used.add(policy.uptime.business_calendar)
    if policy.notices.incident_report_calendar:
        used.add(policy.notices.incident_report_calendar)
    builtin = always_open(ALWAYS_OPEN, "UTC")
    return used | {name for name, spec in policy.calendars.items() if spec != builtin}


def _mark(policy: Policy, path: str, text: str) -> str:
    return text + PLACEHOLDER_MARK if path in policy.placeholders else text


def target_text(policy: Policy, level: Level, target: Target) -> str:
    """ "4 business hours (4h) on business, phone, platform-level only" for one cell."""
    base = f"levels.{level.key}.targets.{target.key}"
    duration = _mark(policy, f"{base}.duration", target.duration.text)
    kind = target.duration.kind
    if target.length is not None and kind is not DurationKind.FIXED:
        duration += f" (= {business_hours(target.length)})"
    if kind in (DurationKind.NOT_APPLICABLE, DurationKind.SCHEDULED):
        parts = [duration]
    else:
        parts = [f"{duration} on {_mark(policy, f'{base}.calendar', target.calendar)}"]
    if target.channel:
        parts.append(target.channel)
    if target.applies_to is Applicability.PLATFORM_LEVEL:
        parts.append("platform-level issues only")
    return ", ".join(parts)


def _target_keys(policy: Policy) -> list[str]:
    keys: list[str] = []
    for level in policy.levels:
        keys += [t.key for t in level.targets if t.key not in keys]
    return keys


def levels_section(policy: Policy) -> Section:
    keys = _target_keys(policy)
    rows = []
    for level in sorted(policy.levels, key=lambda lv: lv.rank):
        cells = []
        for key in keys:
            target = level.target(key)
            cells.append(target_text(policy, level, target) if target else "—")
        rows.append((level.key, level.name, *cells))
    targets = Table(title="Targets", headers=("Level", "Name", *keys), rows=tuple(rows))
    ordered = sorted(policy.levels, key=lambda lv: lv.rank)
    with_examples = any(level.examples for level in ordered)
    described: tuple[tuple[str, ...], ...] = tuple(
        (level.key, level.description, "; ".join(level.examples))[: 3 if with_examples else 2] for level in ordered
    )
    headers = ("Level", "Description", "Examples")[: 3 if with_examples else 2]
    definitions = Table(title="Definitions", headers=headers, rows=described)
    change = (
        "applies the new level's targets from the ticket's creation"
        if policy.level_change is LevelChangeRule.RETROACTIVE
        else "restarts the new level's targets at the change"
    )
    paragraphs = [f"Default level: {policy.default_level}. A level change {change}."]
    if policy.immediate_means:
        paragraphs.append(f'"Immediate" means within {format_length(policy.immediate_means)}.')
    if policy.week is not None:
        paragraphs.append(f'"1 week" means {policy.week.text}.')
    return Section(
        title="Levels and targets", paragraphs=tuple(paragraphs), tables=(targets, _rules_table(policy), definitions)
    )


def _rules_table(policy: Policy) -> Table:
    rows: dict[str, tuple[str, ...]] = {}
    for level in policy.levels:
        for target in level.targets:
            pauses = ", ".join(sorted(target.pauses_on)) or "never"
            rows.setdefault(target.key, (target.key, target.stops_on.value, pauses, target.applies_to.value))
    return Table(
        title="Clock rules", headers=("Target", "Stops on", "Pauses while", "Applies to"), rows=tuple(rows.values())
    )


def clauses_section(policy: Policy) -> Section:
    rows = tuple(
        (f"{level.key} · {t.key}", t.clause, t.note)
        for level in policy.levels
        for t in level.targets
        if t.clause or t.note
    )
    return Section(title="Target clauses", tables=(Table(headers=("Target", "Clause", "Note"), rows=rows),))


def support_section(policy: Policy) -> Section:
    support = policy.support
    paragraphs = [f"Queue order: {' then '.join(_queue_words(support.queue_order))}."]
    if support.tickets_only_via:
        paragraphs.append(f"Tickets only via: {', '.join(support.tickets_only_via)}.")
    paragraphs += [text for text in (support.note,) if text]
    rows = tuple(
        (c.kind, c.address or "—", c.region or "all", c.calendar or "—", ", ".join(c.levels) or "all", c.note)
        for c in support.channels
    )
    headers = ("Channel", "Address", "Region", "Hours", "Levels", "Note")
    return Section(title="Support", paragraphs=tuple(paragraphs), tables=(Table(headers=headers, rows=rows),))


def _queue_words(order: Iterable[str]) -> list[str]:
    words = {"level": "priority (level rank)", "age": "age (order received)"}
    return [words.get(item, item) for item in order]


def plans_section(policy: Policy) -> Section | None:
    if not policy.plans and not policy.components:
        return None
    tables = []
    if policy.plans:
        rows = tuple(
            (
                p.key,
                p.name,
                f"{p.uptime_commitment_percent}%" if p.uptime_commitment_percent is not None else "—",
                "yes" if p.backups else "no",
                "; ".join(p.features) or p.description,
            )
            for p in policy.plans
        )
        tables.append(Table(title="Plans", headers=("Plan", "Name", "Uptime", "Backups", "Features"), rows=rows))
    if policy.components:
        parts = tuple((c.key, c.name, c.description) for c in policy.components)
        tables.append(Table(title="Components", headers=("Component", "Name", "Description"), rows=parts))
    return Section(title="Plans and components", tables=tuple(tables))


def maintenance_section(policy: Policy) -> Section:
    m = policy.maintenance
    paragraphs = [
        "Maintenance is excluded from downtime." if m.excluded_from_downtime else "Maintenance counts as downtime."
    ]
    if m.notice:
        paragraphs.append(f"A one-off window is excluded when announced at least {format_length(m.notice)} ahead.")
    elif m.notice is not None:
        paragraphs.append("A one-off window is excluded when announced any time before it starts.")
    paragraphs += [text for text in (m.clause, m.note) if text]
    rows = tuple(
        (
            w.name,
            f"{_hm(w.start)}–{_hm(w.end % 86_400)}",
            w.timezone,
            "daily" if len(w.weekdays) == 7 else ", ".join(WEEKDAY_NAMES[d][:3] for d in sorted(w.weekdays)),
            w.region or "all",
            ", ".join(sorted(w.components)) or "all",
        )
        for w in m.windows
    )
    tables = (Table(headers=("Window", "Time", "Zone", "Days", "Region", "Components"), rows=rows),) if rows else ()
    return Section(title="Maintenance", paragraphs=tuple(paragraphs), tables=tables)


def uptime_section(policy: Policy) -> Section:
    uptime = policy.uptime
    if uptime is None:
        return Section(title="Uptime", paragraphs=("No uptime commitment.",))
    measured = (
        f"business minutes of calendar '{uptime.business_calendar}' only"
        if uptime.measurement is Measurement.BUSINESS_MINUTES
        else "all minutes"
    )
    paragraphs = [
        f"Commitment: {uptime.commitment_percent}% per calendar month ({uptime.timezone}), measured over {measured}.",
        f"Degraded time counts: {uptime.degraded.value}"
        + (f" (weight {uptime.degraded_weight})" if uptime.degraded.value == "weighted" else "")
        + ".",
    ]
    paragraphs += [text for text in (uptime.clause, uptime.note) if text]
    rows = tuple((e.cause or "—", e.component or "—", e.description, e.clause) for e in uptime.exclusions)
    table = Table(title="Exclusions", headers=("Cause", "Component", "Description", "Clause"), rows=rows)
    return Section(title="Uptime", paragraphs=tuple(paragraphs), tables=(table,))


def _credit_paragraphs(policy: Policy, credits: Credits) -> list[str]:
    lines = []
    if credits.multiple is not None:
        lines.append(f"Credit: {credits.multiple} × the fee for the downtime beyond the commitment.")
    lines.append(f"Cap: {credits.cap_percent}% of the month's fee." if credits.cap_percent is not None else "No cap.")
    claims = credits.claims
    lines.append(
        "Applied automatically."
        if claims.automatic
        else f"Must be claimed within {claims.window_days} days after the month."
    )
    e = credits.eligibility
    conditions = [
        text
        for flag, text in (
            (e.exclude_trials, "no trials"),
            (e.require_paid_invoices, "invoices paid before the outage"),
        )
        if flag
    ]
    if e.excluded_components:
        conditions.append("not for " + ", ".join(sorted(e.excluded_components)))
    lines.append("Eligibility: " + ("; ".join(conditions) or "no conditions") + ".")
    lines += [text for text in (credits.clause, credits.note, claims.note, e.note) if text]
    return lines


def credits_section(policy: Policy) -> Section:
    credits = policy.credits
    if credits is None:
        return Section(title="Service credits", paragraphs=("No service credits.",))
    tables: tuple[Table, ...] = ()
    if credits.tiers:
        rows = tuple((f"below {t.below_percent}%", f"{t.credit_percent}%") for t in credits.tiers)
        title = _mark(policy, "credits.tiers", "Credit tiers")
        tables = (Table(title=title, headers=("Uptime", "Credit"), rows=rows),)
    return Section(title="Service credits", paragraphs=tuple(_credit_paragraphs(policy, credits)), tables=tables)


def notices_section(policy: Policy) -> Section | None:
    n, lines = policy.notices, []
    if n.incident_report_within is not None:
        lines.append(
            f"Incident report within {n.incident_report_within.text} (calendar '{n.incident_report_calendar}')."
        )
    if n.postmortem_after_major_incident:
        lines.append("A post-mortem after every major incident.")
    if n.change_notice_days is not None:
        lines.append(f"{n.change_notice_days} days' notice of changes that reduce protection.")
    if policy.status_page is not None:
        page = policy.status_page
        lines.append(f"Status page shows {', '.join(page.shows)}; subscribe by {', '.join(page.subscriptions)}.")
    if policy.backups is not None:
        b = policy.backups
        lines.append(
            f"Backups: {b.frequency}{', encrypted' if b.encrypted else ''}"
            + (f", restore tested {b.restore_test}" if b.restore_test else "")
            + (f", retention {b.retention}" if b.retention else "")
            + (f"; plans {', '.join(b.plans)}" if b.plans else "")
            + "."
        )
    lines += [text for text in (n.note,) if text]
    return Section(title="Notices, status page and backups", paragraphs=tuple(lines)) if lines else None


def header_section(policy: Policy) -> Section:
    lines = [
        f"Provider: {policy.provider}. Version {policy.version}, in force from {policy.effective_from.isoformat()}.",
    ]
    if policy.source:
        lines.append(f"Source: {policy.source}.")
    if policy.description:
        lines.append(policy.description)
    if policy.placeholders:
        lines.append("Placeholders (not stated by the source; replace them): " + ", ".join(policy.placeholders) + ".")
    return Section(title=policy.name, paragraphs=tuple(lines))


def policy_sections(policy: Policy) -> tuple[Section, ...]:
    """Every section of the rendered policy, in reading order."""
    sections = [
        header_section(policy),
        levels_section(policy),
        calendars_section(policy),
        support_section(policy),
        plans_section(policy),
        maintenance_section(policy),
        uptime_section(policy),
        credits_section(policy),
        notices_section(policy),
        clauses_section(policy),
    ]
    return tuple(s for s in sections if s is not None)


def _md_cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def table_markdown(table: Table) -> list[str]:
    lines = [f"**{table.title}**", ""] if table.title else []
    lines.append("| " + " | ".join(table.headers) + " |")
    lines.append("|" + "---|" * len(table.headers))
    lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in table.rows]
    return [*lines, ""]


def to_markdown(policy: Policy) -> str:
    """The policy as a Markdown document."""
    lines: list[str] = []
    for index, section in enumerate(policy_sections(policy)):
        lines += [("# " if index == 0 else "## ") + section.title, ""]
        for paragraph in section.paragraphs:
            lines += [" ".join(paragraph.split()), ""]
        for table in section.tables:
            lines += table_markdown(table)
    return "\n".join(lines).rstrip() + "\n"
