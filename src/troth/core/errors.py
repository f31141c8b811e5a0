"""Errors the core raises, each carrying enough to point a person at the cause."""

from __future__ import annotations


class TrothError(Exception):
    """Base of every error Troth reports to a person instead of a traceback."""


class CalendarError(TrothError):
    """A calendar cannot answer: it never opens, or a business day has no defined length."""


class PolicyError(TrothError):
    """A policy is inconsistent in a way its schema alone cannot catch."""


class InputError(TrothError):
    """Bad input, located by file, line and field so a person can fix it.

    `line` is 1-based; `field` names the offending field (dotted for nested fields).
    """

    def __init__(self, message: str, *, file: str, line: int | None = None, field: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.located())

    def located(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f" field '{self.field}':" if self.field else ""
        return f"{where}:{what} {self.message}"
