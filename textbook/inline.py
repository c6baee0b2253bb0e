"""Python-Markdown's inline stage, minus the calls that cannot match: the same patterns in the same order.

Markdown tries each of its ~16 inline patterns on every piece of text, one Python call each, even when
the text lacks the character a pattern starts with (no `[` for a link, no `` ` `` for code). This
subclass skips a pattern when the text lacks every substring one of which each match of the pattern's
regular expression contains. It knows that only for the regular expressions listed below and for the
emphasis delimiters; any other pattern (say, one a newer Markdown adds) is tried as before. A pattern
whose expression cannot match is never called, so skipping it changes nothing: the HTML is the same.
"""
from __future__ import annotations

import re
from typing import Any

from markdown import Markdown, inlinepatterns, treeprocessors, util
from markdown.extensions import Extension

# Regular expression -> a substring without which it cannot match.
_REQUIRED = {
    inlinepatterns.BACKTICK_RE: "`",
    inlinepatterns.ESCAPE_RE: "\\",
    inlinepatterns.LINK_RE: "[",
    inlinepatterns.IMAGE_LINK_RE: "![",
    inlinepatterns.AUTOLINK_RE: "<",
    inlinepatterns.AUTOMAIL_RE: "<",
    inlinepatterns.LINE_BREAK_RE: "  \n",
    inlinepatterns.HTML_RE: "<",
    inlinepatterns.ENTITY_RE: "&",
    r"\[\^([^\]]*)\]": "[^",  # the footnotes extension's FOOTNOTE_RE (a local name there)
}
_HANDLE_INLINE = "_InlineProcessor__handleInline"  # the private method this class replaces


def required_substrings(pattern: object, extra: dict[str, str]) -> tuple[str, ...] | None:
    """Substrings one of which any match of the pattern contains; None when not known (always try it)."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None
    regex = pattern.getCompiledRegExp().pattern
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):  # `*` and `_` emphasis: one of its tokens
        is_tokens = regex == "|".join(re.escape(token) for token in pattern.tokens)
        return tuple(pattern.tokens) if is_tokens and pattern.tokens else None
    need = extra.get(regex) or _REQUIRED.get(regex)
    return (need,) if need else None


class SkippingInlineProcessor(treeprocessors.InlineProcessor):  # type: ignore[misc]
    """Markdown's InlineProcessor that does not try a pattern on text lacking all of its required substrings."""

    def __init__(self, md: Markdown, extra: dict[str, str]) -> None:
        super().__init__(md)
        self.extra = extra
        self.needs: list[tuple[str, ...] | None] = []

    def run(self, tree: object, ancestors: list[str] | None = None) -> object:
        """Markdown's run, with the patterns (and what each requires) listed once per document."""
        registry: Any = getattr(self, "inlinePatterns")  # noqa: B009 (set by Markdown's untyped __init__)
        self.inlinePatterns = list(registry)  # a list indexes much faster than the registry
        self.needs = [required_substrings(pattern, self.extra) for pattern in self.inlinePatterns]
        try:
            return super().run(tree, ancestors)
        finally:
            self.inlinePatterns = registry

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """Markdown's loop over the patterns, skipping those that cannot match the text."""
        is_atomic = isinstance(data, util.AtomicString)  # Markdown leaves these as they are
        if is_atomic:
            return data
        apply = self._InlineProcessor__applyPattern
        patterns, needs = self.inlinePatterns, self.needs
        start = 0
        while patternIndex < len(patterns):
            need = needs[patternIndex]
            if need is not None:
                for substring in need:  # a loop, not any(): this runs for every pattern on every text
                    if substring in data:
                        break
                else:
                    patternIndex, start = patternIndex + 1, 0  # what Markdown does when a pattern does not match
                    continue
            outcome: tuple[str, bool, int] = apply(patterns[patternIndex], data, patternIndex, start)
            data, matched, start = outcome
            if not matched:
                patternIndex += 1
        return data


class SkippingInlineExtension(Extension):  # type: ignore[misc]
    """Replaces Markdown's inline treeprocessor by SkippingInlineProcessor (when this Markdown has the method
    it replaces); `extra` maps our own patterns' regular expressions to their required substrings."""

    def __init__(self, extra: dict[str, str] | None = None) -> None:
        super().__init__()
        self.extra = extra or {}

    def extendMarkdown(self, md: Markdown) -> None:
        if hasattr(treeprocessors.InlineProcessor, _HANDLE_INLINE):
            md.treeprocessors.register(SkippingInlineProcessor(md, self.extra), "inline", 20)
