"""Translations in Chromium: on the real book, each language's switcher leads to the same chapter
in the other languages and an untranslated chapter shows its notice; on the translators' fixture
book (tests/golden/translations), the outdated banner shows and a right-to-left page mirrors while
its math and code stay left to right."""
from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from browsing import ROOT, Console

from textbook.cli import main

CHAPTER = "looking_inside_neural_nets"
SECTIONS = {"en": "", "ja": "ja/", "es": "es/", "ko": "ko/"}


class SilentHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without a request log."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The translators' fixture book built under /book and served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("translations") / "book"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "tests" / "golden" / "translations" / "input", root, dirs_exist_ok=True)
    out = root.parent / "site" / "book"
    assert main(["--root", str(root), "--out", str(out)]) == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(SilentHandler, directory=str(out.parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/book"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("lang", list(SECTIONS))
def test_switcher_leads_to_the_same_chapter_in_every_language(lang: str, site_url: str, make_page: Any, console: Console) -> None:
    page = make_page()
    for other, section in SECTIONS.items():
        if other == lang:
            continue
        page.goto(f"{site_url}/{SECTIONS[lang]}{CHAPTER}/")
        assert page.locator("html").get_attribute("lang") == lang
        page.locator(f'.language-switcher a[hreflang="{other}"]').click()
        page.wait_for_url(f"{site_url}/{section}{CHAPTER}/")
        assert page.locator("html").get_attribute("lang") == other
        assert page.locator(".translation-notice").count() == 0
    assert console.problems == []


@pytest.mark.parametrize("lang", ["es", "ko"])
def test_untranslated_chapter_shows_the_original_under_a_notice(lang: str, site_url: str, make_page: Any, console: Console) -> None:
    page = make_page()
    page.goto(f"{site_url}/{lang}/")
    page.locator(".chapter-list li.untranslated a").first.click()
    page.wait_for_url(f"{site_url}/{lang}/about/")
    notice = page.locator(".untranslated-notice")
    assert notice.is_visible() and page.locator("html").get_attribute("lang") == lang
    assert page.locator(".chapter-text").get_attribute("lang") == "en"
    current = page.locator(".language-switcher li.untranslated span[aria-current]")
    assert current.is_visible() and current.get_attribute("lang") == lang
    notice.locator("a").click()
    page.wait_for_url(f"{site_url}/about/")
    assert console.problems == []


def test_outdated_translation_shows_the_banner(fixture_url: str, make_page: Any, console: Console) -> None:
    page = make_page()
    page.goto(f"{fixture_url}/it/start/")
    banner = page.locator(".outdated-notice")
    assert banner.is_visible() and "English" in banner.inner_text()
    page.goto(f"{fixture_url}/fr/start/")
    assert page.locator(".outdated-notice").count() == 0
    assert console.problems == []


def test_right_to_left_page_mirrors_but_math_and_code_stay_left_to_right(fixture_url: str, make_page: Any, console: Console) -> None:
    page = make_page(width=1000)
    page.goto(f"{fixture_url}/he/maths/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    direction = "el => getComputedStyle(el).direction"
    assert page.locator("main p").first.evaluate(direction) == "rtl"
    for selector in ("math[display=inline]", "math[display=block]", "pre", "p code"):
        assert page.locator(selector).first.evaluate(direction) == "ltr", selector
    main_box = page.locator("main").bounding_box()
    title_box = page.locator("main h1").bounding_box()
    text_width = page.locator("main h1").evaluate("el => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect().left; }")
    assert title_box["x"] + title_box["width"] == pytest.approx(main_box["x"] + main_box["width"], abs=2)
    assert text_width > main_box["x"] + main_box["width"] / 2  # a short title sits on the right
    site_title = page.locator(".site-title").bounding_box()
    switcher = page.locator(".language-switcher").bounding_box()
    assert site_title["x"] > switcher["x"]  # the header mirrors: the book's title on the right
    assert console.problems == []
