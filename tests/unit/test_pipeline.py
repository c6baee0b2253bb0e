"""Whole builds of a tiny book: pages, links, languages, atomicity, determinism, workers."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitebook import REPO, book_files, read_tree, write_book

from textbook.pipeline import BuildOptions, BuildReport, build


def run(root: Path, out: Path | None = None, **options: object) -> BuildReport:
    return build(BuildOptions(root, out or root / "_site", **options))  # type: ignore[arg-type]


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    root = write_book(tmp_path / "book")
    report = run(root)
    assert report.errors == () and report.warnings == ()
    return root / "_site"


def test_pages_are_where_the_urls_say(built: Path) -> None:
    assert sorted(p for p in read_tree(built) if p.endswith(".html")) == [
        "index.html", "intro/index.html", "ja/index.html", "ja/intro/index.html", "ja/second/index.html",
        "second/index.html",
    ]
    assert (built / "assets" / "style.css").is_file()
    assert (built / "images" / "dot.png").is_file()


def test_translated_page_has_lang_switcher_alternates_and_translator(built: Path) -> None:
    html = (built / "ja" / "intro" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja" dir="ltr">' in html
    assert '<link rel="alternate" hreflang="en" href="/intro/">' in html
    assert '<link rel="alternate" hreflang="ja" href="/ja/intro/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="/intro/">' in html
    assert '<a href="/intro/" hreflang="en" lang="en">English</a>' in html
    assert '<span aria-current="page" lang="ja">日本語</span>' in html
    assert 'EN-translated_by: <a href="https://example.org/t">翻訳者</a>' in html  # UI fallback to English
    assert '<span class="label">次の章</span> <span class="title" lang="en">The second chapter</span>' in html
    assert '<a href="/second/">第二章</a>' in html  # not translated: the English chapter


def test_default_page_links_and_contents(built: Path) -> None:
    html = (built / "intro" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/second/">the second chapter</a>' in html
    assert '<img alt="a picture" src="/images/dot.png"' in html or 'src="/images/dot.png"' in html
    assert '<a href="#first-part">First part</a>' in html
    assert "<math" in html and "<title>Introduction · Tiny book</title>" in html
    second = (built / "second" / "index.html").read_text(encoding="utf-8")
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # only English has it: Japanese is in the switcher, marked as not translated
    assert '<li class="untranslated"><a href="/ja/second/" title="EN-not_translated">' in second
    assert 'hreflang="ja"' not in second


def test_home_pages_list_chapters_in_order_with_fallbacks(built: Path) -> None:
    ja = (built / "ja" / "index.html").read_text(encoding="utf-8")
    assert ja.index('href="/ja/intro/"') < ja.index('<li class="untranslated"><a href="/ja/second/"><span lang="en">The second chapter</span>')
    assert "<h1 class=\"book-title\">小さな本</h1>" in ja


def test_base_url_is_applied_once_everywhere(tmp_path: Path) -> None:
    root = write_book(tmp_path / "book")
    assert run(root, base_url="/ml4a/").is_written
    html = (root / "_site" / "ja" / "intro" / "index.html").read_text(encoding="utf-8")
    assert 'href="/ml4a/assets/style.css"' in html
    assert 'href="/ml4a/second/"' in html and 'href="/ml4a/intro/"' in html
    assert "/ml4a/ml4a" not in html
    assert (root / "_site" / "ja" / "intro" / "index.html").is_file()  # files stay at the site's root


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    root = write_book(tmp_path / "book")
    run(root, tmp_path / "a")
    run(root, tmp_path / "b")
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")


def test_a_failed_build_leaves_the_previous_output_byte_identical(tmp_path: Path) -> None:
    root = write_book(tmp_path / "book")
    assert run(root).is_written
    before = read_tree(root / "_site")
    (root / "chapters" / "en" / "second.md").write_text("---\ntitle: x\n---\n{% include nope.html %}\n")
    (root / "chapters" / "ja" / "intro.md").write_text("---\ntitle: [x\n---\n")
    report = run(root)
    assert not report.is_written
    assert [str(e.location) for e in report.errors] == ["chapters/en/second.md:4:12", "chapters/ja/intro.md:2:8"]
    assert read_tree(root / "_site") == before


def test_strict_build_fails_on_warnings_without_writing(tmp_path: Path) -> None:
    root = write_book(tmp_path / "book", {**book_files(), "chapters/en/extra.md": "---\ntitle: x\n---\n"})
    assert not run(root, is_strict=True).is_written
    assert not (root / "_site").exists()
    report = run(root)
    assert report.is_written and len(report.warnings) == 1


def test_worker_processes_give_the_same_site(tmp_path: Path) -> None:
    slugs = [f"c{i:02d}" for i in range(30)]
    files = {**book_files(), "book.yaml": f"title: {{en: B}}\ndefault_language: en\nchapters: [{', '.join(slugs)}]\n"}
    for slug in slugs:
        files[f"chapters/en/{slug}.md"] = f"---\ntitle: Chapter {slug}\n---\n\n## Part {slug}\n\nSee [next](/c00/).\n"
        files[f"chapters/ja/{slug}.md"] = f"---\ntitle: 章 {slug}\n---\n\n本文 $$x_{{{slug[1:]}}}$$\n"
    root = write_book(tmp_path / "book", files)
    serial, parallel = run(root, tmp_path / "one", jobs=1), run(root, tmp_path / "two", jobs=2)
    assert serial.is_written and parallel.is_written and len(parallel.pages) == 62
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


def test_errors_from_worker_processes_are_reported(tmp_path: Path) -> None:
    slugs = [f"c{i:02d}" for i in range(30)]
    files = {**book_files(), "book.yaml": f"title: {{en: B}}\ndefault_language: en\nchapters: [{', '.join(slugs)}]\n"}
    for slug in slugs:
        files[f"chapters/en/{slug}.md"] = f"---\ntitle: {slug}\n---\n\n{{% include figure.html caption=\"x\" %}}\n"
    report = run(write_book(tmp_path / "book", files), jobs=2)
    assert len(report.errors) == 30
    assert report.errors[0].headline() == 'chapters/en/c00.md:5:1: figure.html needs path="..." (an image) or webm="..." (a video)'


def test_pages_know_their_sources(tmp_path: Path) -> None:
    root = write_book(tmp_path / "book")
    report = run(root)
    page = next(p for p in report.pages if p.out_path == "ja/intro/index.html")
    sources = {s.as_posix() for s in page.sources}
    assert {"chapters/ja/intro.md", "chapters/en/intro.md", "chapters/en/second.md", "book.yaml",
            "chapters/ja/_language.yaml", "templates/layouts/chapter.html"} <= sources


def test_the_real_book_builds_without_errors_or_warnings(tmp_path: Path) -> None:
    root = tmp_path / "book"
    for name in ("chapters", "templates", "images", "demos"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "book.yaml", root / "book.yaml")
    report = run(root)
    assert [e.format(root) for e in report.errors + report.warnings] == []
    assert report.is_written and (root / "_site" / "ja" / "looking_inside_neural_nets" / "index.html").is_file()


def test_a_chapter_cannot_use_the_site_layouts(tmp_path: Path) -> None:
    files = {**book_files(), "chapters/en/second.md": "---\ntitle: x\nlayout: home\n---\n"}
    report = run(write_book(tmp_path / "book", files))
    assert [e.headline() for e in report.errors] == [
        'chapters/en/second.md:3:9: layout "home" is for the site\'s own pages (chapter layouts: chapter)']
