"""Interval algebra checked against the obvious reference: sets of whole seconds."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from troth.core.intervals import Intervals, LaneAxis

raw_intervals = st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), max_size=12).map(
    lambda pairs: [(start, start + length) for start, length in pairs]
)


def seconds(pairs: list[tuple[int, int]]) -> set[int]:
    return {t for start, end in pairs for t in range(start, end)}


def as_set(intervals: Intervals) -> set[int]:
    return seconds(intervals.pairs())


def is_normalised(intervals: Intervals) -> bool:
    pairs = intervals.pairs()
    ordered = all(start < end for start, end in pairs)
    apart = all(before[1] < after[0] for before, after in pairwise(pairs))
    return ordered and apart


@given(raw_intervals)
def test_building_from_raw_intervals_gives_their_union_normalised(pairs: list[tuple[int, int]]) -> None:
    built = Intervals.from_pairs(pairs)
    assert as_set(built) == seconds(pairs)
    assert is_normalised(built)
    assert built.total() == len(seconds(pairs))


@given(raw_intervals, raw_intervals)
def test_set_operations_agree_with_sets_of_seconds(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    left, right = Intervals.from_pairs(a), Intervals.from_pairs(b)
    for result, expected in (
        (left.union(right), seconds(a) | seconds(b)),
        (left.intersection(right), seconds(a) & seconds(b)),
        (left.difference(right), seconds(a) - seconds(b)),
    ):
        assert as_set(result) == expected
        assert is_normalised(result)


def test_touching_intervals_merge_because_they_are_half_open() -> None:
    assert Intervals.from_pairs([(0, 10), (10, 20)]).pairs() == [(0, 20)]
    assert Intervals.from_pairs([(0, 10)]).intersection(Intervals.from_pairs([(10, 20)])).is_empty()


def test_an_empty_interval_is_ignored() -> None:
    assert Intervals.from_pairs([(5, 5), (7, 3)]).is_empty()


@given(raw_intervals, st.lists(st.integers(-10, 300), max_size=8))
def test_covered_before_counts_the_seconds_before_each_point(pairs: list[tuple[int, int]], points: list[int]) -> None:
    built = Intervals.from_pairs(pairs)
    covered = built.covered_before(np.array(points, dtype=np.int64))
    assert covered.tolist() == [sum(1 for t in seconds(pairs) if t < p) for p in points]


lane_intervals = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 90), st.integers(0, 40)), max_size=15)


@given(lane_intervals, raw_intervals)
def test_lanes_stay_apart_and_each_meets_the_pattern(
    rows: list[tuple[int, int, int]], pattern: list[tuple[int, int]]
) -> None:
    axis = LaneAxis.covering(0, 100)
    lanes = np.array([row[0] for row in rows], dtype=np.int64)
    starts = np.array([row[1] for row in rows], dtype=np.int64)
    ends = np.array([row[1] + row[2] for row in rows], dtype=np.int64)
    placed = axis.place(starts, ends, lanes)
    met = axis.intersect_pattern(placed, Intervals.from_pairs(pattern))
    totals = axis.totals(met, 4)
    for lane in range(4):
        own = seconds([(s, min(s + n, 100)) for k, s, n in rows if k == lane])
        assert totals[lane] == len(own & seconds(pattern))


@given(lane_intervals)
def test_bucket_totals_split_intervals_at_the_boundaries(rows: list[tuple[int, int, int]]) -> None:
    axis = LaneAxis.covering(0, 100)
    lanes = np.array([row[0] for row in rows], dtype=np.int64)
    starts = np.array([row[1] for row in rows], dtype=np.int64)
    ends = np.array([row[1] + row[2] for row in rows], dtype=np.int64)
    boundaries = np.array([10, 25, 50, 51, 90], dtype=np.int64)
    table = axis.bucket_totals(axis.place(starts, ends, lanes), boundaries, 4)
    for lane in range(4):
        own = seconds([(s, min(s + n, 100)) for k, s, n in rows if k == lane])
        for bucket in range(4):
            inside = {t for t in own if boundaries[bucket] <= t < boundaries[bucket + 1]}
            assert table[lane, bucket] == len(inside)


def test_relane_merges_what_meets_in_the_new_lane() -> None:
    axis = LaneAxis.covering(0, 100)
    placed = axis.place(np.array([0, 5]), np.array([10, 20]), np.array([0, 1]))
    merged = axis.relane(placed, np.array([0, 0]))
    assert merged.pairs() == [(0, 20)]
