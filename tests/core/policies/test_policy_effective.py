"""The policy as it applies to one account: plan commitment and contract overrides."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from troth.core.accounts import Account
from troth.core.errors import PolicyError
from troth.core.policies.effective import effective_policy, terms_key
from troth.core.policies.model import Policy


def test_an_account_without_plan_or_overrides_gets_the_same_policy(balto: Policy) -> None:
    assert effective_policy(balto, Account(id="acme-dialers")) is balto


def test_the_plan_sets_the_uptime_commitment(bloomneo: Policy) -> None:
    """Bloomneo: "Basic 99.5 %, Pro 99.9 %, Max 99.95 %" """
    for plan, expected in (("basic", "99.5"), ("pro", "99.9"), ("max", "99.95")):
        policy = effective_policy(bloomneo, Account(id="a", plan=plan))
        assert policy.uptime is not None
        assert policy.uptime.commitment_percent == Decimal(expected)
    assert bloomneo.uptime is not None
    assert bloomneo.uptime.commitment_percent == Decimal("99.5")


def test_a_contract_overrides_the_response_time(walt_labs: Policy) -> None:
    """WALT Labs: "Unless stated otherwise on a customer contract, the support response time is 30 minutes" """
    account = Account(
        id="northwind", plan="premium", overrides={"levels.standard.targets.first_response.duration": "15m"}
    )
    policy = effective_policy(walt_labs, account)
    target = policy.level("standard").target("first_response")
    assert target is not None
    assert target.length == timedelta(minutes=15)
    original = walt_labs.level("standard").target("first_response")
    assert original is not None
    assert original.length == timedelta(minutes=30)


def test_an_enterprise_contract_raises_the_commitment_over_the_plan(bloomneo: Policy) -> None:
    """Bloomneo: "custom enterprise plans negotiated up to 99.99 %" """
    account = Account(
        id="big", plan="max", overrides={"uptime.commitment_percent": "99.99", "credits.cap_percent": "60"}
    )
    policy = effective_policy(bloomneo, account)
    assert policy.uptime is not None
    assert policy.uptime.commitment_percent == Decimal("99.99")
    assert policy.credits is not None
    assert policy.credits.cap_percent == Decimal(60)


def test_a_business_day_override_is_resolved_on_the_targets_calendar(eleveo: Policy) -> None:
    account = Account(id="c", overrides={"levels.2.targets.restoration.duration": "1 business day"})
    target = effective_policy(eleveo, account).level("2").target("restoration")
    assert target is not None
    assert target.length == timedelta(hours=9)


def test_overriding_a_placeholder_removes_it_from_the_placeholders(bloomneo: Policy) -> None:
    path = "levels.P1.targets.first_response.duration"
    policy = effective_policy(bloomneo, Account(id="a", overrides={path: "15m"}))
    assert path not in policy.placeholders
    assert path in bloomneo.placeholders


def test_immediate_means_override_changes_immediate_targets(third_spectrum: Policy) -> None:
    policy = effective_policy(third_spectrum, Account(id="a", overrides={"immediate_means": "5m"}))
    target = policy.level("P1").target("first_response")
    assert target is not None
    assert target.length == timedelta(minutes=5)


def test_an_unknown_override_path_is_an_error_naming_it(balto: Policy) -> None:
    with pytest.raises(PolicyError, match=r"account 'a' has unknown override path 'uptime\.commitment'"):
        effective_policy(balto, Account(id="a", overrides={"uptime.commitment": "99"}))


def test_an_override_of_an_unknown_level_names_the_path(balto: Policy) -> None:
    with pytest.raises(
        PolicyError, match=r"override 'levels\.9\.targets\.first_response\.duration' = '1h'.*no level '9'"
    ):
        effective_policy(balto, Account(id="a", overrides={"levels.9.targets.first_response.duration": "1h"}))


def test_a_bad_override_value_is_an_error_naming_path_and_value(balto: Policy) -> None:
    with pytest.raises(PolicyError, match=r"override 'credits.cap_percent' = '130'.*between 0 and 100"):
        effective_policy(balto, Account(id="a", overrides={"credits.cap_percent": "130"}))


def test_an_unknown_plan_is_an_error_with_a_suggestion(bloomneo: Policy) -> None:
    with pytest.raises(PolicyError, match=r"plan 'prp'.*\(did you mean 'pro'\?\)"):
        effective_policy(bloomneo, Account(id="a", plan="prp"))


def test_terms_key_groups_accounts_with_the_same_terms() -> None:
    one = Account(id="a", plan="pro", overrides={"x": "1", "y": "2"})
    two = Account(id="b", plan="pro", overrides={"y": "2", "x": "1"})
    assert terms_key(one) == terms_key(two)
    assert terms_key(one) != terms_key(Account(id="c", plan="max"))
