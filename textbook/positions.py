"""Offsets in a body of text -> file locations."""
from __future__ import annotations

from textbook.model import Location


class Positions:
    """Maps character offsets of a text that starts at `origin` to Locations in its file."""

    def __init__(self, text: str, origin: Location) -> None:
        self.text = text
        self.origin = origin
        self._offset = 0  # the last offset asked for, and the number of newlines before it:
        self._lines = 0  # scanning asks in increasing order, so each count starts where the last ended

    def location(self, offset: int) -> Location:
        """The file location (1-based line and column, in characters) of `offset`."""
        if offset < self._offset:
            self._offset, self._lines = 0, 0
        self._lines += self.text.count("\n", self._offset, offset)
        self._offset = offset
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        if self._lines == 0:
            column += self.origin.column - 1
        return Location(self.origin.path, self.origin.line + self._lines, column)
