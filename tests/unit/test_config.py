"""book.yaml validation: values as written, errors naming the key and file:line."""
from __future__ import annotations

from pathlib import Path

import pytest

from textbook.config import load_config, normalize_base_url
from textbook.errors import BuildErrors, SourceError, UsageError

GOOD = 'title: {en: Book, ja: 本}\ndefault_language: en\nchapters: [a, b]\nbase_url: /ml4a/\n'


def load(tmp_path: Path, text: str, base_url: str | None = None):  # type: ignore[no-untyped-def]
    (tmp_path / "book.yaml").write_text(text, encoding="utf-8")
    return load_config(tmp_path / "book.yaml", base_url)


def test_valid_config_is_read(tmp_path: Path) -> None:
    config = load(tmp_path, GOOD)
    assert config.titles == {"en": "Book", "ja": "本"}
    assert config.default_language == "en"
    assert config.chapters == ("a", "b")
    assert config.base_url == "/ml4a"
    assert {slug: str(where) for slug, where in config.chapter_locations.items()} == {"a": "book.yaml:3:12", "b": "book.yaml:3:15"}
    assert config.title_for("ko") == "Book"


def test_command_line_base_url_overrides_the_file(tmp_path: Path) -> None:
    assert load(tmp_path, GOOD, base_url="").base_url == ""


@pytest.mark.parametrize("title", ["no", "3.10", "null", "yes", "1e3"])
def test_titles_stay_as_written(tmp_path: Path, title: str) -> None:
    config = load(tmp_path, f"title: {{en: {title}}}\ndefault_language: en\nchapters: [a]\n")
    assert config.titles["en"] == title


@pytest.mark.parametrize(("text", "expected"), [
    ("title: {en: B}\ndefault_language: en\nchapters: [a]\nbase_ur: /x\n",
     'book.yaml:4:1: unknown key "base_ur" in book.yaml (did you mean "base_url"?)'),
    ("title: {en: B}\ndefault_language: en\nchapters: a\n", 'book.yaml:3:11: expected a list for "chapters"'),
    ("title: B\ndefault_language: en\nchapters: [a]\n", 'book.yaml:1:8: expected a mapping (key: value) for "title"'),
    ("title: {en: B}\ndefault_language: ja\nchapters: [a]\n", 'book.yaml:2:19: no title for the default language "ja"'),
    ("title: {en: B}\ndefault_language: en\nchapters:\n  - a\n  - a\n", 'book.yaml:5:5: chapter "a" is listed twice'),
    ("title: {en: B}\ndefault_language: en\nchapters: [a/b]\n", 'book.yaml:3:12: "a/b" is not a chapter slug (letters, digits, "_", "-", ".")'),
    ("title: {en: B}\ndefault_language: en\nchapters: []\n", "book.yaml:3:11: the book has no chapters"),
    ("title: {en: B}\nchapters: [a]\n", 'book.yaml:1:1: missing required key "default_language" in book.yaml'),
    ("title: {en: B}\ndefault_language: en\nchapters: [a]\nbase_url: http://x.org/y\n",
     'book.yaml:4:11: base URL "http://x.org/y" must be a path such as /ml4a (or empty)'),
    ("title: {en: B\n", "book.yaml:1:8: invalid YAML: expected ',' or '}', but got '<stream end>' while parsing a flow mapping"),
    ("title: {en: B}\ntitle: {en: C}\n", 'book.yaml:2:1: duplicate key "title"'),
])
def test_mistakes_name_the_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises((SourceError, BuildErrors)) as caught:
        load(tmp_path, text)
    error = caught.value
    first = error.errors[0] if isinstance(error, BuildErrors) else error
    assert first.headline() == expected


def test_missing_book_yaml_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_config(tmp_path / "book.yaml")


@pytest.mark.parametrize(("given", "expected"), [
    ("", ""), ("/", ""), ("ml4a", "/ml4a"), ("/ml4a/", "/ml4a"), ("/a/b", "/a/b"), (" /x ", "/x"),
])
def test_base_url_is_normalized(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize("given", ["https://x.org", "//cdn/x", "/a b", "/x?y", "/x#y"])
def test_base_url_must_be_a_path(given: str) -> None:
    with pytest.raises(UsageError):
        normalize_base_url(given)
