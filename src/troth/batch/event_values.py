"""Field values of scanned lines: strings matched exactly against a vocabulary, instants parsed
from their bytes. Values the fast forms do not cover go through the same Python functions the
line-by-line reader uses, one value at a time."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from troth.batch.json_shape import Words, word_key, words_at
from troth.core.instants import parse_instant, to_epoch

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]
U8 = npt.NDArray[np.uint8]

NO_MATCH = -1


def n_words(length: int) -> int:
    return -(-length // 8)


class Lookup:
    """Exact lookup of strings in a small vocabulary: one hash, one search, every word verified."""

    def __init__(self, names: Sequence[str]) -> None:
        encoded = [name.encode() for name in names]
        self.width = max(1, n_words(max((len(e) for e in encoded), default=0)))
        self.size = len(encoded)
        keys = np.array([word_key(e, self.width) for e in encoded], dtype=np.uint64).reshape(self.size, self.width)
        self.words = keys
        self.length = np.array([len(e) for e in encoded], dtype=np.int64)
        hashed = _hash(keys, self.length)
        self.order = np.argsort(hashed)
        self.sorted = hashed[self.order]

    def find(self, buffer: U8, start: Ints, length: Ints) -> Ints:
        """The index in the vocabulary of each string, or NO_MATCH."""
        out = np.full(start.size, NO_MATCH, dtype=np.int64)
        if self.size == 0 or start.size == 0:
            return out
        words = words_at(buffer, start, np.minimum(length, 8 * self.width), self.width)
        hashed = _hash(words, length)
        at = np.minimum(np.searchsorted(self.sorted, hashed), self.size - 1)
        index = self.order[at]
        hit = self.length[index] == length
        for column in range(self.width):
            hit &= self.words[index, column] == words[:, column]
        out[hit] = index[hit]
        return out


def _hash(words: Words, length: Ints) -> Words:
    h = length.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for column in range(words.shape[1]):
        h = (h ^ words[:, column]) * np.uint64(0xBF58476D1CE4E5B9)
    return h


_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)
_OFFSET_DIGITS = (20, 21, 23, 24)
_PUNCTUATION = {4: ord("-"), 7: ord("-"), 10: ord("T"), 13: ord(":"), 16: ord(":")}
_DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _number(b: Ints, positions: Sequence[int]) -> Ints:
    value = np.zeros(b.shape[0], dtype=np.int64)
    for p in positions:
        value = value * 10 + (b[:, p] - 48)
    return value


def _days_from_civil(y: Ints, m: Ints, d: Ints) -> Ints:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    result: Ints = era * 146097 + doe - 719468
    return result


def _leap(y: Ints) -> Flags:
    leap: Flags = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    return leap


def _canonical(b: Ints, length: Ints) -> tuple[Ints, Flags]:
    """`YYYY-MM-DDTHH:MM:SSZ` and `...±HH:MM`: epoch seconds, and which strings have that form."""
    zulu, offset = length == 20, length == 25
    ok = zulu | offset
    for p in _DIGITS:
        ok &= (b[:, p] >= 48) & (b[:, p] <= 57)
    for p, char in _PUNCTUATION.items():
        ok &= b[:, p] == char
    ok &= np.where(zulu, b[:, 19] == ord("Z"), (b[:, 19] == ord("+")) | (b[:, 19] == ord("-")))
    digits = np.where(offset[:, None], b[:, _OFFSET_DIGITS], 48)
    ok &= np.all((digits >= 48) & (digits <= 57), axis=1) & (~offset | (b[:, 22] == ord(":")))
    year, month, day = _number(b, (0, 1, 2, 3)), _number(b, (5, 6)), _number(b, (8, 9))
    hour, minute, second = _number(b, (11, 12)), _number(b, (14, 15)), _number(b, (17, 18))
    off_hour, off_minute = (
        _number(np.where(offset[:, None], b, 48), (20, 21)),
        _number(np.where(offset[:, None], b, 48), (23, 24)),
    )
    month_ok = (month >= 1) & (month <= 12)
    limit = _DAYS_IN_MONTH[np.where(month_ok, month, 0)] - ((month == 2) & ~_leap(year))
    ok &= (year >= 1) & month_ok & (day >= 1) & (day <= limit)
    ok &= (hour < 24) & (minute < 60) & (second < 60) & (off_hour < 24) & (off_minute < 60)
    sign = np.where(b[:, 19] == ord("-"), -1, 1)
    local = _days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    return local - sign * (off_hour * 3600 + off_minute * 60), ok


def instants(buffer: U8, start: Ints, length: Ints) -> Ints | None:
    """Epoch seconds of RFC 3339 strings; None when any of them is not an instant."""
    if start.size == 0:
        return np.zeros(0, dtype=np.int64)
    b = sliding_window_view(buffer, 25)[start].astype(np.int64)
    epochs, ok = _canonical(b, length)
    for i in np.flatnonzero(~ok).tolist():
        text = bytes(buffer[start[i] : start[i] + length[i]]).decode("ascii")
        try:
            epochs[i] = to_epoch(parse_instant(text))
        except ValueError:
            return None
    return epochs
