"""Full build, no-change rebuild and one-chapter-edit rebuild of a synthetic 200-chapter x 5-language
book (our chapter replicated), side by side in one run; prints times and ratios.

Run: python tests/benchmarks/bench_incremental.py [--chapters 200]
"""
from __future__ import annotations

import argparse
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere, without installing

from textbook.incremental import BuildCache
from textbook.livereload import EVENTS_PATH
from textbook.pipeline import BuildOptions, BuildReport, build

REPO = Path(__file__).resolve().parents[2]
SLUG = "looking_inside_neural_nets"
EXTRA_LANGUAGE = "xx"  # a fifth language folder, written with the English text


def make_book(root: Path, count: int) -> list[str]:
    """Our book with its chapter replicated `count` times in 5 languages; returns the slugs."""
    for folder in ("templates", "demos", "images"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    languages = sorted(p.name for p in (REPO / "chapters").iterdir() if (p / f"{SLUG}.md").is_file())
    slugs = [f"chapter_{i:03d}" for i in range(count)]
    for language in [*languages, EXTRA_LANGUAGE][:5]:
        source = REPO / "chapters" / (language if language != EXTRA_LANGUAGE else "en")
        target = root / "chapters" / language
        target.mkdir(parents=True)
        text = (source / "_language.yaml").read_text(encoding="utf-8")
        if language == EXTRA_LANGUAGE:
            text = text.replace("code: en", f"code: {EXTRA_LANGUAGE}")
        (target / "_language.yaml").write_text(text, encoding="utf-8")
        chapter = (source / f"{SLUG}.md").read_text(encoding="utf-8")
        for slug in slugs:
            # each copy gets a paragraph of its own, as chapters of a real book differ
            (target / f"{slug}.md").write_text(f"{chapter}\nThis is {slug} of the synthetic book.\n", encoding="utf-8")
    titles = "".join(f"  {lang}: Synthetic book\n" for lang in [*languages, EXTRA_LANGUAGE][:5])
    (root / "book.yaml").write_text(f"title:\n{titles}default_language: en\nchapters:\n"
                                    + "".join(f"  - {slug}\n" for slug in slugs) + "base_url: /ml4a\n",
                                    encoding="utf-8")
    return slugs


def timed_build(options: BuildOptions, make_cache: Callable[[], BuildCache]) -> tuple[float, BuildReport]:
    """Seconds to load the cache (a new process reads it from disk) and build."""
    start = time.perf_counter()
    report = build(options, make_cache())
    seconds = time.perf_counter() - start
    if not report.is_written:
        raise SystemExit("\n".join(str(e) for e in report.errors[:10]))
    return seconds, report


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def served_latency(root: Path, out_dir: Path, edited: Path, rounds: int) -> tuple[list[float], list[str]]:
    """Seconds from saving a chapter to a reader's page showing the new text, measured as a browser
    sees it: `python build.py serve` in its own process, a live-reload event stream open, and the
    page fetched again when the server says "reload". Also returns the server's log lines."""
    command = [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--out", str(out_dir), "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    logged: list[str] = []
    try:
        url = wait_for_url(server, logged)
        page_url = url + "ja/" + edited.stem + "/"
        token = re.search(r'const token = "([^"]+)"', fetch(page_url))
        events = listen(url.split("/ml4a/")[0] + EVENTS_PATH + f"?since={token[1] if token else ''}")
        time.sleep(1.0)  # let the watcher start watching
        times = []
        for number in range(rounds):
            marker = f"edit-marker-{number}"
            start = time.perf_counter()
            append(edited, f"\n{marker}\n")
            while True:
                if events.get(timeout=30) == "reload" and marker in fetch(page_url):
                    break
            times.append(time.perf_counter() - start)
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times, [line for line in logged if line.startswith("built ")]


def wait_for_url(server: subprocess.Popen[str], logged: list[str]) -> str:
    """The address `serve` prints once its first build is served; its output keeps being read into `logged`."""
    assert server.stdout is not None
    for line in server.stdout:
        logged.append(line.strip())
        if line.startswith("serving "):
            threading.Thread(target=lambda: logged.extend(l.strip() for l in server.stdout or ()), daemon=True).start()
            return line.split()[1]
    raise SystemExit("the dev server stopped:\n" + "\n".join(logged))


def fetch(url: str) -> str:
    """The text of a page."""
    with urllib.request.urlopen(url) as response:
        body: bytes = response.read()
    return body.decode("utf-8")


def listen(url: str) -> queue.Queue[str]:
    """The names of the server-sent events on `url`, as they arrive (read on a background thread)."""
    names: queue.Queue[str] = queue.Queue()

    def read() -> None:
        with urllib.request.urlopen(url) as stream:
            for raw in stream:
                line = raw.decode("utf-8").strip()
                if line.startswith("event: "):
                    names.put(line[len("event: "):])
    threading.Thread(target=read, daemon=True).start()
    return names


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5, help="runs of each rebuild (the median is shown)")
    parser.add_argument("--rounds", type=int, default=9, help="served-page edits to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "book"
        slugs = make_book(root, args.chapters)
        edited = root / "chapters" / "ja" / f"{slugs[len(slugs) // 2]}.md"
        options = BuildOptions(root, Path(folder) / "_site")
        full, report = timed_build(options, lambda: BuildCache(root, options.out_dir))
        pages = len(report.pages)
        print(f"full build (cold cache):         {full:8.3f} s  ({pages} pages, {pages / full:.0f} pages/s)")
        new_process = lambda: BuildCache(root, options.out_dir)
        kept: list[BuildCache] = []  # the dev server's cache, made when its rows start, then kept in memory

        def dev_server() -> BuildCache:
            kept[:] = kept or [BuildCache(root, options.out_dir)]
            return kept[0]
        rows: list[tuple[str, Callable[[], BuildCache], bool]] = [
            ("no-change rebuild (new process)", new_process, False),
            ("one-chapter edit (new process)", new_process, True),
            ("no-change rebuild (dev server)", dev_server, False),
            ("one-chapter edit (dev server)", dev_server, True)]
        medians: dict[str, float] = {}
        for label, make_cache, is_editing in rows:
            runs = []
            for number in range(args.repeats):
                if is_editing:
                    append(edited, f"\n{label} {number}.\n")
                runs.append(timed_build(options, make_cache))
            runs.sort(key=lambda run: run[0])
            seconds, report = runs[len(runs) // 2]
            medians[label] = seconds
            stages = ", ".join(f"{name} {value * 1000:.0f} ms" for name, value in report.stage_seconds)
            print(f"{label + ':':33}{seconds:8.3f} s  ({full / seconds:5.1f}x faster than full; median of "
                  f"{len(runs)}: {stages})")
        times, builds = served_latency(root, options.out_dir, edited, args.rounds)
        latencies = sorted(times)
        print("  dev server log of those rebuilds:", "; ".join(line.split(" in ")[1] for line in builds[-args.rounds:]))
        print(f"one-chapter edit -> served page: median {latencies[len(latencies) // 2] * 1000:.0f} ms "
              f"(min {latencies[0] * 1000:.0f}, max {latencies[-1] * 1000:.0f}; {len(latencies)} edits)")
        ratio, served = full / medians["no-change rebuild (new process)"], latencies[len(latencies) // 2]
        print(f"goals: no-change rebuild (python build.py) {ratio:.1f}x faster than full, goal >= 20x: "
              f"{'met' if ratio >= 20 else 'MISSED'}; one-chapter edit served in {served * 1000:.0f} ms (median), "
              f"goal < 200 ms: {'met' if served < 0.2 else 'MISSED'}")


if __name__ == "__main__":
    main()
