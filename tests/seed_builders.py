"""Builders shared by the uptime and credit tests: seed policies and outages from literal ISO strings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from troth.core.instants import parse_instant
from troth.core.policies.loading import load_policy
from troth.core.policies.model import Policy
from troth.core.uptime.records import Cause, Outage, OutageKind

ROOT = Path(__file__).resolve().parents[1]


@cache
def seed(name: str) -> Policy:
    """The shipped policy `policies/<name>.yaml`."""
    path = ROOT / "policies" / f"{name}.yaml"
    return load_policy(path.read_text(encoding="utf-8"), str(path))


def outage(
    identifier: str,
    start: str,
    end: str | None,
    *,
    kind: str = "down",
    component: str = "core",
    accounts: list[str] | None = None,
    cause: str = "internal",
    announced: str | None = None,
) -> Outage:
    return Outage(
        id=identifier,
        kind=OutageKind(kind),
        start_at=parse_instant(start),
        end_at=None if end is None else parse_instant(end),
        component=component,
        accounts=None if accounts is None else frozenset(accounts),
        cause=Cause(cause),
        announced_at=None if announced is None else parse_instant(announced),
    )
