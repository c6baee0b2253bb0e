"""Full build, no-change rebuild and one-chapter-edit rebuild of a synthetic 200-chapter x 5-language
book (our chapter replicated), side by side in one run; prints times and ratios.

Run: python tests/benchmarks/bench_incremental.py [--chapters 200]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere, without installing

from textbook.devtools import make_rebuild
from textbook.incremental import BuildCache
from textbook.pipeline import BuildOptions, BuildReport, build
from textbook.serve import run_dev_server

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
            (target / f"{slug}.md").write_text(chapter, encoding="utf-8")
    titles = "".join(f"  {lang}: Synthetic book\n" for lang in [*languages, EXTRA_LANGUAGE][:5])
    (root / "book.yaml").write_text(f"title:\n{titles}default_language: en\nchapters:\n"
                                    + "".join(f"  - {slug}\n" for slug in slugs) + "base_url: /ml4a\n",
                                    encoding="utf-8")
    return slugs


def timed_build(options: BuildOptions, cache: BuildCache | None = None) -> tuple[float, BuildReport]:
    start = time.perf_counter()
    report = build(options, cache)
    seconds = time.perf_counter() - start
    if not report.is_written:
        raise SystemExit("\n".join(str(e) for e in report.errors[:10]))
    return seconds, report


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def served_latency(root: Path, out_dir: Path, edited: Path, rounds: int) -> list[float]:
    """Seconds from saving a chapter to the dev server answering with the new text."""
    logged: list[str] = []
    stop = threading.Event()
    rebuild = make_rebuild(BuildOptions(root, out_dir), logged.append)
    thread = threading.Thread(target=run_dev_server,
                              args=(root, out_dir, "/ml4a", 0, rebuild, logged.append, stop))
    thread.start()
    while not any(line.startswith("serving ") for line in logged):
        time.sleep(0.01)
    url = next(line.split()[1] for line in logged if line.startswith("serving "))
    page_url = url + "ja/" + edited.stem + "/"
    time.sleep(1.0)  # let the watcher start watching
    times = []
    for number in range(rounds):
        marker = f"edit-marker-{number}"
        start = time.perf_counter()
        append(edited, f"\n{marker}\n")
        while marker not in urllib.request.urlopen(page_url).read().decode("utf-8"):
            time.sleep(0.02)  # polling harder would slow the build down (same process, one GIL)
        times.append(time.perf_counter() - start)
        time.sleep(0.5)
    stop.set()
    thread.join()
    builds = [line for line in logged if line.startswith("built ")][-rounds:]
    print("  dev server log of those rebuilds:", "; ".join(line.split(" in ")[1] for line in builds))
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="served-page edits to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "book"
        slugs = make_book(root, args.chapters)
        edited = root / "chapters" / "ja" / f"{slugs[len(slugs) // 2]}.md"
        options = BuildOptions(root, Path(folder) / "_site")
        full, report = timed_build(options, BuildCache(root, options.out_dir))
        pages = len(report.pages)
        print(f"full build (cold cache):         {full:8.3f} s  ({pages} pages, {pages / full:.0f} pages/s)")
        new_process = lambda: BuildCache(root, options.out_dir)
        rows: list[tuple[str, Callable[[], BuildCache], str | None]] = [
            ("no-change rebuild (new process)", new_process, None),
            ("one-chapter edit (new process)", new_process, "\nA.\n")]
        warm = BuildCache(root, options.out_dir, is_saving_chapters=False)  # as the dev server keeps it
        rows += [("warm-up of the dev server's cache", lambda: warm, None),
                 ("no-change rebuild (dev server)", lambda: warm, None),
                 ("one-chapter edit (dev server)", lambda: warm, "\nB.\n")]
        for label, make_cache, addition in rows:
            if addition:
                append(edited, addition)
            seconds, report = timed_build(options, make_cache())
            stages = ", ".join(f"{name} {value * 1000:.0f} ms" for name, value in report.stage_seconds)
            print(f"{label + ':':33}{seconds:8.3f} s  ({full / seconds:5.1f}x faster than full; {stages})")
        latencies = sorted(served_latency(root, options.out_dir, edited, args.rounds))
        print(f"one-chapter edit -> served page: median {latencies[len(latencies) // 2] * 1000:.0f} ms "
              f"(min {latencies[0] * 1000:.0f}, max {latencies[-1] * 1000:.0f}; {len(latencies)} edits)")


if __name__ == "__main__":
    main()
