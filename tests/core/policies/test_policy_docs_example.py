"""The example in docs/policy-language.md is a valid policy, so the reference cannot drift from the loader."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from troth.core.policies.loading import check_policy_text

DOC = Path(__file__).resolve().parents[3] / "docs" / "policy-language.md"


def test_the_short_example_loads_without_problems() -> None:
    match = re.search(r"## A short example\n\n```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert match is not None
    check = check_policy_text(match.group(1), "example.yaml")
    assert [str(p) for p in check.problems] == []
    assert check.policy is not None
    target = check.policy.level("P3").target("first_response")
    assert target is not None
    assert target.length == timedelta(hours=8)
