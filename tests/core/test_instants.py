"""Instants: whole seconds since the epoch, and the one way Troth writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from troth.core.instants import format_utc, from_epoch, to_epoch

# UTC itself as well as zones: instants in UTC take a shorter way.
MOMENTS = st.datetimes(
    min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC) | st.timezones()
)


@given(MOMENTS)
def test_an_instant_is_written_as_its_whole_utc_second(moment: datetime) -> None:
    """The written form is the instant's whole second since the epoch, in UTC, with Z."""
    written = format_utc(moment)
    assert written == from_epoch(to_epoch(moment)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert written.endswith("Z")
    assert to_epoch(datetime.fromisoformat(written)) == to_epoch(moment)


def test_a_naive_datetime_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        format_utc(datetime(2026, 3, 2, 10, 0))


def test_a_year_before_1000_is_written_as_before() -> None:
    """UTC instants take a shorter way from year 1000 on; earlier ones are written as ever."""
    moment = datetime(999, 5, 1, 12, 30, 5, tzinfo=UTC)
    assert format_utc(moment) == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
