"""Ticket events as a helpdesk export records them (CONTRACT.md, "Ticket events").

An event is a fact about one ticket at one instant. The engines never read files: the batch
layer turns lines into these values (or into columns of them, for the bulk path).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from troth.core.policies.model import Policy


class EventKind(StrEnum):
    """The `type` of an event; the order here is the contract's."""

    CREATED = "created"
    REPLY = "reply"
    LEVEL = "level"
    STATUS = "status"
    RESTORED = "restored"
    RESOLVED = "resolved"


class Author(StrEnum):
    AGENT = "agent"
    """A person on the provider's side."""
    CUSTOMER = "customer"


OPEN_STATUS = "open"
"""The status a ticket has when nothing pauses it; a ticket is open from its creation."""

CLOSING_STATUSES = frozenset({"resolved", "solved", "closed"})
"""Status names that say the ticket is done; after `resolved` they do not reopen it."""


def known_statuses(policy: Policy) -> frozenset[str]:
    """The status values a ticket of this policy may take: open, closing ones, and every pause state."""
    pauses = {status for level in policy.levels for target in level.targets for status in target.pauses_on}
    return frozenset({OPEN_STATUS, *CLOSING_STATUSES, *pauses})


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketEvent:
    """One event of one ticket.

    `sequence` is the event's position in its file (the line number): events are applied in
    time order, equal instants in file order, except that `created` always comes first.
    Fields that do not belong to the event's kind keep their defaults.
    """

    ticket: str
    at: datetime
    kind: EventKind
    sequence: int = 0
    account: str | None = None
    level: str | None = None
    platform_level: bool = False
    channel: str | None = None
    scheduled_at: datetime | None = None
    author: Author | None = None
    public: bool = True
    automated: bool = False
    status: str | None = None

    @property
    def is_agent_response(self) -> bool:
        """A public, non-automated reply by a person on the provider's side: what stops first response."""
        return self.kind is EventKind.REPLY and self.author is Author.AGENT and self.public and not self.automated

    @property
    def reopens(self) -> bool:
        """A status change that takes a resolved ticket back into work."""
        return self.kind is EventKind.STATUS and self.status not in CLOSING_STATUSES
