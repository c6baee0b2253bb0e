"""A chapter body -> HTML: protect code, math and include tags, run Markdown, put them back."""
from __future__ import annotations

import bisect
import functools
import html
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions.toc import slugify_unicode, unique

from textbook.cjk import CJK_UNDERSCORE, CjkEmphasisExtension
from textbook.errors import BuildErrors, SourceError, sort_errors
from textbook.includes import IncludeCall, IncludeSpec, check_include
from textbook.inline import SkippingInlineExtension
from textbook.mathml import render_math
from textbook.model import Location
from textbook.protect import Protected, Token, protect

_HEADING = re.compile(r"<h([1-6])([^>]*)>(.*?)</h\1>", re.DOTALL)
_ID_ATTRIBUTE = re.compile(r'id="([^"]*)"')  # a literal first is fast to scan; the space before is checked
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_MATH_IN_INCLUDE = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_CODE = re.compile(r"<code\b.*?</code>", re.DOTALL)


@dataclass(frozen=True)
class Heading:
    """A heading of the body, for a table of contents."""

    level: int
    id: str
    text: str  # plain text


@dataclass(frozen=True)
class RenderedBody:
    """The body's HTML (root-relative URLs still unresolved) and its headings in order."""

    html: str
    headings: tuple[Heading, ...]


@functools.lru_cache(maxsize=8)
def _converter(thread_id: int) -> Markdown:
    """The configured Markdown converter of one thread; reused (after reset) because building it is
    slow, never shared between threads because it keeps per-document state."""
    extensions = ["tables", "footnotes", "attr_list", "fenced_code", CjkEmphasisExtension(),
                  SkippingInlineExtension({CJK_UNDERSCORE: "_"})]
    return Markdown(extensions=extensions, tab_length=4)


def render_markdown(text: str) -> str:
    """Markdown -> HTML with the book's extensions (no include, math or heading-id handling)."""
    converter = _converter(threading.get_ident())
    converter.reset()
    return str(converter.convert(text))


def render_body(body: str, origin: Location, specs: Mapping[str, IncludeSpec],
                render_include: Callable[[IncludeCall], str]) -> RenderedBody:
    """Markdown with include tags and $$math$$ -> HTML; raises BuildErrors with every error."""
    protected = protect(body, origin)
    converted = render_markdown(protected.text)
    converted, headings = assign_heading_ids(converted, protected)
    errors: list[SourceError] = []
    result = _Restorer(protected, specs, render_include, errors).restore(converted)
    if errors:
        raise BuildErrors(sort_errors(errors))
    return RenderedBody(result, headings)


def _placeholder_pattern(prefix: str) -> str:
    return f"{prefix}(\\d+)Q"


@functools.lru_cache(maxsize=8)
def _restore_pattern(prefix: str) -> re.Pattern[str]:
    """A paragraph holding placeholders only (maybe blocks), or one placeholder."""
    only_placeholders = f"<p>(?P<paragraph>(?:{prefix}\\d+Q\\s*)+)</p>"
    return re.compile(f"{only_placeholders}|{prefix}(?P<index>\\d+)Q")


class _Restorer:
    """The replacement function that turns each placeholder into its HTML, by where Markdown put it."""

    def __init__(self, protected: Protected, specs: Mapping[str, IncludeSpec],
                 render_include: Callable[[IncludeCall], str], errors: list[SourceError]) -> None:
        self.tokens = protected.tokens
        self.specs = specs
        self.render_include = render_include
        self.errors = errors
        self.pattern = _restore_pattern(protected.prefix)
        self.placeholder = re.compile(_placeholder_pattern(protected.prefix))
        self.code_spans: list[tuple[int, int]] = []
        self.html = ""

    def restore(self, converted: str) -> str:
        """The converted HTML with every placeholder replaced."""
        self.code_spans = [(m.start(), m.end()) for m in _CODE.finditer(converted)]
        self.html = converted
        return self.pattern.sub(self, converted)

    def __call__(self, match: re.Match[str]) -> str:
        if match.group("paragraph"):
            return self.paragraph(match.group("paragraph"))
        token = self.tokens[int(match.group("index"))]
        if self.is_in_code(match.start()):
            # Markdown made this code (an indented block): what it holds is shown as written.
            return html.escape(token.source, quote=False)
        if self.html.rfind("<", 0, match.start()) > self.html.rfind(">", 0, match.start()):
            return self.attribute(token)  # inside a tag, e.g. the alt text of ![alt $$x$$](...)
        return self.render(token, is_block=False)

    def is_in_code(self, offset: int) -> bool:
        """True when `offset` is inside a <code> element."""
        index = bisect.bisect_right(self.code_spans, (offset, offset)) - 1
        return index >= 0 and offset < self.code_spans[index][1]

    def attribute(self, token: Token) -> str:
        """Inside an attribute value math reads as its TeX; an include still inserts its output."""
        if token.kind == "include":
            return self.render(token, is_block=False)
        return html.escape(_token_text(token) if token.kind != "error" else token.source)

    def paragraph(self, content: str) -> str:
        """A paragraph of placeholders only: one alone, or includes only, become blocks (kramdown's rule)."""
        tokens = [self.tokens[int(index)] for index in self.placeholder.findall(content)]
        if len(tokens) == 1 or all(token.kind == "include" for token in tokens):
            return "\n".join(self.render(token, is_block=True) for token in tokens)
        inline = self.placeholder.sub(lambda m: self.render(self.tokens[int(m.group(1))], is_block=False), content)
        return f"<p>{inline}</p>"

    def render(self, token: Token, is_block: bool) -> str:
        """The HTML for one token outside code; errors are collected, not raised."""
        try:
            if isinstance(token.payload, SourceError):
                raise token.payload
            if isinstance(token.payload, IncludeCall):
                return self.include(token.payload)
            if token.kind == "math":
                return render_math(token.payload, is_block, token.location)
            text = html.escape(token.payload, quote=False)
            return f"<p>{text}</p>" if is_block else text
        except SourceError as error:
            self.errors.append(error)
        except BuildErrors as errors:
            self.errors.extend(errors.errors)
        return ""

    def include(self, call: IncludeCall) -> str:
        """The include's HTML, with any `$$math$$` its parameters carried rendered inline."""
        problems = check_include(call, self.specs)
        if problems:
            raise BuildErrors(problems)
        output = self.render_include(call)
        if "$$" not in output:
            return output
        return _MATH_IN_INCLUDE.sub(lambda m: render_math(html.unescape(m.group(1)), False, call.location), output)


def assign_heading_ids(converted: str, protected: Protected) -> tuple[str, tuple[Heading, ...]]:
    """Give every heading a readable, unique id (kept when the author set one) and list them."""
    used = set(ids_in(converted))  # ids the author gave (headings, raw HTML) are taken
    headings: list[Heading] = []
    placeholder = re.compile(_placeholder_pattern(protected.prefix))

    def replace(match: re.Match[str]) -> str:
        level, attributes, inner = int(match.group(1)), match.group(2), match.group(3)
        text = plain_text(placeholder.sub(lambda m: html.escape(_token_text(protected.tokens[int(m.group(1))])), inner))
        explicit = ids_in(attributes)
        if explicit:
            headings.append(Heading(level, explicit[0], text))
            return match.group()
        slug = unique(slugify_unicode(text, "-") or f"section-{len(headings) + 1}", used)
        headings.append(Heading(level, slug, text))
        return f'<h{level} id="{slug}"{attributes}>{inner}</h{level}>'

    return _HEADING.sub(replace, converted), tuple(headings)


def ids_in(fragment: str) -> list[str]:
    """The values of the id attributes in an HTML fragment."""
    return [m.group(1) for m in _ID_ATTRIBUTE.finditer(fragment) if fragment[m.start() - 1:m.start()].isspace()]


def _token_text(token: Token) -> str:
    """What a token reads as in plain text: TeX for math, nothing for an include."""
    if token.kind in ("math", "raw") and isinstance(token.payload, str):
        return token.payload.strip() if token.kind == "math" else token.payload
    return ""


def plain_text(fragment: str) -> str:
    """An HTML fragment's text: tags dropped, entities decoded, whitespace collapsed."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", fragment))).strip()
