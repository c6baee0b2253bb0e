"""Browser-test fixtures: the real book built under /book into a tmp folder, served on 127.0.0.1
by a threaded http.server, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from browsing import (
    ARTIFACTS,
    BASE_URL,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    Console,
    skip_or_fail,
)

from textbook.cli import main


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, no request log. /favicon.ico lies outside the book (the browser asks the
    server's root for it on its own), so it gets an empty answer instead of a 404 console error."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real book, built with `python build.py --out <tmp>/book --base-url /book`."""
    out = tmp_path_factory.mktemp("site") / "book"
    code = main(["--root", str(ROOT), "--out", str(out), "--base-url", BASE_URL])
    assert code == 0, "the book did not build"
    return out


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """http://127.0.0.1:<port>/book, served from the built site's parent folder."""
    handler = partial(QuietHandler, directory=str(site_dir.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{BASE_URL}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's), shared by a test module. Module scope: the Playwright driver
    stops before the next module, which may start its own sync_playwright (two cannot overlap)."""
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def console() -> Console:
    """A fresh collector; tests assert `console.problems == []` at the end."""
    return Console()


@pytest.fixture()
def make_page(browser: Any, console: Console) -> Iterator[Any]:
    """make_page(width=1280, height=900, **context_options) -> a new page watched by `console`."""
    contexts: list[Any] = []

    def new_page(width: int = 1280, height: int = 900, **options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        console.watch(page)
        return page

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ at the repository root (gitignored): screenshots for people to look at."""
    folder = ARTIFACTS / "demos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
