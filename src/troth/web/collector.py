"""Garbage collector settings for a server process.

A server process keeps many long-lived objects: the parsed policies and compiled calendars
loaded at start, and the histories of recently written tickets. CPython's cyclic collector scans
the older generations again and again as objects are allocated; bench/api_load.py measured
those scans as the largest single cost of an event and the main cause of tail latency. Nearly
everything the server allocates is freed by reference counting (requests do not build cycles),
so collecting far less often costs little memory.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 100_000
"""Allocations between young collections (CPython's default is 700)."""


def tune_for_serving() -> None:
    """Freeze what exists after start-up out of the collector's sight, and collect less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 50, 100)
