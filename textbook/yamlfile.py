"""YAML files read as node trees, so every value keeps its file:line and its text as written."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from textbook.errors import SourceError
from textbook.model import Location
from textbook.suggest import did_you_mean
from textbook.yamltext import compose, node_location, yaml_error

INT_TAG = "tag:yaml.org,2002:int"
NULL_TAG = "tag:yaml.org,2002:null"
Fields = dict[str, tuple[yaml.Node, yaml.Node]]
# libyaml's parser is many times faster (a dev server rebuild reads every _language.yaml); same nodes and marks.
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_mapping(text: str, path: Path) -> Fields:
    """Parse a YAML document whose top level is a mapping; key -> (key node, value node)."""
    try:
        node = compose(text, _FAST_LOADER, yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise yaml_error(error, text, path) from None
    if node is None:
        return {}
    return mapping_fields(node, path, "the file")


def mapping_fields(node: yaml.Node, path: Path, what: str) -> Fields:
    """A mapping node's fields by key; duplicate or non-text keys are errors."""
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(node_location(node, path), f"expected a mapping (key: value) for {what}")
    fields: Fields = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise SourceError(node_location(key_node, path), "expected a text key")
        if key_node.value in fields:
            raise SourceError(node_location(key_node, path), f'duplicate key "{key_node.value}"')
        fields[key_node.value] = (key_node, value_node)
    return fields


def check_keys(fields: Fields, allowed: Iterable[str], path: Path, what: str) -> list[SourceError]:
    """An error for each key not in `allowed`, with a "did you mean" when one is close."""
    known = sorted(allowed)
    errors = []
    for key, (key_node, _) in fields.items():
        if key not in known:
            hint = did_you_mean(key, known) or f"known keys: {', '.join(known)}"
            errors.append(SourceError(node_location(key_node, path), f'unknown key "{key}" in {what}', hint))
    return errors


def require(fields: Fields, key: str, path: Path, what: str) -> yaml.Node:
    """The value node of a required key."""
    if key not in fields:
        raise SourceError(Location(path, 1, 1), f'missing required key "{key}" in {what}')
    return fields[key][1]


def text_value(node: yaml.Node, path: Path, key: str) -> str:
    """A scalar exactly as written: `no` stays "no" and `3.10` stays "3.10" (no YAML 1.1 guessing)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG and node.value in ("", "~"):
        raise SourceError(node_location(node, path), f'expected text for "{key}"')
    return str(node.value)


def int_value(node: yaml.Node, path: Path, key: str) -> int:
    """A whole number."""
    if not isinstance(node, yaml.ScalarNode) or node.tag != INT_TAG:
        raise SourceError(node_location(node, path), f'expected a whole number for "{key}"')
    return int(node.value.replace("_", ""), 0)


def text_list(node: yaml.Node, path: Path, key: str) -> list[tuple[str, yaml.Node]]:
    """A list of texts, each with its node (for its location)."""
    if not isinstance(node, yaml.SequenceNode):
        raise SourceError(node_location(node, path), f'expected a list for "{key}"')
    return [(text_value(item, path, key), item) for item in node.value]


def text_map(node: yaml.Node, path: Path, key: str) -> dict[str, str]:
    """A mapping of texts to texts."""
    fields = mapping_fields(node, path, f'"{key}"')
    return {name: text_value(value, path, f"{key}.{name}") for name, (_, value) in fields.items()}


def plain_value(node: yaml.Node) -> Any:
    """Lists, mappings and texts as written (every scalar stays a string)."""
    if isinstance(node, yaml.SequenceNode):
        return [plain_value(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {key.value: plain_value(value) for key, value in node.value}
    return str(node.value)
