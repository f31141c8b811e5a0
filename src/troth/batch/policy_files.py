"""Reading policy files: the shell around the pure loader in troth.core.policies.loading."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from troth.core.policies.diagnostics import PolicyFileError, Problem
from troth.core.policies.loading import PolicyCheck, check_policy_text, load_policy, policy_history
from troth.core.policies.model import Policy, PolicyHistory

__all__ = ["PolicyFileError", "check_policy_file", "read_policy", "read_policy_history"]


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyFileError([Problem(source=path, message=f"cannot be read: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise PolicyFileError([Problem(source=path, message="is not UTF-8 text")]) from None


def read_policy(path: str) -> Policy:
    """The policy in the file at `path`; raises PolicyFileError (a TrothError) with every located error."""
    return load_policy(_read_text(path), path)


def check_policy_file(path: str) -> PolicyCheck:
    """Every error and warning of the file at `path`, and the policy when it is usable."""
    try:
        text = _read_text(path)
    except PolicyFileError as error:
        return PolicyCheck(source=path, policy=None, problems=error.problems)
    return check_policy_text(text, path)


def read_policy_history(paths: Sequence[str]) -> PolicyHistory:
    """Several versions of one SLA, one per file, as the history that picks the version in force."""
    return policy_history([read_policy(path) for path in paths], paths)
