"""The chapter's models: which dataset, how inputs are prepared, and their hyper-parameters."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from training.datasets import Dataset
from training.models import TrainConfig


@dataclass(frozen=True)
class ModelSpec:
    """One model of the chapter: `name` is used in the manifest and by `--only`."""

    name: str
    dataset: str
    config: TrainConfig
    standardize: bool  # per-channel mean/std after scaling pixels to [0, 1]

    def describe(self) -> dict[str, Any]:
        """The spec as plain JSON-ready values, for the manifest and the exports' params."""
        return {"dataset": self.dataset, "standardize": self.standardize, **asdict(self.config)}


MODEL_SPECS = {
    spec.name: spec for spec in (
        # Some weight decay makes the rolled weights read as templates at ~0.1% of accuracy.
        ModelSpec("mnist_1layer", "mnist", TrainConfig(seed=1, epochs=6, batch_size=256,
                                                       learning_rate=0.005, weight_decay=3e-4), False),
        ModelSpec("mnist_2layer", "mnist", TrainConfig(seed=2, epochs=10, batch_size=64,
                                                       learning_rate=0.005, weight_decay=1e-3,
                                                       hidden=10, activation="tanh"), False),
        # Momentum SGD keeps the weights in the span of the training images, so the CIFAR-10
        # templates come out smoother than with Adam's per-weight step sizes.
        ModelSpec("cifar_1layer", "cifar10", TrainConfig(seed=3, epochs=8, batch_size=256,
                                                         learning_rate=0.003, weight_decay=0.03,
                                                         optimizer="momentum"), True),
        ModelSpec("cifar_2layer", "cifar10", TrainConfig(seed=4, epochs=8, batch_size=128,
                                                         learning_rate=0.002, weight_decay=0.001,
                                                         hidden=10, activation="tanh"), True),
    )
}


@dataclass(frozen=True)
class Inputs:
    """A dataset's images as uint8 rows (row-major H, W, C) and how they become network inputs."""

    train: np.ndarray
    test: np.ndarray
    mean: tuple[float, ...]
    std: tuple[float, ...]

    def features(self, rows: np.ndarray) -> np.ndarray:
        """(pixel / 255 - mean) / std per channel, as float32."""
        offset, scale = self._affine
        features: np.ndarray = (rows.astype(np.float32) - offset) * scale
        return features

    @functools.cached_property
    def _affine(self) -> tuple[np.ndarray, np.ndarray]:
        """The per-column offset and scale of `features`, made once (it runs for every mini-batch)."""
        repeat = self.train.shape[1] // len(self.mean)
        return (np.tile(np.array(self.mean, np.float32) * 255.0, repeat),
                np.tile(1.0 / (np.array(self.std, np.float32) * 255.0), repeat))


def prepare_inputs(dataset: Dataset, standardize: bool) -> Inputs:
    """The rows and preprocessing: pixels / 255, optionally standardized per channel on train."""
    channels = dataset.train.images.shape[-1] if dataset.train.images.ndim == 4 else 1
    mean, std = channel_stats(dataset.train.images, channels) if standardize else ((0.0,), (1.0,))
    train = dataset.train.images.reshape(len(dataset.train.images), -1)
    test = dataset.test.images.reshape(len(dataset.test.images), -1)
    return Inputs(train, test, mean, std)


def channel_stats(images: np.ndarray, channels: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Mean and std of each channel in [0, 1] units, rounded (they are published in the manifest)."""
    planes = [images] if channels == 1 else [images[..., c] for c in range(channels)]
    counts = np.stack([np.bincount(plane.reshape(-1), minlength=256) for plane in planes])
    levels = np.arange(256, dtype=np.float64) / 255.0
    n = counts.sum(axis=1)
    mean = counts @ levels / n
    std = np.sqrt(counts @ (levels * levels) / n - mean * mean)
    return tuple(round(float(m), 6) for m in mean), tuple(round(float(s), 6) for s in std)
