"""Files that are not valid UTF-8 are SourceErrors at the bad byte, not internal errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from textbook.config import load_config
from textbook.errors import SourceError, read_source
from textbook.templates import make_environment


def test_read_source_points_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"first\nab\xffc\n")
    with pytest.raises(SourceError) as caught:
        read_source(path, Path("chapters/en/a.md"))
    assert str(caught.value) == ("chapters/en/a.md:2:3: file is not valid UTF-8 (byte 0xff) "
                                 "(save the file with the UTF-8 encoding)")


def test_read_source_keeps_valid_text(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("\ufeffé\n".encode())
    assert read_source(path, None, "utf-8-sig") == "é\n"


def test_book_yaml_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "book.yaml").write_bytes(b"title: {en: \xe9}\n")
    with pytest.raises(SourceError, match=r"^book.yaml:1:13: file is not valid UTF-8 \(byte 0xe9\)"):
        load_config(tmp_path / "book.yaml")


def test_template_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "templates" / "layouts").mkdir(parents=True)
    (tmp_path / "templates" / "layouts" / "chapter.html").write_bytes(b"<p>\n\xff</p>\n")
    with pytest.raises(SourceError, match=r"^templates/layouts/chapter.html:2:1: file is not valid UTF-8 \(byte 0xff\)"):
        make_environment(tmp_path).get_template("layouts/chapter.html")


def test_unclosed_quote_in_book_yaml_points_at_the_quote(tmp_path: Path) -> None:
    (tmp_path / "book.yaml").write_text('title:\n  en: "A book\ndefault_language: en\nchapters: [a]\n')
    with pytest.raises(SourceError, match=r"^book.yaml:2:7: invalid YAML: found unexpected end of stream while scanning"):
        load_config(tmp_path / "book.yaml")
