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
        hashed = hash_words(keys, self.length)
        self.order = np.argsort(hashed)
        self.sorted = hashed[self.order]

    def find(self, buffer: U8, start: Ints, length: Ints) -> Ints:
        """The index in the vocabulary of each string, or NO_MATCH."""
        out = np.full(start.size, NO_MATCH, dtype=np.int64)
        if self.size == 0 or start.size == 0:
            return out
        words = words_at(buffer, start, np.minimum(length, 8 * self.width), self.width)
        hashed = hash_words(words, length)
        at = np.minimum(np.searchsorted(self.sorted, hashed), self.size - 1)
        index = self.order[at]
        hit = self.length[index] == length
        for column in range(self.width):
            hit &= self.words[index, column] == words[:, column]
        out[hit] = index[hit]
        return out


def hash_words(words: Words, length: Ints) -> Words:
    """A 64-bit mix of each row's words and length (equal strings, equal hashes; verify before trusting)."""
    h = length.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for column in range(words.shape[1]):
        h = (h ^ words[:, column]) * np.uint64(0xBF58476D1CE4E5B9)
    return h


_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
_OFFSET_DIGITS = [20, 21, 23, 24]
_PUNCTUATION = [4, 7, 10, 13, 16]
_PUNCTUATION_TEXT = np.frombuffer(b"--T::", dtype=np.uint8)
_DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0], dtype=np.int64)


def _number(d: U8, positions: Sequence[int]) -> Ints:
    """The decimal number whose digit values (0-9) are in columns `positions` of `d`."""
    value = d[:, positions[0]].astype(np.int64)
    for p in positions[1:]:
        value = value * 10 + d[:, p]
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


def _canonical(b: U8, length: Ints) -> tuple[Ints, Flags]:
    """`YYYY-MM-DDTHH:MM:SSZ` and `...±HH:MM`: epoch seconds, and which strings have that form."""
    zulu, offset = length == 20, length == 25
    d = b - np.uint8(48)  # digit values; anything else wraps to 10 or more
    ok = (zulu | offset) & np.all(d[:, _DIGITS] < 10, axis=1) & np.all(b[:, _PUNCTUATION] == _PUNCTUATION_TEXT, axis=1)
    sign_char = b[:, 19]
    ok &= np.where(zulu, sign_char == ord("Z"), (sign_char == ord("+")) | (sign_char == ord("-")))
    ok &= ~offset | (np.all(d[:, _OFFSET_DIGITS] < 10, axis=1) & (b[:, 22] == ord(":")))
    year, month, day = _number(d, (0, 1, 2, 3)), _number(d, (5, 6)), _number(d, (8, 9))
    hour, minute, second = _number(d, (11, 12)), _number(d, (14, 15)), _number(d, (17, 18))
    shift = np.where(offset, _number(d, (20, 21)) * 3600 + _number(d, (23, 24)) * 60, 0)
    month = np.where(ok, month, 1)  # keeps the table look-up in range; such rows are not ok anyway
    limit = _DAYS_IN_MONTH[np.minimum(month, 15)] - ((month == 2) & ~_leap(year))
    ok &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= limit)
    ok &= (hour < 24) & (minute < 60) & (second < 60) & (shift < 24 * 3600) & (np.where(offset, d[:, 23], 0) < 6)
    sign = np.where(sign_char == ord("-"), -1, 1)
    local = _days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    return local - sign * shift, ok


def instants(buffer: U8, start: Ints, length: Ints) -> Ints | None:
    """Epoch seconds of RFC 3339 strings; None when any of them is not an instant."""
    if start.size == 0:
        return np.zeros(0, dtype=np.int64)
    b = sliding_window_view(buffer, 25)[start]
    epochs, ok = _canonical(b, length)
    for i in np.flatnonzero(~ok).tolist():
        text = bytes(buffer[start[i] : start[i] + length[i]]).decode("ascii")
        try:
            epochs[i] = to_epoch(parse_instant(text))
        except ValueError:
            return None
    return epochs
