"""Rendering a policy back to a document a person reads like the SLA."""

from __future__ import annotations

import pytest
from policy_helpers import seed

from troth.core.policies.model import Policy
from troth.core.policies.render import PLACEHOLDER_MARK, policy_sections, to_markdown, weekly_text

SEEDS = ("balto", "walt-labs", "bloomneo", "third-spectrum", "eleveo")


@pytest.mark.parametrize("name", SEEDS)
def test_markdown_names_every_level_and_target(name: str) -> None:
    policy = seed(name)
    text = to_markdown(policy)
    for level in policy.levels:
        assert f"| {level.key} | {level.name} |" in text
        for target in level.targets:
            assert target.key in text
            assert target.duration.text in text


def test_eleveo_reads_like_the_seed(eleveo: Policy) -> None:
    text = to_markdown(eleveo)
    assert (
        "| 1 | 1 – Critical impact (code red) | 30m on 24x7, phone | 4h on 24x7, platform-level issues only |" in text
    )
    assert "1 business day (= 9 business hours) on business, web" in text
    assert "| business | Mon–Fri 08:00–17:00 | customer's own | none | none | 9h |" in text
    assert "| below 99.0% | 10% |" in text
    assert "| below 97.0% | 20% |" in text
    assert "Must be claimed within 30 days after the month." in text
    assert "+420 222 554 112" in text


def test_placeholders_are_marked_where_they_appear(bloomneo: Policy) -> None:
    text = to_markdown(bloomneo)
    assert f"30m{PLACEHOLDER_MARK} on 24x7{PLACEHOLDER_MARK}" in text
    assert f"Credit tiers{PLACEHOLDER_MARK}" in text


def test_weekly_hours_group_equal_days(balto: Policy) -> None:
    assert weekly_text(balto.calendar("business")) == "Mon–Fri 07:00–18:00"


def test_sections_cover_every_part_of_the_policy(bloomneo: Policy) -> None:
    titles = [section.title for section in policy_sections(bloomneo)]
    assert titles[1:] == [
        "Levels and targets",
        "Calendars",
        "Support",
        "Plans and components",
        "Maintenance",
        "Uptime",
        "Service credits",
        "Notices, status page and backups",
        "Target clauses",
    ]
