"""Problems found in a policy file, each located at `file:line:column` so a person can fix it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from troth.core.errors import PolicyError


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    """The file is usable, but says something a person should look at (e.g. a placeholder)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One message about a policy file; `line` and `column` are 1-based, None when unknown."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}:{self.column or 1}"
        label = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {label}{self.message}"


class PolicyFileError(PolicyError):
    """A policy file that cannot be used; `problems` holds every located error found in it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" suffix for a near miss, or "" when nothing is close."""
    pool = [str(c) for c in candidates]
    matches = difflib.get_close_matches(str(name), pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        matches = [lowered[str(name).lower()]] if str(name).lower() in lowered else []
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def one_of(candidates: Iterable[str]) -> str:
    """`'a', 'b' or 'c'` for messages that list what is allowed."""
    quoted = [f"'{c}'" for c in candidates]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
