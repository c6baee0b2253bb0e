"""The parts of the precompute (`--only NAME`): which models each needs and which files it writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from training import diagrams, exports, figures
from training.exports import OutputFile
from training.header import header_image
from training.imaging import encode_png
from training.pipeline import Workspace

FIGURES = "images/figures"


@dataclass(frozen=True)
class Part:
    """A named group of outputs made from the same models."""

    name: str
    models: tuple[str, ...]
    make: Callable[[Workspace], list[OutputFile]]


def figure(name: str, image: Image.Image, colors: int | None = 32, is_photo: bool = False) -> OutputFile:
    """A PNG under images/figures/."""
    return OutputFile(f"{FIGURES}/{name}", encode_png(image, colors, is_photo))


def make_mnist_1layer(ws: Workspace) -> list[OutputFile]:
    """Rolled weights, mistakes, confusion figure and demo, draw-a-digit weights."""
    trained, data = ws.model("mnist_1layer"), ws.dataset("mnist")
    layer = trained.result.model.layers[0]
    test = data.test
    params = {"model": "mnist_1layer", **trained.spec.describe()}
    return [
        figure("rolled_weights_mnist_0.png", figures.rolled_single(layer.weights, 0), colors=None),
        figure("rolled_weights_mnist.png", figures.rolled_grid(layer.weights, (28, 28), data.classes, 5)),
        figure("mnist-mistakes.png", figures.mistakes(test.images, test.labels, trained.test_probs)),
        figure("mnist-confusion-samples.png", figures.confusion_samples(
            test.images, test.labels, trained.test_probs, data.classes), colors=32),
        *exports.confusion_demo("confusion_mnist", "mnist", data.classes, test.images,
                                test.labels, trained.test_probs, 25, params),
        *exports.draw_digit_demo(layer.weights, layer.bias, (trained.inputs.mean, trained.inputs.std),
                                 trained.test_accuracy, params),
    ]


def make_mnist_2layer(ws: Workspace) -> list[OutputFile]:
    """Hidden-layer figures and the mnist_weights demo data."""
    trained, data = ws.model("mnist_2layer"), ws.dataset("mnist")
    first, second = trained.result.model.layers
    params = {"model": "mnist_2layer", **trained.spec.describe()}
    return [
        figure("mnist_hidden_weights.png", figures.hidden_filters(first.weights)),
        figure("mnist_hidden_output_weights.png",
               figures.hidden_output(first.weights, second.weights, data.classes), 24),
        *exports.hidden_weights_demo(first.weights, second.weights, second.bias,
                                     trained.test_accuracy, params),
    ]


def make_cifar_1layer(ws: Workspace) -> list[OutputFile]:
    """CIFAR-10 rolled weights, sample grid, confusion figure and demo."""
    trained, data = ws.model("cifar_1layer"), ws.dataset("cifar10")
    layer = trained.result.model.layers[0]
    test = data.test
    params = {"model": "cifar_1layer", **trained.spec.describe()}
    return [
        figure("rolled_weights_cifar.png",
               figures.rolled_grid(layer.weights, (32, 32, 3), data.classes, 4), 128, is_photo=True),
        figure("cifar-grid.png", figures.class_grid(data.train.images, data.train.labels,
                                                    data.classes, 5, seed=5), 48, is_photo=True),
        figure("cifar-confusion-samples.png", figures.confusion_samples(
            test.images, test.labels, trained.test_probs, data.classes), 40, is_photo=True),
        *exports.confusion_demo("confusion_cifar", "cifar10", data.classes, test.images,
                                test.labels, trained.test_probs, 4, params),
    ]


def make_cifar_2layer(ws: Workspace) -> list[OutputFile]:
    """No files: the two-layer CIFAR-10 network is trained for its accuracy in the manifest."""
    ws.model("cifar_2layer")
    return []


def make_diagrams(ws: Workspace) -> list[OutputFile]:
    """The network diagrams, drawn with real MNIST digits and learned weights."""
    data = ws.dataset("mnist")
    one = ws.model("mnist_1layer").result.model.layers[0]
    two = ws.model("mnist_2layer").result.model.layers[0]
    digit = data.test.images[3]  # a clear "0" (labels start 7 2 1 0)
    return [
        figure("mnist_1layer.png", diagrams.one_layer(digit), 24),
        figure("weights_analogy_1.png", diagrams.analogy_column(digit, one.weights[:, 0])),
        figure("weights_analogy_2.png", diagrams.analogy_grid(digit, one.weights[:, 0])),
        figure("mnist_2layers.png", diagrams.two_layers(digit, two.weights), 24),
    ]


def make_header(ws: Workspace) -> list[OutputFile]:
    """The chapter header from the one-layer MNIST and CIFAR-10 weights."""
    mnist = ws.model("mnist_1layer").result.model.layers[0].weights
    cifar = ws.model("cifar_1layer").result.model.layers[0].weights
    return [OutputFile("images/headers/looking_inside_header.png",
                       encode_png(header_image(mnist, cifar), 128, is_photo=True))]


PARTS = {part.name: part for part in (
    Part("mnist_1layer", ("mnist_1layer",), make_mnist_1layer),
    Part("mnist_2layer", ("mnist_2layer",), make_mnist_2layer),
    Part("cifar_1layer", ("cifar_1layer",), make_cifar_1layer),
    Part("cifar_2layer", ("cifar_2layer",), make_cifar_2layer),
    Part("diagrams", ("mnist_1layer", "mnist_2layer"), make_diagrams),
    Part("header", ("mnist_1layer", "cifar_1layer"), make_header),
)}
