"""API tokens: issued once in clear, stored as a hash, checked on every request, revocable."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.errors import NotFoundError
from troth.storage.database import Database
from troth.storage.models import Role, TokenRow, UserRow

TOKEN_PREFIX = "troth_"  # noqa: S105 - a marker that tells tokens apart, not a secret
_PREFIX_SHOWN = 12


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token; `secret` exists only here and is shown to its owner once."""

    token: TokenRow
    secret: str


def issue_token(session: Session, user: UserRow, name: str) -> IssuedToken:
    """Create a token for `user` within the caller's transaction."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = TokenRow(
        user_id=user.id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=secret[:_PREFIX_SHOWN],
        created_at=utc_now(),
    )
    session.add(row)
    session.flush()
    return IssuedToken(row, secret)


_ACTOR_OF_TOKEN = (
    select(UserRow.id, UserRow.role, UserRow.account_id)
    .join(TokenRow, TokenRow.user_id == UserRow.id)
    .where(TokenRow.token_hash == bindparam("token_hash"), TokenRow.revoked_at.is_(None))
)


@dataclass
class RecentActors:
    """Tokens that authenticated within the last `seconds`, so a busy client's every request is not a query.

    A token revoked through this server process stops working at once (`forget_all`); revoked
    through another process, within `seconds`. Failed look-ups are never remembered. Zero
    seconds remembers nothing.
    """

    seconds: float = 1.0
    clock: Callable[[], float] = time.monotonic
    limit: int = 10_000
    _seen: dict[str, tuple[float, Actor]] = field(default_factory=dict)

    def get(self, token_hash: str) -> Actor | None:
        seen = self._seen.get(token_hash)
        if seen is None or self.clock() - seen[0] >= self.seconds:
            return None
        return seen[1]

    def remember(self, token_hash: str, actor: Actor) -> None:
        if self.seconds <= 0:
            return
        if len(self._seen) >= self.limit:
            self._seen.clear()
        self._seen[token_hash] = (self.clock(), actor)

    def forget_all(self) -> None:
        self._seen.clear()

    def __len__(self) -> int:
        return len(self._seen)


def authenticate(database: Database, secret: str, recent: RecentActors | None = None) -> Actor | None:
    """The actor a presented secret belongs to, or None if it is unknown or revoked."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token_hash = hash_secret(secret)
    if recent is not None and (actor := recent.get(token_hash)) is not None:
        return actor
    with database.engine.connect() as connection:  # a plain query: this runs on every request
        row = connection.execute(_ACTOR_OF_TOKEN, {"token_hash": token_hash}).one_or_none()
    if row is None:
        return None
    actor = Actor(user_id=row.id, role=Role(row.role), account_id=row.account_id)
    if recent is not None:
        recent.remember(token_hash, actor)
    return actor


def _token_of(session: Session, actor: Actor, token_id: int) -> TokenRow:
    """A token the actor may manage: their own, or (for an admin) anyone's."""
    token = session.get(TokenRow, token_id)
    if token is None or (actor.role is not Role.ADMIN and token.user_id != actor.user_id):
        raise NotFoundError("token", token_id)
    return token


def revoke_token(database: Database, actor: Actor, token_id: int) -> TokenRow:
    """Revoke a token; revoking twice keeps the first revocation time."""
    with database.writing() as session:
        token = _token_of(session, actor, token_id)
        if token.revoked_at is None:
            token.revoked_at = utc_now()
        return token


def list_tokens(database: Database, actor: Actor, user_id: int | None = None) -> list[TokenRow]:
    """Tokens the actor may see: their own, or (admin) all or one user's."""
    query = select(TokenRow).order_by(TokenRow.id)
    if actor.role is not Role.ADMIN:
        query = query.where(TokenRow.user_id == actor.user_id)
    elif user_id is not None:
        query = query.where(TokenRow.user_id == user_id)
    with database.reading() as session:
        return list(session.scalars(query))
