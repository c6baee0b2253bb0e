"""Offsets in a body of text -> file locations."""
from __future__ import annotations

from textbook.model import Location


class Positions:
    """Maps character offsets of a text that starts at `origin` to Locations in its file."""

    def __init__(self, text: str, origin: Location) -> None:
        self.text = text
        self.origin = origin

    def location(self, offset: int) -> Location:
        """The file location (1-based line and column, in characters) of `offset`."""
        # str.count runs in C: cheaper than indexing every line of a page that has no errors.
        lines = self.text.count("\n", 0, offset)
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        if lines == 0:
            column += self.origin.column - 1
        return Location(self.origin.path, self.origin.line + lines, column)
