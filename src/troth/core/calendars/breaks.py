"""Breaks: pauses of a clock (waiting on the customer...) as half-open `[start, end)` epoch seconds."""

from __future__ import annotations

from collections.abc import Sequence

Break = tuple[int, int | None]
"""A pause `[start, end)` in epoch seconds; an end of None means it has not ended yet."""


def merge_breaks(breaks: Sequence[Break], *, until: int | None) -> list[tuple[int, int | None]]:
    """Sort and merge breaks that overlap or touch; empty ones are dropped.

    With `until`, breaks are clipped to end by it (an open break ends there) and later ones are
    dropped, so every merged break has an end. Without it, an open break swallows all later ones.
    """
    merged: list[tuple[int, int | None]] = []
    for lo, hi in sorted(breaks, key=lambda pause: pause[0]):
        if until is not None:
            if lo >= until:
                continue
            hi = until if hi is None else min(hi, until)
        if hi is not None and hi <= lo:
            continue
        if merged:
            last_lo, last_hi = merged[-1]
            if last_hi is None or lo <= last_hi:
                end = None if last_hi is None or hi is None else max(last_hi, hi)
                merged[-1] = (last_lo, end)
                continue
        merged.append((lo, hi))
    return merged
