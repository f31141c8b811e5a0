"""Instants of many events at once: the fixed layouts exports write, parsed with NumPy.

`YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS±HH:MM` are read from fixed byte positions; any
other text goes through `parse_instant`, the function the line-by-line reader uses, one at a time.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from troth.core.instants import parse_instant, to_epoch

Ints = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
Flags = npt.NDArray[np.bool_]
U8 = npt.NDArray[np.uint8]

WIDTH = 32
"""Bytes looked at from the start of each text (the fixed layouts need 25)."""

_HEAD = b"0000-00-00T00:00:00"
_TEMPLATE = np.frombuffer(_HEAD.ljust(24, b"\0"), dtype=np.uint8)
_IS_DIGIT = np.array([c == ord("0") for c in _HEAD] + [False] * 5)
_IS_PUNCTUATION = np.array([c != ord("0") for c in _HEAD] + [False] * 5)
_DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0], dtype=np.int32)


def _number(columns: U8, first: int, digits: int) -> I32:
    """The decimal number whose digit values (0-9) are in `digits` rows of `columns` from `first`.

    Dates and times are computed in 32 bits (half the memory traffic of 64): even the garbage of
    rows that are not instants stays far below 2**31."""
    value: I32 = columns[first].astype(np.int32)
    for p in range(first + 1, first + digits):
        value = value * 10 + columns[p]
    return value


def _days_from_civil(y: I32, m: I32, d: I32) -> I32:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, np.int32(-3), np.int32(9))) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    result: I32 = era * 146097 + doe - 719468
    return result


def _leap(y: I32) -> Flags:
    leap: Flags = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    return leap


def _layout(b: U8, d: U8, length: Ints) -> tuple[Flags, Flags]:
    """(in one of the two layouts, has an offset): the characters, not yet the ranges of values."""
    wrong = ((d[:, :24] > 9) & _IS_DIGIT) | ((b[:, :24] != _TEMPLATE) & _IS_PUNCTUATION)
    # 24 flags a row, seen as three words: a row is right when all three are zero (faster than .any(axis=1)).
    words = np.ascontiguousarray(wrong).view(np.uint64)
    ok: Flags = (words[:, 0] | words[:, 1] | words[:, 2]) == 0
    sign = b[:, 19]
    zulu = (length == 20) & (sign == ord("Z"))
    offset = (length == 25) & ((sign == ord("+")) | (sign == ord("-"))) & (b[:, 22] == ord(":"))
    offset &= (d[:, 20] <= 9) & (d[:, 21] <= 9) & (d[:, 23] <= 5) & (d[:, 24] <= 9)
    return ok & (zulu | offset), offset


def _canonical(b: U8, length: Ints) -> tuple[Ints, Flags]:
    """`YYYY-MM-DDTHH:MM:SSZ` and `...±HH:MM`: epoch seconds, and which strings have that form."""
    d = b - np.uint8(48)  # digit values; anything else wraps to 10 or more
    ok, offset = _layout(b, d, length)
    c = np.ascontiguousarray(d[:, :25].T)  # one row per character: each number reads whole rows
    year, month, day = _number(c, 0, 4), _number(c, 5, 2), _number(c, 8, 2)
    hour, minute, second = _number(c, 11, 2), _number(c, 14, 2), _number(c, 17, 2)
    shift = np.where(offset, _number(c, 20, 2) * 3600 + _number(c, 23, 2) * 60, 0)
    month = np.where(ok, month, 1)  # keeps the table look-up in range; such rows are not ok anyway
    ok &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= _DAYS_IN_MONTH[np.minimum(month, 15)])
    leap_day = np.flatnonzero((month == 2) & (day == 29))  # the table allows it: only leap years do
    ok[leap_day] &= _leap(year[leap_day])
    ok &= (hour < 24) & (minute < 60) & (second < 60) & (shift < 24 * 3600)
    sign = np.where(b[:, 19] == ord("-"), -1, 1)
    local = _days_from_civil(year, month, day).astype(np.int64) * 86_400 + (hour * 3600 + minute * 60 + second)
    return local - sign * shift, ok


def epochs(texts: list[str]) -> Ints | None:
    """Epoch seconds of RFC 3339 texts; None when any of them is not an instant (or not ASCII)."""
    if not texts:
        return np.zeros(0, dtype=np.int64)
    try:
        joined = "".join(texts).encode("ascii")
    except UnicodeEncodeError:
        return None  # no instant is written in anything but ASCII: the line reader names the line
    try:
        length = np.frombuffer(bytes(map(len, texts)), dtype=np.uint8).astype(np.int64)  # faster than fromiter
    except ValueError:
        return None  # a text of 256 characters or more (long fractions of a second): the line reader decides
    buffer = np.frombuffer(joined + bytes(WIDTH), dtype=np.uint8)
    b = sliding_window_view(buffer, WIDTH)[np.cumsum(length) - length]
    values, ok = _canonical(b, length)
    for i in np.flatnonzero(~ok).tolist():
        try:
            values[i] = to_epoch(parse_instant(texts[i]))
        except ValueError:
            return None
    return values
