"""Command line of the precompute; the only module that prints or exits."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from training.datasets import DatasetError
from training.parts import PARTS
from training.pipeline import Workspace
from training.run import RunReport, run_parts

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def default_data_dir() -> Path:
    """$XDG_CACHE_HOME/textbook/datasets, or ~/.cache/textbook/datasets."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "textbook" / "datasets"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with the data layout and download behaviour in its help."""
    parser = argparse.ArgumentParser(
        prog="python -m training",
        description="Train the chapter's numpy networks on MNIST and CIFAR-10 and write the figures "
                    "(images/), the demo data (demos/) and training/manifest.json.",
        epilog="Data layout: DIR/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz (or the "
               "uncompressed files) and DIR/cifar-10/cifar-10-python.tar.gz (or an extracted "
               "cifar-10-batches-py/). A missing file is downloaded from the dataset's official "
               "location with a progress bar, checked against the official MD5 and written "
               "atomically; files already present are used as they are. Without network, the error "
               "lists the files to put in place. Example: python -m training --data-dir ../shared/data",
    )
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(),
                        help=f"dataset folder (default: {default_data_dir()})")
    parser.add_argument("--only", action="append", choices=sorted(PARTS), metavar="NAME",
                        help=f"run only this part (repeatable): {', '.join(PARTS)}")
    parser.add_argument("--force", action="store_true", help="rerun parts even if their inputs are unchanged")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT,
                        help="project root to write images/, demos/ and the manifest into")
    parser.add_argument("--mirror", action="append", metavar="URL",
                        help="base URL to download dataset files from instead of the official ones")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the precompute; 0 on success, 1 on a dataset error."""
    args = build_parser().parse_args(argv)
    workspace = Workspace(args.data_dir.resolve(), tuple(args.mirror) if args.mirror else None,
                          None if args.quiet else progress_bar, args.quiet)
    start = time.perf_counter()
    try:
        report = run_parts(args.root.resolve(), workspace, tuple(args.only or ()), args.force)
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(summary(report, time.perf_counter() - start))
    return 0


def progress_bar(name: str, total: int) -> Callable[[int, float], None]:
    """A tqdm bar for one model's training steps, showing the batch loss."""
    bar = tqdm(total=total, desc=f"train {name}", unit="step", leave=True)

    def on_step(step: int, loss: float) -> None:
        bar.update(1)
        if step % 50 == 0 or step == total:
            bar.set_postfix(loss=f"{loss:.3f}", refresh=False)
        if step == total:
            bar.close()

    return on_step


def summary(report: RunReport, seconds: float) -> str:
    """The table printed at the end: models with accuracies, then parts with their status."""
    lines = [f"{'model':<14}{'dataset':<9}{'train acc':>10}{'test acc':>10}{'test n':>8}"]
    for name, model in sorted(report.manifest.get("models", {}).items()):
        acc = model["accuracy"]
        lines.append(f"{name:<14}{model['dataset']:<9}{acc['train']:>10.2%}{acc['test']:>10.2%}"
                     f"{model['test_size']:>8}")
    lines.append("")
    lines.append(f"{'part':<14}{'status':<12}{'files':>6}{'seconds':>9}")
    for part in report.parts:
        lines.append(f"{part.name:<14}{part.status:<12}{len(part.files):>6}{part.seconds:>9.1f}")
    lines.append(f"total {seconds:.1f} s")
    return "\n".join(lines)
