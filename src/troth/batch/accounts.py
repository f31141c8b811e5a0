"""The accounts file (CONTRACT.md, "Accounts"): one customer per line."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from troth.batch.jsonl import Record, read_records
from troth.core.accounts import Account

_FIELDS = {"id", "timezone", "plan", "monthly_fee", "currency", "region", "trial", "unpaid_since", "overrides"}


def account_from_record(record: Record) -> Account:
    unknown = sorted(set(record.data) - _FIELDS)
    if unknown:
        raise record.error(f"unknown field; expected one of {', '.join(sorted(_FIELDS))}", unknown[0])
    timezone = record.text("timezone", required=False)
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise record.error(f"'{timezone}' is not an IANA time zone", "timezone") from None
    overrides = record.data.get("overrides") or {}
    if not isinstance(overrides, dict) or not all(isinstance(v, str | int | float) for v in overrides.values()):
        raise record.error("must be an object of policy paths to values", "overrides")
    currency = record.text("currency", required=False) or "USD"
    if len(currency) != 3 or not currency.isalpha():
        raise record.error(f"'{currency}' is not an ISO 4217 currency code", "currency")
    account_id = record.text("id")
    assert account_id is not None
    return Account(
        id=account_id,
        timezone=timezone,
        plan=record.text("plan", required=False),
        monthly_fee=record.decimal("monthly_fee"),
        currency=currency.upper(),
        region=record.text("region", required=False),
        trial=record.boolean("trial", default=False),
        unpaid_since=record.instant("unpaid_since", required=False),
        overrides={str(k): str(v) for k, v in overrides.items()},
    )


def read_accounts(path: str) -> dict[str, Account]:
    """All accounts of a file by id; a repeated id is an error on its second line."""
    accounts: dict[str, Account] = {}
    for record in read_records(path):
        account = account_from_record(record)
        if account.id in accounts:
            raise record.error(f"account '{account.id}' appears twice", "id")
        accounts[account.id] = account
    return accounts
