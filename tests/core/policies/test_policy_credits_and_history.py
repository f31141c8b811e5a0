"""Credit tables as SLAs write them (tiers and bands), and several versions of one SLA."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from policy_helpers import policy_text

from troth.core.policies.diagnostics import PolicyFileError
from troth.core.policies.loading import check_policy_text, load_policy, policy_history
from troth.core.policies.model import CreditTier

LEVEL = """\
levels:
  high:
    name: High
"""

BANDS = (
    (Decimal("99.0"), Decimal("99.9"), Decimal(10)),
    (Decimal("95.0"), Decimal("99.0"), Decimal(25)),
    (Decimal(0), Decimal("95.0"), Decimal(100)),
)


def bands_text(bands: tuple[tuple[Decimal, Decimal, Decimal], ...]) -> str:
    rows = "".join(f"    - {{at_least_percent: {a}, below_percent: {b}, credit_percent: {c}}}\n" for a, b, c in bands)
    return LEVEL + "credits:\n  method: tiers\n  bands:\n" + rows


def tier_credit(tiers: tuple[CreditTier, ...], uptime: Decimal) -> Decimal:
    """The highest tier whose threshold the uptime is strictly below (the lowest threshold that applies)."""
    applicable = [t for t in tiers if uptime < t.below_percent]
    return min(applicable, key=lambda t: t.below_percent).credit_percent if applicable else Decimal(0)


def band_credit(uptime: Decimal) -> Decimal:
    return next((c for a, b, c in BANDS if a <= uptime < b), Decimal(0))


def test_bands_become_the_equivalent_tier_table() -> None:
    """ ">= 99.0 and < 99.9 -> 10%" style bands read as "below 99.9 -> 10%, below 99.0 -> 25%, ..." """
    credits = load_policy(policy_text(bands_text(BANDS)), "acme.yaml").credits
    assert credits is not None
    assert [(t.below_percent, t.credit_percent) for t in credits.tiers] == [(b, c) for _, b, c in BANDS]


@given(st.decimals(min_value=0, max_value=100, places=3))
def test_bands_and_their_tiers_give_the_same_credit_for_any_uptime(uptime: Decimal) -> None:
    credits = load_policy(policy_text(bands_text(BANDS)), "acme.yaml").credits
    assert credits is not None
    assert tier_credit(credits.tiers, uptime) == band_credit(uptime)


def test_bands_with_a_gap_are_an_error() -> None:
    gapped = (BANDS[0], (Decimal("95.0"), Decimal("98.0"), Decimal(25)), BANDS[2])
    check = check_policy_text(policy_text(bands_text(gapped)), "acme.yaml")
    assert [str(p) for p in check.errors] == [
        "acme.yaml:14:7: bands must be contiguous: this band ends below 98.0% but the band above starts at 99.0%"
    ]


def test_tiers_method_without_a_table_is_an_error() -> None:
    check = check_policy_text(policy_text(LEVEL + "credits:\n  method: tiers\n"), "acme.yaml")
    assert [str(p) for p in check.errors] == ["acme.yaml:11:3: method 'tiers' needs a tiers (or bands) table"]


def version(number: str, effective: str) -> str:
    return policy_text(LEVEL).replace('version: "1"', f'version: "{number}"').replace("2026-01-01", effective)


def test_the_history_picks_the_version_in_force() -> None:
    old = load_policy(version("1.3", "2023-01-01"), "v13.yaml")
    new = load_policy(version("1.4", "2024-03-01"), "v14.yaml")
    history = policy_history([new, old], ["v14.yaml", "v13.yaml"])
    assert history.in_force_at(datetime(2024, 2, 29, 23, 0, tzinfo=UTC)).version == "1.3"
    assert history.in_force_at(datetime(2024, 3, 1, 0, 0, tzinfo=UTC)).version == "1.4"
    assert new.effective_from == date(2024, 3, 1)


def test_versions_of_different_policies_do_not_make_a_history() -> None:
    one = load_policy(version("1", "2023-01-01"), "a.yaml")
    other = load_policy(version("2", "2024-01-01").replace("id: acme", "id: other"), "b.yaml")
    with pytest.raises(PolicyFileError, match=r"b\.yaml: policy id 'other' differs from 'acme'"):
        policy_history([one, other], ["a.yaml", "b.yaml"])


def test_two_versions_on_the_same_day_are_an_error() -> None:
    one = load_policy(version("1", "2023-01-01"), "a.yaml")
    two = load_policy(version("2", "2023-01-01"), "b.yaml")
    with pytest.raises(PolicyFileError, match=r"b\.yaml: takes effect on the same day as a\.yaml"):
        policy_history([one, two], ["a.yaml", "b.yaml"])
