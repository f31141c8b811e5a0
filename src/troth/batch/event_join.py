"""Blocks of events joined into the engine's columns as they come, not all at the end.

Each block is copied into preallocated columns as soon as it is read (in parallel reading, while
the workers decode the next blocks) and then freed; after the last block only the id tables are
left to build: sorting the ticket ids, and recoding each block's ticket and account codes into
the sorted tables. The columns are allocated for an estimate of the file's events (pages never
written cost no memory) and grown if the estimate falls short.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from troth.batch.event_decode import Block, Codes
from troth.batch.ticket_ids import Ids, Names, sorted_table
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

    def add(self, block: Block) -> None:
        end = self.size + block.at.size
        capacity = self.arrays["at"].size
        if end > capacity:
            self._grow(max(end, capacity * 3 // 2))
        for name, array in self.arrays.items():
            array[self.size : end] = getattr(block, name)
        self.ticket_ids.append(block.ticket_ids)
        self.tickets.append(block.ticket)
        self.accounts.append(block.accounts)
        self.account.append(block.account)
        self.size = end

    def _grow(self, capacity: int) -> None:
        for name, array in self.arrays.items():
            bigger = np.empty(capacity, dtype=array.dtype)
            bigger[: self.size] = array[: self.size]
            self.arrays[name] = bigger

    def columns(self) -> EventColumns:
        """Ticket codes are ranks of the ids in sorted order (EventColumns); accounts are sorted too.
        The ticket ids are sorted in a thread while the accounts are (NumPy releases the GIL)."""
        with ThreadPoolExecutor(1) as pool:
            sorting = pool.submit(_recoded, self.ticket_ids, self.tickets)
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


def _recoded(ids: list[Ids], codes: list[Ints]) -> tuple[Names, Ints]:
    """The distinct ids of all blocks, sorted, and the blocks' codes joined and recoded into that
    table (NONE stays NONE)."""
    table, ranks = sorted_table(ids)
    # A block's code -1 (NONE) picks the entry appended last: NONE.
    recoded = [np.append(rank, NONE)[code] for rank, code in zip(ranks, codes, strict=True)]
    return table, np.concatenate(recoded) if recoded else np.zeros(0, dtype=np.int64)
