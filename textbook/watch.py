"""Watch the book's inputs and rebuild on change; results go to the live-reload hub and a log."""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import watchfiles

from textbook.livereload import LiveReloadHub

WATCHED_NAMES = ("chapters", "templates", "demos", "images", "book.yaml")
# Changes closer together than STEP_MS are one edit (an editor's save is often several writes);
# a burst never waits longer than MAX_WAIT_MS before it builds.
STEP_MS = 15  # also the delay before a single save is seen: the served page waits 15-30 ms for it
MAX_WAIT_MS = 400

Rebuild = Callable[[frozenset[Path]], Sequence[str]]
"""Rebuilds after the given paths changed; returns error lines, empty on success."""


def watched_paths(root: Path) -> list[Path]:
    """The inputs of the book at `root` that exist: its content folders and book.yaml."""
    return [root / name for name in WATCHED_NAMES if (root / name).exists()]


def publish_result(hub: LiveReloadHub, errors: Sequence[str], log: Callable[[str], None]) -> None:
    """Tell the pages and the terminal how a build went."""
    if errors:
        hub.publish_errors(errors)
        log(f"build failed ({len(errors)} error(s)); still serving the last good build")
        for line in errors:
            log(line)
    else:
        hub.publish_success()
        log("rebuilt; pages reloaded")


def watch_and_rebuild(root: Path, rebuild: Rebuild, hub: LiveReloadHub, stop: threading.Event,
                      log: Callable[[str], None]) -> None:
    """Rebuild after every burst of changes under the book's inputs, until `stop` is set."""
    found: queue.Queue[frozenset[Path]] = queue.Queue()
    folders = [path for path in watched_paths(root) if path.is_dir()]
    # The book's folder itself, not recursively: editors that save by renaming a new file over
    # book.yaml would leave a watch on the file itself watching a file that no longer exists.
    watchers = [start_producer(folders, True, stop, found, None),
                start_producer([root], False, stop, found, lambda path: path.name in WATCHED_NAMES)]
    while not stop.is_set():
        try:
            changed = set(found.get(timeout=0.1))
        except queue.Empty:
            continue
        while not found.empty():  # both watchers may have seen the same save
            changed.update(found.get_nowait())
        publish_result(hub, guarded_rebuild(rebuild, frozenset(changed)), log)
    for watcher in watchers:
        watcher.join()


def start_producer(paths: list[Path], is_recursive: bool, stop: threading.Event,
                   found: queue.Queue[frozenset[Path]],
                   is_wanted: Callable[[Path], bool] | None) -> threading.Thread:
    """A thread putting each burst of changes under `paths` (the wanted ones) into `found`."""

    def produce() -> None:
        if not paths:
            return
        bursts = watchfiles.watch(*paths, debounce=MAX_WAIT_MS, step=STEP_MS, stop_event=stop,
                                  rust_timeout=200, raise_interrupt=False, recursive=is_recursive)
        for changes in bursts:
            changed = frozenset(p for p in (Path(path) for _, path in changes)
                                if is_wanted is None or is_wanted(p))
            if changed:
                found.put(changed)

    thread = threading.Thread(target=produce, name="watcher-producer", daemon=True)
    thread.start()
    return thread


def guarded_rebuild(rebuild: Rebuild, changed: frozenset[Path]) -> Sequence[str]:
    """Run a rebuild; a crash (a compiler bug) becomes an error line so serving goes on."""
    try:
        return rebuild(changed)
    except Exception as error:  # noqa: BLE001 (the dev server must outlive a compiler bug)
        return [f"internal error while rebuilding: {type(error).__name__}: {error}"]


def start_watching(root: Path, rebuild: Rebuild, hub: LiveReloadHub, stop: threading.Event,
                   log: Callable[[str], None]) -> threading.Thread:
    """Run watch_and_rebuild on a background thread; set `stop` and join it to end."""
    thread = threading.Thread(target=watch_and_rebuild, args=(root, rebuild, hub, stop, log),
                              name="watcher", daemon=True)
    thread.start()
    return thread
