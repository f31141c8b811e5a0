"""Tickets, their append-only events, and the derived clock state of each target.

Events are the truth; `TargetStateRow` is derived from them by the core and rewritten on every
event so that the agent queue is an indexed query, not a recompute per request.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from troth.storage.base import Base


class TicketRow(Base):
    """A ticket's identity and the summary the queue orders by.

    `level_rank` copies the policy level's rank (1 most urgent) so the queue sorts without the policy;
    `idempotency_key` makes a retried create return the first ticket instead of a second one.
    """

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("account_id", "idempotency_key"),
        Index("ix_tickets_queue", "is_open", "level_rank", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    subject: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(32))
    level_rank: Mapped[int]
    status: Mapped[str] = mapped_column(String(32))
    platform_level: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[str | None] = mapped_column(String(32))
    is_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    restored_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    last_event_at: Mapped[datetime]
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TicketEventRow(Base):
    """One event as CONTRACT.md's ticket events describe it; rows are only ever inserted.

    `seq` is the arrival order within the ticket, which breaks ties between equal instants.
    """

    __tablename__ = "ticket_events"
    __table_args__ = (
        UniqueConstraint("ticket_id", "seq"),
        UniqueConstraint("ticket_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    author: Mapped[str | None] = mapped_column(String(16))
    public: Mapped[bool | None]
    automated: Mapped[bool | None]
    level: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str | None] = mapped_column(String(32))
    platform_level: Mapped[bool | None]
    channel: Mapped[str | None] = mapped_column(String(32))
    scheduled_at: Mapped[datetime | None]
    body: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TargetStateRow(Base):
    """The core's verdict on one target of one ticket, as of `evaluated_at` (the latest event).

    `due_at` is None while paused or when the target has no duration. The warning instants are when
    50 % and 75 % of the target's time will have elapsed, given the pauses so far.
    """

    __tablename__ = "target_states"
    __table_args__ = (
        Index("ix_target_states_due", "is_open", "due_at"),
        Index("ix_target_states_account_due", "account_id", "is_open", "due_at"),
    )

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    target: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    level: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    is_open: Mapped[bool]
    started_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]
    warn_50_at: Mapped[datetime | None]
    warn_75_at: Mapped[datetime | None]
    target_seconds: Mapped[int | None]
    elapsed_seconds: Mapped[int]
    evaluated_at: Mapped[datetime]
