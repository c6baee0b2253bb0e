"""Languages: codes, directions, UI strings falling back to the default language."""
from __future__ import annotations

from pathlib import Path

import pytest
from sitebook import book_files, write_book

from textbook.config import load_config
from textbook.errors import BuildErrors, SourceError
from textbook.i18n import check_ui_strings, load_languages
from textbook.model import Language


def languages(tmp_path: Path) -> tuple[Language, ...]:
    root = write_book(tmp_path, book_files(), with_templates=False)
    return load_languages(root, load_config(root / "book.yaml"))


def first_error(tmp_path: Path, files: dict[str, str]) -> str:
    root = write_book(tmp_path, {**book_files(), **files}, with_templates=False)
    with pytest.raises((SourceError, BuildErrors)) as caught:
        load_languages(root, load_config(root / "book.yaml"))
    error = caught.value
    return (error.errors[0] if isinstance(error, BuildErrors) else error).headline()


def test_default_language_first_and_fallbacks(tmp_path: Path) -> None:
    en, ja = languages(tmp_path)
    assert (en.folder, ja.folder) == ("en", "ja")
    assert ja.code == "ja" and ja.direction == "ltr" and ja.name == "日本語"
    assert ja.ui["contents"] == "目次"
    assert ja.ui["translated_by"] == "EN-translated_by"  # falls back to English
    assert "translated_by" in ja.missing_ui and "contents" not in ja.missing_ui
    assert en.missing_ui == ()


def test_demo_strings_fall_back_key_by_key(tmp_path: Path) -> None:
    _, ja = languages(tmp_path)
    assert ja.demo == {"actual": "実際", "predicted": "Predicted"}


@pytest.mark.parametrize(("text", "code", "direction"), [
    ("name: 中文\ncode: zh-Hans\n", "zh-Hans", "ltr"),
    ("name: עברית\ndirection: rtl\n", "ja", "rtl"),
])
def test_code_and_direction(tmp_path: Path, text: str, code: str, direction: str) -> None:
    root = write_book(tmp_path, {**book_files(), "chapters/ja/_language.yaml": text}, with_templates=False)
    ja = load_languages(root, load_config(root / "book.yaml"))[1]
    assert (ja.code, ja.direction) == (code, direction)


def test_ui_strings_stay_as_written(tmp_path: Path) -> None:
    root = write_book(tmp_path, {**book_files(), "chapters/ja/_language.yaml": "name: no\nui:\n  home: yes\n"}, with_templates=False)
    ja = load_languages(root, load_config(root / "book.yaml"))[1]
    assert (ja.name, ja.ui["home"]) == ("no", "yes")


@pytest.mark.parametrize(("files", "expected"), [
    ({"chapters/ja/_language.yaml": "name: x\ndirection: up\n"}, 'chapters/ja/_language.yaml:2:12: direction must be "ltr" or "rtl", not "up"'),
    ({"chapters/ja/_language.yaml": "name: x\ncode: ja_JP\n"}, 'chapters/ja/_language.yaml:2:7: "ja_JP" is not a BCP 47 language code (such as ja or zh-Hans)'),
    ({"chapters/ja/_language.yaml": "nam: x\n"}, 'chapters/ja/_language.yaml:1:1: unknown key "nam" in _language.yaml (did you mean "name"?)'),
    ({"chapters/ja/_language.yaml": "ui: {}\n"}, 'chapters/ja/_language.yaml:1:1: missing required key "name" in _language.yaml'),
    ({"chapters/ja/_language.yaml": "name: x\ncode: en\n"},
     'chapters/ja/_language.yaml:2:1: language code "en" is also used by chapters/en/_language.yaml ("en") '
     "(language codes ignore case; give each folder its own language)"),
    ({"chapters/ja/_language.yaml": "name: x\ncode: EN\n"},
     'chapters/ja/_language.yaml:2:1: language code "EN" is also used by chapters/en/_language.yaml ("en") '
     "(language codes ignore case; give each folder its own language)"),
    ({"chapters/EN/_language.yaml": "name: x\n"},
     "chapters/en/_language.yaml:1:1: language folder chapters/en/ differs from chapters/EN/_language.yaml only in case "
     "(merge them into one folder)"),
    ({"chapters/ja/_language.yaml": "name: x\nui:\n  untranslated_notice: 'Not yet in {lang}.'\n"},
     'chapters/ja/_language.yaml:3:24: unknown placeholder "{lang}" in ui.untranslated_notice (it takes {language})'),
    ({"chapters/ja/_language.yaml": "name: x\nui:\n  home: '{language} home'\n"},
     'chapters/ja/_language.yaml:3:9: unknown placeholder "{language}" in ui.home (it takes no placeholder)'),
    ({"chapters/ko/x.md": "---\ntitle: x\n---\n"}, "chapters/ko:1:1: language folder has no _language.yaml (copy one from another language)"),
    ({"chapters/en/_language.yaml": "name: English\nui:\n  home: Home\n"}, "chapters/en/_language.yaml:1:1: the default language must define every UI string; missing: chapters, contents, further_reading, interactive_demo, languages, next_chapter, not_translated, outdated_notice, previous_chapter, read_original, skip_to_content, todo, translated_by, untranslated_notice"),
])
def test_language_file_mistakes(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    assert first_error(tmp_path, files) == expected


def test_unknown_ui_string_in_a_translation_is_a_warning(tmp_path: Path) -> None:
    root = write_book(tmp_path, {**book_files(), "chapters/ja/_language.yaml": "name: x\nui:\n  contents: 目次\n  contnets: x\n"}, with_templates=False)
    found = load_languages(root, load_config(root / "book.yaml"))
    warnings = check_ui_strings(root, found)
    assert [w.headline() for w in warnings] == ['chapters/ja/_language.yaml:4:1: unknown UI string "contnets" (the default language does not define it)']

