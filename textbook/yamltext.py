"""YAML where every plain scalar stays the text the author wrote (no YAML 1.1 surprises)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from textbook.errors import SourceError
from textbook.model import Location

# libyaml's parser is about 15 times faster; a build reads a front matter per page.
_FAST_LOADER: type[yaml.BaseLoader] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass(frozen=True)
class Entry:
    """One top-level `key: value` pair with the location of its key and of its value."""

    key: str
    value: object
    key_location: Location
    value_location: Location


def node_location(node: yaml.Node, path: Path, first_line: int = 1) -> Location:
    """The file location of a YAML node whose document starts at file line `first_line`."""
    mark = node.start_mark
    return Location(path, first_line + mark.line, mark.column + 1)


def to_python(node: yaml.Node) -> object:
    """A composed node as str / list / dict / None; scalars never become numbers, dates or booleans."""
    if isinstance(node, yaml.ScalarNode):
        # An empty plain value (`key:`) is YAML's null: the key counts as not given.
        return None if node.value == "" and not node.style else str(node.value)  # libyaml says "" for plain
    if isinstance(node, yaml.SequenceNode):
        return [to_python(item) for item in node.value]
    return {str(to_python(k)): to_python(v) for k, v in node.value}


def yaml_error(error: yaml.MarkedYAMLError, text: str, path: Path, first_line: int = 1) -> SourceError:
    """A YAML parse error at its cause: where an unclosed quote or bracket opens when the
    parser only noticed it at the end of the text, else where the parser stopped."""
    problem, mark = error.problem or error.context or "", error.problem_mark
    at_end = mark is None or not text[mark.index:].strip()
    if error.context_mark is not None and error.context and at_end:
        problem, mark = f"{problem} {error.context}", error.context_mark
    line, column = (first_line + mark.line, mark.column + 1) if mark else (first_line, 1)
    return SourceError(Location(path, line, column), f"invalid YAML: {problem}")


def compose(text: str, fast: type[yaml.BaseLoader], slow: type[yaml.BaseLoader]) -> yaml.Node | None:
    """A YAML text's node tree, by libyaml (`fast`) when it can; errors always come from the pure-Python
    parser (`slow`), so messages do not depend on libyaml."""
    try:
        return yaml.compose(text, Loader=fast)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=slow)


def load_entries(text: str, path: Path, first_line: int) -> list[Entry]:
    """The top-level mapping of a YAML text as entries; SourceError on bad YAML or duplicate keys."""
    try:
        root = compose(text, _FAST_LOADER, yaml.BaseLoader)
    except yaml.MarkedYAMLError as error:
        raise yaml_error(error, text, path, first_line) from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise SourceError(node_location(root, path, first_line), "expected YAML `key: value` lines")
    entries: list[Entry] = []
    for key_node, value_node in root.value:
        key_location = node_location(key_node, path, first_line)
        key = to_python(key_node)
        if not isinstance(key, str):
            raise SourceError(key_location, "expected a plain text key")
        if any(entry.key == key for entry in entries):
            raise SourceError(key_location, f'duplicate key "{key}"')
        entries.append(Entry(key, to_python(value_node), key_location, node_location(value_node, path, first_line)))
    return entries
