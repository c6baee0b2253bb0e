"""Live reload for the dev server: a hub that fans build results out to server-sent-event clients.

The client script is injected into HTML responses by the server only; it never reaches the
built site. Each successful build gets a new token; a page knows the token it was served with,
so a page that connects after a build it missed reloads at once instead of waiting.
"""
from __future__ import annotations

import json
import os
import queue
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

EVENTS_PATH = "/__livereload"
RELOAD = "reload"
BUILD_ERROR = "build-error"  # not "error": EventSource already fires "error" on lost connections


@dataclass(frozen=True)
class Event:
    """One server-sent event: its name and its JSON payload."""

    name: str
    data: str

    def encode(self) -> bytes:
        """The event in the text/event-stream wire format."""
        return f"event: {self.name}\ndata: {self.data}\n\n".encode()


class LiveReloadHub:
    """Holds the current build token and errors, and fans events out to subscribed clients."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._boot = os.urandom(4).hex()  # a restarted server never reuses a page's token
        self._count = 0
        self._errors: tuple[str, ...] = ()
        self._clients: set[queue.Queue[Event | None]] = set()
        self._is_closed = False

    @property
    def token(self) -> str:
        """Identifies the build currently being served."""
        with self._lock:
            return f"{self._boot}-{self._count}"

    @property
    def errors(self) -> tuple[str, ...]:
        """Error lines of the last build, empty when it succeeded."""
        with self._lock:
            return self._errors

    def subscribe(self, page_token: str) -> queue.Queue[Event | None]:
        """A new client's queue, starting with what a page served at `page_token` must hear
        (taken under the same lock as later events, so nothing is missed or said twice);
        None in the queue means the server is stopping."""
        client: queue.Queue[Event | None] = queue.Queue()
        with self._lock:
            greeting = self._greeting(page_token)
            if greeting is not None:
                client.put(greeting)
            if self._is_closed:
                client.put(None)
            self._clients.add(client)
        return client

    def unsubscribe(self, client: queue.Queue[Event | None]) -> None:
        """Forget a client whose connection ended."""
        with self._lock:
            self._clients.discard(client)

    def _greeting(self, page_token: str) -> Event | None:
        if page_token != f"{self._boot}-{self._count}":
            return Event(RELOAD, json.dumps({"token": f"{self._boot}-{self._count}"}))
        if self._errors:
            return Event(BUILD_ERROR, json.dumps({"errors": list(self._errors)}))
        return None

    def publish_success(self) -> None:
        """A build succeeded: new token, errors cleared, every page reloads."""
        with self._lock:
            self._count += 1
            self._errors = ()
            event = Event(RELOAD, json.dumps({"token": f"{self._boot}-{self._count}"}))
        self._send(event)

    def publish_errors(self, lines: Sequence[str]) -> None:
        """A build failed: the last good build stays; every page shows the errors."""
        with self._lock:
            self._errors = tuple(lines)
        self._send(Event(BUILD_ERROR, json.dumps({"errors": list(lines)})))

    def close(self) -> None:
        """Tell every client to hang up; later subscribers are told at once."""
        with self._lock:
            self._is_closed = True
            clients = list(self._clients)
        for client in clients:
            client.put(None)

    def _send(self, event: Event) -> None:
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            client.put(event)


CLIENT_SCRIPT = """
(() => {
  const token = "__TOKEN__";
  const overlayId = "__livereload-overlay";
  const removeOverlay = () => document.getElementById(overlayId)?.remove();
  const showOverlay = (errors) => {
    removeOverlay();
    const box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;z-index:2147483647;" +
      "max-height:60vh;overflow:auto;background:#2b0b0e;color:#ffe9ea;border:2px solid #ff5c6c;" +
      "border-radius:6px;padding:0.75rem 1rem;font:13px/1.5 ui-monospace,monospace;" +
      "box-shadow:0 4px 24px rgba(0,0,0,0.4);text-align:left;direction:ltr";
    const title = document.createElement("strong");
    title.textContent = "Build failed: still showing the last good build";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "\\u00d7";
    close.setAttribute("aria-label", "Dismiss");
    close.style.cssText = "float:right;background:none;border:0;color:inherit;font-size:20px;" +
      "line-height:1;cursor:pointer";
    close.addEventListener("click", removeOverlay);
    const list = document.createElement("pre");
    list.className = "livereload-errors";
    // every property the site's own stylesheet may give a <pre> is set, so the text stays readable
    list.style.cssText = "margin:0.5rem 0 0;padding:0;border:0;border-radius:0;background:none;" +
      "color:inherit;white-space:pre-wrap;font:inherit;max-height:none;overflow:visible;box-shadow:none";
    list.textContent = errors.join("\\n");
    box.append(close, title, list);
    document.body.append(box);
  };
  const source = new EventSource("__EVENTS__?since=" + encodeURIComponent(token));
  source.addEventListener("reload", () => { removeOverlay(); source.close(); location.reload(); });
  source.addEventListener("build-error", (event) => showOverlay(JSON.parse(event.data).errors));
})();
"""

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def client_tag(token: str) -> bytes:
    """The <script> element that connects a page served at `token` to the hub."""
    script = CLIENT_SCRIPT.replace("__TOKEN__", token).replace("__EVENTS__", EVENTS_PATH)
    return f"<script>{script}</script>\n".encode()


def inject_client(html: bytes, token: str) -> bytes:
    """The page with the client script added before its last </body>, or at its end."""
    tag = client_tag(token)
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + tag
    at = matches[-1].start()
    return html[:at] + tag + html[at:]
