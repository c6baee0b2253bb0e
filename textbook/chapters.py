"""Chapter files -> Chapters: front matter checked against what the site needs (title, layout)."""
from __future__ import annotations

from pathlib import Path

from textbook.errors import SourceError, SourceWarning, read_source
from textbook.frontmatter import parse_front_matter
from textbook.model import Chapter, Location, SourceChapter
from textbook.suggest import did_you_mean
from textbook.templates import SITE_LAYOUTS
from textbook.translation import parse_source

DEFAULT_LAYOUT = "chapter"


def read_chapter(root: Path, source: SourceChapter, layouts: list[str]) -> tuple[Chapter, tuple[SourceWarning, ...]]:
    """Parse a chapter's front matter; raises SourceError/BuildErrors on a missing title or unknown layout."""
    text = read_source(root / source.path, source.path)
    front = parse_front_matter(text, source.path)
    meta, where = front.meta, front.locations
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problem = '"title" is empty' if isinstance(title, str) else 'missing "title" in the front matter'
        raise SourceError(where.get("title", Location(source.path, 1)), problem,
                          'add a line such as title: "My chapter"')
    layout = str(meta.get("layout", DEFAULT_LAYOUT))
    if layout not in layouts:
        hint = did_you_mean(layout, layouts) or f"chapter layouts: {', '.join(layouts)}"
        problem = "is for the site's own pages" if layout in SITE_LAYOUTS else f"is unknown (no templates/layouts/{layout}.html)"
        raise SourceError(where.get("layout", Location(source.path, 1)), f'layout "{layout}" {problem}', hint)
    version = text_or_none(meta.get("source"))
    if version is not None and parse_source(version) is None:
        raise SourceError(where.get("source", Location(source.path, 1)), f'"source" must look like en@3f2a9c01bd, not "{version}"',
                          f"python build.py status --mark {source.language}/{source.slug} writes it")
    chapter = Chapter(
        source, title.strip(), layout, front.body, front.body_line,
        text_or_none(meta.get("header_image")), text_or_none(meta.get("header_text")),
        text_or_none(meta.get("translator")), text_or_none(meta.get("translator_link")), version,
    )
    return chapter, front.warnings


def text_or_none(value: object) -> str | None:
    """A non-empty string, or None."""
    return value if isinstance(value, str) and value.strip() else None
