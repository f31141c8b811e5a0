"""Failed authentication is rate-limited per client address, so tokens cannot be guessed at speed.

The count is per server process (a sliding one-minute window); several processes each apply it,
which still bounds guessing to a small multiple of the limit.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.types import Scope

WINDOW_SECONDS = 60.0
_MAX_TRACKED = 100_000


def client_key(scope: Scope) -> str:
    """Who failures are counted against: the client's address (both ways in to the API use this)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class FailureLimiter:
    """Remembers failed attempts per key; `blocked` once a key has `limit` failures in the window."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - WINDOW_SECONDS:
            failures.popleft()
        return failures

    def blocked(self, key: str) -> float | None:
        """Seconds until `key` may try again, or None if it may try now."""
        with self._lock:
            now = self._clock()
            failures = self._recent(key, now)
            if len(failures) < self._limit:
                return None
            return max(1.0, failures[0] + WINDOW_SECONDS - now)

    def record_failure(self, key: str) -> None:
        with self._lock:
            if len(self._failures) >= _MAX_TRACKED:
                self._failures.clear()  # a flood of addresses must not exhaust memory
            self._recent(key, self._clock()).append(self._clock())
