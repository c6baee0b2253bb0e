"""Frozen dataclasses passed between the build stages."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


@dataclass(frozen=True)
class BookConfig:
    """book.yaml, validated. Language keys are chapter folder names; `base_url` is "" or "/x"."""

    root: Path
    path: Path
    titles: Mapping[str, str]
    default_language: str
    chapters: tuple[str, ...]
    base_url: str = ""
    chapter_locations: Mapping[str, Location] = field(default_factory=dict)

    def title_for(self, language: str) -> str:
        """The book's title in a language, falling back to the default language's."""
        return self.titles.get(language) or self.titles[self.default_language]


@dataclass(frozen=True)
class Language:
    """One `chapters/<folder>/` with its `_language.yaml`; ui/demo already merged with fallbacks."""

    folder: str
    code: str
    name: str
    direction: str
    ui: Mapping[str, str]
    demo: Mapping[str, Any]
    path: Path
    missing_ui: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceChapter:
    """A chapter file found on disk: `chapters/<language>/<slug>.md` (path relative to the root)."""

    slug: str
    language: str
    path: Path


@dataclass(frozen=True)
class Chapter:
    """A chapter with its front matter validated; `body_line` is the body's first line in the file."""

    source: SourceChapter
    title: str
    layout: str
    body: str
    body_line: int
    header_image: str | None = None
    header_text: str | None = None
    translator: str | None = None
    translator_link: str | None = None
    source_version: str | None = None  # front matter `source: en@<hash>`: the original it was translated from
    fallback_from: str | None = None  # on a fallback page (no translation), the folder of the text shown


@dataclass(frozen=True)
class ChapterEntry:
    """What other pages need to know about a chapter: where it is and what it is called."""

    slug: str
    language: str
    title: str
    path: Path


@dataclass(frozen=True)
class Demo:
    """`demos/<name>/demo.yaml`, validated; URLs are root-relative (no base URL yet)."""

    name: str
    title: str
    script: str
    path: Path
    height: int = 400
    style: str | None = None
    fallback: str | None = None
    fallback_alt: str = ""


@dataclass(frozen=True)
class Site:
    """Everything a page needs to know about the rest of the book (no chapter bodies)."""

    config: BookConfig
    languages: tuple[Language, ...]
    entries: tuple[ChapterEntry, ...]
    demos: tuple[Demo, ...]
    outdated: tuple[tuple[str, str], ...] = ()  # (slug, folder) of translations whose original changed, sorted
    localized_images: tuple[str, ...] = ()  # images/.../<name>.<folder>.<ext>: shown instead of <name>.<ext> in that language


@dataclass(frozen=True)
class Page:
    """One output file; `sources` lists the input files it was built from (sorted). `content` is the
    HTML, or, for a page an incremental build reused unchanged, the file an earlier build wrote it to
    (read only when asked: most rebuilds never need the text of the pages they keep)."""

    out_path: str
    url: str
    content: str | Path
    sources: tuple[Path, ...] = ()

    @property
    def html(self) -> str:
        """The page's HTML (read from its file when it was reused; the file must still be there)."""
        if isinstance(self.content, str):
            return self.content
        return self.content.read_bytes().decode("utf-8")
