"""Cold build of a synthetic book: our chapter replicated to 200 chapters x 5 languages.

Builds the same book with one worker process and with two, side by side in one run, and prints
pages per second, the time of every stage, the speed-up from the second core and peak memory.
Goal on a 2-core machine: at least 100 pages/s cold with both cores.

Run: python tests/benchmarks/bench_build.py [--chapters 200] [--rounds 2]
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere, without installing
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_incremental import make_book  # noqa: E402  (the same synthetic book as the incremental benchmark)

from textbook.pipeline import BuildOptions, BuildReport, build  # noqa: E402


def cold_build(root: Path, out_dir: Path, jobs: int) -> tuple[float, BuildReport]:
    """One build from nothing (no output folder, no cache); seconds and the report."""
    shutil.rmtree(out_dir, ignore_errors=True)
    start = time.perf_counter()
    report = build(BuildOptions(root, out_dir, jobs=jobs))
    seconds = time.perf_counter() - start
    if not report.is_written:
        raise SystemExit("\n".join(str(e) for e in report.errors[:10]))
    return seconds, report


def peak_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="builds per setting; the median is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "book"
        make_book(root, args.chapters)
        results: dict[int, list[tuple[float, BuildReport]]] = {1: [], 2: []}
        for _ in range(args.rounds):  # interleaved, so both settings see the same machine load
            for jobs in (1, 2):
                results[jobs].append(cold_build(root, Path(tmp) / f"site{jobs}", jobs))
        print(f"synthetic book: {args.chapters} chapters x 5 languages")
        for jobs, runs in results.items():
            seconds = statistics.median(s for s, _ in runs)
            report = runs[0][1]
            pages = len(report.pages)
            print(f"\n{jobs} worker(s): {pages} pages in {seconds:.2f} s = {pages / seconds:.0f} pages/s")
            for stage, stage_seconds in report.stage_seconds:
                print(f"  {stage:<18} {stage_seconds:7.3f} s")
        one = statistics.median(s for s, _ in results[1])
        two = statistics.median(s for s, _ in results[2])
        pages = len(results[2][0][1].pages)
        own, child = peak_mib()
        print(f"\nspeed-up from the second worker: {one / two:.2f}x")
        print(f"cold build with both cores: {pages / two:.0f} pages/s (goal: >= 100 pages/s)")
        print(f"peak memory: {own:.0f} MiB in the main process, {child:.0f} MiB in the largest worker")


if __name__ == "__main__":
    main()
