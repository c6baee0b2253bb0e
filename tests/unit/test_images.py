"""Root-relative images a chapter names must exist in images/: a warning otherwise, so --strict fails."""
from __future__ import annotations

from pathlib import Path

from sitebook import book_files, write_book

from textbook.images import image_references
from textbook.pipeline import BuildOptions, build

CHAPTER = """---
title: Pictures
header_image: /images/header.png
---

![a dot](/images/dot.png) and ![gone](/images/gone.png "title")

{% include figure.html path="/images/figures/x.png" caption="X" %}

`![in code](/images/code.png)`

```
<img src="/images/fenced.png">
```
"""


def test_missing_images_are_warnings_at_their_reference(tmp_path: Path) -> None:
    root = write_book(tmp_path / "book", {**book_files(), "chapters/en/second.md": CHAPTER})
    report = build(BuildOptions(root, tmp_path / "site"))
    assert report.is_written
    assert [w.headline() for w in report.warnings] == [
        "chapters/en/second.md:3:1: header_image /images/header.png not found (expected images/header.png)",
        "chapters/en/second.md:6:39: image /images/gone.png not found (expected images/gone.png)",
        "chapters/en/second.md:8:30: image /images/figures/x.png not found (expected images/figures/x.png)",
    ]
    assert not build(BuildOptions(root, tmp_path / "strict", is_strict=True)).is_written


def test_references_skip_code_spans() -> None:
    body = 'x <img src="/images/a.png"> `path="/images/b.png"` ![c](</images/c.png>)\n'
    assert [url for _, url in image_references(body)] == ["/images/a.png", "/images/c.png"]


def test_a_language_shows_its_own_version_of_an_image(tmp_path: Path) -> None:
    files = book_files()
    files["chapters/en/second.md"] += "\n![a dot](/images/dot.png)\n"
    files["chapters/ja/intro.md"] = ("---\ntitle: はじめに\nheader_image: /images/dot.png\n---\n\n"
                                     "![点](/images/dot.png) と ![絵](/images/plain.png)\n")
    root = write_book(tmp_path / "book", files)
    (root / "images/dot.ja.png").write_bytes(b"\x89PNG\r\n\x1a\nja")
    (root / "images/plain.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "images/plain.fr.png").write_bytes(b"\x89PNG\r\n\x1a\nfr")  # no fr folder: an ordinary file
    site = tmp_path / "site"
    report = build(BuildOptions(root, site, is_strict=True))
    assert report.is_written, report.errors
    html = {page.out_path: page.html for page in report.pages}
    assert 'src="/images/dot.ja.png"' in html["ja/intro/index.html"]
    assert html["ja/intro/index.html"].count("/images/dot.ja.png") == 2  # the header too
    assert 'src="/images/plain.png"' in html["ja/intro/index.html"]
    assert "dot.ja.png" not in html["intro/index.html"] + html["second/index.html"]
    assert "dot.ja.png" not in html["ja/second/index.html"]  # the English text, so the English figure
    assert (site / "images/dot.ja.png").read_bytes().endswith(b"ja")
