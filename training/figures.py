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
    tags = [f"{labels[i]} → {predicted[i]}\n{confidence[i]:.1%}" for i in chosen]
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
    pad = 6
    step = size + 2 * pad
    n = len(classes)
    label_font = font(18)
    widest = max(int(label_font.getlength(name)) for name in classes)
    is_turned = widest > step - 6  # column labels that do not fit are written upwards
    left = 50 + widest + 12
    top = 50 + (widest + 12 if is_turned else 30)
    canvas = Image.new("RGB", (left + n * step + 4, top + n * step + 4), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    for k, name in enumerate(classes):
        centre = left + k * step + step / 2
        if is_turned:
            _turned_text(canvas, name, (int(centre), top - 8), 18, is_bold=False, anchor="rm")
        else:
            draw_centered(draw, (centre, top - 18), name, 18)
        draw.text((left - 12, top + k * step + step / 2), name, fill=INK, anchor="rm", font=label_font)
    draw_centered(draw, (left + n * step / 2, 22), "predicted →", 22, is_bold=True)
    _turned_text(canvas, "actual →", (22, top + n * step // 2), 22, is_bold=True, anchor="mm")
    for actual in range(n):
        for guess in range(n):
            x, y = left + guess * step, top + actual * step
            found = cells[actual][guess]
            fill = EMPTY if not found else GOOD if actual == guess else BAD
            draw.rectangle((x + 2, y + 2, x + step - 2, y + step - 2), fill=fill)
            if found:
                canvas.paste(Image.fromarray(as_rgb(upscale(images[found[0]], scale))), (x + pad, y + pad))
    return canvas


def _turned_text(canvas: Image.Image, text: str, point: tuple[int, int], size: int,
                 is_bold: bool, anchor: str) -> None:
    """Text rotated to read upwards; "mm" centres it on the point, "rm" ends it there."""
    text_font = font(size, is_bold)
    width, height = int(text_font.getlength(text)) + 4, size + 8
    strip = Image.new("RGB", (width, height), BACKGROUND)
    ImageDraw.Draw(strip).text((2, height / 2), text, fill=INK, font=text_font, anchor="lm")
    turned = strip.rotate(90, expand=True)
    x = point[0] - height // 2
    y = point[1] - width // 2 if anchor == "mm" else point[1] - width
    canvas.paste(turned, (x, y))


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

