"""Users, their roles, and API tokens (shown once at creation, stored only as a hash)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import Field

from troth.services import tokens as token_service
from troth.services import users as service
from troth.services.tokens import IssuedToken
from troth.storage.models import Role, TokenRow, UserRow
from troth.web.api.schemas import Body, DbId, Key, Name, Out, UtcOut
from troth.web.deps import ActorDep, DatabaseDep
from troth.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["users"], responses=ERROR_RESPONSES)


class UserIn(Body):
    name: Name
    role: Role
    account_id: Key | None = Field(default=None, description="Required for a customer user, absent otherwise")
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")


class UserOut(Out):
    id: int
    name: str
    role: Role
    account_id: str | None
    email: str | None
    created_at: UtcOut


class TokenIn(Body):
    name: Name = "API token"


class TokenOut(Out):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: UtcOut
    revoked_at: UtcOut | None


class IssuedTokenOut(TokenOut):
    token: str = Field(description="The secret; shown only in this answer, never again")


def _issued(issued: IssuedToken) -> IssuedTokenOut:
    shown = TokenOut.model_validate(issued.token).model_dump()
    return IssuedTokenOut(**shown, token=issued.secret)


def _user(row: UserRow) -> UserOut:
    return UserOut.model_validate(row)


def _token(row: TokenRow) -> TokenOut:
    return TokenOut.model_validate(row)


@router.get("/me", response_model=UserOut, tags=["users"])
def me(database: DatabaseDep, actor: ActorDep) -> UserOut:
    """The user the token belongs to."""
    return _user(service.get_user(database, actor, actor.user_id))


@router.get("/users", response_model=list[UserOut])
def list_users(database: DatabaseDep, actor: ActorDep, account_id: str | None = None) -> list[UserOut]:
    """Every user (admin, optionally one account's), or only the caller."""
    return [_user(row) for row in service.list_users(database, actor, account_id)]


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, database: DatabaseDep, actor: ActorDep) -> UserOut:
    """Create a user (admin); a customer user is bound to one account."""
    row = service.create_user(
        database, actor, name=body.name, role=body.role, account_id=body.account_id, email=body.email
    )
    return _user(row)


@router.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: DbId, database: DatabaseDep, actor: ActorDep) -> UserOut:
    return _user(service.get_user(database, actor, user_id))


@router.post("/users/{user_id}/tokens", response_model=IssuedTokenOut, status_code=201, tags=["tokens"])
def create_user_token(user_id: DbId, body: TokenIn, database: DatabaseDep, actor: ActorDep) -> IssuedTokenOut:
    """Issue a token to a user (admin, or the user themselves); the secret is in this answer only."""
    return _issued(service.create_token(database, actor, user_id, body.name))


@router.get("/tokens", response_model=list[TokenOut], tags=["tokens"])
def list_tokens(database: DatabaseDep, actor: ActorDep) -> list[TokenOut]:
    """The caller's tokens (an admin sees everyone's); never their secrets."""
    return [_token(row) for row in token_service.list_tokens(database, actor)]


@router.post("/tokens", response_model=IssuedTokenOut, status_code=201, tags=["tokens"])
def create_token(body: TokenIn, database: DatabaseDep, actor: ActorDep) -> IssuedTokenOut:
    """Issue another token to the caller."""
    return _issued(service.create_token(database, actor, actor.user_id, body.name))


@router.post("/tokens/{token_id}/revoke", response_model=TokenOut, tags=["tokens"])
def revoke_token(token_id: DbId, request: Request, database: DatabaseDep, actor: ActorDep) -> TokenOut:
    """Revoke a token: it stops working at once on this server process, within a second on others."""
    revoked = token_service.revoke_token(database, actor, token_id)
    request.app.state.recent_actors.forget_all()
    return _token(revoked)
