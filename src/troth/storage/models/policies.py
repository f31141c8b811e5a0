"""Policies: every uploaded version of every SLA, its YAML text and the date it takes effect."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from troth.storage.base import Base


class PolicyRow(Base):
    """One SLA, named by the `id` its policy files carry; its versions are PolicyVersionRow."""

    __tablename__ = "policies"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class PolicyVersionRow(Base):
    """One uploaded version: `number` counts uploads from 1; `version` is the label the file gives.

    The text is kept exactly as uploaded (and loaded only when asked for); versions are never
    edited, only added.
    """

    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("policy_key", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_key: Mapped[str] = mapped_column(ForeignKey("policies.key"), index=True)
    number: Mapped[int]
    version: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[date]
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of `text`: what a parsed policy is cached under, so the text is read only once."""
    text: Mapped[str] = mapped_column(Text, deferred=True)
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
