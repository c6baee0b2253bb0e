"""The link checker on a planted site: each problem found, and reported where it was written."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from textbook.check import check_site, missing_demo_files, page_url
from textbook.cli import main
from textbook.htmlrefs import read_page_refs
from textbook.i18n import UI_KEYS
from textbook.locate import PageOrigin, origin_of_page, positions_of, url_spellings

EN_CHAPTER = """\
---
title: Intro
---
See [the Japanese page](/ja/intro/#summary) and [convnets](/convnets/).
Jump to [a missing section](#missing), or [one that exists](#top-section).

{% include figure.html path="/images/nope.png" caption="gone" %}
{% include figure.html path="/images/ok.png" caption="here" %}
Written with the base: <a href="/ml4a/images/ok.png">ok</a>; too far up: ![raw](../../../images/ok.png)
{% include demo_insert.html path="/demos/d/" parent_div="post" %}
Elsewhere: [example](https://example.com/a) and [mail](mailto:someone@example.com).
"""

JA_CHAPTER = """\
---
title: はじめに
---
## まとめ {#summary}
[畳み込み](/convnets/)と[古いリンク](/jp/convnets/)。
"""

LAYOUT = """<html><body>
<nav><a href="{{ base_url }}/">home</a> <a href="{{ base_url }}/about/">about</a></nav>
{{ content }}
</body></html>
"""

EN_PAGE = """<html><body>
<nav><a href="/ml4a/">home</a> <a href="/ml4a/about/">about</a></nav>
<h1 id="top-section">Intro</h1>
<p>See <a href="/ml4a/ja/intro/#summary">the Japanese page</a> and <a href="/ml4a/convnets/">convnets</a>.
Jump to <a href="#missing">a missing section</a>, or <a href="#top-section">one that exists</a>.</p>
<figure><img src="/ml4a/images/nope.png" alt=""><figcaption>gone</figcaption></figure>
<figure><img src="/ml4a/images/ok.png"
   srcset="/ml4a/images/ok.png 1x, /ml4a/images/ok@2x.png 2x" alt=""><figcaption>here</figcaption></figure>
<p>Written with the base: <a href="/ml4a/images/ok.png">ok</a>; too far up: <img src="../../../images/ok.png" alt="raw"></p>
<div class="demo" data-demo="d" data-base="/ml4a/demos/d/"></div>
<link rel="stylesheet" href="/ml4a/demos/d/missing.css">
<script type="module" src="/ml4a/demos/d/demo.js"></script>
<p>Elsewhere: <a href="https://example.com/a">example</a> and <a href="mailto:someone@example.com">mail</a>.</p>
</body></html>
"""

JA_PAGE = """<html><body>
<nav><a href="/ml4a/">home</a> <a href="/ml4a/about/">about</a></nav>
<h2 id="summary">まとめ</h2>
<p><a href="/ml4a/ja/convnets/">畳み込み</a>と<a href="/ml4a/jp/convnets/">古いリンク</a>。</p>
</body></html>
"""

HOME_PAGE = '<html><body><a href="/ml4a/intro/">Intro</a> <a href="/ml4a/gone/">gone</a></body></html>'
MISSING_PAGE = '<html><body>\n<p>Lost? <img\n  src="/ml4a/images/404.png"></p></body></html>'


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    """A book's sources and a site built from them, with problems planted in both."""
    book, site = tmp_path / "book", tmp_path / "site"
    write(book, {"chapters/en/intro.md": EN_CHAPTER, "chapters/ja/intro.md": JA_CHAPTER,
                 "templates/layouts/chapter.html": LAYOUT,
                 "templates/layouts/home.html": "<html>{{ chapters }}</html>\n"})
    write(site, {"intro/index.html": EN_PAGE, "ja/intro/index.html": JA_PAGE,
                 "index.html": HOME_PAGE, "404.html": MISSING_PAGE, "images/ok.png": "png",
                 "demos/d/demo.js": 'import { start } from "../_shared/common.js";\n',
                 "demos/_shared/common.js": 'fetch(new URL("data.json", base));\n',
                 "demos/d/data.json": '{"sprite": {"file": "sprite.png", "tile": 28}}'})
    return book, site


ORIGINS = {
    "intro/index.html": PageOrigin(Path("chapters/en/intro.md"), (Path("templates/layouts/chapter.html"),),
                                   language="en"),
    "ja/intro/index.html": PageOrigin(Path("chapters/ja/intro.md"), (Path("templates/layouts/chapter.html"),),
                                      language="ja"),
    "index.html": PageOrigin(None, (Path("templates/layouts/home.html"),)),
}

EXPECTED = [
    "_site/404.html:3:8: image /ml4a/images/404.png does not resolve (no file \"images/404.png\" in the site)",
    "chapters/en/intro.md:10:35: demo /ml4a/demos/d/ lacks sprite.png",
    ("chapters/en/intro.md:10:35: stylesheet /ml4a/demos/d/missing.css does not resolve "
    "(no file \"demos/d/missing.css\" in the site)"),
    "chapters/en/intro.md:4:60: link to /ml4a/convnets/ does not resolve (no chapter \"convnets\")",
    "chapters/en/intro.md:5:29: link to #missing: no anchor \"#missing\" on /ml4a/intro/",
    ("chapters/en/intro.md:7:30: image /ml4a/images/nope.png does not resolve "
    "(no file \"images/nope.png\" in the site)"),
    # written by an include template, not found as such in the chapter: the chapter's first line
    ("chapters/en/intro.md:1:1: image /ml4a/images/ok@2x.png does not resolve "
    "(no file \"images/ok@2x.png\" in the site)"),
    ("chapters/en/intro.md:9:81: image ../../../images/ok.png does not resolve "
    "(outside the base URL \"/ml4a\")"),
    "chapters/ja/intro.md:5:8: link to /ml4a/ja/convnets/ does not resolve (no chapter \"convnets\")",
    "chapters/ja/intro.md:5:28: link to /ml4a/jp/convnets/ does not resolve (no chapter \"convnets\")",
    "templates/layouts/chapter.html:2:64: link to /ml4a/about/ does not resolve (no chapter \"about\")",
    "templates/layouts/home.html:1:1: link to /ml4a/gone/ does not resolve (no chapter \"gone\")",
]


def test_every_planted_problem_is_found_at_its_source(planted: tuple[Path, Path]) -> None:
    book, site = planted
    report = check_site(site, "/ml4a", ORIGINS, book, site_label=Path("_site"))
    assert sorted(str(problem) for problem in report.problems) == sorted(EXPECTED)
    assert report.page_count == 4


def test_external_links_are_listed_not_checked(planted: tuple[Path, Path]) -> None:
    book, site = planted
    report = check_site(site, "/ml4a", ORIGINS, book)
    assert [(str(link.location), link.url) for link in report.external] == [
        ("chapters/en/intro.md:11:22", "https://example.com/a"),
        ("chapters/en/intro.md:11:56", "mailto:someone@example.com"),
    ]


def test_a_clean_site_has_no_problems(planted: tuple[Path, Path]) -> None:
    book, site = planted
    (site / "index.html").write_text('<a href="intro/">Intro</a> <a href="./">me</a>')
    for page in ("intro/index.html", "ja/intro/index.html", "404.html"):
        (site / page).unlink()
    assert check_site(site, "/ml4a", {}, book).problems == ()


@pytest.mark.parametrize(("base_url", "href", "has_problem"), [
    ("", "/intro/", False),
    ("", "intro/", False),
    ("", "intro", False),  # a folder: the server redirects to intro/
    ("", "/intro/index.html#top-section", False),
    ("", "/intro/#top", False),
    ("", "/intro/#", False),
    ("", "/intro/#nope", True),
    ("", "/ja/intro/#%E3%81%BE", True),
    ("", "../../x/", True),
    ("", "/images/ok.png?v=2", False),
    ("", "/images/ok.png#frag", False),
    ("", "data:image/png;base64,AAAA", False),
    ("", "javascript:void(0)", False),
    ("", "//cdn.example.com/x.js", False),
    ("/ml4a", "/ml4a/intro/", False),
    ("/ml4a/", "/ml4a/intro/", False),
    ("/ml4a", "/intro/", True),
    ("/ml4a", "/ml4abc/intro/", True),
    ("/ml4a", "../../../intro/", True),
])
def test_single_links(tmp_path: Path, base_url: str, href: str, has_problem: bool) -> None:
    write(tmp_path, {"index.html": f'<a href="{href}">x</a>', "images/ok.png": "png",
                     "intro/index.html": '<h1 id="top-section">x</h1>',
                     "ja/intro/index.html": '<h1 id="summary">x</h1>'})
    report = check_site(tmp_path, base_url, {}, tmp_path)
    assert bool(report.problems) == has_problem, report.problems


def test_anchor_from_a_name_counts(tmp_path: Path) -> None:
    write(tmp_path, {"index.html": '<a name="old"></a><a href="#old">x</a>'})
    assert check_site(tmp_path, "", {}, tmp_path).problems == ()


def test_reference_positions_in_the_built_page() -> None:
    refs = read_page_refs('<p>\n  <img alt="x"\n    src="a.png"><a href=b.html id="z">\n</p>')
    assert [(r.kind, r.url, r.line, r.column) for r in refs.references] == [
        ("image", "a.png", 3, 10), ("link to", "b.html", 3, 25)]
    assert refs.anchors == {"z"}


@pytest.mark.parametrize(("html", "kinds"), [
    ('<link rel="stylesheet" href="s.css">', ["stylesheet"]),
    ('<link rel="preconnect" href="https://x">', []),
    ('<link rel="alternate" hreflang="ja" href="/ja/">', ["link to"]),
    ('<script src="a.js"></script>', ["script"]),
    ('<video src="v.webm" poster="p.png"></video>', ["media", "image"]),
    ('<source srcset="a.png 1x, b.png 2x">', ["image", "image"]),
    ('<div data-base="/demos/x/"></div>', ["demo"]),
    ('<a>no href</a>', []),
])
def test_reference_kinds(html: str, kinds: list[str]) -> None:
    assert [r.kind for r in read_page_refs(html).references] == kinds


@pytest.mark.parametrize(("url", "base_url", "language", "expected_first"), [
    ("/ml4a/ja/x/#a", "/ml4a", "ja", ["/ml4a/ja/x/#a", "/ml4a/ja/x/", "/ml4a/ja/x", "/ja/x/#a",
                                      "/ja/x/", "/ja/x", "/x/#a", "/x/", "/x"]),
    ("/ml4a/demos/d/demo.js", "/ml4a", None, ["/ml4a/demos/d/demo.js", "/demos/d/demo.js",
                                               "/demos/d/", "/demos/d"]),
    ("/demos/d/demo.js", "", None, ["/demos/d/demo.js", "/demos/d/", "/demos/d"]),
    ("#sec", "", None, ["#sec"]),
])
def test_url_spellings(url: str, base_url: str, language: str | None,
                       expected_first: list[str]) -> None:
    assert url_spellings(url, base_url, language) == expected_first


def test_positions_of() -> None:
    assert positions_of("ab\ncab\nab", "ab") == [(1, 1), (2, 2), (3, 1)]


@pytest.mark.parametrize(("out_path", "base_url", "expected"), [
    ("index.html", "", "/"), ("ja/x/index.html", "/ml4a", "/ml4a/ja/x/"),
    ("404.html", "/ml4a", "/ml4a/404.html"),
])
def test_page_url(out_path: str, base_url: str, expected: str) -> None:
    assert page_url(out_path, base_url) == expected


SOURCES = (Path("book.yaml"), Path("chapters/en/x.md"), Path("chapters/ja/_language.yaml"),
           Path("chapters/ja/x.md"), Path("demos/x/demo.yaml"), Path("templates/includes/figure.html"),
           Path("templates/layouts/base.html"), Path("templates/layouts/chapter.html"),
           Path("templates/layouts/demo.html"), Path("templates/layouts/home.html"),
           Path("templates/static/style.css"))


@pytest.mark.parametrize(("out_path", "chapter", "first_template"), [
    ("ja/x/index.html", "chapters/ja/x.md", "templates/layouts/chapter.html"),
    ("x/index.html", "chapters/en/x.md", "templates/layouts/chapter.html"),
    ("ja/index.html", None, "templates/layouts/home.html"),
    ("index.html", None, "templates/layouts/home.html"),
    ("demos/x/index.html", None, "demos/x/demo.yaml"),
    ("ko/x/index.html", "chapters/en/x.md", "templates/layouts/chapter.html"),  # a fallback page
    ("ko/y/index.html", None, "templates/layouts/home.html"),
])
def test_origin_of_page(out_path: str, chapter: str | None, first_template: str) -> None:
    origin = origin_of_page(out_path, SOURCES, "en")
    assert origin.chapter == (None if chapter is None else Path(chapter))
    assert origin.files[0] == Path(first_template)
    assert Path("templates/includes/figure.html") == origin.files[-1]
    assert Path("templates/static/style.css") not in origin.files


def test_missing_demo_files_follow_imports_and_data(tmp_path: Path) -> None:
    write(tmp_path, {"d/demo.js": 'import "./a.js"; import { x } from "../shared/s.js";',
                     "d/a.js": 'const f = "weights.bin";',
                     "shared/s.js": 'import("./t.js"); load("data.json");',
                     "shared/t.js": 'new URL("extra.png", base)',
                     "d/data.json": '{"layers": [{"file": "l0.png"}], "file": "top.png"}',
                     "d/top.png": "x"})
    assert missing_demo_files(tmp_path / "d") == ["extra.png", "l0.png", "weights.bin"]


REPO = Path(__file__).resolve().parents[2]


def write_book(root: Path, intro: str) -> Path:
    """A two-chapter book with the repository's templates, served under /tiny."""
    shutil.copytree(REPO / "templates", root / "templates")
    ui = "".join(f"  {key}: {key}\n" for key in UI_KEYS)
    write(root, {"book.yaml": "title:\n  en: Tiny\ndefault_language: en\nchapters: [intro, next]\n"
                              "base_url: /tiny\n",
                 "chapters/en/_language.yaml": f"name: English\nui:\n{ui}",
                 "chapters/en/intro.md": intro,
                 "chapters/en/next.md": "---\ntitle: Next\n---\n## Part\n\nBack [home](/intro/).\n"})
    return root


BROKEN_INTRO = "---\ntitle: Intro\n---\nGo [next](/next/#part) or [away](/nope/).\n\nSee [x](https://example.com/).\n"


def test_check_command_reports_at_the_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = write_book(tmp_path / "book", BROKEN_INTRO)
    assert main(["check", "--root", str(book), "--list-external"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines()[0] == 'chapters/en/intro.md:4:34: link to /tiny/nope/ does not resolve (no chapter "nope")'
    assert "chapters/en/intro.md:6:9: external link https://example.com/" in out.splitlines()
    assert not (book / "_site").exists()  # check builds into a temporary folder


def test_check_command_passes_a_clean_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = write_book(tmp_path / "book", BROKEN_INTRO.replace("/nope/", "/next/#part"))
    assert main(["check", "--root", str(book), "--base-url", ""]) == 0
    assert "0 problem(s)" in capsys.readouterr().out


def test_check_command_stops_when_the_book_does_not_build(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    book = write_book(tmp_path / "book", BROKEN_INTRO + '{% include nope.html %}\n')
    assert main(["check", "--root", str(book)]) == 1
    assert "Check stopped: the book does not build." in capsys.readouterr().err


def test_our_own_book_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--root", str(REPO), "--base-url", "/ml4a"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    assert " 0 problem(s)" in out


@pytest.mark.parametrize("base_url", ["", "/tiny"])
def test_a_problem_on_fallback_pages_is_reported_once_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   base_url: str) -> None:
    book = write_book(tmp_path / "book", "---\ntitle: Intro\n---\nText.\n")
    translated = "---\ntitle: Intro\n---\nTexto.\n"
    write(book, {"chapters/es/_language.yaml": "name: Español\n", "chapters/ko/_language.yaml": "name: 한국어\n",
                 "chapters/es/intro.md": translated, "chapters/ko/intro.md": translated,  # next.md: fallback pages
                 "chapters/en/next.md": "---\ntitle: Next\n---\n## Part\n\nBack [home](/intro/#nowhere) or [here](#gone).\n"})
    assert main(["check", "--root", str(book), "--base-url", base_url]) == 1
    problems = [line for line in capsys.readouterr().err.splitlines() if line.startswith("chapters/")]
    assert problems == [f'chapters/en/next.md:6:13: link to {base_url}/intro/#nowhere: no anchor "#nowhere" on {base_url}/intro/',
                        f'chapters/en/next.md:6:40: link to #gone: no anchor "#gone" on {base_url}/next/']
