"""Dev server: serves a built site under its base URL, with live reload; imported only by `serve`.

Only files inside the site folder are ever served: request paths are decoded once, rejected
when they hold `..`, `.`, empty segments, backslashes, NUL or encoded slashes, and the real path
(symlinks followed) must stay under the real site root.
"""
from __future__ import annotations

import mimetypes
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

from textbook.livereload import EVENTS_PATH, Event, LiveReloadHub, inject_client
from textbook.watch import Rebuild, guarded_rebuild, publish_result, start_watching

CONTENT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".css": "text/css",
    ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
    ".map": "application/json", ".txt": "text/plain", ".xml": "application/xml",
    ".yaml": "text/yaml", ".yml": "text/yaml", ".svg": "image/svg+xml",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".ico": "image/x-icon", ".webm": "video/webm", ".mp4": "video/mp4",
    ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".wasm": "application/wasm",
    ".pdf": "application/pdf",
}
_TEXT_TYPES = ("application/json", "application/xml", "image/svg+xml")
PLAIN_404 = b"<!doctype html>\n<title>Not found</title>\n<h1>404: not found</h1>\n"
KEEPALIVE_SECONDS = 10.0


@dataclass(frozen=True)
class Resolution:
    """What a request target maps to: a file to send, a redirect, or nothing (404)."""

    file: Path | None = None
    redirect_url: str | None = None


NOT_FOUND = Resolution()


def content_type(path: Path) -> str:
    """The Content-Type header for a file, with a UTF-8 charset for text."""
    suffix = path.suffix.lower()
    kind = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in _TEXT_TYPES:
        return f"{kind}; charset=utf-8"
    return kind


def safe_relative_path(url_path: str) -> PurePosixPath | None:
    """The site-relative path a URL path names, or None when it could name anything outside."""
    lowered = url_path.lower()
    if not url_path.startswith("/") or any(code in lowered for code in ("%2f", "%5c", "%00")):
        return None
    try:
        decoded = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or "\x00" in decoded:
        return None
    segments = decoded[1:].split("/")
    if segments[-1] == "":
        segments.pop()
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    return PurePosixPath(*segments)


def _inside(path: Path, real_root: Path) -> Path | None:
    real = path.resolve()
    return real if real == real_root or real.is_relative_to(real_root) else None


def resolve_request(site_dir: Path, base_url: str, target: str) -> Resolution:
    """Map a raw request target (path and query, as sent) to a file under `site_dir`."""
    parts = urlsplit(target)
    url_path = parts.path
    if parts.scheme or parts.netloc or not url_path.startswith("/"):
        return NOT_FOUND
    if base_url:
        if url_path in ("/", base_url):
            return Resolution(redirect_url=base_url + "/")
        if not url_path.startswith(base_url + "/"):
            return NOT_FOUND
        url_path = url_path[len(base_url):]
    relative = safe_relative_path(url_path)
    real_root = site_dir.resolve()
    real = None if relative is None else _inside(real_root / relative, real_root)
    if real is None:
        return NOT_FOUND
    if real.is_dir():
        if not parts.path.endswith("/"):
            query = f"?{parts.query}" if parts.query else ""
            return Resolution(redirect_url=parts.path + "/" + query)
        real = _inside(real / "index.html", real_root)
    return Resolution(file=real) if real is not None and real.is_file() else NOT_FOUND


class DevHTTPServer(ThreadingHTTPServer):
    """A threaded HTTP server that knows the site folder, its base URL and the reload hub."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], site_dir: Path, base_url: str,
                 hub: LiveReloadHub) -> None:
        super().__init__(address, DevRequestHandler)
        self.site_dir = site_dir
        self.base_url = base_url
        self.hub = hub
        self.is_stopping = threading.Event()


def parse_tags(header: str) -> set[str]:
    """The entity tags of an If-None-Match header ("*" included as is)."""
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


class DevRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD for site files, redirects, 404s and the live-reload event stream."""

    server: DevHTTPServer
    server_version = "textbook-dev"

    def do_GET(self) -> None:  # the name http.server dispatches to
        """Answer a GET."""
        if urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events()
        else:
            self._answer(send_body=True)

    def do_HEAD(self) -> None:
        """Answer a HEAD: the GET headers without a body."""
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the terminal is for build results (cli.py prints those)."""

    def _answer(self, send_body: bool) -> None:
        resolution = resolve_request(self.server.site_dir, self.server.base_url, self.path)
        if resolution.redirect_url is not None:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", resolution.redirect_url)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif resolution.file is not None:
            self._send_file(resolution.file, HTTPStatus.OK, send_body)
        else:
            self._send_not_found(send_body)

    def _send_not_found(self, send_body: bool) -> None:
        page = _inside(self.server.site_dir / "404.html", self.server.site_dir.resolve())
        if page is not None and page.is_file():
            self._send_file(page, HTTPStatus.NOT_FOUND, send_body)
        else:
            self._send_bytes(PLAIN_404, "text/html; charset=utf-8", HTTPStatus.NOT_FOUND, send_body)

    def _send_file(self, path: Path, status: HTTPStatus, send_body: bool) -> None:
        kind = content_type(path)
        # A page is never cached: it carries the build's token. Any other file is revalidated on each
        # use: a reload after a rebuild gets "304 Not Modified" for what it already has.
        is_cached = status == HTTPStatus.OK and not kind.startswith("text/html")
        try:
            info = path.stat()
            tag = f'"{info.st_size:x}-{info.st_mtime_ns:x}"' if is_cached else None
            wanted = parse_tags(self.headers.get("If-None-Match", ""))
            if tag is not None and (tag in wanted or "*" in wanted):
                self._send_bytes(b"", kind, HTTPStatus.NOT_MODIFIED, False, tag)
                return
            body = path.read_bytes()
        except OSError:  # replaced by a build between resolving and reading
            self._send_bytes(PLAIN_404, "text/html; charset=utf-8", HTTPStatus.NOT_FOUND, send_body)
            return
        if kind.startswith("text/html"):
            body = inject_client(body, self.server.hub.token)
        self._send_bytes(body, kind, status, send_body, tag)

    def _send_bytes(self, body: bytes, kind: str, status: HTTPStatus, send_body: bool,
                    tag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        if tag is None:
            self.send_header("Cache-Control", "no-store")
        else:
            self.send_header("Cache-Control", "no-cache")
            self.send_header("ETag", tag)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _stream_events(self) -> None:
        hub = self.server.hub
        client = hub.subscribe(parse_qs(urlsplit(self.path).query).get("since", [""])[0])
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self._pump(client)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away
        finally:
            hub.unsubscribe(client)

    def _pump(self, client: queue.Queue[Event | None]) -> None:
        while not self.server.is_stopping.is_set():
            try:
                event = client.get(timeout=KEEPALIVE_SECONDS)
            except queue.Empty:
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                continue
            if event is None:
                return
            self._write_event(event)

    def _write_event(self, event: Event) -> None:
        self.wfile.write(event.encode())
        self.wfile.flush()


class DevServer:
    """The dev server on its own thread: start() it, publish build results, stop() it."""

    def __init__(self, site_dir: Path, base_url: str = "", host: str = "127.0.0.1",
                 port: int = 8000) -> None:
        self.hub = LiveReloadHub()
        self._http = DevHTTPServer((host, port), site_dir, base_url.rstrip("/"), self.hub)
        # a short poll keeps stop() quick; idle cost is negligible for a dev server
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,),
                                        name="dev-server", daemon=True)

    @property
    def url(self) -> str:
        """The site's address, base URL included, e.g. http://127.0.0.1:8000/ml4a/."""
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}{self._http.base_url}/"

    def start(self) -> None:
        """Start answering requests in the background."""
        self._thread.start()

    def stop(self) -> None:
        """Hang up every live-reload client, stop answering and free the port."""
        self._http.is_stopping.set()
        self.hub.close()
        self._http.shutdown()
        self._http.server_close()
        self._thread.join()


def run_dev_server(root: Path, site_dir: Path, base_url: str, port: int, rebuild: Rebuild,
                   log: Callable[[str], None], stop: threading.Event) -> None:
    """Build, serve `site_dir` and rebuild on every change under `root` until `stop` is set."""
    server = DevServer(site_dir, base_url, port=port)
    errors = guarded_rebuild(rebuild, frozenset())
    if errors:
        publish_result(server.hub, errors, log)
    server.start()
    log(f"serving {server.url} (Ctrl-C stops)")
    watcher = start_watching(root, rebuild, server.hub, stop, log)
    try:
        stop.wait()
    finally:
        stop.set()
        watcher.join()
        server.stop()
