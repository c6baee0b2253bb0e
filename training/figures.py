"""Static figures for the chapter, composed with Pillow at twice their display size."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from training.exports import ranked_cells
from training.imaging import (
    BACKGROUND,
    INK,
    as_rgb,
    draw_centered,
    font,
    robust_limit,
    tile_row,
    to_diverging,
    to_gray,
    upscale,
)

GOOD = (46, 139, 87)
BAD = (200, 60, 50)
EMPTY = (238, 238, 238)


def rolled_weights(weights: np.ndarray, shape: tuple[int, ...]) -> list[np.ndarray]:
    """Each class's incoming weights reshaped to an image, lowest black, highest white."""
    return [to_gray(column.reshape(shape)) for column in weights.T]


def rolled_single(weights: np.ndarray, index: int, scale: int = 8) -> Image.Image:
    """One output neuron's weights as a 28x28 gray image, enlarged."""
    return Image.fromarray(upscale(rolled_weights(weights, (28, 28))[index], scale))


def rolled_grid(weights: np.ndarray, shape: tuple[int, ...], classes: tuple[str, ...],
                scale: int) -> Image.Image:
    """All classes' rolled weights in a row, labelled with the class names."""
    return tile_row(rolled_weights(weights, shape), list(classes), scale, gap=12, label_size=22)


def mistakes(images: np.ndarray, labels: np.ndarray, probs: np.ndarray, count: int = 8,
             scale: int = 4) -> Image.Image:
    """The most confidently wrong predictions, labelled "actual → predicted (confidence)"."""
    predicted = probs.argmax(axis=1)
    confidence = probs[np.arange(len(labels)), predicted]
    wrong = np.flatnonzero(predicted != labels)
    chosen = wrong[np.lexsort((wrong, -confidence[wrong]))][:count]
    tags = [f"{labels[i]} → {predicted[i]}  {confidence[i]:.0%}" for i in chosen]
    if not tags:  # a perfect classifier (only ever on toy data)
        canvas = Image.new("RGB", (400, 60), BACKGROUND)
        draw_centered(ImageDraw.Draw(canvas), (200, 30), "no mistakes", 20)
        return canvas
    return tile_row([images[i] for i in chosen], tags, scale, gap=16, label_size=20)


def confusion_samples(images: np.ndarray, labels: np.ndarray, probs: np.ndarray,
                      classes: tuple[str, ...], scale: int = 2) -> Image.Image:
    """The 10x10 grid (rows actual, columns predicted) with each cell's most confident example."""
    cells = ranked_cells(labels, probs, 1)
    size = images.shape[1] * scale
    pad, head = 6, 96
    step = size + 2 * pad
    n = len(classes)
    canvas = Image.new("RGB", (head + n * step + 4, head + n * step + 4), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    for k, name in enumerate(classes):
        draw_centered(draw, (head + k * step + step / 2, head - 18), name[:6], 18)
        draw_centered(draw, (head - 40, head + k * step + step / 2), name[:8], 18)
    draw_centered(draw, (head + n * step / 2, 22), "predicted →", 22, is_bold=True)
    _vertical_label(canvas, "actual →", (22, head + n * step // 2))
    for actual in range(n):
        for guess in range(n):
            x, y = head + guess * step, head + actual * step
            frame = GOOD if actual == guess else BAD
            found = cells[actual][guess]
            draw.rectangle((x + 2, y + 2, x + step - 2, y + step - 2),
                           fill=EMPTY if not found else frame)
            if found:
                tile = as_rgb(upscale(images[found[0]], scale))
                canvas.paste(Image.fromarray(tile), (x + pad, y + pad))
    return canvas


def _vertical_label(canvas: Image.Image, text: str, center: tuple[int, int]) -> None:
    """Bold text turned 90 degrees, centred on a point (for the rows' axis title)."""
    strip = Image.new("RGB", (240, 40), BACKGROUND)
    draw_centered(ImageDraw.Draw(strip), (120, 20), text, 22, is_bold=True)
    turned = strip.rotate(90, expand=True)
    canvas.paste(turned, (center[0] - 20, center[1] - 120))


def class_grid(images: np.ndarray, labels: np.ndarray, classes: tuple[str, ...], per_class: int,
               seed: int, scale: int = 2) -> Image.Image:
    """A random sample of each class, one row per class, the class name on the left."""
    rng = np.random.default_rng(seed)
    size = images.shape[1] * scale
    head, gap = 150, 4
    canvas = Image.new("RGB", (head + per_class * (size + gap), len(classes) * (size + gap) + gap),
                       BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    for row, name in enumerate(classes):
        chosen = np.sort(rng.choice(np.flatnonzero(labels == row), per_class, replace=False))
        y = gap + row * (size + gap)
        draw.text((head - 12, y + size / 2), name, fill=INK, anchor="rm", font=font(22))
        for column, index in enumerate(chosen):
            canvas.paste(Image.fromarray(upscale(images[index], scale)),
                         (head + column * (size + gap), y))
    return canvas


def hidden_filters(first: np.ndarray, scale: int = 5) -> Image.Image:
    """The hidden neurons' incoming weights as 28x28 images on a diverging map (white = 0)."""
    filters = first.T.reshape(-1, 28, 28)
    limit = robust_limit(filters)
    tiles = [to_diverging(f, limit) for f in filters]
    return tile_row(tiles, [f"h{k + 1}" for k in range(len(tiles))], scale, gap=12, label_size=22)


def hidden_output(first: np.ndarray, second: np.ndarray, classes: tuple[str, ...],
                  scale: int = 3) -> Image.Image:
    """Hidden filters along the top; below, the weight from each hidden neuron to each class."""
    filters = first.T.reshape(-1, 28, 28)
    limit = robust_limit(filters)
    size = 28 * scale
    gap, head = 8, 60
    step = size + gap
    n_hidden, n_classes = second.shape
    top = gap + size + 16
    canvas = Image.new("RGB", (head + n_hidden * step + gap, top + n_classes * 44 + gap), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    out_limit = float(np.abs(second).max())
    for h in range(n_hidden):
        x = head + h * step
        canvas.paste(Image.fromarray(upscale(to_diverging(filters[h], limit), scale)), (x, gap))
        for c in range(n_classes):
            value = float(second[h, c])
            color = tuple(int(v) for v in to_diverging(np.array([value]), out_limit)[0])
            y = top + c * 44
            draw.rectangle((x, y, x + size - 1, y + 40), fill=color)
            ink = (255, 255, 255) if abs(value) > 0.6 * out_limit else (34, 34, 34)
            draw_centered(draw, (x + size / 2, y + 20), f"{value:+.1f}", 18, fill=ink)
    for c, name in enumerate(classes):
        draw_centered(draw, (head / 2, top + c * 44 + 20), name, 22, is_bold=True)
    return canvas

