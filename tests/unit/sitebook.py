"""A tiny book written into tmp_path for the site-side tests (the repository's templates, our own text)."""
from __future__ import annotations

import shutil
from pathlib import Path

from textbook.i18n import UI_KEYS

REPO = Path(__file__).resolve().parents[2]

BOOK_YAML = """\
title:
  en: Tiny book
  ja: 小さな本
default_language: en
chapters: [intro, second]
base_url: ""
"""

EN_UI = "\n".join(f"  {key}: EN-{key}" for key in UI_KEYS)
EN_LANGUAGE = f"name: English\ncode: en\ndirection: ltr\nui:\n{EN_UI}\ndemo:\n  actual: Actual\n  predicted: Predicted\n"
JA_LANGUAGE = "name: 日本語\nui:\n  contents: 目次\n  next_chapter: 次の章\ndemo:\n  actual: 実際\n"

INTRO_EN = """\
---
title: Introduction
---

Hello. See [the second chapter](/second/) and ![a picture](/images/dot.png).

## First part

Some $$x^2$$ math.
"""

SECOND_EN = """\
---
layout: chapter
title: The second chapter
translator: Nobody
---

## Only part

Back to [the intro](/intro/#first-part).
"""

INTRO_JA = """\
---
title: はじめに
translator: 翻訳者
translator_link: https://example.org/t
---

こんにちは。[第二章](/second/)へ。

## 最初の部分
"""


def book_files() -> dict[str, str]:
    """The files of the tiny book, by path relative to its root."""
    return {
        "book.yaml": BOOK_YAML,
        "chapters/en/_language.yaml": EN_LANGUAGE,
        "chapters/ja/_language.yaml": JA_LANGUAGE,
        "chapters/en/intro.md": INTRO_EN,
        "chapters/en/second.md": SECOND_EN,
        "chapters/ja/intro.md": INTRO_JA,
    }


def write_book(root: Path, files: dict[str, str] | None = None, with_templates: bool = True) -> Path:
    """Write a book (the tiny one unless `files` is given) with a copy of the repository's templates."""
    root.mkdir(parents=True, exist_ok=True)
    if with_templates:
        shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
    (root / "images").mkdir(exist_ok=True)
    (root / "images" / "dot.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    for rel, text in (book_files() if files is None else files).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
