"""chapters/<lang>/<slug>.md -> the book's chapters, in book order."""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from textbook.config import config_location
from textbook.errors import BuildErrors, SourceError, SourceWarning
from textbook.i18n import language_folders
from textbook.model import BookConfig, Location, SourceChapter


def chapter_files(root: Path) -> tuple[SourceChapter, ...]:
    """Every `chapters/<lang>/<slug>.md` on disk (files starting with `_` or `.` excluded), sorted."""
    found = []
    for folder in language_folders(root):
        with os.scandir(folder) as entries:  # scandir knows which entries are files without a stat each
            names = sorted(e.name for e in entries if e.name.endswith(".md") and e.is_file())
        base = Path("chapters", folder.name)  # `base / name` parses one part, not three
        for name in names:
            if not name.startswith(("_", ".")):
                found.append(SourceChapter(name[:-3], folder.name, base / name))
    return tuple(found)


def discover_chapters(root: Path, config: BookConfig,
                      files: Sequence[SourceChapter] | None = None) -> tuple[SourceChapter, ...]:
    """The chapters book.yaml lists, in book order, default language first in each chapter; `files` is
    chapter_files(root) when the caller has it already."""
    by_key = {(chapter.slug, chapter.language): chapter for chapter in (chapter_files(root) if files is None else files)}
    missing = [slug for slug in config.chapters if (slug, config.default_language) not in by_key]
    if missing:
        raise BuildErrors(SourceError(config_location(config, slug), f'chapter "{slug}" has no file chapters/{config.default_language}/{slug}.md') for slug in missing)
    slugs = set(config.chapters)
    listed = [chapter for chapter in by_key.values() if chapter.slug in slugs]
    return tuple(sorted(listed, key=book_order(config)))


def book_order(config: BookConfig) -> Callable[[SourceChapter], tuple[int, bool, str]]:
    """The sort key of book order: by book.yaml's chapters, the default language first, then by folder."""
    position = {slug: index for index, slug in enumerate(config.chapters)}
    return lambda source: (position[source.slug], source.language != config.default_language, source.language)


def unlisted_chapters(root: Path, config: BookConfig,
                      files: Sequence[SourceChapter] | None = None) -> list[SourceWarning]:
    """A warning for each chapter file that book.yaml does not list (it is not built); `files` as above."""
    listed = set(config.chapters)
    return [
        SourceWarning(Location(chapter.path, 1), f'"{chapter.slug}" is not in the chapters of {config.path.as_posix()}, so it is not built')
        for chapter in (chapter_files(root) if files is None else files)
        if chapter.slug not in listed
    ]
