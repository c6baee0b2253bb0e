"""Frozen dataclasses passed between the build stages."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file a user wrote. `path` is relative to the book root when possible."""

    path: Path
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path.as_posix()}:{self.line}:{self.column}"

    def shifted(self, lines: int = 0, column: int | None = None) -> Location:
        """The same file, `lines` further down; `column` replaces the column when given."""
        return Location(self.path, self.line + lines, self.column if column is None else column)
