"""User-facing errors: a SourceError points at the file, line and column a user wrote."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from textbook.model import Location

T = TypeVar("T")
R = TypeVar("R")


class SourceError(Exception):
    """A mistake in the book's input (a chapter, template, config), not a bug in the compiler."""

    def __init__(self, location: Location, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.location = location
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.headline()

    def __reduce__(self) -> tuple[type[SourceError], tuple[Location, str, str | None]]:
        # Pages render in worker processes; their errors must survive pickling.
        return (type(self), (self.location, self.message, self.hint))

    def headline(self) -> str:
        """`path:line:col: message (hint)` on one line."""
        text = f"{self.location}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def format(self, root: Path | None = None) -> str:
        """The headline followed by the offending source line and a caret under the column."""
        line = source_line(self.location, root)
        if line is None:
            return self.headline()
        caret = " " * (max(self.location.column, 1) - 1) + "^"
        return f"{self.headline()}\n    {line}\n    {caret}"


class SourceWarning(SourceError):
    """Something suspicious that still builds; `--strict` turns warnings into failures."""


class BuildErrors(Exception):
    """Several SourceErrors found in one pass; raised after collecting, so none is lost."""

    def __init__(self, errors: Iterable[SourceError]) -> None:
        self.errors = tuple(errors)
        super().__init__(f"{len(self.errors)} error(s)")

    def __reduce__(self) -> tuple[type[BuildErrors], tuple[tuple[SourceError, ...]]]:
        return (type(self), (self.errors,))


def read_source(path: Path, rel: Path | None = None, encoding: str = "utf-8") -> str:
    """A file the user wrote, as text; a SourceError at the first bad byte when it is not valid UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise not_utf8(data, error.start, rel or path) from None


def not_utf8(data: bytes, start: int, rel: Path) -> SourceError:
    """The error for a file whose byte at offset `start` does not decode as UTF-8."""
    line = data.count(b"\n", 0, start) + 1
    column = len(data[data.rfind(b"\n", 0, start) + 1:start].decode("utf-8", errors="replace")) + 1
    return SourceError(Location(rel, line, column), f"file is not valid UTF-8 (byte 0x{data[start]:02x})",
                       "save the file with the UTF-8 encoding")


def source_line(location: Location, root: Path | None = None) -> str | None:
    """The text of the line a location points at, or None when it cannot be read."""
    path = location.path if root is None or location.path.is_absolute() else root / location.path
    try:
        lines = path.read_bytes().decode("utf-8-sig", errors="replace").splitlines()
    except OSError:
        return None
    if 1 <= location.line <= len(lines):
        return lines[location.line - 1].expandtabs(4)
    return None


def sort_errors(errors: Iterable[SourceError]) -> list[SourceError]:
    """Errors in a stable order: by file, then line, then column, then message."""
    return sorted(errors, key=lambda e: (str(e.location.path), e.location.line, e.location.column, e.message))


class UsageError(Exception):
    """A mistake in how the command was called (bad option, wrong folder): the CLI exits 2."""


def read_each(items: Iterable[T], read: Callable[[T], R]) -> list[R]:
    """read(item) for every item, in order; the SourceErrors of all items are raised together as BuildErrors."""
    results: list[R] = []
    errors: list[SourceError] = []
    for item in items:
        try:
            results.append(read(item))
        except SourceError as error:
            errors.append(error)
        except BuildErrors as found:
            errors.extend(found.errors)
    if errors:
        raise BuildErrors(errors)
    return results
