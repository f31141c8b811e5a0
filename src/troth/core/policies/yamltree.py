"""YAML text to plain data that remembers where every key and value was written.

PyYAML's node tree (`yaml.compose`) keeps a mark for each node; `construct` would drop them. We walk
the nodes ourselves so that every later error (schema or meaning) can point at `line:column`.

Scalars are kept as the text the author wrote (only `null`/`~`/empty become None). YAML 1.1 would
otherwise read `22:00` as the sexagesimal number 1320, `1.4` as a float and `1` as an int; pydantic
converts text to the field's type later, exactly (Decimal from "99.95", not from a float).

A mapping `{placeholder: <true or reason>, value: <v>}` stands for `v`, marked as a placeholder:
a value the source document did not state, which a user must replace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]

_NULL_TAG = "tag:yaml.org,2002:null"
_PLACEHOLDER_KEYS = {"placeholder", "value"}


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass(slots=True)
class YamlTree:
    """Plain data (dicts with str keys, lists, str, None) and where each part was written.

    `values[path]` is where the value at `path` starts; `keys[path]` where its mapping key is.
    `placeholders` maps each placeholder's path to its reason ("" when only `true`).
    `problems` are (position, message) pairs found while reading (e.g. a repeated key).
    """

    data: Any = None
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    placeholders: dict[Path, str] = field(default_factory=dict)
    problems: list[tuple[Position, str]] = field(default_factory=list)

    def position(self, path: Path, *, key: bool = False) -> Position:
        """Where `path` was written, or its nearest written ancestor."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Position(1, 1)


class YamlSyntaxError(ValueError):
    """The text is not YAML; carries where the parser gave up."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.position = position


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def read_tree(text: str) -> YamlTree:
    """Compose `text` and convert it; raises YamlSyntaxError for text that is not YAML."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        raise YamlSyntaxError(f"not valid YAML: {error.problem or error.context}", where) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"not valid YAML: {error}", Position(1, 1)) from None
    tree = YamlTree()
    if root is not None:
        tree.data = _convert(root, (), tree, set())
    return tree


def _convert(node: yaml.Node, path: Path, tree: YamlTree, active: set[int]) -> Any:
    tree.values[path] = _position(node)
    if id(node) in active:
        tree.problems.append((_position(node), "an alias refers to itself"))
        return None
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == _NULL_TAG else str(node.value)
    active.add(id(node))
    try:
        if isinstance(node, yaml.SequenceNode):
            return [_convert(item, (*path, index), tree, active) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        return _convert_mapping(node, path, tree, active)
    finally:
        active.discard(id(node))


def _convert_mapping(node: yaml.MappingNode, path: Path, tree: YamlTree, active: set[int]) -> Any:
    entries: list[tuple[str, yaml.Node, yaml.Node]] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL_TAG:
            tree.problems.append((_position(key_node), "a key must be a plain name"))
            continue
        key = str(key_node.value)
        if key in seen:
            tree.problems.append((_position(key_node), f"key '{key}' is repeated; write each key once"))
            continue
        seen.add(key)
        entries.append((key, key_node, value_node))
    if "placeholder" in seen:
        return _convert_placeholder(node, entries, path, tree, active)
    result: dict[str, Any] = {}
    for key, key_node, value_node in entries:
        tree.keys[(*path, key)] = _position(key_node)
        result[key] = _convert(value_node, (*path, key), tree, active)
    return result


def _convert_placeholder(
    node: yaml.MappingNode,
    entries: list[tuple[str, yaml.Node, yaml.Node]],
    path: Path,
    tree: YamlTree,
    active: set[int],
) -> Any:
    by_key = {key: (key_node, value_node) for key, key_node, value_node in entries}
    for key, key_node, _ in entries:
        if key not in _PLACEHOLDER_KEYS:
            tree.problems.append(
                (_position(key_node), f"a placeholder has only 'placeholder' and 'value', not '{key}'")
            )
    if "value" not in by_key:
        tree.problems.append((_position(node), "a placeholder needs a 'value' the policy uses until it is replaced"))
        return None
    marker = by_key["placeholder"][1]
    reason = str(marker.value) if isinstance(marker, yaml.ScalarNode) else ""
    if reason.lower() in {"false", "no", "off"}:
        # `placeholder: false` documents that the value has been confirmed; it is then a plain value.
        reason_or_none = None
    else:
        reason_or_none = "" if reason.lower() in {"true", "yes", "on"} else reason
    value = _convert(by_key["value"][1], path, tree, active)
    tree.values[path] = _position(node)
    if reason_or_none is not None:
        tree.placeholders[path] = reason_or_none
    return value
