"""Split a chapter into its YAML front matter and its Markdown body."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from textbook.errors import BuildErrors, SourceError, SourceWarning
from textbook.model import Location
from textbook.suggest import did_you_mean
from textbook.yamltext import Entry, load_entries

# Key -> expected type: "text" (a string) or "list" (a list of strings).
KNOWN_KEYS: Mapping[str, str] = MappingProxyType({
    "layout": "text",
    "title": "text",
    "includes": "list",  # Jekyll books' per-page script bundles (mathjax, ...): accepted, not needed here
    "header_image": "text",
    "header_text": "text",
    "translator": "text",
    "translator_link": "text",
    "source": "text",
})

_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FrontMatter:
    """The parsed front matter, the body after it, and where the body starts in the file."""

    meta: Mapping[str, object]
    body: str
    body_line: int
    warnings: tuple[SourceWarning, ...] = ()
    locations: Mapping[str, Location] = field(default_factory=dict)  # key -> location of its value


def normalize_newlines(text: str) -> str:
    """Text without a UTF-8 BOM and with every CRLF or CR turned into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def front_matter_lines(text: str) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """The opening `---` line of a text (normalize_newlines'd) and the line that closes it; None for
    either that is missing."""
    opening = _OPENING.match(text)
    return opening, _CLOSING.search(text, opening.end() - 1) if opening else None


def parse_front_matter(text: str, path: Path) -> FrontMatter:
    """Split `---` YAML front matter from the body; raises BuildErrors listing every mistake."""
    text = normalize_newlines(text)
    opening, closing = front_matter_lines(text)
    if opening is None:
        check_late_opening(text, path)
        return FrontMatter(MappingProxyType({}), text, 1)
    if closing is None:
        raise BuildErrors([SourceError(Location(path, 1, 1), "front matter is not closed",
                                       'expected a line "---" after the YAML')])
    yaml_text = text[opening.end():closing.start()]
    body_line = text.count("\n", 0, closing.start()) + 2
    try:
        entries = load_entries(yaml_text, path, first_line=2)
    except SourceError as error:
        raise BuildErrors([error]) from None
    meta, warnings, errors = validate_entries(entries)
    if errors:
        raise BuildErrors(errors)
    locations = MappingProxyType({e.key: e.value_location for e in entries if e.key in meta})
    return FrontMatter(MappingProxyType(meta), text[closing.end() + 1:], body_line, tuple(warnings), locations)


def check_late_opening(text: str, path: Path) -> None:
    """Raise when blank lines come before the opening `---` (Jekyll, too, needs it on line 1)."""
    stripped = text.lstrip(" \t\n")
    if stripped != text and _OPENING.match(stripped):
        line = text.count("\n", 0, len(text) - len(stripped)) + 1
        raise BuildErrors([SourceError(Location(path, line, 1), "front matter must start on the first line",
                                       'remove the blank lines before "---"')])


def validate_entries(entries: list[Entry]) -> tuple[dict[str, object], list[SourceWarning], list[SourceError]]:
    """Known keys with the right types; unknown keys become warnings, wrong types errors."""
    meta: dict[str, object] = {}
    warnings: list[SourceWarning] = []
    errors: list[SourceError] = []
    for entry in entries:
        kind = KNOWN_KEYS.get(entry.key)
        if kind is None:
            warnings.append(SourceWarning(entry.key_location, f'unknown front matter key "{entry.key}"',
                                          did_you_mean(entry.key, KNOWN_KEYS)))
        elif entry.value is None:
            continue
        elif kind == "text" and not isinstance(entry.value, str):
            errors.append(SourceError(entry.value_location, f'"{entry.key}" must be text, not a {describe(entry.value)}'))
        elif kind == "list" and not is_text_list(entry.value):
            errors.append(SourceError(entry.value_location, f'"{entry.key}" must be a list of text, like [a, b]'))
        else:
            meta[entry.key] = tuple(entry.value) if isinstance(entry.value, list) else entry.value
    return meta, warnings, errors


def is_text_list(value: object) -> bool:
    """True for a list whose items are all strings."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def describe(value: object) -> str:
    """`list` or `mapping`: what a non-text YAML value is, for messages."""
    return "list" if isinstance(value, list) else "mapping"
