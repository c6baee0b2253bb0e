"""Translations: the version of the original a translation records, staleness, and fallback pages.

A translated chapter's front matter says `source: <folder>@<hash>`: the language folder of the
original and the content hash of the original when it was translated. The content hash is the
first 10 hex digits of the SHA-256 of the original's body in UTF-8: the text after the front
matter's closing `---` line, without a BOM and with CRLF/CR turned into LF (what
`parse_front_matter` returns as `body`). Editing only the original's front matter (its title,
say) does not make the translations outdated; editing its text does.
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from textbook.frontmatter import front_matter_lines, normalize_newlines
from textbook.model import BookConfig, Chapter, Language, SourceChapter

HASH_LENGTH = 10
SOURCE_VALUE = re.compile(r"^(?P<folder>[A-Za-z0-9_-]+)@(?P<hash>[0-9a-f]{4,64})$")
_OPENING = re.compile(r"\ufeff?---[ \t]*\r?\n")
_CLOSING = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_SOURCE_LINE = re.compile(r"^source[ \t]*:[^\r\n]*", re.MULTILINE)


@dataclass(frozen=True)
class SourceVersion:
    """A parsed `source:` value: the original's language folder and its content hash then."""

    folder: str
    hash: str

    def __str__(self) -> str:
        return f"{self.folder}@{self.hash}"


def content_hash(body: str) -> str:
    """The content hash of a chapter body (as parse_front_matter returns it)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def body_of(text: str) -> str:
    """A chapter file's body without parsing its YAML (old versions from git may not parse)."""
    text = normalize_newlines(text)
    _, closing = front_matter_lines(text)
    return text[closing.end() + 1:] if closing else text


@functools.lru_cache(maxsize=4096)  # the dev server asks again for every unchanged original at each rebuild
def original_hash(body: str) -> str:
    """content_hash of an original's body, remembered per text."""
    return content_hash(body)


def file_hash(text: str) -> str:
    """The content hash of a whole chapter file's text."""
    return content_hash(body_of(text))


def parse_source(value: str | None) -> SourceVersion | None:
    """`en@3f2a9c01bd` -> SourceVersion("en", "3f2a9c01bd"); None when absent or malformed."""
    found = SOURCE_VALUE.match(value.strip()) if value else None
    return SourceVersion(found["folder"], found["hash"]) if found else None


def outdated_translations(chapters: Sequence[Chapter]) -> tuple[tuple[str, str], ...]:
    """(slug, folder) of every chapter whose recorded original now has another content hash, sorted."""
    bodies = {(c.source.slug, c.source.language): c.body for c in chapters if c.fallback_from is None}
    hashes: dict[tuple[str, str], str] = {}  # only the originals some translation names are hashed
    outdated = []
    for chapter in chapters:
        version = parse_source(chapter.source_version)
        if version is None or version.folder == chapter.source.language:
            continue
        key = (chapter.source.slug, version.folder)
        if key not in bodies:
            continue
        if key not in hashes:
            hashes[key] = original_hash(bodies[key])
        if hashes[key] != version.hash:
            outdated.append((chapter.source.slug, chapter.source.language))
    return tuple(sorted(outdated))


def fallback_chapters(chapters: Sequence[Chapter], languages: Sequence[Language], config: BookConfig) -> tuple[Chapter, ...]:
    """A page for each chapter missing in a language: the default language's chapter, placed in that
    language's section (`source.language`), with `fallback_from` naming the language of its text."""
    default = config.default_language
    present = {(c.source.slug, c.source.language) for c in chapters}
    originals = [c for c in chapters if c.source.language == default]
    return tuple(
        replace(original, source=SourceChapter(original.source.slug, language.folder, original.source.path),
                fallback_from=default, translator=None, translator_link=None, source_version=None)
        for original in originals for language in languages
        if (original.source.slug, language.folder) not in present
    )


def with_source_line(text: str, value: str) -> str:
    """A chapter file's text with its front matter's `source:` line set to `value`; every other
    byte stays as it was (BOM, line endings, comments, key order). Raises ValueError without
    front matter."""
    opening = _OPENING.match(text)
    closing = _CLOSING.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        raise ValueError("the chapter has no front matter (--- lines) to record the source in")
    front = text[opening.end():closing.start()]
    line = f"source: {value}"
    if _SOURCE_LINE.search(front):
        front = _SOURCE_LINE.sub(line, front, count=1)
    else:
        newline = "\r\n" if opening.group(0).endswith("\r\n") else "\n"
        front = front + (newline if front and not front.endswith("\n") else "") + line + newline
    return text[:opening.end()] + front + text[closing.start():]
