"""Level and target documents to `Level` and `Target`, with durations resolved on their calendars."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from troth.core.calendars.spec import CalendarSpec
from troth.core.durations import DurationKind, DurationSyntaxError, TargetDuration, parse_duration
from troth.core.errors import CalendarError
from troth.core.policies.diagnostics import one_of
from troth.core.policies.document import LevelDoc, TargetDoc
from troth.core.policies.findings import Findings
from troth.core.policies.model import Level, Target, TargetStop
from troth.core.policies.yamltree import Path

WAITING_ON_CUSTOMER = "waiting_on_customer"

DEFAULT_STOPS: Mapping[str, TargetStop] = {
    "first_response": TargetStop.FIRST_AGENT_REPLY,
    "restoration": TargetStop.RESTORED,
    "resolution": TargetStop.RESOLVED,
}
"""What stops the standard targets when the file does not say."""

DEFAULT_PAUSES: Mapping[str, frozenset[str]] = {
    "first_response": frozenset(),
    "restoration": frozenset({WAITING_ON_CUSTOMER}),
    "resolution": frozenset({WAITING_ON_CUSTOMER}),
}
"""Pause states by default: restoration and resolution wait for the customer, first response never."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Lengths:
    """What the policy says `immediate` and `1 week` mean, needed to resolve any target's length."""

    immediate: timedelta = timedelta(0)
    week: TargetDuration | None = None


def target_length(duration: TargetDuration, calendar: CalendarSpec, lengths: Lengths) -> timedelta | None:
    """The target's length in business time on `calendar`; None for N/A and scheduled targets.

    Raises CalendarError when business days have no defined length on the calendar.
    """
    week: timedelta | None = None
    if duration.kind is DurationKind.WEEKS and lengths.week is not None:
        week = lengths.week.resolve(calendar, immediate=lengths.immediate)
    return duration.resolve(calendar, immediate=lengths.immediate, week=week)


def parse_target_duration(text: str, path: Path, findings: Findings) -> TargetDuration | None:
    try:
        return parse_duration(text)
    except DurationSyntaxError as error:
        findings.error(path, str(error))
        return None


def convert_target(
    key: str, doc: TargetDoc, path: Path, calendars: Mapping[str, CalendarSpec], lengths: Lengths, findings: Findings
) -> Target | None:
    duration = parse_target_duration(doc.duration, (*path, "duration"), findings)
    calendar = calendars.get(doc.calendar)
    if calendar is None:
        findings.unknown((*path, "calendar"), "calendar", doc.calendar, calendars)
    stops_on = doc.stops_on or DEFAULT_STOPS.get(key)
    if stops_on is None:
        findings.error(path, f"target '{key}' needs stops_on: {one_of(TargetStop)}")
    if duration is None or calendar is None or stops_on is None:
        return None
    try:
        length = target_length(duration, calendar, lengths)
    except CalendarError as error:
        findings.error((*path, "duration"), f"'{doc.duration}' cannot be measured: {error}")
        return None
    pauses = frozenset(doc.pauses_on) if doc.pauses_on is not None else DEFAULT_PAUSES.get(key, frozenset())
    return Target(
        key=key,
        duration=duration,
        length=length,
        calendar=doc.calendar,
        stops_on=stops_on,
        pauses_on=pauses,
        applies_to=doc.applies_to,
        periodic=doc.periodic,
        channel=doc.channel,
        clause=doc.clause,
        note=doc.note.strip(),
    )


def convert_levels(
    docs: Mapping[str, LevelDoc], calendars: Mapping[str, CalendarSpec], lengths: Lengths, findings: Findings
) -> tuple[Level, ...]:
    """Levels in file order; `rank` defaults to the position (1 = first = most urgent)."""
    levels: list[Level] = []
    for position, (key, doc) in enumerate(docs.items(), start=1):
        path: Path = ("levels", key)
        targets = [
            convert_target(target_key, target, (*path, "targets", target_key), calendars, lengths, findings)
            for target_key, target in doc.targets.items()
        ]
        levels.append(
            Level(
                key=key,
                name=doc.name,
                rank=doc.rank if doc.rank is not None else position,
                description=doc.description.strip(),
                examples=tuple(doc.examples),
                targets=tuple(t for t in targets if t is not None),
            )
        )
    return tuple(levels)
