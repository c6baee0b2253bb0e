"""The writer replaces the output folder whole, or not at all."""
from __future__ import annotations

from pathlib import Path

import pytest
from sitebook import read_tree

from textbook.errors import UsageError
from textbook.model import Page
from textbook.writer import MARKER, Asset, check_out_dir, write_site


def pages(text: str) -> list[Page]:
    return [Page("index.html", "/", f"<p>{text}</p>"), Page("ja/a/index.html", "/ja/a/", "<p>あ</p>")]


def test_write_creates_the_site_with_its_marker(tmp_path: Path) -> None:
    asset = tmp_path / "logo.png"
    asset.write_bytes(b"png")
    write_site(pages("one"), [Asset(asset, "images/logo.png")], tmp_path / "out")
    assert read_tree(tmp_path / "out") == {
        MARKER: (tmp_path / "out" / MARKER).read_bytes(),
        "images/logo.png": b"png",
        "index.html": b"<p>one</p>",
        "ja/a/index.html": "<p>あ</p>".encode(),
    }


def test_rewrite_replaces_everything_and_leaves_no_temporary_folders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(pages("one") + [Page("old/index.html", "/old/", "old")], [], out)
    write_site(pages("two"), [], out)
    assert sorted(read_tree(out)) == [MARKER, "index.html", "ja/a/index.html"]
    assert (out / "index.html").read_text() == "<p>two</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failure_while_writing_leaves_the_old_site_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(pages("one"), [], out)
    before = read_tree(out)
    with pytest.raises(FileNotFoundError):
        write_site(pages("two"), [Asset(tmp_path / "missing.png", "images/missing.png")], out)
    assert read_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("out", [".", "..", "chapters/site", "templates"])
def test_refuses_to_write_over_the_book(tmp_path: Path, out: str) -> None:
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    with pytest.raises(UsageError):
        check_out_dir(book, book / out)


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="not built by this tool"):
        check_out_dir(tmp_path / "book", tmp_path / "docs")


@pytest.mark.parametrize("prepare", ["missing", "empty", "built"])
def test_accepts_new_empty_or_previously_built_folders(tmp_path: Path, prepare: str) -> None:
    out = tmp_path / "site"
    if prepare != "missing":
        out.mkdir()
    if prepare == "built":
        (out / MARKER).write_text("x")
        (out / "index.html").write_text("x")
    check_out_dir(tmp_path / "book", out)
