"""The outages and claims files (CONTRACT.md, "Outages, maintenance, claims"), read line by line.

Every line is checked, even one the evaluation will not need, so that a bad file is never half
trusted: the first problem stops the run with its file, line and field.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from troth.batch.jsonl import Record, read_records
from troth.core.credits.claims import Claim
from troth.core.uptime.periods import Month
from troth.core.uptime.records import Cause, Outage, OutageKind

_OUTAGE_FIELDS = frozenset(
    {"id", "start", "end", "component", "accounts", "kind", "cause", "announced_at", "title", "description"}
)
_CLAIM_FIELDS = frozenset({"account", "month", "kind", "submitted_at"})
_Choice = TypeVar("_Choice", OutageKind, Cause)


@dataclass(frozen=True, slots=True, kw_only=True)
class OutageCheck:
    """What outage records are checked against: the accounts file and the policy's components."""

    accounts: Collection[str]
    accounts_file: str
    components: frozenset[str] = frozenset()
    """The components the policy declares; empty means any component name is accepted."""


def _choice(record: Record, field: str, kinds: type[_Choice], default: _Choice | None) -> _Choice:
    text = record.text(field, required=default is None)
    if text is None:
        assert default is not None  # `text` is required when there is no default
        return default
    try:
        return kinds(text)
    except ValueError:
        known = ", ".join(k.value for k in kinds)
        raise record.error(f"'{text}' is not one of {known}", field) from None


def _scope(record: Record, check: OutageCheck) -> frozenset[str] | None:
    value = record.data.get("accounts")
    if value == "all":
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise record.error('must be "all" or a non-empty list of account ids', "accounts")
    for account in value:
        if account not in check.accounts:
            raise record.error(f"account '{account}' is not in the accounts file {check.accounts_file}", "accounts")
    return frozenset(value)


def outage_from_record(record: Record, check: OutageCheck) -> Outage:
    unknown = sorted(set(record.data) - _OUTAGE_FIELDS)
    if unknown:
        raise record.error(f"unknown field; expected one of {', '.join(sorted(_OUTAGE_FIELDS))}", unknown[0])
    start: datetime = record.instant("start")
    end: datetime | None = record.instant("end", required=False)
    if end is not None and end < start:
        raise record.error("ends before it starts", "end")
    component = record.text("component")
    assert component is not None
    if check.components and component not in check.components:
        known = ", ".join(sorted(check.components))
        raise record.error(f"'{component}' is not a component of the policy ({known})", "component")
    identifier = record.text("id")
    assert identifier is not None
    return Outage(
        id=identifier,
        kind=_choice(record, "kind", OutageKind, None),
        start_at=start,
        end_at=end,
        component=component,
        accounts=_scope(record, check),
        cause=_choice(record, "cause", Cause, Cause.INTERNAL),
        announced_at=record.instant("announced_at", required=False),
    )


def read_outages(path: str, check: OutageCheck, *, keep: Callable[[Outage], bool] | None = None) -> list[Outage]:
    """Every record of an outages file (those `keep` accepts); a repeated id is an error."""
    return list(iter_outages(path, check, keep=keep))


def iter_outages(path: str, check: OutageCheck, *, keep: Callable[[Outage], bool] | None = None) -> Iterator[Outage]:
    seen: set[str] = set()
    for record in read_records(path):
        outage = outage_from_record(record, check)
        if outage.id in seen:
            raise record.error(f"id '{outage.id}' appears twice", "id")
        seen.add(outage.id)
        if keep is None or keep(outage):
            yield outage


def claim_from_record(record: Record, accounts: Collection[str], accounts_file: str) -> Claim:
    unknown = sorted(set(record.data) - _CLAIM_FIELDS)
    if unknown:
        raise record.error(f"unknown field; expected one of {', '.join(sorted(_CLAIM_FIELDS))}", unknown[0])
    if record.text("kind") != "claim":
        raise record.error(f"'{record.data.get('kind')}' is not one of claim", "kind")
    account = record.text("account")
    assert account is not None
    if account not in accounts:
        raise record.error(f"account '{account}' is not in the accounts file {accounts_file}", "account")
    month_text = record.text("month")
    assert month_text is not None
    try:
        month = Month.parse(month_text)
    except ValueError as error:
        raise record.error(str(error), "month") from None
    return Claim(account=account, month=month, submitted_at=record.instant("submitted_at"))


def read_claims(path: str, accounts: Collection[str], accounts_file: str) -> list[Claim]:
    """Every claim of a claims file."""
    return [claim_from_record(record, accounts, accounts_file) for record in read_records(path)]
