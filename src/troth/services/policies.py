"""Policies: upload a version (checked by the core, errors located), list versions, render one.

Parsed policies are cached by version id: a stored version's text never changes, so neither
does its meaning, and parsing on every ticket event would dominate the cost of an event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from troth.core.accounts import Account
from troth.core.policies.diagnostics import Problem
from troth.core.policies.effective import effective_policy, terms_key
from troth.core.policies.loading import check_policy_text
from troth.core.policies.model import Policy, PolicyHistory
from troth.core.policies.render import to_markdown
from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.errors import ConflictError, InvalidError, Located, NotFoundError
from troth.storage.database import Database
from troth.storage.models import AccountRow, PolicyRow, PolicyVersionRow

UPLOAD_SOURCE = "policy"


@dataclass(frozen=True, slots=True)
class Uploaded:
    version: PolicyVersionRow
    warnings: tuple[Problem, ...]


def _located(problem: Problem) -> Located:
    return Located(problem.message, field="text", line=problem.line, column=problem.column)


_PARSED: dict[str, Policy] = {}
_MAX_PARSED = 256


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def parsed_policy(version: PolicyVersionRow) -> Policy:
    """The policy a stored version's text says, parsed once per text (stored versions never change).

    Call within the session that loaded `version`: its text is loaded only on a cache miss.
    """
    policy = _PARSED.get(version.digest)
    if policy is None:
        check = check_policy_text(version.text, UPLOAD_SOURCE)
        if check.policy is None:
            raise InvalidError([_located(p) for p in check.errors])
        if len(_PARSED) >= _MAX_PARSED:
            _PARSED.clear()
        policy = _PARSED[version.digest] = check.policy
    return policy


_EFFECTIVE: dict[tuple[str, str, str | None, tuple[tuple[str, str], ...]], Policy] = {}


def effective_for(version: PolicyVersionRow, account: Account) -> Policy:
    """The version as it applies to one account: its plan and contract overrides applied (cached)."""
    plan, overrides = terms_key(account)
    key = (version.digest, account.id, plan, overrides)
    policy = _EFFECTIVE.get(key)
    if policy is None:
        if len(_EFFECTIVE) >= 16 * _MAX_PARSED:
            _EFFECTIVE.clear()
        terms = Account(id=account.id, plan=plan, overrides=dict(overrides))
        policy = _EFFECTIVE[key] = effective_policy(parsed_policy(version), terms)
    return policy


def upload_policy(database: Database, actor: Actor, text: str) -> Uploaded:
    """Store a new version; a file with errors is refused with every error located."""
    actor.require_admin()
    check = check_policy_text(text, UPLOAD_SOURCE)
    if check.policy is None:
        raise InvalidError([_located(p) for p in check.errors])
    policy = check.policy
    with database.writing() as session:
        if session.get(PolicyRow, policy.id) is None:
            session.add(PolicyRow(key=policy.id, name=policy.name, created_at=utc_now()))
            session.flush()
        _refuse_same_date(session, policy)
        number = session.scalar(select(func.count()).where(PolicyVersionRow.policy_key == policy.id)) or 0
        version = PolicyVersionRow(
            policy_key=policy.id,
            number=number + 1,
            version=policy.version,
            effective_from=policy.effective_from,
            digest=digest_of(text),
            text=text,
            uploaded_at=utc_now(),
            uploaded_by=actor.user_id,
        )
        session.add(version)
        session.flush()
        return Uploaded(version, check.warnings)


def _refuse_same_date(session: Session, policy: Policy) -> None:
    clash = session.scalars(
        select(PolicyVersionRow.number).where(
            PolicyVersionRow.policy_key == policy.id, PolicyVersionRow.effective_from == policy.effective_from
        )
    ).first()
    if clash is not None:
        raise ConflictError(
            f"version {clash} of policy '{policy.id}' already takes effect on {policy.effective_from}; "
            "a new version needs its own effective date"
        )


def _visible_keys(session: Session, actor: Actor) -> set[str] | None:
    """The policies a customer may read (their account's); None means all (provider)."""
    if actor.is_provider:
        return None
    account = session.get(AccountRow, actor.account_id)
    return {account.policy_key} if account and account.policy_key else set()


def list_policies(database: Database, actor: Actor) -> list[PolicyRow]:
    with database.reading() as session:
        visible = _visible_keys(session, actor)
        query = select(PolicyRow).order_by(PolicyRow.key)
        if visible is not None:
            query = query.where(PolicyRow.key.in_(visible))
        return list(session.scalars(query))


def list_versions(database: Database, actor: Actor, key: str) -> list[PolicyVersionRow]:
    with database.reading() as session:
        _require_visible(session, actor, key)
        query = select(PolicyVersionRow).where(PolicyVersionRow.policy_key == key).order_by(PolicyVersionRow.number)
        return list(session.scalars(query))


def _require_visible(session: Session, actor: Actor, key: str) -> None:
    visible = _visible_keys(session, actor)
    if (visible is not None and key not in visible) or session.get(PolicyRow, key) is None:
        raise NotFoundError("policy", key)


def get_version(database: Database, actor: Actor, key: str, number: int) -> PolicyVersionRow:
    with database.reading() as session:
        _require_visible(session, actor, key)
        query = select(PolicyVersionRow).where(PolicyVersionRow.policy_key == key, PolicyVersionRow.number == number)
        version = session.scalars(query.options(undefer(PolicyVersionRow.text))).one_or_none()
    if version is None:
        raise NotFoundError("policy version", f"{key} {number}")
    return version


def render_version(database: Database, actor: Actor, key: str, number: int) -> str:
    """The version as a human-readable document (Markdown)."""
    version = get_version(database, actor, key, number)
    return to_markdown(parsed_policy(version))


def version_in_force(session: Session, policy_key: str, at: datetime) -> PolicyVersionRow:
    """The stored version of an SLA in force at an instant, as the core's PolicyHistory decides."""
    return in_force(versions_of(session, policy_key), policy_key, at)


def versions_of(session: Session, policy_key: str) -> list[PolicyVersionRow]:
    """Every stored version of an SLA."""
    return list(session.scalars(select(PolicyVersionRow).where(PolicyVersionRow.policy_key == policy_key)))


def in_force(versions: Sequence[PolicyVersionRow], policy_key: str, at: datetime) -> PolicyVersionRow:
    """Which of an SLA's stored versions is in force at an instant, as the core's PolicyHistory decides."""
    if not versions:
        raise InvalidError.one(f"policy '{policy_key}' has no uploaded version", "account_id")
    policies = {id(parsed_policy(v)): v for v in versions}
    history = PolicyHistory(versions=tuple(parsed_policy(v) for v in versions))
    return policies[id(history.in_force_at(at))]
