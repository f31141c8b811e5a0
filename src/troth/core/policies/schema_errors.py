"""pydantic validation errors as short messages about a path in the file, with near-miss suggestions."""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from troth.core.policies.diagnostics import did_you_mean, one_of
from troth.core.policies.document import PolicyDocument
from troth.core.policies.findings import Finding
from troth.core.policies.yamltree import Path

_QUOTED = re.compile(r"'([^']*)'")


def data_path(loc: tuple[int | str, ...], data: Any) -> Path:
    """The part of pydantic's `loc` that names data in the file.

    pydantic puts union tags (e.g. "a mapping") and missing keys in `loc`; they are not in the data,
    so skipping tokens that do not lead anywhere leaves the path a person wrote.
    """
    path: list[str | int] = []
    current = data
    for token in loc:
        inside_dict = isinstance(current, dict) and token in current
        inside_list = isinstance(current, list) and isinstance(token, int) and 0 <= token < len(current)
        if inside_dict or inside_list:
            current = current[token]
            path.append(token)
    return tuple(path)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation allows (Annotated, Optional and unions opened up)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [t for arg in get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def model_keys_at(loc: tuple[int | str, ...]) -> list[str]:
    """The keys allowed in the mapping at `loc` (the parent of an unknown key), for suggestions."""
    candidates: list[Any] = [PolicyDocument]
    for token in loc:
        following: list[Any] = []
        for kind in candidates:
            following.extend(_step(kind, token))
        if following:
            candidates = following
    keys: list[str] = []
    for kind in candidates:
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            keys.extend(field.alias or name for name, field in kind.model_fields.items())
    return keys


def _step(kind: Any, token: int | str) -> list[Any]:
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        for name, field in kind.model_fields.items():
            if token in (name, field.alias):
                return _unwrap(field.annotation)
        return []
    origin = get_origin(kind)
    if origin is dict:
        return _unwrap(get_args(kind)[1])
    if origin is list and isinstance(token, int):
        return _unwrap(get_args(kind)[0])
    return []


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _message(error: ErrorDetails, path: Path) -> tuple[str, bool]:
    """(message, at_key) for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    name = str(path[-1]) if path else "the document"
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        allowed = model_keys_at(error["loc"][:-1])
        return f"unknown key '{key}'{did_you_mean(key, allowed)}", True
    if kind == "missing":
        return f"'{error['loc'][-1]}' is required", False
    if kind in ("enum", "literal_error"):
        expected = _QUOTED.findall(str(ctx.get("expected", "")))
        value = str(error["input"])
        return f"{name}: '{value}' is not one of {one_of(expected)}{did_you_mean(value, expected)}", False
    if kind == "union_tag_invalid":
        expected = _QUOTED.findall(str(ctx.get("expected_tags", "")))
        return f"{name} must be {' or '.join(expected)}, not {_shown(error['input'])}", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{name} must be a mapping of keys to values, not {_shown(error['input'])}", False
    if kind == "list_type":
        return f"{name} must be a list, not {_shown(error['input'])}", False
    return f"{name}: {error['msg']} (got {_shown(error['input'])})", False


def schema_findings(error: ValidationError, data: Any) -> list[Finding]:
    """One finding per pydantic error, located at the path the file wrote."""
    findings = []
    for item in error.errors():
        path = data_path(item["loc"], data)
        message, at_key = _message(item, path)
        if item["type"] == "extra_forbidden":
            path = (*path, item["loc"][-1]) if path[-1:] != (item["loc"][-1],) else path
        findings.append(Finding(path, message, at_key))
    return findings
