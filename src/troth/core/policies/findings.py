"""Collecting meaning errors while converting a policy document, each with the path it is about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from troth.core.policies.diagnostics import did_you_mean
from troth.core.policies.yamltree import Path


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at `path` in the document; `at_key` points at the key rather than the value."""

    path: Path
    message: str
    at_key: bool = False


@dataclass(slots=True)
class Findings:
    """Every problem found so far; conversion goes on after one so a person sees them all at once."""

    items: list[Finding] = field(default_factory=list)

    def error(self, path: Path, message: str, *, at_key: bool = False) -> None:
        self.items.append(Finding(path, message, at_key))

    def unknown(self, path: Path, what: str, name: str, known: Iterable[str]) -> None:
        """Report a reference to a name that is not defined, suggesting a near miss."""
        names = list(known)
        listed = ", ".join(f"'{n}'" for n in names) if names else "none are defined"
        self.error(path, f"unknown {what} '{name}'{did_you_mean(name, names)}; known: {listed}")

    def __bool__(self) -> bool:
        return bool(self.items)


def dotted(path: Path) -> str:
    """`levels.P1.targets.first_response.duration` — the form overrides and placeholders use."""
    return ".".join(str(part) for part in path)
