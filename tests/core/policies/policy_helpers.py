"""Helpers for policy tests: the seed policies, and small policy texts built around one clause."""

from __future__ import annotations

import textwrap
from pathlib import Path

from troth.core.policies.loading import load_policy
from troth.core.policies.model import Policy

POLICIES = Path(__file__).resolve().parents[3] / "policies"

HEADER = """\
id: acme
name: Acme SLA
provider: Acme
version: "1"
effective_from: 2026-01-01
default_level: high
"""


def seed(name: str) -> Policy:
    """A seed policy from policies/, as shipped."""
    path = POLICIES / f"{name}.yaml"
    return load_policy(path.read_text(encoding="utf-8"), str(path))


def policy_text(body: str) -> str:
    """A policy file: the common header followed by `body` (dedented)."""
    return HEADER + textwrap.dedent(body)
