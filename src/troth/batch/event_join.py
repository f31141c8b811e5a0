"""Blocks of events joined into the engine's columns as they come, not all at the end.

Each block is copied into preallocated columns as soon as it is read (in parallel reading, while
the workers decode the next blocks) and then freed; after the last block only the id tables are
left to build: sorting the ticket ids, and recoding each block's ticket and account codes into
the sorted tables. The columns are allocated for an estimate of the file's events (pages never
written cost no memory) and grown if the estimate falls short.

Exports are often sorted by ticket: then each block's ids (sorted in the block) come after the
previous block's, sharing at most the ticket cut at the boundary, and the table of all ids is
theirs end to end. While that holds, each block's ticket codes are recoded as it comes (its
ranks plus the count of ids before it), and no ids are left to sort at the end.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from troth.batch.event_decode import Block, Codes
from troth.batch.ticket_ids import Ids, Names, joined, sorted_table
from troth.core.clocks.columns import NONE, EventColumns, Ints

COPIED: dict[str, type[np.generic]] = dict.fromkeys(
    ("at", "kind", "sequence", "level", "scheduled_at", "author", "status"), np.int64
) | dict.fromkeys(("platform_level", "has_scheduled", "public", "automated"), np.bool_)
"""The columns copied as they are (narrow codes widened on the way); tickets and accounts are recoded."""


class Joiner:
    """Collects blocks in file order; `columns()` gives the engine's columns of all of them."""

    def __init__(self, codes: Codes, expected: int = 0) -> None:
        self.codes = codes
        self.size = 0
        self.arrays: dict[str, npt.NDArray[Any]] = {name: np.empty(expected, dtype=t) for name, t in COPIED.items()}
        self.ticket_ids: list[Ids] = []
        self.tickets: list[Ints] = []
        self.accounts: list[Ids] = []
        self.account: list[Ints] = []
        self.sorted_ids: list[Ids] | None = []
        """While the blocks' ids come in order: the table of all ids so far, in parts (else None)."""
        self.ticket = np.empty(expected, dtype=np.int64)
        """Each event's code into that table, while the ids come in order."""
        self.distinct = 0
        self.last_id = b""

    def add(self, block: Block) -> None:
        end = self.size + block.at.size
        capacity = self.arrays["at"].size
        if end > capacity:
            self._grow(max(end, capacity * 3 // 2))
        for name, array in self.arrays.items():
            array[self.size : end] = getattr(block, name)
        if self.sorted_ids is not None:
            self._add_in_order(block, end)
        self.ticket_ids.append(block.ticket_ids)
        self.tickets.append(block.ticket)
        self.accounts.append(block.accounts)
        self.account.append(block.account)
        self.size = end

    def _add_in_order(self, block: Block, end: int) -> None:
        """Recode the block's tickets into the table of all ids, if its ids follow the previous
        blocks' (otherwise give up: `columns()` sorts them all)."""
        assert self.sorted_ids is not None
        ids = block.ticket_ids
        if not len(ids):
            return
        first = ids.data[: int(ids.lengths[0])]
        if first < self.last_id:
            self.sorted_ids = None
            return
        shared = int(self.distinct > 0 and first == self.last_id)  # a ticket cut by the block boundary
        self.ticket[self.size : end] = block.ticket
        self.ticket[self.size : end] += self.distinct - shared
        self.sorted_ids.append(Ids(ids.data[len(first) :], ids.lengths[1:]) if shared else ids)
        self.distinct += len(ids) - shared
        self.last_id = ids.data[len(ids.data) - int(ids.lengths[-1]) :]

    def _grow(self, capacity: int) -> None:
        for name, array in self.arrays.items():
            self.arrays[name] = _grown(array, self.size, capacity)
        self.ticket = _grown(self.ticket, self.size, capacity)

    def columns(self) -> EventColumns:
        """Ticket codes are ranks of the ids in sorted order (EventColumns); accounts are sorted too.
        The ticket ids are sorted in a thread while the accounts are (NumPy releases the GIL)."""
        with ThreadPoolExecutor(1) as pool:
            sorting = pool.submit(self._tickets)
            accounts, account = _recoded(self.accounts, self.account)
            ticket_ids, ticket = sorting.result()
        return EventColumns(
            ticket=ticket,
            account=account,
            **{name: array[: self.size] for name, array in self.arrays.items()},
            ticket_ids=ticket_ids,
            levels=self.codes.levels,
            accounts=tuple(accounts),
            statuses=self.codes.statuses,
        )

    def _tickets(self) -> tuple[Names, Ints]:
        if self.sorted_ids is None:
            return _recoded(self.ticket_ids, self.tickets)
        return Names(joined(self.sorted_ids)), self.ticket[: self.size]


def _grown(array: npt.NDArray[Any], size: int, capacity: int) -> npt.NDArray[Any]:
    bigger = np.empty(capacity, dtype=array.dtype)
    bigger[:size] = array[:size]
    return bigger


def _recoded(ids: list[Ids], codes: list[Ints]) -> tuple[Names, Ints]:
    """The distinct ids of all blocks, sorted, and the blocks' codes joined and recoded into that
    table (NONE stays NONE)."""
    table, ranks = sorted_table(ids)
    # A block's code -1 (NONE) picks the entry appended last: NONE.
    recoded = [np.append(rank, NONE)[code] for rank, code in zip(ranks, codes, strict=True)]
    return table, np.concatenate(recoded) if recoded else np.zeros(0, dtype=np.int64)
