"""The one place the shell reads the wall clock; the core is always given "now"."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Now, UTC-aware, to whole seconds (Troth's resolution)."""
    return datetime.now(UTC).replace(microsecond=0)
