"""Training on small slices: the loss falls, accuracy beats chance, a seed gives the same bytes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from training.datasets import load_mnist
from training.models import (
    Layer,
    Model,
    TrainConfig,
    accuracy,
    gradients,
    predict_proba,
    train_model,
)

SOFTMAX = TrainConfig(seed=0, epochs=4, batch_size=32, learning_rate=0.05, weight_decay=1e-4,
                      optimizer="momentum")
HIDDEN = TrainConfig(seed=0, epochs=6, batch_size=32, learning_rate=0.01, weight_decay=1e-5,
                     hidden=10, activation="tanh")


def blobs(n: int = 600, dims: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Ten Gaussian clusters in `dims` dimensions, float32."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1.0, (10, dims))
    labels = np.arange(n) % 10
    points = centres[labels] + rng.normal(0, 0.8, (n, dims))
    return points.astype(np.float32), labels


@pytest.mark.parametrize("config", [SOFTMAX, HIDDEN, replace(HIDDEN, activation="relu"),
                                    replace(SOFTMAX, optimizer="adam", learning_rate=0.01)])
def test_loss_falls_and_accuracy_beats_chance(config: TrainConfig) -> None:
    x, y = blobs()
    result = train_model(x, y, 10, config)
    assert result.epoch_losses[-1] < 0.6 * result.epoch_losses[0]
    assert accuracy(result.model, x, y) > 0.5


def test_same_seed_same_bytes_other_seed_other_weights() -> None:
    x, y = blobs()
    first, second = train_model(x, y, 10, HIDDEN), train_model(x, y, 10, HIDDEN)
    other = train_model(x, y, 10, replace(HIDDEN, seed=1))
    for a, b in zip(first.model.layers, second.model.layers):
        assert a.weights.tobytes() == b.weights.tobytes() and a.bias.tobytes() == b.bias.tobytes()
    assert first.model.layers[0].weights.tobytes() != other.model.layers[0].weights.tobytes()


def test_gradients_match_finite_differences() -> None:
    x, y = blobs(n=20, dims=5)
    rng = np.random.default_rng(3)
    model = Model((Layer(rng.normal(size=(5, 4)), rng.normal(size=4)),
                   Layer(rng.normal(size=(4, 10)), rng.normal(size=10))), "tanh")
    x64 = x.astype(np.float64)
    _, grads = gradients(model, x64, y, weight_decay=0.0)
    for layer_index, grad_index in ((0, 0), (1, 2)):
        weights = model.layers[layer_index].weights
        eps = 1e-6
        weights[2, 1] += eps
        plus = gradients(model, x64, y, 0.0)[0]
        weights[2, 1] -= 2 * eps
        minus = gradients(model, x64, y, 0.0)[0]
        weights[2, 1] += eps
        assert grads[grad_index][2, 1] == pytest.approx((plus - minus) / (2 * eps), rel=1e-4)


def test_probabilities_are_distributions() -> None:
    x, y = blobs(n=50)
    probs = predict_proba(train_model(x, y, 10, SOFTMAX).model, x, batch_size=7)
    assert probs.shape == (50, 10) and np.allclose(probs.sum(axis=1), 1.0)


def test_real_mnist_slice(shared_data: Path) -> None:
    data = load_mnist(shared_data / "mnist")
    x = data.train.images[:2000].reshape(2000, -1).astype(np.float32) / 255
    y = data.train.labels[:2000]
    test_x = data.test.images[:500].reshape(500, -1).astype(np.float32) / 255
    result = train_model(x, y, 10, SOFTMAX)
    assert result.epoch_losses[-1] < result.epoch_losses[0]
    assert accuracy(result.model, test_x, data.test.labels[:500]) > 0.75
