"""Chapter discovery: book order, default language first, unlisted files warned about."""
from __future__ import annotations

from pathlib import Path

import pytest
from sitebook import book_files, write_book

from textbook.config import load_config
from textbook.discover import discover_chapters, unlisted_chapters
from textbook.errors import BuildErrors


def test_chapters_in_book_order_default_language_first(tmp_path: Path) -> None:
    files = {**book_files(), "chapters/ja/second.md": "---\ntitle: 二\n---\n", "chapters/en/_draft.md": "x", "chapters/_notes/x.md": "x"}
    root = write_book(tmp_path, files, with_templates=False)
    found = discover_chapters(root, load_config(root / "book.yaml"))
    assert [(c.slug, c.language, c.path.as_posix()) for c in found] == [
        ("intro", "en", "chapters/en/intro.md"),
        ("intro", "ja", "chapters/ja/intro.md"),
        ("second", "en", "chapters/en/second.md"),
        ("second", "ja", "chapters/ja/second.md"),
    ]


def test_listed_chapter_missing_in_default_language_is_an_error_at_its_line(tmp_path: Path) -> None:
    files = {**book_files(), "book.yaml": "title: {en: B}\ndefault_language: en\nchapters:\n  - intro\n  - missing\n"}
    root = write_book(tmp_path, files, with_templates=False)
    with pytest.raises(BuildErrors) as caught:
        discover_chapters(root, load_config(root / "book.yaml"))
    assert [e.headline() for e in caught.value.errors] == ['book.yaml:5:5: chapter "missing" has no file chapters/en/missing.md']


def test_unlisted_chapter_is_a_warning(tmp_path: Path) -> None:
    root = write_book(tmp_path, {**book_files(), "chapters/ja/extra.md": "---\ntitle: x\n---\n"}, with_templates=False)
    warnings = unlisted_chapters(root, load_config(root / "book.yaml"))
    assert [w.headline() for w in warnings] == ['chapters/ja/extra.md:1:1: "extra" is not in the chapters of book.yaml, so it is not built']
