"""Policies and events built in code for the clock tests, close to the seed SLAs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from troth.core.calendars import CalendarSpec, DayInterval, always_open
from troth.core.clocks import Author, EventKind, TicketEvent
from troth.core.durations import parse_duration
from troth.core.instants import parse_instant
from troth.core.policies.model import Applicability, Level, LevelChangeRule, Policy, Target, TargetStop

WEEKDAYS = 5
WAITING = "waiting_on_customer"


def weekday_hours(name: str, timezone: str | None, start_hour: int, end_hour: int) -> CalendarSpec:
    day = (DayInterval(start=start_hour * 3600, end=end_hour * 3600),)
    return CalendarSpec(name=name, timezone=timezone, weekly=(day,) * WEEKDAYS + ((), ()))


CALENDARS = {
    "business": weekday_hours("business", "America/Chicago", 7, 18),
    "client": weekday_hours("client", None, 8, 17),
    "24x7": always_open("24x7", "UTC"),
}

STOPS = {
    "first_response": TargetStop.FIRST_AGENT_REPLY,
    "restoration": TargetStop.RESTORED,
    "resolution": TargetStop.RESOLVED,
    "status_update": TargetStop.FIRST_AGENT_REPLY,
}


def target(key: str, text: str, calendar: str = "business", **extra: object) -> Target:
    duration = parse_duration(text)
    spec = CALENDARS[calendar]
    pauses = frozenset() if key == "first_response" else frozenset({WAITING})
    fields: dict[str, object] = {
        "key": key,
        "duration": duration,
        "length": duration.resolve(spec, immediate=timedelta(minutes=15)),
        "calendar": calendar,
        "stops_on": STOPS[key],
        "pauses_on": pauses,
        "clause": f"{key} {text}",
    }
    fields.update(extra)
    return Target(**fields)  # type: ignore[arg-type]


def level(key: str, *targets: Target, rank: int = 1) -> Level:
    return Level(key=key, name=f"Level {key}", rank=rank, targets=targets)


def policy(*levels: Level, default: str | None = None, rule: LevelChangeRule = LevelChangeRule.RETROACTIVE) -> Policy:
    return Policy(
        id="test",
        name="Test SLA",
        provider="Test",
        version="1",
        effective_from=date(2024, 1, 1),
        calendars=CALENDARS,
        levels=levels,
        default_level=default or levels[0].key,
        level_change=rule,
    )


ELEVEO_LIKE = policy(
    level(
        "1",
        target("first_response", "30m", "24x7"),
        target("restoration", "4h", "24x7", applies_to=Applicability.PLATFORM_LEVEL),
    ),
    level(
        "2",
        target("first_response", "2 business hours", "client"),
        target("restoration", "2 business days", "client", applies_to=Applicability.PLATFORM_LEVEL),
        rank=2,
    ),
    level(
        "4",
        target("first_response", "1 business day", "client"),
        target("restoration", "N/A", "client", applies_to=Applicability.PLATFORM_LEVEL),
        rank=4,
    ),
    default="2",
)

BALTO_LIKE = policy(
    level("1", target("first_response", "4 business hours"), target("resolution", "2 business days")),
    level("3", target("first_response", "2 business days"), target("resolution", "1 week"), rank=3),
)


class Ticket:
    """Builds one ticket's events in file order: `Ticket("T-1").created("...").reply("...")`."""

    def __init__(self, ticket: str = "T-1") -> None:
        self.ticket = ticket
        self.events: list[TicketEvent] = []

    def _add(self, at: str, kind: EventKind, **fields: object) -> Ticket:
        event = TicketEvent(
            ticket=self.ticket, at=parse_instant(at), kind=kind, sequence=len(self.events) + 1, **fields
        )  # type: ignore[arg-type]
        self.events.append(event)
        return self

    def created(self, at: str, **fields: object) -> Ticket:
        return self._add(at, EventKind.CREATED, **fields)

    def reply(self, at: str, author: str = "agent", **fields: object) -> Ticket:
        return self._add(at, EventKind.REPLY, author=Author(author), **fields)

    def level(self, at: str, key: str) -> Ticket:
        return self._add(at, EventKind.LEVEL, level=key)

    def status(self, at: str, status: str) -> Ticket:
        return self._add(at, EventKind.STATUS, status=status)

    def restored(self, at: str) -> Ticket:
        return self._add(at, EventKind.RESTORED)

    def resolved(self, at: str) -> Ticket:
        return self._add(at, EventKind.RESOLVED)


def instant(text: str) -> datetime:
    return parse_instant(text)
