"""The built Japanese chapter in Chromium: its math is rendered MathML, every image loads, and the
language switcher leads to the English page."""
from __future__ import annotations

from typing import Any

from browsing import Console

CHAPTER = "looking_inside_neural_nets"


def scroll_through(page: Any) -> None:
    """Scroll to the bottom step by step, so lazily loaded images and demos load too."""
    height = page.evaluate("document.scrollingElement.scrollHeight")
    for y in range(0, height, 700):
        page.evaluate(f"window.scrollTo(0, {y})")
    page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    page.wait_for_load_state("networkidle")


def test_japanese_chapter_math_images_and_switcher(site_url: str, make_page: Any, console: Console,
                                                   artifacts: Any) -> None:
    page = make_page()
    page.goto(f"{site_url}/ja/{CHAPTER}/")
    assert page.locator("html").get_attribute("lang") == "ja"
    math = page.evaluate("""() => [...document.querySelectorAll('main math')].map(m => ({
        mathml: m.namespaceURI === 'http://www.w3.org/1998/Math/MathML',
        display: m.getAttribute('display'),
        tex: (m.querySelector('annotation[encoding="application/x-tex"]') || {}).textContent || '',
        width: m.getBoundingClientRect().width, height: m.getBoundingClientRect().height}))""")
    assert len(math) >= 10
    assert all(m["mathml"] and m["tex"] and m["width"] > 0 and m["height"] > 0 for m in math), math
    assert any(m["display"] == "block" for m in math) and any(m["display"] != "block" for m in math)
    # MathML is laid out as math, not as a run of text: a fraction stacks, so it is taller than a line.
    fraction_height = page.evaluate("document.querySelector('main math mfrac').getBoundingClientRect().height")
    line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    assert fraction_height > 1.3 * line_height
    scroll_through(page)
    images = page.evaluate("""() => [...document.images].map(i => ({src: i.currentSrc || i.src,
        ok: i.complete && i.naturalWidth > 0}))""")
    assert len(images) >= 8
    assert [i["src"] for i in images if not i["ok"]] == []
    page.screenshot(path=str(artifacts / "chapter-ja.png"))
    page.locator('.language-switcher a[hreflang="en"]').click()
    page.wait_for_url(f"{site_url}/{CHAPTER}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text().strip() == "Looking inside neural nets"
    assert console.problems == []
