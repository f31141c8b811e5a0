"""Who is asking: the authenticated caller, and the rules of what each role may see."""

from __future__ import annotations

from dataclasses import dataclass

from troth.services.errors import ForbiddenError, NotFoundError
from troth.storage.models import Role


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """An authenticated caller; a customer is bound to exactly one account."""

    user_id: int
    role: Role
    account_id: str | None = None

    @property
    def is_provider(self) -> bool:
        return self.role in (Role.ADMIN, Role.AGENT)

    def may_see_account(self, account_id: str) -> bool:
        return self.is_provider or self.account_id == account_id

    def require_account(self, account_id: str, what: str = "account", key: object = None) -> None:
        """Refuse a foreign account's data as if it did not exist, so nothing leaks its existence."""
        if not self.may_see_account(account_id):
            raise NotFoundError(what, account_id if key is None else key)

    def require_provider(self) -> None:
        if not self.is_provider:
            raise ForbiddenError("only the provider's admins and agents may do this")

    def require_admin(self) -> None:
        if self.role is not Role.ADMIN:
            raise ForbiddenError("only an admin may do this")

    def scope(self, account_id: str | None) -> str | None:
        """The account a listing is limited to: a provider's filter, or a customer's own account.

        A customer who filters on another account is told it does not exist, as for any foreign id.
        """
        if self.is_provider:
            return account_id
        if account_id is not None and account_id != self.account_id:
            raise NotFoundError("account", account_id)
        return self.account_id
