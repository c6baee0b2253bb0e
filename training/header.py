"""The chapter's wide header image, made from the learned weights."""

from __future__ import annotations

import numpy as np
from PIL import Image

from training.imaging import robust_limit, to_diverging, to_gray, upscale

HEADER_CREDIT = ("Header: what two one-layer networks trained in this chapter learned, one tile per "
                 "class: the weights for the MNIST digits 0 to 9 (top row; blue negative, red "
                 "positive) and for the ten CIFAR-10 classes (bottom row, in colour).")
BACKDROP = (24, 26, 32)


def header_image(mnist_weights: np.ndarray, cifar_weights: np.ndarray, tile: int = 100,
                 gap: int = 10) -> Image.Image:
    """Two rows of ten tiles on a dark band: MNIST weights (diverging) over CIFAR-10 templates."""
    mnist = [to_diverging(w.reshape(28, 28), robust_limit(w)) for w in mnist_weights.T]
    cifar = [to_gray(w.reshape(32, 32, 3)) for w in cifar_weights.T]
    width = 10 * tile + 11 * gap
    canvas = Image.new("RGB", (width, 2 * tile + 3 * gap), BACKDROP)
    for row, tiles in enumerate((mnist, cifar)):
        for column, pixels in enumerate(tiles):
            factor = -(-tile // pixels.shape[0])
            image = Image.fromarray(upscale(pixels, factor)).resize((tile, tile), Image.Resampling.NEAREST)
            canvas.paste(image, (gap + column * (tile + gap), gap + row * (tile + gap)))
    return canvas
