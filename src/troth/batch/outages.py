"""The outages and claims files (CONTRACT.md, "Outages, maintenance, claims"), read line by line.

Every line is checked, even one the evaluation will not need, so that a bad file is never half
trusted: the first problem stops the run with its file, line and field.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
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
Span = tuple[datetime, datetime]
"""`[lo, hi)`: records that do not touch it are checked, then left out."""
_BY_VALUE: dict[tuple[type, str], OutageKind | Cause] = {
    **{(OutageKind, k.value): k for k in OutageKind},
    **{(Cause, c.value): c for c in Cause},
}


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
    found = _BY_VALUE.get((kinds, text))
    if found is None:
        known = ", ".join(k.value for k in kinds)
        raise record.error(f"'{text}' is not one of {known}", field)
    return found  # type: ignore[return-value]  # the key's type is `kinds`, so the value is one of them


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


def _text(record: Record, field: str) -> str:
    value = record.data.get(field)
    if type(value) is str and value:
        return value
    checked = record.text(field)  # raises the located error
    assert checked is not None
    return checked


def _instant(record: Record, field: str, *, required: bool) -> datetime | None:
    value = record.data.get(field)
    if type(value) is str:
        # The common case, parsed directly; anything odd goes through Record for its located error.
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    instant: datetime | None = record.instant(field, required=required)
    return instant


def outage_from_record(record: Record, check: OutageCheck, *, touching: Span | None = None) -> Outage | None:
    """The record as an Outage, every field checked; None when it does not touch `touching`."""
    if not record.data.keys() <= _OUTAGE_FIELDS:
        unknown = sorted(set(record.data) - _OUTAGE_FIELDS)
        raise record.error(f"unknown field; expected one of {', '.join(sorted(_OUTAGE_FIELDS))}", unknown[0])
    identifier = _text(record, "id")
    start = _instant(record, "start", required=True)
    assert start is not None
    end = _instant(record, "end", required=False)
    if end is not None and end < start:
        raise record.error("ends before it starts", "end")
    component = _text(record, "component")
    if check.components and component not in check.components:
        known = ", ".join(sorted(check.components))
        raise record.error(f"'{component}' is not a component of the policy ({known})", "component")
    kind = _choice(record, "kind", OutageKind, None)
    scope = _scope(record, check)
    cause = _choice(record, "cause", Cause, Cause.INTERNAL)
    announced = _instant(record, "announced_at", required=False)
    if touching is not None and not (start < touching[1] and (end is None or end > touching[0])):
        return None  # checked, but not needed: building it would only cost time
    return Outage(
        id=identifier,
        kind=kind,
        start_at=start,
        end_at=end,
        component=component,
        accounts=scope,
        cause=cause,
        announced_at=announced,
    )


def read_outages(path: str, check: OutageCheck, *, touching: Span | None = None) -> list[Outage]:
    """Every record of an outages file that touches `[lo, hi)` (all when None); every line is checked,
    and a repeated id is an error."""
    return list(iter_outages(path, check, touching=touching))


def iter_outages(path: str, check: OutageCheck, *, touching: Span | None = None) -> Iterator[Outage]:
    seen: set[str] = set()
    for record in read_records(path):
        outage = outage_from_record(record, check, touching=touching)
        identifier = record.data["id"]
        if identifier in seen:
            raise record.error(f"id '{identifier}' appears twice", "id")
        seen.add(identifier)
        if outage is not None:
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
