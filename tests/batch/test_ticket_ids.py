"""Ticket ids joined across blocks sort as Python sorts strings, whatever the ids hold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from troth.batch import ticket_ids
from troth.batch.ticket_ids import Ids, Names, sorted_table

ids = st.text(alphabet=st.sampled_from(["T", "-", "0", "1", "9", "é", "\0", "Ω", "😀", " "]), min_size=1, max_size=6)


def expected(parts: list[list[str]]) -> tuple[tuple[str, ...], list[list[int]]]:
    distinct = sorted({text for part in parts for text in part})
    return tuple(distinct), [[distinct.index(text) for text in part] for part in parts]


def table(parts: list[list[str]]) -> tuple[tuple[str, ...], list[list[int]]]:
    distinct, ranks = sorted_table([Ids.of(part) for part in parts])
    return tuple(distinct), [rank.tolist() for rank in ranks]


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.lists(ids, max_size=8), max_size=4))
def test_the_table_is_the_sorted_distinct_ids_and_each_part_gets_its_ranks(parts: list[list[str]]) -> None:
    assert table(parts) == expected(parts)


def test_ids_of_one_length_are_sorted_without_being_laid_out() -> None:
    parts = [["T-3", "T-1"], ["T-2", "T-1"]]
    assert table(parts) == (("T-1", "T-2", "T-3"), [[2, 0], [1, 0]])


def test_a_trailing_nul_is_not_lost_to_numpy_padding() -> None:
    assert table([["a\0", "a"], ["a"]]) == (("a", "a\0"), [[1, 0], [0]])


def test_too_wide_a_layout_is_sorted_by_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ticket_ids, "LAYOUT_BYTES", 4)
    parts = [["T-10", "T-9"], ["é"]]
    assert table(parts) == expected(parts)


def test_ids_keep_their_texts() -> None:
    texts = ["T-1", "émile", "", "😀x"]
    assert Ids.of(texts).texts() == texts
    assert Ids.of(texts).lengths.dtype == np.int64


def test_names_are_decoded_one_at_a_time_and_sliced_in_order() -> None:
    texts = ["T-1", "émile", "", "😀x", "T-10"]
    names = Names(Ids.of(texts))
    assert len(names) == 5
    assert list(names) == texts
    assert [names[i] for i in (-1, np.int64(1), 2)] == ["T-10", "émile", ""]
    assert list(names[1:4]) == texts[1:4]
    assert list(names[3:1]) == []
    with pytest.raises(IndexError):
        names[5]
    with pytest.raises(ValueError, match="in order"):
        names[::2]


@pytest.mark.parametrize(
    "part",
    [["T-1", "T-1", "T-2", "T-3", "T-3"], ["T-1", "T-10", "T-10", "T-2", "é", "😀"], ["a"], []],
)
def test_ids_already_in_order_are_ranked_as_sorting_ranks_them(part: list[str]) -> None:
    assert table([part]) == expected([part])
