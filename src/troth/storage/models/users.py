"""Users and their API tokens; only a hash of each token is stored."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from troth.storage.base import Base


class Role(StrEnum):
    ADMIN = "admin"
    """The provider's administrator: everything."""
    AGENT = "agent"
    """The provider's support agent: every account's tickets, outages and maintenance."""
    CUSTOMER = "customer"
    """A customer's user, bound to one account: only that account's data."""


class UserRow(Base):
    """A person or integration; a customer user has `account_id`, provider users have none."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    role: Mapped[Role] = mapped_column(String(16))
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime]


class TokenRow(Base):
    """An API token: `token_hash` is the SHA-256 of the secret, shown to its owner once at creation.

    Tokens carry 256 random bits, so a fast hash is safe here (no password stretching needed) and
    keeps authentication cheap on every request. `prefix` is the secret's first characters, enough
    for a person to tell tokens apart in a list.
    """

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
