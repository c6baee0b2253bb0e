"""Pure-numpy classifiers: softmax regression and a one-hidden-layer network, trained with Adam."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

FloatArray = np.ndarray
# Turns a batch of stored rows (e.g. uint8 pixels) into network inputs. Done batch by batch so a
# float copy of a whole dataset is never allocated (on CIFAR-10 that alone took seconds).
Features = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run; `hidden=0` means no hidden layer."""

    seed: int
    epochs: int
    batch_size: int
    learning_rate: float
    weight_decay: float
    hidden: int = 0
    activation: str = "tanh"
    optimizer: str = "adam"  # or "momentum": SGD with momentum 0.9

    def total_steps(self, examples: int) -> int:
        """How many mini-batches training on `examples` examples takes (the last batch may be short)."""
        return self.epochs * -(-examples // self.batch_size)


@dataclass(frozen=True)
class Layer:
    """A dense layer: `x @ weights + bias`; weights have shape (inputs, outputs)."""

    weights: FloatArray
    bias: FloatArray


@dataclass(frozen=True)
class Model:
    """A stack of dense layers; the hidden ones use `activation`, the last one softmax."""

    layers: tuple[Layer, ...]
    activation: str


@dataclass(frozen=True)
class TrainResult:
    """The trained model and the mean training loss of each epoch."""

    model: Model
    epoch_losses: tuple[float, ...]


ACTIVATIONS: dict[str, tuple[Callable[[FloatArray], FloatArray], Callable[[FloatArray], FloatArray]]] = {
    # name -> (function, derivative expressed with the function's output)
    "tanh": (np.tanh, lambda a: 1.0 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(a.dtype)),
}


def init_model(n_inputs: int, n_classes: int, config: TrainConfig) -> Model:
    """Initial weights: zeros for softmax regression, scaled Gaussians for a hidden layer."""
    if config.hidden == 0:
        return Model((Layer(np.zeros((n_inputs, n_classes), np.float32),
                            np.zeros(n_classes, np.float32)),), config.activation)
    rng = np.random.default_rng(config.seed)
    first = rng.normal(0.0, 1.0 / np.sqrt(n_inputs), (n_inputs, config.hidden))
    second = rng.normal(0.0, 1.0 / np.sqrt(config.hidden), (config.hidden, n_classes))
    return Model((Layer(first.astype(np.float32), np.zeros(config.hidden, np.float32)),
                  Layer(second.astype(np.float32), np.zeros(n_classes, np.float32))),
                 config.activation)


def softmax(logits: FloatArray) -> FloatArray:
    """Row-wise softmax, stable for large logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


def forward(model: Model, x: FloatArray) -> list[FloatArray]:
    """Activations of every layer, the input first and the class probabilities last."""
    function = ACTIVATIONS[model.activation][0]
    outputs = [x]
    for index, layer in enumerate(model.layers):
        z = outputs[-1] @ layer.weights + layer.bias
        is_last = index == len(model.layers) - 1
        outputs.append(softmax(z) if is_last else function(z))
    return outputs


def predict_proba(model: Model, x: np.ndarray, batch_size: int = 4096,
                  features: Features | None = None) -> FloatArray:
    """Class probabilities for every row of `x` (after `features`), shape (N, classes)."""
    prepare = features or _identity
    parts = [forward(model, prepare(x[start:start + batch_size]))[-1]
             for start in range(0, len(x), batch_size)]
    return np.concatenate(parts, axis=0)


def accuracy(model: Model, x: np.ndarray, y: np.ndarray, features: Features | None = None) -> float:
    """Fraction of rows whose most probable class is the label."""
    return float(np.mean(predict_proba(model, x, features=features).argmax(axis=1) == y))


def _identity(x: np.ndarray) -> np.ndarray:
    return x


def gradients(model: Model, x: FloatArray, y: np.ndarray,
              weight_decay: float) -> tuple[float, list[FloatArray]]:
    """Cross-entropy loss of a batch and the gradients of every weight and bias, in order."""
    outputs = forward(model, x)
    probs = outputs[-1]
    n = len(y)
    loss = float(-np.mean(np.log(probs[np.arange(n), y] + 1e-12)))
    delta = probs.copy()
    delta[np.arange(n), y] -= 1.0
    delta /= n
    derivative = ACTIVATIONS[model.activation][1]
    grads: list[FloatArray] = []
    for index in range(len(model.layers) - 1, -1, -1):
        layer = model.layers[index]
        grads[:0] = [outputs[index].T @ delta + weight_decay * layer.weights, delta.sum(axis=0)]
        if index > 0:
            delta = (delta @ layer.weights.T) * derivative(outputs[index])
    return loss, grads


def train_model(x: np.ndarray, y: np.ndarray, n_classes: int, config: TrainConfig,
                on_step: Callable[[int, float], None] | None = None,
                features: Features | None = None) -> TrainResult:
    """Mini-batch Adam (or momentum SGD) with a cosine-decayed learning rate; same seed, same weights."""
    prepare = features or _identity
    model = init_model(x.shape[1], n_classes, config)
    params = [array for layer in model.layers for array in (layer.weights, layer.bias)]
    moments = [np.zeros_like(p) for p in params]
    squares = [np.zeros_like(p) for p in params]
    rng = np.random.default_rng(config.seed + 1)
    total_steps = config.total_steps(len(y))
    step = 0
    losses: list[float] = []
    for _ in range(config.epochs):
        order = rng.permutation(len(y))
        epoch_loss = 0.0
        for start in range(0, len(y), config.batch_size):
            batch = order[start:start + config.batch_size]
            loss, grads = gradients(model, prepare(x[batch]), y[batch], config.weight_decay)
            step += 1
            rate = config.learning_rate * 0.5 * (1.0 + np.cos(np.pi * (step - 1) / total_steps))
            if config.optimizer == "adam":
                _adam_update(params, grads, moments, squares, float(rate), step)
            else:
                _momentum_update(params, grads, moments, float(rate))
            epoch_loss += loss * len(batch)
            if on_step is not None:
                on_step(step, loss)
        losses.append(epoch_loss / len(y))
    return TrainResult(model, tuple(losses))


def _adam_update(params: list[FloatArray], grads: list[FloatArray], moments: list[FloatArray],
                 squares: list[FloatArray], rate: float, step: int,
                 beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
    """One in-place Adam step on every parameter array."""
    correction = np.sqrt(1.0 - beta2 ** step) / (1.0 - beta1 ** step)
    for param, grad, moment, square in zip(params, grads, moments, squares):
        moment *= beta1
        moment += (1.0 - beta1) * grad
        square *= beta2
        square += (1.0 - beta2) * grad * grad
        param -= (rate * correction) * moment / (np.sqrt(square) + eps)


def _momentum_update(params: list[FloatArray], grads: list[FloatArray], velocities: list[FloatArray],
                     rate: float, momentum: float = 0.9) -> None:
    """One in-place step of SGD with momentum; it keeps linear weights in the span of the inputs."""
    for param, grad, velocity in zip(params, grads, velocities):
        velocity *= momentum
        velocity += grad
        param -= rate * velocity
