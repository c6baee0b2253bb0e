"""The dev server over real HTTP on 127.0.0.1: files, types, redirects, 404s, traversal, events."""
from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitebook import write_book

from textbook.cli import main
from textbook.devtools import make_rebuild
from textbook.incremental import BuildCache
from textbook.pipeline import BuildOptions, build
from textbook.livereload import LiveReloadHub, inject_client
from textbook.serve import (
    DevServer,
    resolve_request,
    run_dev_server,
    safe_relative_path,
)
from textbook.watch import Rebuild, start_watching, watched_paths

SECRET = b"TOP-SECRET-OUTSIDE-THE-SITE"


def make_site(tmp_path: Path, with_404: bool = True) -> Path:
    """A small built site, plus a secret file beside it and symlinks pointing at it."""
    site = tmp_path / "site"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    files = {
        "index.html": "<html><body><p>home</p></body></html>",
        "ja/intro/index.html": "<html><body><p>日本語</p></BODY></html>",
        "style.css": "p{}", "app.js": "1", "mod.mjs": "2", "data.json": "{}",
        "img.png": "png", "pic.jpg": "jpg", "icon.svg": "<svg/>", "clip.webm": "w",
        "clip.mp4": "m", "font.woff2": "f", "notes.bin": "b", "fragment.html": "<p>no body</p>",
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    if with_404:
        (site / "404.html").write_text("<html><body>custom missing page</body></html>")
    os.symlink(outside / "secret.txt", site / "file_link_out")
    os.symlink(outside, site / "dir_link_out")
    os.symlink(site / "style.css", site / "inside_link.css")
    return site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture
def server(site: Path) -> Iterator[DevServer]:
    dev = DevServer(site, "/ml4a", port=0)
    dev.start()
    yield dev
    dev.stop()


def port_of(server: DevServer) -> int:
    return int(server.url.split(":")[2].split("/")[0])


def raw_request(port: int, target: str, method: str = "GET", extra: str = "") -> tuple[int, dict[str, str], bytes]:
    """Send the request target byte for byte (no client-side normalization); read the reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"{method} {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode("latin-1"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


@pytest.mark.parametrize(("name", "expected"), [
    ("index.html", "text/html; charset=utf-8"),
    ("style.css", "text/css; charset=utf-8"),
    ("app.js", "text/javascript; charset=utf-8"),
    ("mod.mjs", "text/javascript; charset=utf-8"),
    ("data.json", "application/json; charset=utf-8"),
    ("img.png", "image/png"),
    ("pic.jpg", "image/jpeg"),
    ("icon.svg", "image/svg+xml; charset=utf-8"),
    ("clip.webm", "video/webm"),
    ("clip.mp4", "video/mp4"),
    ("font.woff2", "font/woff2"),
    ("notes.bin", "application/octet-stream"),
    ("inside_link.css", "text/css; charset=utf-8"),
])
def test_files_are_served_with_their_content_type(server: DevServer, site: Path, name: str,
                                                  expected: str) -> None:
    status, headers, body = raw_request(port_of(server), f"/ml4a/{name}")
    assert (status, headers["content-type"]) == (200, expected)
    if not name.endswith(".html"):
        assert body == (site / name).read_bytes()


@pytest.mark.parametrize(("target", "location"), [
    ("/", "/ml4a/"),
    ("/ml4a", "/ml4a/"),
    ("/ml4a/ja/intro", "/ml4a/ja/intro/"),
    ("/ml4a/ja/intro?x=1", "/ml4a/ja/intro/?x=1"),
])
def test_redirects(server: DevServer, target: str, location: str) -> None:
    status, headers, _ = raw_request(port_of(server), target)
    assert (status, headers["location"]) == (302, location)


def test_folder_serves_its_index_with_the_reload_script(server: DevServer, site: Path) -> None:
    status, _, body = raw_request(port_of(server), "/ml4a/ja/intro/")
    assert status == 200
    assert "日本語".encode() in body
    assert body.index(b"new EventSource") < body.index(b"</BODY>")
    assert b"EventSource" not in (site / "ja/intro/index.html").read_bytes()


def test_files_are_revalidated_and_pages_never_cached(server: DevServer, site: Path) -> None:
    """A reload after a rebuild asks again for every file; unchanged ones come back as 304, empty."""
    port = port_of(server)
    status, headers, body = raw_request(port, "/ml4a/img.png")
    tag = headers["etag"]
    assert (status, headers["cache-control"], body) == (200, "no-cache", b"png")
    for asked in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        status, headers, body = raw_request(port, "/ml4a/img.png", extra=f"If-None-Match: {asked}\r\n")
        assert (status, headers["etag"], body) == (304, tag, b"")
    (site / "img.png").write_bytes(b"new png")
    status, headers, body = raw_request(port, "/ml4a/img.png", extra=f"If-None-Match: {tag}\r\n")
    assert (status, body) == (200, b"new png") and headers["etag"] != tag
    status, headers, _ = raw_request(port, "/ml4a/ja/intro/", extra="If-None-Match: *\r\n")
    assert (status, headers["cache-control"]) == (200, "no-store") and "etag" not in headers
    status, headers, _ = raw_request(port, "/ml4a/nope.png", extra="If-None-Match: *\r\n")
    assert (status, headers["cache-control"]) == (404, "no-store")


def test_head_sends_headers_without_body(server: DevServer) -> None:
    status, headers, body = raw_request(port_of(server), "/ml4a/style.css", method="HEAD")
    assert (status, headers["content-length"], body) == (200, "3", b"")


@pytest.mark.parametrize("target", ["/ml4a/nope.html", "/ml4a/ja/nope/", "/other/index.html",
                                    "/ml4abc/index.html", "/index.html"])
def test_missing_files_get_the_sites_404_page(server: DevServer, target: str) -> None:
    status, headers, body = raw_request(port_of(server), target)
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b"custom missing page" in body


def test_plain_404_without_a_404_page(tmp_path: Path) -> None:
    dev = DevServer(make_site(tmp_path, with_404=False), "", port=0)
    dev.start()
    try:
        status, _, body = raw_request(port_of(dev), "/nope")
    finally:
        dev.stop()
    assert status == 404 and b"404" in body


TRAVERSALS = [
    "/ml4a/../outside/secret.txt",
    "/ml4a/ja/../../outside/secret.txt",
    "/ml4a/%2e%2e/outside/secret.txt",
    "/ml4a/%2E%2E/outside/secret.txt",
    "/ml4a/.%2e/outside/secret.txt",
    "/ml4a/ja/..%2f..%2foutside%2fsecret.txt",
    "/ml4a/ja/..%2F..%2Foutside%2Fsecret.txt",
    "/ml4a/%2e%2e%2foutside%2fsecret.txt",
    "/ml4a/%252e%252e/outside/secret.txt",
    "/ml4a/..\\outside\\secret.txt",
    "/ml4a/..%5coutside%5csecret.txt",
    "/ml4a/%5c..%5c..%5coutside%5csecret.txt",
    "/ml4a/file_link_out",
    "/ml4a/dir_link_out/secret.txt",
    "/ml4a/dir_link_out/",
    "/ml4a/%2Ftmp%2Fsecret.txt",
    "/ml4a//etc/passwd",
    "//etc/passwd",
    "/ml4a/%00",
    "/ml4a/index.html%00.png",
    "/ml4a/%c0%ae%c0%ae/outside/secret.txt",
    "http://127.0.0.1/ml4a/../outside/secret.txt",
    "ml4a/../outside/secret.txt",
    "/ml4a/./../outside/secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_attempts_are_refused(server: DevServer, target: str) -> None:
    status, _, body = raw_request(port_of(server), target)
    assert status in (400, 404)
    assert SECRET not in body


@pytest.mark.parametrize("target", [t.replace("/ml4a/", "/", 1) for t in TRAVERSALS
                                    if t.startswith("/ml4a/")])
def test_traversal_attempts_are_refused_without_base_url(tmp_path: Path, target: str) -> None:
    site = make_site(tmp_path)
    assert resolve_request(site, "", target).file is None


def test_absolute_path_in_request_is_relative_to_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    absolute = (tmp_path / "outside" / "secret.txt").as_posix()
    assert resolve_request(site, "", absolute).file is None


@pytest.mark.parametrize(("url_path", "expected"), [
    ("/", ""),
    ("/a/b.html", "a/b.html"),
    ("/a/", "a"),
    ("/caf%C3%A9/x%20y.png", "café/x y.png"),
    ("/a/../b", None),
    ("/a/./b", None),
    ("/a//b", None),
    ("/a%2fb", None),
    ("/a%5Cb", None),
    ("/a\\b", None),
    ("/a%00b", None),
    ("/%ff", None),
    ("a/b", None),
])
def test_safe_relative_path(url_path: str, expected: str | None) -> None:
    result = safe_relative_path(url_path)
    assert (None if result is None else result.as_posix().lstrip(".")) == expected


@pytest.mark.parametrize(("html", "expected_prefix"), [
    (b"<body>x</body></html>", b"<body>x<script>"),
    (b"<body>x</body><body>y</BODY >", b"<body>x</body><body>y<script>"),
    (b"<p>no body", b"<p>no body<script>"),
])
def test_inject_client(html: bytes, expected_prefix: bytes) -> None:
    assert inject_client(html, "t-1").startswith(expected_prefix)


class EventStream:
    """The live-reload event stream of a server, read event by event."""

    def __init__(self, server: DevServer, since: str) -> None:
        self.conn = socket.create_connection(("127.0.0.1", port_of(server)), timeout=10)
        self.conn.sendall(f"GET /__livereload?since={since} HTTP/1.0\r\n\r\n".encode())
        self.lines = self.conn.makefile("rb")
        while self.lines.readline() not in (b"\r\n", b""):
            pass  # the response headers

    def next_event(self) -> str:
        """The next event, keep-alive comments skipped."""
        lines: list[str] = []
        while True:
            line = self.lines.readline().decode()
            if line in ("\n", "") and lines:
                return "".join(lines)
            if line.strip() and not line.startswith(":"):
                lines.append(line)
            if line == "":
                return ""

    def close(self) -> None:
        self.lines.close()
        self.conn.close()


def test_stale_page_is_told_to_reload_on_connect(server: DevServer) -> None:
    stream = EventStream(server, "stale-token")
    assert stream.next_event().startswith("event: reload\n")
    stream.close()


def test_build_results_reach_connected_pages(server: DevServer) -> None:
    stream = EventStream(server, server.hub.token)
    server.hub.publish_errors(["chapters/en/a.md:3:5: unknown include \"x\""])
    event = stream.next_event()
    assert event.startswith("event: build-error\n")
    assert 'chapters/en/a.md:3:5: unknown include \\"x\\"' in event
    server.hub.publish_success()
    assert stream.next_event().startswith("event: reload\n")
    stream.close()


def test_page_loaded_during_a_failed_build_sees_the_errors(server: DevServer) -> None:
    server.hub.publish_errors(["book.yaml:1:1: bad"])
    stream = EventStream(server, server.hub.token)
    assert stream.next_event().startswith("event: build-error\n")
    server.hub.publish_success()
    assert stream.next_event().startswith("event: reload\n")  # once: no repeated error
    stream.close()


def test_stop_ends_open_event_streams(site: Path) -> None:
    dev = DevServer(site, "", port=0)
    dev.start()
    stream = EventStream(dev, dev.hub.token)
    dev.stop()
    assert stream.next_event() == ""
    stream.close()



def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    """Poll `condition` for up to `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def edit_until(path: Path, condition: Callable[[], bool]) -> None:
    """Edit `path` until `condition` holds (the watcher may not be watching yet at first)."""
    for attempt in range(50):
        path.write_text(f"edit {attempt}\n", encoding="utf-8")
        if wait_until(condition, 0.3):
            return
    raise AssertionError(f"editing {path} never had an effect")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    for folder in ("chapters/en", "templates", "_site"):
        (root / folder).mkdir(parents=True)
    (root / "book.yaml").write_text("title: x\n")
    return root


def watch(book: Path, rebuild: Rebuild) -> tuple[LiveReloadHub, list[str], Callable[[], None]]:
    """Start a watcher; returns its hub, its log and a function that stops it."""
    hub, logged, stop = LiveReloadHub(), [], threading.Event()
    thread = start_watching(book, rebuild, hub, stop, logged.append)

    def finish() -> None:
        stop.set()
        thread.join(timeout=10)
        assert not thread.is_alive()
    return hub, logged, finish


def test_watched_paths_are_the_inputs_that_exist(book: Path) -> None:
    assert watched_paths(book) == [book / "chapters", book / "templates", book / "book.yaml"]


def test_a_change_rebuilds_and_reloads(book: Path) -> None:
    calls: list[frozenset[Path]] = []
    hub, logged, finish = watch(book, lambda changed: calls.append(changed) or [])
    first_token = hub.token
    try:
        edit_until(book / "chapters/en/a.md", lambda: hub.token != first_token)
    finally:
        finish()
    assert any(book / "chapters/en/a.md" in changed for changed in calls)
    assert "rebuilt; pages reloaded" in logged and hub.errors == ()


def test_a_failed_build_publishes_its_errors(book: Path) -> None:
    error = "chapters/en/a.md:4:2: unterminated include tag"
    hub, logged, finish = watch(book, lambda changed: [error])
    first_token = hub.token
    try:
        edit_until(book / "book.yaml", lambda: hub.errors != ())
    finally:
        finish()
    assert hub.errors == (error,) and hub.token == first_token
    assert error in logged


def test_a_crashing_rebuild_does_not_stop_the_watcher(book: Path) -> None:
    def crash(changed: frozenset[Path]) -> list[str]:
        raise ValueError("bug")
    hub, _, finish = watch(book, crash)
    try:
        edit_until(book / "templates/page.html", lambda: hub.errors != ())
    finally:
        finish()
    assert hub.errors == ("internal error while rebuilding: ValueError: bug",)


def test_run_dev_server_serves_each_new_build(book: Path) -> None:
    site = book / "_site"

    def rebuild(changed: frozenset[Path]) -> list[str]:
        chapter = book / "chapters/en/a.md"
        text = chapter.read_text() if chapter.exists() else "first"
        (site / "index.html").write_text(f"<html><body>{text}</body></html>")
        return []
    stop = threading.Event()
    logged: list[str] = []
    thread = threading.Thread(target=run_dev_server,
                              args=(book, site, "", 0, rebuild, logged.append, stop))
    thread.start()
    try:
        assert wait_until(lambda: any(line.startswith("serving ") for line in logged), 10)
        port = int(logged[0].split(":")[2].split("/")[0])
        assert b"first" in raw_request(port, "/")[2]
        edit_until(book / "chapters/en/a.md", lambda: b"edit" in raw_request(port, "/")[2])
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def run_main_briefly(argv: list[str]) -> int | None:
    """main(argv) on a thread; None when it was still running (serving) after 30 s."""
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(main(argv)), daemon=True)
    thread.start()
    thread.join(timeout=30)
    return result[0] if result else None


def test_serve_command_reports_a_taken_port(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "book.yaml").write_text("title:\n  en: X\ndefault_language: en\nchapters: [intro]\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run_main_briefly(["serve", "--root", str(tmp_path), "--port", str(port)]) == 2
    assert f"error: cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err


def test_serve_command_reports_a_broken_book_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "book.yaml").write_text("title:\n  en: X\ndefault_language: en\nchapters: [intro]\nbase_url: [x]\n")
    assert run_main_briefly(["serve", "--root", str(tmp_path), "--port", "0"]) == 1
    assert capsys.readouterr().err.startswith("book.yaml:5:")


def test_book_yaml_saved_by_renaming_keeps_being_watched(book: Path) -> None:
    calls: list[frozenset[Path]] = []
    hub, _, finish = watch(book, lambda changed: calls.append(changed) or [])

    def save_by_renaming(number: int) -> None:
        (book / ".book.yaml.new").write_text(f"title: x{number}\n")
        os.replace(book / ".book.yaml.new", book / "book.yaml")
    try:
        for number in range(3):  # the second and third saves replace an already replaced file
            seen = len(calls)
            for attempt in range(50):
                save_by_renaming(number * 100 + attempt)
                if wait_until(lambda: len(calls) > seen, 0.3):
                    break
            assert len(calls) > seen, f"save {number} was not seen"
    finally:
        finish()
    assert any(book / "book.yaml" in changed for changed in calls)


def test_a_broken_start_says_when_the_served_site_has_another_base_url(tmp_path: Path) -> None:
    root = write_book(tmp_path / "book")
    out = tmp_path / "site"
    assert build(BuildOptions(root, out), BuildCache(root, out)).is_written  # at the domain root
    (root / "chapters/en/intro.md").write_text("---\ntitle: x\n---\n{% include nope.html %}\n", encoding="utf-8")
    for base_url, expected in (("/ml4a", ["note: the last good build was made for the base URL /, not /ml4a/: "
                                          "its links and styles will work again once the book builds"]),
                               (None, [])):
        logged: list[str] = []
        assert make_rebuild(BuildOptions(root, out, base_url), logged.append)(frozenset())
        assert logged == expected
