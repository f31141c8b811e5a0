"""Ticket ids to codes: each event's ticket as the rank of its id among all ids, sorted.

Every ticket has exactly one `created` event (the engines check it), so the ids are those of the
`created` events. Ids are hashed, `created` hashes sorted, and every event's hash looked up there
and verified word by word. Anything unexpected — a collision, a ticket never created, one created
twice — makes the exact Python path decide, so the result never depends on luck.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from troth.batch.json_shape import Words

Ints = npt.NDArray[np.int64]


def _hash(words: Words, length: Ints) -> Words:
    h = length.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for column in range(words.shape[1]):
        h = (h ^ words[:, column]) * np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
    return h


def _as_text(words: Words, length: Ints) -> list[str]:
    """The ids as text. The byte-string view drops trailing NULs and non-ASCII needs decoding, so
    only plain ids take the vectorised path."""
    if words.shape[1] == 0:
        return ["" for _ in range(length.size)]
    raw = np.ascontiguousarray(words).view(f"S{8 * words.shape[1]}").ravel()
    if np.array_equal(np.strings.str_len(raw), length) and bool(np.all(words & np.uint64(0x8080808080808080) == 0)):
        texts: list[str] = raw.astype(f"U{8 * words.shape[1]}").tolist()
        return texts
    return [words[i].tobytes()[:size].decode("utf-8") for i, size in enumerate(length.tolist())]


def _exact(words: Words, length: Ints) -> tuple[Ints, tuple[str, ...]]:
    texts = _as_text(words, length)
    ids = sorted(set(texts))
    code = {ticket: i for i, ticket in enumerate(ids)}
    return np.array([code[t] for t in texts], dtype=np.int64), tuple(ids)


def ticket_codes(words: Words, length: Ints, created: npt.NDArray[np.bool_]) -> tuple[Ints, tuple[str, ...]]:
    """(code of each event's ticket, ids in sorted order). `words` are each id's UTF-8 bytes as
    little-endian words, zero-padded; `created` marks the `created` events."""
    rows = np.flatnonzero(created)
    if rows.size == 0:
        return _exact(words, length)
    h = _hash(words, length)
    order = np.argsort(h[rows], kind="stable")
    sorted_hash = h[rows][order]
    if np.any(sorted_hash[1:] == sorted_hash[:-1]):
        return _exact(words, length)
    at = np.minimum(np.searchsorted(sorted_hash, h), sorted_hash.size - 1)
    owner = rows[order[at]]
    same = (sorted_hash[at] == h) & (length[owner] == length) & np.all(words[owner] == words, axis=1)
    if not bool(same.all()):
        return _exact(words, length)
    big_endian = words[rows].byteswap()
    # Big-endian words compare like the bytes they hold; the length breaks ties between "a" and "a\0".
    keys = [length[rows], *(big_endian[:, j] for j in reversed(range(big_endian.shape[1])))]
    rank_order = np.lexsort(keys)
    rank = np.empty(rows.size, dtype=np.int64)
    rank[rank_order] = np.arange(rows.size)
    ids = _as_text(words[rows[rank_order]], length[rows[rank_order]])
    by_row = np.empty(words.shape[0], dtype=np.int64)
    by_row[rows] = rank
    return by_row[owner], tuple(ids)
