"""The cumulative index's bucketed look-ups agree with plain counting, on the fast path and the fallback."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from troth.core.calendars.lookup import CumulativeIndex, build_index

LO = 1_767_225_600  # 2026-01-01T00:00:00Z


@st.composite
def indexes(draw: st.DrawFn) -> CumulativeIndex:
    """Disjoint intervals with random gaps and lengths: seconds apart (dense) up to days apart."""
    scale = draw(st.sampled_from([30, 600, 4_000, 40_000]))
    steps = draw(st.lists(st.integers(1, 2 * scale), min_size=0, max_size=60))
    cursor, starts, ends = LO + draw(st.integers(0, scale)), [], []
    for gap, length in zip(steps[::2], steps[1::2], strict=False):
        cursor += gap
        starts.append(cursor)
        cursor += length
        ends.append(cursor)
    hi = cursor + draw(st.integers(1, 3 * scale))
    return build_index(LO, hi, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64))


def _plain_cumulative(index: CumulativeIndex, t: int) -> int:
    starts, ends = index.intervals
    return sum(max(0, min(int(e), t) - int(s)) for s, e in zip(starts, ends, strict=True))


@settings(max_examples=150, deadline=None)
@given(index=indexes(), data=st.data())
def test_cumulative_and_is_open_count_what_plain_summing_counts(index: CumulativeIndex, data: st.DataObject) -> None:
    times = data.draw(st.lists(st.integers(index.lo, index.hi - 1), min_size=1, max_size=40))
    t = np.array(times, dtype=np.int64)
    starts, ends = index.intervals
    assert index.cumulative(t).tolist() == [_plain_cumulative(index, x) for x in times]
    assert index.is_open(t).tolist() == [bool(((starts <= x) & (x < ends)).any()) for x in times]


@settings(max_examples=150, deadline=None)
@given(index=indexes(), data=st.data())
def test_reaching_a_total_is_the_first_instant_it_is_counted_up_to(index: CumulativeIndex, data: st.DataObject) -> None:
    assume(index.total > 0)
    totals = data.draw(st.lists(st.integers(1, index.total), min_size=1, max_size=40))
    reached = index.reaching(np.array(totals, dtype=np.int64)).tolist()
    for total, instant in zip(totals, reached, strict=True):
        assert _plain_cumulative(index, instant) == total
        assert _plain_cumulative(index, instant - 1) == total - 1
