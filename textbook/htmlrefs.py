"""Read a built HTML page: the anchors it offers and the URLs it references, with positions."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# (tag, attribute) -> what the reference is, in words used by the checker's messages.
URL_ATTRIBUTES = {
    ("a", "href"): "link to", ("area", "href"): "link to", ("link", "href"): "link to",
    ("img", "src"): "image", ("img", "srcset"): "image", ("source", "srcset"): "image",
    ("input", "src"): "image", ("video", "poster"): "image",
    ("script", "src"): "script",
    ("video", "src"): "media", ("audio", "src"): "media", ("source", "src"): "media",
    ("track", "src"): "media",
    ("iframe", "src"): "embedded page", ("embed", "src"): "embedded page",
    ("object", "data"): "embedded page",
}
DEMO_ATTRIBUTE = "data-base"


@dataclass(frozen=True)
class Reference:
    """A URL written in a page: what it is ("image", "link to", ...), the URL, where it is."""

    kind: str
    url: str
    line: int
    column: int


@dataclass(frozen=True)
class PageRefs:
    """The anchors a page offers (ids and <a name>) and the references it makes."""

    anchors: frozenset[str]
    references: tuple[Reference, ...]


def read_page_refs(html: str) -> PageRefs:
    """Every anchor and URL reference of a page, in document order."""
    parser = _RefParser()
    parser.feed(html)
    parser.close()
    return PageRefs(frozenset(parser.anchors), tuple(parser.references))


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset ("a.png 1x, b.png 2x" -> ["a.png", "b.png"])."""
    return [item.split()[0] for item in value.split(",") if item.strip()]


class _RefParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.references: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.anchors.add(values["name"])
        for name, value in values.items():
            kind = _kind(tag, name, values)
            if kind is None:
                continue
            urls = srcset_urls(value) if name == "srcset" else [value.strip()]
            line, column = self._position_of(name)
            self.references.extend(Reference(kind, url, line, column) for url in urls if url)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def _position_of(self, attribute: str) -> tuple[int, int]:
        """Line and 1-based column of an attribute's value in the page."""
        line, offset = self.getpos()
        text = self.get_starttag_text() or ""
        match = re.search(rf"\s{re.escape(attribute)}\s*=\s*[\"']?", text, re.IGNORECASE)
        at = match.end() if match else 0
        before = text[:at]
        newlines = before.count("\n")
        if newlines == 0:
            return line, offset + at + 1
        return line + newlines, at - before.rindex("\n")


def _kind(tag: str, attribute: str, values: dict[str, str]) -> str | None:
    if attribute == DEMO_ATTRIBUTE:
        return "demo"
    kind = URL_ATTRIBUTES.get((tag, attribute))
    if tag == "link" and kind is not None:
        rels = values.get("rel", "").lower().split()
        if "stylesheet" in rels:
            return "stylesheet"
        if {"preconnect", "dns-prefetch"} & set(rels):
            return None
    return kind
