"""Fixtures: the five seed policies, loaded once per session."""

from __future__ import annotations

import pytest
from policy_helpers import seed

from troth.core.policies.model import Policy


@pytest.fixture(scope="session")
def balto() -> Policy:
    return seed("balto")


@pytest.fixture(scope="session")
def walt_labs() -> Policy:
    return seed("walt-labs")


@pytest.fixture(scope="session")
def bloomneo() -> Policy:
    return seed("bloomneo")


@pytest.fixture(scope="session")
def third_spectrum() -> Policy:
    return seed("third-spectrum")


@pytest.fixture(scope="session")
def eleveo() -> Policy:
    return seed("eleveo")
