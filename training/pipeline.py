"""The precompute's parts, what each needs and writes, and the order they run in."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from training import datasets
from training.datasets import Dataset
from training.download import SOURCES, ensure_source
from training.exports import OutputFile
from training.imaging import write_atomic
from training.models import TrainResult, accuracy, predict_proba, train_model
from training.specs import MODEL_SPECS, Inputs, ModelSpec, prepare_inputs

Progress = Callable[[str, int], Callable[[int, float], None]]


@dataclass(frozen=True)
class Trained:
    """A trained model with what the exports need: its inputs and test-set probabilities."""

    spec: ModelSpec
    result: TrainResult
    inputs: Inputs
    test_probs: np.ndarray
    train_accuracy: float
    test_accuracy: float


@dataclass
class Workspace:
    """Datasets and models of one run, each loaded or trained at most once, on first use."""

    data_dir: Path
    base_urls: tuple[str, ...] | None = None
    progress: Progress | None = None
    is_quiet: bool = False
    datasets: dict[str, Dataset] = field(default_factory=dict)
    models: dict[str, Trained] = field(default_factory=dict)
    inputs: dict[tuple[str, bool], Inputs] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)

    def dataset(self, name: str) -> Dataset:
        """The dataset, downloading missing files first."""
        if name not in self.datasets:
            start = time.perf_counter()
            source = SOURCES[name]
            ensure_source(source, self.data_dir, self.base_urls, self.is_quiet)
            folder = self.data_dir / source.folder
            loader = datasets.load_mnist if name == "mnist" else datasets.load_cifar10
            self.datasets[name] = loader(folder)
            self.durations[f"load_{name}"] = time.perf_counter() - start
        return self.datasets[name]

    def model(self, name: str) -> Trained:
        """The trained model named in MODEL_SPECS."""
        if name not in self.models:
            self.models[name] = self._train(MODEL_SPECS[name])
        return self.models[name]

    def _train(self, spec: ModelSpec) -> Trained:
        """Train one model and measure it on the train and test splits."""
        data = self.dataset(spec.dataset)
        key = (spec.dataset, spec.standardize)
        if key not in self.inputs:
            self.inputs[key] = prepare_inputs(data, spec.standardize)
        inputs = self.inputs[key]
        steps = spec.config.total_steps(len(inputs.train))
        on_step = self.progress(spec.name, steps) if self.progress else None
        start = time.perf_counter()
        result = train_model(inputs.train, data.train.labels, len(data.classes), spec.config, on_step,
                             inputs.features)
        self.durations[f"train_{spec.name}"] = time.perf_counter() - start
        probs = predict_proba(result.model, inputs.test, features=inputs.features)
        return Trained(spec, result, inputs, probs,
                       accuracy(result.model, inputs.train, data.train.labels, inputs.features),
                       float(np.mean(probs.argmax(axis=1) == data.test.labels)))


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def dataset_files(data_dir: Path, name: str) -> list[Path]:
    """The files a dataset is read from (after any download), for checksums and stamps."""
    folder = data_dir / SOURCES[name].folder
    if name == "mnist":
        return [datasets.mnist_path(folder, f) for f in datasets.MNIST_FILES.values()]
    source = datasets.cifar_path(folder)
    return [source / m for m in datasets.CIFAR_MEMBERS] if source.is_dir() else [source]


def code_digest() -> str:
    """SHA-256 over this package's source files, so a code change reruns every part."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def part_stamp(code: str, models: tuple[str, ...], dataset_sums: dict[str, dict[str, str]]) -> str:
    """What a part's outputs depend on: code, model specs and dataset checksums, hashed."""
    digest = hashlib.sha256(code.encode())
    for name in models:
        spec = MODEL_SPECS[name]
        digest.update(repr((name, sorted(spec.describe().items()))).encode())
        digest.update(repr(sorted(dataset_sums[spec.dataset].items())).encode())
    return digest.hexdigest()


def write_outputs(root: Path, files: list[OutputFile]) -> int:
    """Write each file atomically unless its bytes are already there; return how many changed."""
    changed = 0
    for item in files:
        path = root / item.path
        if not path.exists() or path.read_bytes() != item.data:
            write_atomic(path, item.data)
            changed += 1
    return changed
