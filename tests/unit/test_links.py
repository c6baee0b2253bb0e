"""Root-relative links: the base URL once, chapter links to the page's language when it exists."""
from __future__ import annotations

import dataclasses

import pytest

from textbook.links import (
    LinkMap,
    chapter_url,
    home_url,
    out_path,
    resolve_url,
    rewrite_links,
)


def link_map(base_url: str) -> LinkMap:
    folders = {"en": "en", "ja": "ja", "zh-Hans": "cn", "cn": "cn"}
    chapters = frozenset({("a", "en"), ("a", "ja"), ("b", "en"), ("a", "cn")})
    return LinkMap(base_url, "en", tuple(sorted(folders.items())), chapters, frozenset({"a", "b"}))


@pytest.mark.parametrize(("url", "language", "expected"), [
    ("/images/x.png", "ja", "/ml4a/images/x.png"),
    ("/ml4a/images/x.png", "ja", "/ml4a/images/x.png"),  # already has the base: never twice
    ("/ml4a", "en", "/ml4a/"),
    ("/", "ja", "/ml4a/"),
    ("/a", "en", "/ml4a/a/"),
    ("/a/", "ja", "/ml4a/ja/a/"),  # same-language chapter exists
    ("/b/", "ja", "/ml4a/b/"),  # not translated: the default language's
    ("/ml4a/a/", "ja", "/ml4a/ja/a/"),
    ("/ml4a/jp/a/#part", "ja", "/ml4a/ja/a/#part"),  # unknown prefix: the page's language
    ("/ja/a/", "en", "/ml4a/ja/a/"),  # an explicit language is kept
    ("/ja/b/", "en", "/ml4a/b/"),
    ("/en/a/", "ja", "/ml4a/a/"),  # the default language lives at the root
    ("/zh-Hans/a/", "en", "/ml4a/cn/a/"),  # a BCP 47 code names its folder
    ("/a/index.html", "en", "/ml4a/a/"),
    ("/a?x=1#y", "ja", "/ml4a/ja/a/?x=1#y"),
    ("/ja", "en", "/ml4a/ja/"),
    ("/ml4a/ja/", "en", "/ml4a/ja/"),
    ("/unknown/page/", "ja", "/ml4a/unknown/page/"),
    ("/demos/d/", "ja", "/ml4a/demos/d/"),
    ("https://example.org/a", "ja", "https://example.org/a"),
    ("//cdn.example.org/a.js", "ja", "//cdn.example.org/a.js"),
    ("#section", "ja", "#section"),
    ("a/relative.png", "ja", "a/relative.png"),
    ("mailto:x@example.org", "ja", "mailto:x@example.org"),
])
def test_resolve_url_with_base(url: str, language: str, expected: str) -> None:
    assert resolve_url(url, language, link_map("/ml4a")) == expected


@pytest.mark.parametrize(("url", "language", "text_language", "expected"), [
    ("/images/f/x.png", "ja", None, "/ml4a/images/f/x.ja.png"),
    ("/ml4a/images/f/x.png#top", "ja", None, "/ml4a/images/f/x.ja.png#top"),
    ("/images/f/x.png", "en", None, "/ml4a/images/f/x.png"),
    ("/images/f/x.png", "cn", None, "/ml4a/images/f/x.png"),  # no Chinese version
    ("/images/f/x.png", "cn", "ja", "/ml4a/images/f/x.ja.png"),  # a cn page showing Japanese text
    ("/images/f/x.png", "ja", "en", "/ml4a/images/f/x.png"),  # a ja page showing the English original
    ("/images/f/y.png", "ja", None, "/ml4a/images/f/y.png"),
    ("/images/f/x.ja.png", "en", None, "/ml4a/images/f/x.ja.png"),  # named outright: kept
    ("/images/f", "ja", None, "/ml4a/images/f"),
])
def test_images_have_a_version_per_language(url: str, language: str, text_language: str | None, expected: str) -> None:
    links = dataclasses.replace(link_map("/ml4a"), localized_images=frozenset({"images/f/x.ja.png"}))
    assert resolve_url(url, language, links, text_language) == expected
    html = f'<img src="{url}" alt="x">'
    assert rewrite_links(html, language, links, text_language) == f'<img src="{expected}" alt="x">'


@pytest.mark.parametrize(("url", "language", "expected"), [
    ("/images/x.png", "ja", "/images/x.png"),
    ("/a/", "ja", "/ja/a/"),
    ("/b", "ja", "/b/"),
    ("/", "ja", "/"),
    ("/ml4a/a/", "ja", "/ja/a/"),  # a Jekyll book's own base before a chapter slug still means the chapter
    ("/ml4a/images/x.png", "ja", "/ml4a/images/x.png"),  # but is not stripped from other files
])
def test_resolve_url_at_domain_root(url: str, language: str, expected: str) -> None:
    assert resolve_url(url, language, link_map("")) == expected


@pytest.mark.parametrize(("html", "expected"), [
    ('<a href="/a/">x</a>', '<a href="/ml4a/ja/a/">x</a>'),
    ("<img src='/images/x.png' alt='a > b'>", "<img src='/ml4a/images/x.png' alt='a > b'>"),
    ("<img alt=\"x\" src=/images/x.png>", "<img alt=\"x\" src=/ml4a/images/x.png>"),
    ('<div class="demo" data-base="/demos/d/"></div>', '<div class="demo" data-base="/ml4a/demos/d/"></div>'),
    ('<video poster="/images/p.png" src="/v.webm"></video>', '<video poster="/ml4a/images/p.png" src="/ml4a/v.webm"></video>'),
    ('<A HREF="/b">x</A>', '<A HREF="/ml4a/b/">x</A>'),
    ('<code>&lt;a href="/a/"&gt;</code>', '<code>&lt;a href="/a/"&gt;</code>'),
    ('<p>href="/a/" in text</p>', '<p>href="/a/" in text</p>'),
    ('<a data-href="/a/" title="src=/x">', '<a data-href="/a/" title="src=/x">'),
    ('<a href="/a/"><img src="/images/y.png"></a>', '<a href="/ml4a/ja/a/"><img src="/ml4a/images/y.png"></a>'),
])
def test_rewrite_links_touches_only_url_attributes(html: str, expected: str) -> None:
    assert rewrite_links(html, "ja", link_map("/ml4a")) == expected


def test_rewriting_twice_changes_nothing() -> None:
    links = link_map("/ml4a")
    once = rewrite_links('<a href="/a/">x</a><img src="/images/x.png">', "ja", links)
    assert rewrite_links(once, "ja", links) == once


@pytest.mark.parametrize(("base", "language", "chapter", "home", "path"), [
    ("", "en", "/a/", "/", "a/index.html"),
    ("", "ja", "/ja/a/", "/ja/", "ja/a/index.html"),
    ("/ml4a", "en", "/ml4a/a/", "/ml4a/", "a/index.html"),
    ("/ml4a", "ja", "/ml4a/ja/a/", "/ml4a/ja/", "ja/a/index.html"),
])
def test_page_urls(base: str, language: str, chapter: str, home: str, path: str) -> None:
    links = link_map(base)
    assert chapter_url(links, language, "a") == chapter
    assert home_url(links, language) == home
    assert out_path(chapter.removeprefix(base)) == path
