"""Live reload in Chromium: a served page reloads after a chapter edit, shows the error overlay
after a broken edit (still showing the last good build), and recovers when the file is fixed."""
from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from textbook.devtools import make_rebuild
from textbook.i18n import UI_KEYS
from textbook.pipeline import BuildOptions
from textbook.serve import run_dev_server

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INTRO = "---\ntitle: Intro\n---\n{text}\n\nGo to [the next chapter](/next/).\n"
OVERLAY = "#__livereload-overlay"
# The WCAG contrast ratio of the overlay's error text against what is behind it (its own background,
# or the overlay's when it has none).
CONTRAST_OF_ERRORS = """() => {
  const box = document.getElementById("__livereload-overlay"), text = box.querySelector("pre");
  const rgba = (color) => color.match(/[\\d.]+/g).map(Number);
  const backgroundOf = (el) => { const c = rgba(getComputedStyle(el).backgroundColor); return c[3] === 0 ? null : c; };
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const [light, dark] = [luminance(rgba(getComputedStyle(text).color)),
                         luminance(backgroundOf(text) || backgroundOf(box))].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}"""


def write_book(root: Path) -> Path:
    """A two-chapter book with the repository's templates, served under /tiny."""
    shutil.copytree(REPO / "templates", root / "templates")
    ui = "".join(f"  {key}: {key}\n" for key in UI_KEYS)
    files = {
        "book.yaml": "title:\n  en: Tiny\ndefault_language: en\nchapters: [intro, next]\nbase_url: /tiny\n",
        "chapters/en/_language.yaml": f"name: English\nui:\n{ui}",
        "chapters/en/intro.md": INTRO.format(text="First version."),
        "chapters/en/next.md": "---\ntitle: Next\n---\nThe end.\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def served_book(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The book served by the dev server (with its watcher); yields its root and site URL."""
    root = write_book(tmp_path / "book")
    logged: list[str] = []
    rebuild = make_rebuild(BuildOptions(root, tmp_path / "site", None, False, 1), logged.append)
    stop = threading.Event()
    thread = threading.Thread(target=run_dev_server,
                              args=(root, tmp_path / "site", "/tiny", 0, rebuild, logged.append, stop))
    thread.start()
    deadline = time.monotonic() + 30
    while not any(line.startswith("serving ") for line in logged) and time.monotonic() < deadline:
        time.sleep(0.05)
    url = next(line.split()[1] for line in logged if line.startswith("serving "))
    yield root, url
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.fixture
def page() -> Iterator[Any]:
    """A page of Debian's headless Chromium."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (CI is set): apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()


def edit(root: Path, text: str) -> float:
    """Rewrite the intro chapter's first paragraph; returns when it was written."""
    (root / "chapters/en/intro.md").write_text(INTRO.format(text=text), encoding="utf-8")
    return time.perf_counter()


def test_page_reloads_shows_errors_and_recovers(served_book: tuple[Path, str], page: Any, artifacts: Path) -> None:
    root, url = served_book
    page.goto(url + "intro/")
    assert "First version." in page.inner_text("main")
    page.evaluate("window.__notReloaded = true")

    written = edit(root, "Second version.")
    page.wait_for_function("!window.__notReloaded && document.body.innerText.includes('Second version.')",
                           timeout=20_000)
    print(f"\nedit -> reloaded page: {(time.perf_counter() - written) * 1000:.0f} ms")
    page.evaluate("window.__notReloaded = true")

    edit(root, 'Broken. {% include nope.html %}')
    overlay = page.wait_for_selector(OVERLAY, state="visible", timeout=20_000)
    assert "chapters/en/intro.md:4:" in overlay.inner_text()
    assert 'unknown include "nope.html"' in overlay.inner_text()
    assert "Second version." in page.inner_text("main")  # the last good build is still served
    assert page.evaluate(CONTRAST_OF_ERRORS) >= 4.5, "the errors must be readable over the site's own styles"
    overlay.screenshot(path=str(artifacts / "live-reload-overlay.png"))

    page.reload()  # a page opened while the build is broken sees the errors too
    page.wait_for_selector(OVERLAY, state="visible", timeout=20_000)
    page.click(f"{OVERLAY} button[aria-label=Dismiss]")
    assert page.query_selector(OVERLAY) is None
    page.evaluate("window.__notReloaded = true")

    edit(root, "Fixed version.")
    page.wait_for_function("!window.__notReloaded && document.body.innerText.includes('Fixed version.')",
                           timeout=20_000)
    assert page.query_selector(OVERLAY) is None


def test_built_site_has_no_reload_script(served_book: tuple[Path, str], tmp_path: Path) -> None:
    pages = list((tmp_path / "site").rglob("*.html"))
    assert pages and not any("EventSource" in p.read_text(encoding="utf-8") for p in pages)
