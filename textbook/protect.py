"""Replace include tags, `$$math$$` and raw blocks by placeholders that Markdown leaves alone.

Fenced code, inline code spans and HTML comments are found first and skipped, so what they hold is
never a tag or math. Indented code is not guessed here (a list continuation looks the same): a placeholder
that Markdown puts inside `<code>` is turned back into its source text by the renderer instead.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from textbook.errors import SourceError
from textbook.includes import TAG_START, IncludeCall, parse_include_tag
from textbook.model import Location
from textbook.positions import Positions

_FENCED = FencedBlockPreprocessor.FENCED_BLOCK_RE  # the very rule Markdown applies, so both agree
_FENCE_OPENING = re.compile(r"^(?P<fence>`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*)?[ ]*$", re.MULTILINE)
# A backtick run, `$$`, an include/raw tag or an HTML comment; the leading class lets the engine
# skip plain text fast.
_SPECIAL = re.compile(r"[`${<](?:(?<=`)`*|(?<=\$)\$|(?<=\{)%-?\s*(?:include|raw)(?=\s|-?%\})|(?<=<)!--)")
_RAW_OPEN = re.compile(r"\{%-?\s*raw\s*-?%\}")
_RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Token:
    """What a placeholder stands for: `math` (payload TeX), `include` (an IncludeCall),
    `raw` (payload text) or `error` (a SourceError reported unless the token lands in code)."""

    kind: str
    source: str
    location: Location
    payload: str | IncludeCall | SourceError


@dataclass(frozen=True)
class Protected:
    """A body with placeholders `<prefix><index>Q`, and the tokens they stand for."""

    text: str
    tokens: tuple[Token, ...]
    prefix: str


def protect(body: str, origin: Location) -> Protected:
    """The body with tags, math and raw blocks replaced by placeholders (code stays untouched)."""
    prefix = "QzTbP"
    while prefix in body:  # a body that already contains the prefix gets a longer one
        prefix += "z"
    positions = Positions(body, origin)
    pieces: list[str] = []
    tokens: list[Token] = []
    regions, unclosed = code_regions(body)
    for start, end, is_code in regions:
        if is_code:
            pieces.append(body[start:end])
            continue
        for piece in scan_prose(body, start, end, positions):
            if isinstance(piece, Token):
                pieces.append(f"{prefix}{len(tokens)}Q")
                tokens.append(piece)
            else:
                pieces.append(piece)
    if unclosed:  # Markdown ignores an unclosed fence; close it so the code runs to the end, as it looks
        pieces.append(("" if body.endswith("\n") else "\n") + unclosed + "\n")
    return Protected("".join(pieces), tuple(tokens), prefix)


def code_regions(body: str) -> tuple[list[tuple[int, int, bool]], str | None]:
    """(start, end, is_code) spans covering the body, fenced code blocks being code; and the fence
    of a block that is never closed (it is code up to the end), if any."""
    regions: list[tuple[int, int, bool]] = []
    pos = 0
    if "```" in body or "~~~" in body:
        for match in _FENCED.finditer(body):
            regions += [(pos, match.start(), False), (match.start(), match.end(), True)]
            pos = match.end()
        opening = _FENCE_OPENING.search(body, pos)
        if opening:
            regions += [(pos, opening.start(), False), (opening.start(), len(body), True)]
            return regions, opening.group("fence")
    regions.append((pos, len(body), False))
    return regions, None


def scan_prose(text: str, start: int, end: int, positions: Positions) -> Iterator[str | Token]:
    """Text pieces and Tokens for text[start:end], which holds no fenced code."""
    pos = start
    while True:
        match = _SPECIAL.search(text, pos, end)
        if match is None:
            yield text[pos:end]
            return
        yield text[pos:match.start()]
        token, pos = _special(text, match, end, positions)
        if isinstance(token, Token):
            yield token
        else:
            yield text[match.start():pos]


def _special(text: str, match: re.Match[str], end: int, positions: Positions) -> tuple[Token | None, int]:
    """The token starting at `match` (None for literal text) and the offset after it."""
    found = match.group()
    if found.startswith("`"):
        return None, _code_span_end(text, match, end)
    if found == "<!--":  # a comment (often a draft an author set aside) is left as written
        close = text.find("-->", match.end(), end)
        return None, close + 3 if close >= 0 else match.end()
    if found == "$$":
        return _math(text, match.start(), end, positions)
    if _RAW_OPEN.match(text, match.start()):
        return _raw(text, match.start(), end, positions)
    if TAG_START.match(text, match.start()):
        call, after = parse_include_tag(text, match.start(), positions, end)
        kind = "error" if isinstance(call, SourceError) else "include"
        return Token(kind, text[match.start():after], positions.location(match.start()), call), after
    return None, match.end()  # `{% raw` not followed by `%}`: plain text


def _code_span_end(text: str, match: re.Match[str], end: int) -> int:
    """After the code span opened by a backtick run (the run alone when it is escaped or unclosed)."""
    if _is_escaped(text, match.start()):
        return match.start() + 1
    closing = _closing_ticks(len(match.group())).search(text, match.end(), _paragraph_end(text, match.end(), end))
    return closing.end() if closing else match.end()


def _is_escaped(text: str, pos: int) -> bool:
    """True when an odd number of backslashes precede `pos`."""
    start = pos
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (pos - start) % 2 == 1


@functools.lru_cache(maxsize=16)
def _closing_ticks(count: int) -> re.Pattern[str]:
    return re.compile(f"(?<!`)`{{{count}}}(?!`)")


def _paragraph_end(text: str, pos: int, end: int) -> int:
    """The offset of the next blank line (or `end`): math and code spans do not cross it."""
    blank = _BLANK_LINE.search(text, pos, end)
    return blank.start() if blank else end


def _math(text: str, start: int, end: int, positions: Positions) -> tuple[Token, int]:
    """A math token for `$$...$$` at `start`, or an error token for an unclosed `$$`."""
    closing = text.find("$$", start + 2, _paragraph_end(text, start + 2, end))
    location = positions.location(start)
    if closing < 0:
        error = SourceError(location, "math is not closed", "expected a closing $$ in the same paragraph")
        return Token("error", "$$", location, error), start + 2
    return Token("math", text[start:closing + 2], location, text[start + 2:closing]), closing + 2


def _raw(text: str, start: int, end: int, positions: Positions) -> tuple[Token, int]:
    """A raw token for `{% raw %}...{% endraw %}`, or an error token when it is not closed."""
    opening = _RAW_OPEN.match(text, start)
    assert opening is not None
    closing = _RAW_CLOSE.search(text, opening.end(), end)
    location = positions.location(start)
    if closing is None:
        error = SourceError(location, "raw block is not closed", "expected {% endraw %}")
        return Token("error", opening.group(), location, error), opening.end()
    content = text[opening.end():closing.start()]
    return Token("raw", text[start:closing.end()], location, content), closing.end()
