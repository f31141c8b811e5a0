"""The cumulative working-time index: sorted working intervals with running totals, and the two
vectorised look-ups every business-time question reduces to.

- `cumulative(t)`: working seconds in `[lo, t)`, a piecewise-linear, non-decreasing function.
- `reaching(c)`: the first instant at which the running total reaches `c` (its left inverse); when
  `c` is reached exactly at a closing time, that closing time, not the next opening.

Both are `searchsorted` questions. Because a working calendar seldom opens twice within an hour,
each is answered with a bucket table instead: the bucket of an instant (a shift, not a division)
gives a position at most a few intervals short, and a fixed number of vectorised steps finishes
the job. Calendars that open too often for that fall back to `searchsorted`. Either way the result
is the same integer.

Position 0 of the arrays holds an empty interval `[lo, lo)`, so every instant in `[lo, hi)` has a
last interval starting at or before it and no case needs a branch.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

Epochs = npt.NDArray[np.int64]

_SHIFT: Final = 12
"""Buckets of 2**12 = 4 096 seconds (about 68 minutes) of time, and of working time."""
_MAX_STEPS: Final = 4
"""More interval boundaries than this in one bucket and the table is not worth it."""
_MAX_BUCKETS: Final = 1 << 22
_NEVER: Final = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True, kw_only=True)
class _Buckets:
    """For bucket `k`, how many of `edges` lie before `k << _SHIFT` (`side` as in searchsorted)."""

    counts: npt.NDArray[np.intp]
    steps: int


def _buckets(edges: Epochs, span: int, *, side: str) -> _Buckets | None:
    size = ((max(span, 1) - 1) >> _SHIFT) + 1
    if size > _MAX_BUCKETS:
        return None
    marks = np.arange(size + 1, dtype=np.int64) << _SHIFT
    counts = np.searchsorted(edges, marks, side=side)  # type: ignore[call-overload]  # side is "left" or "right"
    steps = int(np.diff(counts).max()) if size else 0
    if steps > _MAX_STEPS:
        return None
    return _Buckets(counts=counts[:-1], steps=steps)


def _count(edges: Epochs, padded: Epochs, buckets: _Buckets | None, x: Epochs, *, strict: bool) -> Epochs:
    """How many `edges` are `< x` (strict) or `<= x`, for each `x` in `[0, span)`.

    `padded` is `edges` followed by a value larger than any `x`.
    """
    if buckets is None:
        found: Epochs = np.searchsorted(edges, x, side="left" if strict else "right").astype(np.int64)
        return found
    counts: Epochs = buckets.counts[x >> _SHIFT].astype(np.int64, copy=False)
    for _ in range(buckets.steps):
        counts += (padded[counts] < x) if strict else (padded[counts] <= x)
    return counts


@dataclass(frozen=True, slots=True, kw_only=True)
class _Lists:
    """The index as Python lists, for one instant at a time: `bisect` on a list beats a NumPy call on
    a one-element array many times over (the server evaluates one ticket per event)."""

    start_edges: list[int]
    after_edges: list[int]
    ends: list[int]
    before_less_start: list[int]
    end_less_after: list[int]


@dataclass(frozen=True, slots=True, kw_only=True)
class CumulativeIndex:
    """Working intervals `[start, end)` covering `[lo, hi)` in UTC epoch seconds, with running totals.

    Totals are relative to `lo`. An index is never changed: a calendar that needs more years
    builds a new one and swaps it in whole, so concurrent readers always see a consistent one.
    """

    lo: int
    hi: int
    starts: Epochs
    ends: Epochs
    before: Epochs
    after: Epochs
    total: int
    _start_edges: Epochs
    _start_padded: Epochs
    _start_buckets: _Buckets | None
    _after_edges: Epochs
    _after_padded: Epochs
    _after_buckets: _Buckets | None
    _before_less_start: Epochs
    _end_less_after: Epochs
    _lists: _Lists

    @property
    def intervals(self) -> tuple[Epochs, Epochs]:
        """The working intervals without the padding at position 0."""
        return self.starts[1:], self.ends[1:]

    def position(self, t: Epochs) -> Epochs:
        """Index of the last interval that starts at or before each `t` (0: none)."""
        return _count(self._start_edges, self._start_padded, self._start_buckets, t - self.lo, strict=False)

    def cumulative(self, t: Epochs) -> Epochs:
        """Working seconds in `[lo, t)` for each `t` in `[lo, hi)`."""
        p = self.position(t)
        # before[p] + (min(t, ends[p]) - starts[p]), with the constant part gathered once.
        counted = np.minimum(t, self.ends[p])
        counted += self._before_less_start[p]
        return counted

    def is_open(self, t: Epochs) -> npt.NDArray[np.bool_]:
        """Whether each `t` lies inside a working interval."""
        opened: npt.NDArray[np.bool_] = t < self.ends[self.position(t)]
        return opened

    def reaching(self, c: Epochs) -> Epochs:
        """For each running total `0 < c <= total`, the first instant at which it is reached."""
        q = _count(self._after_edges, self._after_padded, self._after_buckets, c, strict=True)
        # ends[q + 1] - (after[q + 1] - c): the closing of the interval that reaches c, less the excess.
        due = self._end_less_after[q]
        due += c
        return due

    def cumulative_at(self, t: int) -> int:
        """`cumulative` of one instant."""
        lists = self._lists
        p = bisect_right(lists.start_edges, t - self.lo)
        return min(t, lists.ends[p]) + lists.before_less_start[p]

    def reaching_at(self, c: int) -> int:
        """`reaching` of one running total."""
        lists = self._lists
        return lists.end_less_after[bisect_left(lists.after_edges, c)] + c


def build_index(lo: int, hi: int, starts: Epochs, ends: Epochs) -> CumulativeIndex:
    """The index of sorted, non-overlapping intervals `[start, end)` inside `[lo, hi)`."""
    lengths = ends - starts
    after = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64))).astype(np.int64)
    before = np.concatenate(([0], after[1:] - lengths)).astype(np.int64)
    padded_starts = np.concatenate(([lo], starts)).astype(np.int64)
    padded_ends = np.concatenate(([lo], ends)).astype(np.int64)
    start_edges = starts - lo
    after_edges = after[1:]
    total = int(after[-1])
    before_less_start = before - padded_starts
    end_less_after = (padded_ends - after)[1:]
    lists = _Lists(
        start_edges=start_edges.tolist(),
        after_edges=after_edges.tolist(),
        ends=padded_ends.tolist(),
        before_less_start=before_less_start.tolist(),
        end_less_after=end_less_after.tolist(),
    )
    return CumulativeIndex(
        lo=lo,
        hi=hi,
        starts=padded_starts,
        ends=padded_ends,
        before=before,
        after=after,
        total=total,
        _before_less_start=before_less_start,
        _end_less_after=end_less_after,
        _lists=lists,
        _start_edges=start_edges,
        _start_padded=np.concatenate((start_edges, [_NEVER])).astype(np.int64),
        _start_buckets=_buckets(start_edges, hi - lo, side="right"),
        _after_edges=after_edges,
        _after_padded=np.concatenate((after_edges, [_NEVER])).astype(np.int64),
        _after_buckets=_buckets(after_edges, total + 1, side="left"),
    )
