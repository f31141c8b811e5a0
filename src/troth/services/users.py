"""Users of each role, and the tokens they authenticate with."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.errors import ConflictError, InvalidError, NotFoundError
from troth.services.tokens import IssuedToken, issue_token
from troth.storage.database import Database
from troth.storage.models import AccountRow, Role, UserRow


def _check_binding(session: Session, role: Role, account_id: str | None) -> None:
    """A customer user belongs to exactly one existing account; provider users to none."""
    if role is Role.CUSTOMER:
        if account_id is None:
            raise InvalidError.one("a customer user needs an account", "account_id")
        if session.get(AccountRow, account_id) is None:
            raise InvalidError.one(f"no account '{account_id}'", "account_id")
    elif account_id is not None:
        raise InvalidError.one(f"an {role} belongs to the provider, not to an account", "account_id")


def create_user(
    database: Database, actor: Actor, *, name: str, role: Role, account_id: str | None, email: str | None
) -> UserRow:
    actor.require_admin()
    with database.writing() as session:
        _check_binding(session, role, account_id)
        if email is not None and session.scalars(select(UserRow.id).where(UserRow.email == email)).first():
            raise ConflictError(f"a user with email '{email}' already exists")
        user = UserRow(name=name, role=role, account_id=account_id, email=email, created_at=utc_now())
        session.add(user)
        session.flush()
        return user


def bootstrap_admin(session: Session, name: str) -> IssuedToken:
    """The first admin and their token, for `troth init` and `troth demo` (no actor exists yet)."""
    user = UserRow(name=name, role=Role.ADMIN, created_at=utc_now())
    session.add(user)
    session.flush()
    return issue_token(session, user, "initial admin token")


def _visible_user(session: Session, actor: Actor, user_id: int) -> UserRow:
    user = session.get(UserRow, user_id)
    if user is None or not (actor.role is Role.ADMIN or user.id == actor.user_id):
        raise NotFoundError("user", user_id)
    return user


def get_user(database: Database, actor: Actor, user_id: int) -> UserRow:
    with database.reading() as session:
        return _visible_user(session, actor, user_id)


def list_users(database: Database, actor: Actor, account_id: str | None = None) -> list[UserRow]:
    """An admin sees every user (or one account's); anyone else sees only themselves."""
    query = select(UserRow).order_by(UserRow.id)
    if actor.role is not Role.ADMIN:
        query = query.where(UserRow.id == actor.user_id)
    elif account_id is not None:
        query = query.where(UserRow.account_id == account_id)
    with database.reading() as session:
        return list(session.scalars(query))


def create_token(database: Database, actor: Actor, user_id: int, name: str) -> IssuedToken:
    """A new token for a user: an admin may issue one to anyone, others only to themselves."""
    with database.writing() as session:
        user = _visible_user(session, actor, user_id)
        return issue_token(session, user, name)
