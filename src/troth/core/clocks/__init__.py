"""Ticket clocks: from a ticket's events, every target's due time, status and elapsed business time."""

from troth.core.clocks.events import CLOSING_STATUSES, OPEN_STATUS, Author, EventKind, TicketEvent, known_statuses
from troth.core.clocks.rules import WARNING_PERCENTS, ClockStatus
from troth.core.clocks.single import BreachWarning, TargetClock, evaluate_facts, evaluate_ticket
from troth.core.clocks.timeline import TicketError, TicketFacts, ticket_facts

__all__ = [
    "CLOSING_STATUSES",
    "OPEN_STATUS",
    "WARNING_PERCENTS",
    "Author",
    "BreachWarning",
    "ClockStatus",
    "EventKind",
    "TargetClock",
    "TicketError",
    "TicketEvent",
    "TicketFacts",
    "evaluate_facts",
    "evaluate_ticket",
    "known_statuses",
    "ticket_facts",
]
