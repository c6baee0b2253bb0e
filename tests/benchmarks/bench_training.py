"""Benchmark: our one-layer MNIST classifier against scikit-learn's LogisticRegression.

Both train on the same standardized MNIST (shared data, all 60,000 training images) in the same
run, with one BLAS thread each (as `python -m training` uses); prints both test accuracies and
the time ratio. Goal: our accuracy >= scikit-learn's, at least 10x faster.

    python tests/benchmarks/bench_training.py [--data-dir ../shared/data]
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere, without installing

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from training.datasets import load_mnist
from training.models import accuracy, train_model
from training.specs import MODEL_SPECS

ROOT = Path(__file__).resolve().parents[2]


def standardized(data_dir: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MNIST rows standardized per pixel with the training set's mean and std (constant pixels: 1)."""
    data = load_mnist(data_dir / "mnist")
    train = data.train.images.reshape(len(data.train.images), -1).astype(np.float32) / 255
    test = data.test.images.reshape(len(data.test.images), -1).astype(np.float32) / 255
    mean, std = train.mean(axis=0), train.std(axis=0)
    std[std == 0] = 1.0
    return (train - mean) / std, data.train.labels, (test - mean) / std, data.test.labels


def main() -> None:
    """Train both, print accuracies, seconds and the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    x, y, test_x, test_y = standardized(args.data_dir)
    config = MODEL_SPECS["mnist_1layer"].config

    start = time.perf_counter()
    ours = train_model(x, y, 10, config)
    ours_seconds = time.perf_counter() - start
    ours_accuracy = accuracy(ours.model, test_x, test_y)

    print(f"test images: {len(test_y)}, training images: {len(y)}")
    print(f"ours    ({config.optimizer}, {config.epochs} epochs): accuracy {ours_accuracy:.4f}, "
          f"{ours_seconds:.2f} s")
    for max_iter in (100, 200):  # scikit-learn's default, and enough for lbfgs to converge
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # reported below instead
            reference = LogisticRegression(max_iter=max_iter).fit(x, y)
        seconds = time.perf_counter() - start
        converged = "converged" if reference.n_iter_.max() < max_iter else "not converged"
        score = float(np.mean(reference.predict(test_x) == test_y))
        print(f"sklearn (LogisticRegression lbfgs, max_iter={max_iter}, {converged}): accuracy {score:.4f}, "
              f"{seconds:.2f} s; ratio sklearn/ours {seconds / ours_seconds:.1f}x, "
              f"accuracy ours - sklearn {ours_accuracy - score:+.4f}")


if __name__ == "__main__":
    main()
