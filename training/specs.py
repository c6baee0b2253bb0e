"""The chapter's models: which dataset, how inputs are prepared, and their hyper-parameters."""

from __future__ import annotations

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
        # Momentum SGD keeps the weights in the span of the training images, so they read as
        # templates; Adam's per-weight scaling makes them noisier for the same accuracy.
        ModelSpec("mnist_1layer", "mnist", TrainConfig(seed=1, epochs=15, batch_size=64,
                                                       learning_rate=0.05, weight_decay=3e-5,
                                                       optimizer="momentum"), False),
        ModelSpec("mnist_2layer", "mnist", TrainConfig(seed=2, epochs=10, batch_size=64,
                                                       learning_rate=0.005, weight_decay=1e-5,
                                                       hidden=10, activation="tanh"), False),
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
    """Network inputs for a dataset: flattened float32 rows and the preprocessing that made them."""

    train: np.ndarray
    test: np.ndarray
    mean: tuple[float, ...]
    std: tuple[float, ...]


def prepare_inputs(dataset: Dataset, standardize: bool) -> Inputs:
    """Pixels / 255, flattened row-major (H, W, C); optionally standardized per channel on train."""
    train = dataset.train.images.reshape(len(dataset.train.images), -1).astype(np.float32) / 255.0
    test = dataset.test.images.reshape(len(dataset.test.images), -1).astype(np.float32) / 255.0
    if not standardize:
        return Inputs(train, test, (0.0,), (1.0,))
    channels = dataset.train.images.shape[-1] if dataset.train.images.ndim == 4 else 1
    per_channel = train.reshape(len(train), -1, channels)
    mean = per_channel.mean(axis=(0, 1), dtype=np.float64)
    std = per_channel.std(axis=(0, 1), dtype=np.float64)
    mean_row = np.tile(mean, train.shape[1] // channels).astype(np.float32)
    std_row = np.tile(std, train.shape[1] // channels).astype(np.float32)
    return Inputs((train - mean_row) / std_row, (test - mean_row) / std_row,
                  tuple(round(float(m), 6) for m in mean), tuple(round(float(s), 6) for s in std))
