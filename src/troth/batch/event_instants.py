"""Instants of many events at once: the fixed layouts exports write, parsed with NumPy.

`YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS±HH:MM` are read from fixed byte positions; any
other text goes through `parse_instant`, the function the line-by-line reader uses, one at a time.

The texts are joined with commas, which no instant holds. When all of them have one of the two
layouts (as in most exports) the joined bytes are a matrix of one row per text, and no text's
length need be read; otherwise each text is read at its own offset.
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
ZULU, OFFSET = 20, 25
"""Lengths of the two layouts."""

_HEAD = b"0000-00-00T00:00:00"
_DIGITS = np.array([i for i, c in enumerate(_HEAD) if c == ord("0")])
_PUNCTUATION = np.array([i for i, c in enumerate(_HEAD) if c != ord("0")])
_PUNCTUATION_BYTES = np.frombuffer(_HEAD, dtype=np.uint8)[_PUNCTUATION]
_DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0], dtype=np.int32)
_COMMA = ord(",")


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


def _head_ok(c: U8) -> Flags:
    """Which texts (columns of `c`, one row per character) start `YYYY-MM-DDTHH:MM:SS` in their characters."""
    digits: Flags = ((c[_DIGITS] - np.uint8(48)) <= 9).all(axis=0)
    punctuation: Flags = (c[_PUNCTUATION] == _PUNCTUATION_BYTES[:, None]).all(axis=0)
    return digits & punctuation


def _offset_ok(c: U8) -> Flags:
    """Which texts have `±HH:MM` in characters 19-24 (the minutes below 60)."""
    d = c[20:25] - np.uint8(48)
    ok: Flags = ((c[19] == ord("+")) | (c[19] == ord("-"))) & (c[22] == ord(":"))
    ok &= (d[0] <= 9) & (d[1] <= 9) & (d[3] <= 5) & (d[4] <= 9)
    return ok


def _values(c: U8, offset: Flags) -> tuple[Ints, Flags]:
    """Epoch seconds of texts whose characters are the columns of `c` (one row per character, 25
    rows, the last 6 read only where `offset`), and which of them are real dates and times."""
    d = c - np.uint8(48)  # digit values; anything else wraps to 10 or more
    year, month, day = _number(d, 0, 4), _number(d, 5, 2), _number(d, 8, 2)
    hour, minute, second = _number(d, 11, 2), _number(d, 14, 2), _number(d, 17, 2)
    shift = np.where(offset, _number(d, 20, 2) * 3600 + _number(d, 23, 2) * 60, 0)
    ok = (year >= 1) & (month >= 1) & (month <= 12)
    month = np.where(ok, month, 1)  # keeps the table look-up in range; such rows are not ok anyway
    ok &= (day >= 1) & (day <= _DAYS_IN_MONTH[month])
    leap_day = np.flatnonzero((month == 2) & (day == 29))  # the table allows it: only leap years do
    ok[leap_day] &= _leap(year[leap_day])
    ok &= (hour < 24) & (minute < 60) & (second < 60) & (shift < 24 * 3600)
    shift = np.where(c[19] == ord("-"), -shift, shift)
    local = _days_from_civil(year, month, day).astype(np.int64) * 86_400 + (hour * 3600 + minute * 60 + second)
    return local - shift, ok


def _fixed(data: bytes, count: int, length: int) -> Ints | None:
    """Epoch seconds of `count` texts of `length` characters in one layout, joined with commas;
    None when any of them is not in that layout, or not a real date and time."""
    rows = np.frombuffer(data + b",", dtype=np.uint8).reshape(count, length + 1)
    c = np.zeros((OFFSET, count), dtype=np.uint8)
    c[:length] = rows[:, :length].T  # one row per character: each number reads whole rows
    ok = _head_ok(c) & (rows[:, length] == _COMMA)
    ok &= _offset_ok(c) if length == OFFSET else c[19] == ord("Z")
    values, real = _values(c, np.full(count, length == OFFSET))
    return values if bool((ok & real).all()) else None


def _any_layout(texts: list[str], data: bytes) -> Ints | None:
    """Epoch seconds of texts joined with commas, each read at its own offset (and by
    `parse_instant` when in neither layout); None when any is not an instant."""
    try:
        length = np.frombuffer(bytes(map(len, texts)), dtype=np.uint8).astype(np.int64)  # faster than fromiter
    except ValueError:
        return None  # a text of 256 characters or more (long fractions of a second): the line reader decides
    starts = np.cumsum(length + 1) - (length + 1)
    buffer = np.frombuffer(data + bytes(WIDTH), dtype=np.uint8)
    c = np.ascontiguousarray(sliding_window_view(buffer, OFFSET)[starts].T)
    offset = (length == OFFSET) & _offset_ok(c)
    ok = _head_ok(c) & (((length == ZULU) & (c[19] == ord("Z"))) | offset)
    values, real = _values(c, offset)
    for i in np.flatnonzero(~(ok & real)).tolist():
        try:
            values[i] = to_epoch(parse_instant(texts[i]))
        except ValueError:
            return None
    return values


def epochs(texts: list[str]) -> Ints | None:
    """Epoch seconds of RFC 3339 texts; None when any of them is not an instant (or not ASCII)."""
    if not texts:
        return np.zeros(0, dtype=np.int64)
    try:
        data = ",".join(texts).encode("ascii")
    except UnicodeEncodeError:
        return None  # no instant is written in anything but ASCII: the line reader names the line
    for length in (ZULU, OFFSET):
        if len(data) == (length + 1) * len(texts) - 1:
            values = _fixed(data, len(texts), length)
            if values is not None:
                return values
    return _any_layout(texts, data)
