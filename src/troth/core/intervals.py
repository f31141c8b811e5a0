"""Interval algebra over whole seconds: union, intersection and difference, vectorised with NumPy.

Conventions:
- Instants are whole UTC epoch seconds (`int64`); every interval is half-open `[start, end)`, so
  `[a, b)` and `[b, c)` touch without overlapping and their union is `[a, c)`.
- An `Intervals` value is normalised: sorted, disjoint, non-empty and never touching. Every
  operation takes normalised values and returns one, in O((n + m) log) time with no Python loop.

Lanes: many independent timelines (one per account, or per account and component) are laid
end to end on one axis by `LaneAxis`, so that a single vectorised operation handles all of them
at once and intervals of different lanes can never meet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Epochs = npt.NDArray[np.int64]


def _array(values: Iterable[int] | Epochs) -> Epochs:
    return np.asarray(values if isinstance(values, np.ndarray) else list(values), dtype=np.int64)


@dataclass(frozen=True, slots=True, eq=False)
class Intervals:
    """A normalised set of half-open intervals `[starts[i], ends[i])` in whole seconds."""

    starts: Epochs
    ends: Epochs

    @staticmethod
    def empty() -> Intervals:
        return Intervals(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))

    @staticmethod
    def of(starts: Iterable[int] | Epochs, ends: Iterable[int] | Epochs) -> Intervals:
        """The union of arbitrary intervals (unsorted, overlapping, empty ones ignored)."""
        return _normalise(_array(starts), _array(ends))

    @staticmethod
    def from_pairs(pairs: Iterable[tuple[int, int]]) -> Intervals:
        listed = list(pairs)
        return Intervals.of([p[0] for p in listed], [p[1] for p in listed])

    def __len__(self) -> int:
        return int(self.starts.size)

    def is_empty(self) -> bool:
        return self.starts.size == 0

    def total(self) -> int:
        """Seconds covered."""
        return int((self.ends - self.starts).sum())

    def pairs(self) -> list[tuple[int, int]]:
        return [(int(s), int(e)) for s, e in zip(self.starts, self.ends, strict=True)]

    def union(self, other: Intervals) -> Intervals:
        return _normalise(np.concatenate([self.starts, other.starts]), np.concatenate([self.ends, other.ends]))

    def intersection(self, other: Intervals) -> Intervals:
        return _intersect(self.starts, self.ends, other)

    def difference(self, other: Intervals) -> Intervals:
        """The seconds of `self` that are not in `other`."""
        if self.is_empty() or other.is_empty():
            return self
        lo = min(int(self.starts[0]), int(other.starts[0]))
        hi = max(int(self.ends[-1]), int(other.ends[-1]))
        return self.intersection(other.complement(lo, hi))

    def complement(self, lo: int, hi: int) -> Intervals:
        """The gaps of `self` within `[lo, hi)`."""
        starts = np.concatenate([np.array([lo], dtype=np.int64), self.ends])
        ends = np.concatenate([self.starts, np.array([hi], dtype=np.int64)])
        starts, ends = np.maximum(starts, lo), np.minimum(ends, hi)
        keep = ends > starts
        return Intervals(starts[keep], ends[keep])

    def clip(self, lo: int, hi: int) -> Intervals:
        """The part of `self` inside `[lo, hi)`."""
        return self.intersection(Intervals(np.array([lo], dtype=np.int64), np.array([hi], dtype=np.int64)))

    def covered_before(self, points: Epochs) -> Epochs:
        """For each point p, the seconds of `self` before p (the measure of self ∩ (−∞, p))."""
        points = np.asarray(points, dtype=np.int64)
        if self.is_empty():
            return np.zeros(points.shape, dtype=np.int64)
        lengths = self.ends - self.starts
        before = np.cumsum(lengths) - lengths
        i = np.searchsorted(self.starts, points, side="right") - 1
        safe = np.maximum(i, 0)
        inside = np.clip(points - self.starts[safe], 0, lengths[safe])
        return np.where(i >= 0, before[safe] + inside, 0).astype(np.int64)


def _normalise(starts: Epochs, ends: Epochs) -> Intervals:
    keep = ends > starts
    starts, ends = starts[keep], ends[keep]
    if starts.size == 0:
        return Intervals.empty()
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    # A new interval begins where a start lies beyond everything reached so far; touching
    # intervals (start == reach) merge, as half-open intervals should.
    opens = np.ones(starts.size, dtype=np.bool_)
    opens[1:] = starts[1:] > reach[:-1]
    first = np.flatnonzero(opens)
    last = np.append(first[1:] - 1, starts.size - 1)
    return Intervals(starts[first], reach[last])


def overlapping_pairs(starts: Epochs, ends: Epochs, other: Intervals) -> tuple[Epochs, Epochs]:
    """Index pairs (i, j) such that `[starts[i], ends[i])` overlaps interval j of `other`.

    `starts` must be sorted and the intervals disjoint; pairs come out in order of i, then j.
    """
    lo = np.searchsorted(other.ends, starts, side="right")
    hi = np.searchsorted(other.starts, ends, side="left")
    counts = np.maximum(hi - lo, 0)
    i = np.repeat(np.arange(starts.size, dtype=np.int64), counts)
    offsets = np.cumsum(counts) - counts
    j = lo[i] + (np.arange(i.size, dtype=np.int64) - offsets[i])
    return i, j.astype(np.int64)


def _intersect(starts: Epochs, ends: Epochs, other: Intervals) -> Intervals:
    if starts.size == 0 or other.is_empty():
        return Intervals.empty()
    i, j = overlapping_pairs(starts, ends, other)
    return Intervals(np.maximum(starts[i], other.starts[j]), np.minimum(ends[i], other.ends[j]))


@dataclass(frozen=True, slots=True)
class LaneAxis:
    """Independent timelines laid end to end: lane k holds `[origin, origin + span)` at `k * span`.

    `span` is one more than the longest time a lane covers, so intervals of neighbouring lanes never
    touch and normalising never merges across lanes.
    """

    origin: int
    span: int

    @staticmethod
    def covering(lo: int, hi: int) -> LaneAxis:
        """An axis whose lanes each hold the window `[lo, hi)`."""
        return LaneAxis(origin=lo, span=max(hi - lo, 0) + 1)

    def place(self, starts: Epochs, ends: Epochs, lanes: Epochs) -> Intervals:
        """Put absolute intervals (clipped to the lane window) into their lanes, and normalise."""
        limit = self.origin + self.span - 1
        offset = np.asarray(lanes, dtype=np.int64) * self.span - self.origin
        clipped_starts = np.clip(starts, self.origin, limit)
        clipped_ends = np.clip(ends, self.origin, limit)
        return _normalise(clipped_starts + offset, clipped_ends + offset)

    def lanes_of(self, placed: Intervals) -> Epochs:
        return placed.starts // self.span

    def absolute(self, placed: Intervals) -> tuple[Epochs, Epochs, Epochs]:
        """(lanes, starts, ends) of placed intervals in absolute seconds."""
        lanes = self.lanes_of(placed)
        offset = lanes * self.span - self.origin
        return lanes, placed.starts - offset, placed.ends - offset

    def relane(self, placed: Intervals, mapping: Epochs) -> Intervals:
        """Move every interval of lane k to lane `mapping[k]`, merging what meets there."""
        lanes, starts, ends = self.absolute(placed)
        return self.place(starts, ends, mapping[lanes])

    def intersect_pattern(self, placed: Intervals, pattern: Intervals) -> Intervals:
        """Each lane intersected with the same absolute `pattern` (such as the measured minutes).

        The pattern is never copied per lane: only the pieces that overlap are produced.
        """
        if placed.is_empty() or pattern.is_empty():
            return Intervals.empty()
        lanes, starts, ends = self.absolute(placed)
        i, j = overlapping_pairs(starts, ends, pattern)
        offset = lanes[i] * self.span - self.origin
        pieces_start = np.maximum(starts[i], pattern.starts[j]) + offset
        pieces_end = np.minimum(ends[i], pattern.ends[j]) + offset
        return Intervals(pieces_start, pieces_end)

    def totals(self, placed: Intervals, lanes: int) -> Epochs:
        """Seconds covered in each of `lanes` lanes."""
        counted = np.bincount(self.lanes_of(placed), weights=placed.ends - placed.starts, minlength=lanes)
        # Float64 sums of whole seconds are exact far beyond any realistic total (2**53 s).
        return counted[:lanes].astype(np.int64)

    def bucket_totals(self, placed: Intervals, boundaries: Epochs, lanes: int) -> Epochs:
        """Seconds covered per lane and bucket, where bucket b is `[boundaries[b], boundaries[b+1])`.

        Returns an array of shape (lanes, len(boundaries) - 1); time outside the buckets is ignored.
        """
        buckets = boundaries.size - 1
        lane, bucket, seconds = self.bucket_pieces(placed, boundaries)
        flat = np.bincount(lane * buckets + bucket, weights=seconds, minlength=lanes * buckets)
        return flat[: lanes * buckets].astype(np.int64).reshape(lanes, buckets)

    def bucket_pieces(self, placed: Intervals, boundaries: Epochs) -> tuple[Epochs, Epochs, Epochs]:
        """(lane, bucket, seconds) for every piece of every interval cut at the bucket boundaries."""
        lanes, starts, ends = self.absolute(placed)
        starts = np.maximum(starts, boundaries[0])
        ends = np.minimum(ends, boundaries[-1])
        keep = ends > starts
        lanes, starts, ends = lanes[keep], starts[keep], ends[keep]
        first = np.searchsorted(boundaries, starts, side="right") - 1
        last = np.searchsorted(boundaries, ends, side="left") - 1
        counts = last - first + 1
        i = np.repeat(np.arange(starts.size, dtype=np.int64), counts)
        offsets = np.cumsum(counts) - counts
        bucket = first[i] + (np.arange(i.size, dtype=np.int64) - offsets[i])
        seconds = np.minimum(ends[i], boundaries[bucket + 1]) - np.maximum(starts[i], boundaries[bucket])
        return lanes[i], bucket.astype(np.int64), seconds.astype(np.int64)
