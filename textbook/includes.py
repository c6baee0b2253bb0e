"""`{% include NAME key="value" %}` tags: their syntax and the parameter contracts of include templates."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from textbook.errors import BuildErrors, SourceError, read_source
from textbook.model import Location
from textbook.positions import Positions
from textbook.suggest import did_you_mean
from textbook.yamltext import load_entries

RESERVED_NAMES = frozenset({"page", "ui", "demos"})  # variables every include template already gets

_CONTRACT = re.compile(r"\{#-?[ \t]*params[ \t]*\n(?P<yaml>(?:.*\n)*?)[ \t]*-?#\}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

TAG_START = re.compile(r"\{%-?\s*include(?=\s|-?%\})")
_SPACE = re.compile(r"\s*")
_CLOSE = re.compile(r"-?%\}")
_NAME = re.compile(r"(?:(?!-?%\})[^\s\"'=])+")
_KEY = re.compile(r"[\w-]+")
_EQUALS = re.compile(r"\s*=\s*")
# A quoted value may span lines but not a blank line, so a missing quote does not swallow the chapter.
_DOUBLE = re.compile(r'"([^"\\\n]*(?:(?:\\.|\n(?![ \t]*\n))[^"\\\n]*)*)"')
_SINGLE = re.compile(r"'([^'\\\n]*(?:(?:\\.|\n(?![ \t]*\n))[^'\\\n]*)*)'")
_BARE = re.compile(r"(?:(?!-?%\})\S)+")
_WORD = re.compile(r"\S{1,20}")


@dataclass(frozen=True)
class IncludeSpec:
    """An include template and the parameters it declares."""

    name: str
    path: Path
    required: frozenset[str]
    optional: frozenset[str]

    @property
    def params(self) -> frozenset[str]:
        """Every parameter the template accepts."""
        return self.required | self.optional


@dataclass(frozen=True)
class IncludeCall:
    """One include tag as written in a chapter."""

    name: str
    params: Mapping[str, str]  # values as written, with \" (or \') resolved
    location: Location  # where the tag starts
    name_location: Location | None = field(default=None, compare=False)
    param_locations: Mapping[str, Location] = field(default_factory=dict, compare=False)


def load_include_specs(directory: Path) -> dict[str, IncludeSpec]:
    """Every template in `directory` with its `{#- params ... -#}` contract; BuildErrors if any is bad."""
    specs: dict[str, IncludeSpec] = {}
    errors: list[SourceError] = []
    for path in sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            specs[path.name] = parse_contract(read_source(path, None, "utf-8-sig"), path)
        except SourceError as error:
            errors.append(error)
    if errors:
        raise BuildErrors(errors)
    return specs


def parse_contract(text: str, path: Path) -> IncludeSpec:
    """The contract a template declares in its leading `{#- params` YAML `-#}` comment."""
    match = _CONTRACT.match(text.replace("\r\n", "\n"))
    if match is None:
        raise SourceError(Location(path, 1, 1), "include template has no parameter contract",
                          'expected a first line "{#- params", then YAML with required/optional lists, then "-#}"')
    lists: dict[str, frozenset[str]] = {"required": frozenset(), "optional": frozenset()}
    for entry in load_entries(match.group("yaml"), path, first_line=2):
        if entry.key not in lists:
            raise SourceError(entry.key_location, f'unknown contract key "{entry.key}"',
                              'expected "required" and "optional"')
        value = [] if entry.value is None else entry.value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SourceError(entry.value_location, f'"{entry.key}" must be a list of parameter names, like [path, caption]')
        for name in value:
            check_param_name(name, entry.value_location)
        lists[entry.key] = frozenset(value)
    both = sorted(lists["required"] & lists["optional"])
    if both:
        raise SourceError(Location(path, 2, 1), f'parameter "{both[0]}" is both required and optional')
    return IncludeSpec(path.name, path, lists["required"], lists["optional"])


def check_param_name(name: str, location: Location) -> None:
    """Raise unless `name` can be a template variable that does not hide a built-in one."""
    if not _IDENTIFIER.match(name):
        raise SourceError(location, f'parameter name "{name}" is not a valid identifier')
    if name in RESERVED_NAMES:
        raise SourceError(location, f'parameter name "{name}" is reserved', "page, ui and demos are given to every include")


def parse_include_tag(text: str, start: int, positions: Positions,
                      end: int | None = None) -> tuple[IncludeCall | SourceError, int]:
    """Parse the include tag at `start` (where TAG_START matches) within text[:end]: the call or the error,
    and the offset where scanning resumes."""
    end = len(text) if end is None else end
    opener = TAG_START.match(text, start, end)
    assert opener is not None, "parse_include_tag called where no include tag starts"
    try:
        return _parse_tag(_Bounded(text, end), start, opener.end(), positions)
    except SourceError as error:
        closed = _closing_offset(text, opener.end(), end)
        if closed is None:
            return SourceError(positions.location(start), "include tag is not closed", 'expected "%}"'), opener.end()
        return error, closed


def _closing_offset(text: str, offset: int, end: int) -> int | None:
    """The end of the `%}` that closes a tag, unless another tag opens before it."""
    close = text.find("%}", offset, end)
    reopen = text.find("{%", offset, end)
    return None if close < 0 or 0 <= reopen < close else close + 2


class _Bounded:
    """A text and the offset where the tag being parsed must end (the start of the next code block)."""

    def __init__(self, text: str, end: int) -> None:
        self.text = text
        self.end = end

    def match(self, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        return pattern.match(self.text, pos, self.end)


def _parse_tag(text: _Bounded, start: int, pos: int, positions: Positions) -> tuple[IncludeCall, int]:
    """The strict grammar of one tag; raises SourceError at the first token that does not fit."""
    pos = _skip_space(text, pos)
    name = text.match(_NAME, pos)
    if name is None:
        raise SourceError(positions.location(pos), "expected an include name after \"include\"", _found(text, pos))
    params: dict[str, str] = {}
    locations: dict[str, Location] = {}
    pos = name.end()
    while True:
        after_space = _skip_space(text, pos)
        close = text.match(_CLOSE, after_space)
        if close is not None:
            call = IncludeCall(name.group(), MappingProxyType(params), positions.location(start),
                               positions.location(name.start()), MappingProxyType(locations))
            return call, close.end()
        if after_space == pos or after_space >= text.end:
            raise SourceError(positions.location(after_space), 'expected key="value" or "%}"', _found(text, after_space))
        key, value, pos = _parse_param(text, after_space, positions)
        if key in params:
            raise SourceError(positions.location(after_space), f'parameter "{key}" is given twice')
        params[key] = value
        locations[key] = positions.location(after_space)


def _parse_param(text: _Bounded, pos: int, positions: Positions) -> tuple[str, str, int]:
    """One `key="value"`, `key='value'` or `key=bare` at `pos`: key, value, offset after it."""
    key = text.match(_KEY, pos)
    if key is None:
        raise SourceError(positions.location(pos), 'expected key="value" after include name', _found(text, pos))
    equals = text.match(_EQUALS, key.end())
    if equals is None or not equals.group().strip():
        after = _skip_space(text, key.end())
        raise SourceError(positions.location(after), f'expected "=" after parameter "{key.group()}"', _found(text, after))
    pos = equals.end()
    quote = text.text[pos:pos + 1] if pos < text.end else ""
    if quote in ("\"", "'"):
        value = text.match(_DOUBLE if quote == "\"" else _SINGLE, pos)
        if value is None:
            raise SourceError(positions.location(pos), f'value of "{key.group()}" is not closed', f"expected a closing {quote}")
        return key.group(), value.group(1).replace("\\" + quote, quote), value.end()
    bare = text.match(_BARE, pos)
    if bare is None:
        raise SourceError(positions.location(pos), f'expected a value after "{key.group()}="', _found(text, pos))
    return key.group(), bare.group(), bare.end()


def _skip_space(text: _Bounded, pos: int) -> int:
    match = text.match(_SPACE, pos)
    return match.end() if match else pos


def _found(text: _Bounded, pos: int) -> str:
    """`found "xyz"` (or `found the end of the text`) for messages about what was expected."""
    word = text.match(_WORD, pos)
    return f'found "{word.group()}"' if word else "found the end of the text"


def check_include(call: IncludeCall, specs: Mapping[str, IncludeSpec]) -> list[SourceError]:
    """Every mismatch between a call and its template's contract (unknown include or parameter, missing one)."""
    spec = specs.get(call.name)
    if spec is None:
        return [SourceError(call.name_location or call.location, f'unknown include "{call.name}"',
                            did_you_mean(call.name, specs))]
    errors = [SourceError(call.param_locations.get(key, call.location),
                          f'unknown parameter "{key}" for include "{call.name}"',
                          did_you_mean(key, spec.params) or _expected(spec))
              for key in call.params if key not in spec.params]
    errors += [SourceError(call.location, f'include "{call.name}" is missing required parameter "{key}"')
               for key in sorted(spec.required - call.params.keys())]
    return errors


def _expected(spec: IncludeSpec) -> str:
    """`expected one of: a, b` or `it takes no parameters`."""
    return f"expected one of: {', '.join(sorted(spec.params))}" if spec.params else "it takes no parameters"
