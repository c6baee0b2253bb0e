"""Demo data: confusion-matrix explorers, the two-layer MNIST weights, the draw-a-digit weights."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from training.imaging import (
    encode_jpeg,
    encode_png,
    gray_palette_image,
    robust_limit,
    to_diverging,
)

SCHEMA_VERSION = 1
JPEG_QUALITY = 70  # CIFAR-10 sprite: keeps the demo under its size budget, tiles still clear


@dataclass(frozen=True)
class OutputFile:
    """A file the precompute writes: its path relative to the project root and its bytes."""

    path: str
    data: bytes


def dump_json(value: Any, is_compact: bool = True) -> bytes:
    """JSON with sorted keys (compact, or indented for files people read) and a final newline."""
    if is_compact:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    else:
        text = json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode()


def significant(values: np.ndarray, digits: int) -> list[Any]:
    """Nested lists of floats rounded to `digits` significant digits (short JSON).

    Values below 1e-4 of the largest become 0: they change no score, and "-1.106e-08" costs bytes.
    """
    values = np.where(np.abs(values) < 1e-4 * float(np.abs(values).max()), 0.0, values)
    text = np.array2string(values, separator=",", threshold=values.size + 1,
                           formatter={"float_kind": lambda v: f"{v:.{digits}g}"})
    parsed: list[Any] = json.loads(text)
    return parsed


def confusion_counts(labels: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """counts[actual][predicted] as an (n, n) int array."""
    counts = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(counts, (labels, predicted), 1)
    return counts


def ranked_cells(labels: np.ndarray, probs: np.ndarray, per_cell: int) -> list[list[list[int]]]:
    """For each (actual, predicted) cell, up to `per_cell` example indices, most confident first."""
    predicted = probs.argmax(axis=1)
    confidence = probs[np.arange(len(labels)), predicted]
    order = np.lexsort((np.arange(len(labels)), -confidence))  # ties: lower index first
    n = probs.shape[1]
    cells: list[list[list[int]]] = [[[] for _ in range(n)] for _ in range(n)]
    for index in order:
        cell = cells[labels[index]][predicted[index]]
        if len(cell) < per_cell:
            cell.append(int(index))
    return cells


def sprite_sheet(images: np.ndarray, columns: int) -> np.ndarray:
    """Tiles laid out row by row: tile i at x = (i % columns) * size, y = (i // columns) * size."""
    count, size = len(images), images.shape[1]
    rows = max(1, -(-count // columns))
    sheet = np.zeros((rows * size, columns * size, *images.shape[3:]), np.uint8)
    for i, tile in enumerate(images):
        y, x = (i // columns) * size, (i % columns) * size
        sheet[y:y + size, x:x + size] = tile
    return sheet


def confusion_demo(name: str, dataset: str, classes: tuple[str, ...], images: np.ndarray,
                   labels: np.ndarray, probs: np.ndarray, per_cell: int,
                   params: dict[str, Any]) -> list[OutputFile]:
    """data.json and the sprite sheet of a confusion-matrix explorer."""
    cells = ranked_cells(labels, probs, per_cell)
    flat = [index for row in cells for cell in row for index in cell]
    columns = 32
    sheet = sprite_sheet(images[flat], columns)
    is_color = images.ndim == 4
    sprite_name = "sprite.jpg" if is_color else "sprite.png"
    data = (encode_jpeg(Image.fromarray(sheet), quality=JPEG_QUALITY) if is_color
            else encode_png(gray_palette_image(sheet, levels=4), colors=None))  # 2-bit: looks the same
    predicted = probs.argmax(axis=1)
    confidence = probs[np.arange(len(labels)), predicted]
    sprite_of = {index: position for position, index in enumerate(flat)}
    document = {
        "schema_version": SCHEMA_VERSION, "dataset": dataset, "classes": list(classes),
        "accuracy": round(float(np.mean(predicted == labels)), 4),
        "counts": confusion_counts(labels, predicted, len(classes)).tolist(),
        "cells": [[[{"sprite": sprite_of[i], "confidence": round(float(confidence[i]), 4)}
                    for i in cell] for cell in row] for row in cells],
        "sprite": {"file": sprite_name, "tile": int(images.shape[1]), "columns": columns,
                   "count": len(flat), "channels": 3 if is_color else 1},
        "params": {**params, "per_cell": per_cell, "test_images": len(labels)},
    }
    return [OutputFile(f"demos/{name}/data.json", dump_json(document)),
            OutputFile(f"demos/{name}/{sprite_name}", data)]


def hidden_weights_demo(first: np.ndarray, second: np.ndarray, output_bias: np.ndarray,
                        accuracy: float, params: dict[str, Any]) -> list[OutputFile]:
    """mnist_weights: hidden filters as a sprite (diverging colours) and the output weights."""
    filters = first.T.reshape(-1, 28, 28)
    limit = robust_limit(filters)
    sheet = sprite_sheet(np.stack([to_diverging(f, limit) for f in filters]), len(filters))
    document = {
        "schema_version": SCHEMA_VERSION,
        "hidden": {"file": "hidden.png", "tile": 28, "columns": len(filters), "count": len(filters),
                   "colormap": "RdBu_r: blue negative, white zero, red positive",
                   "limit": round(limit, 4)},
        "output_weights": significant(second.T, 4),  # [class][hidden]
        "output_bias": significant(output_bias, 4),
        "accuracy": round(accuracy, 4), "params": params,
    }
    return [OutputFile("demos/mnist_weights/data.json", dump_json(document)),
            OutputFile("demos/mnist_weights/hidden.png", encode_png(Image.fromarray(sheet), colors=64))]


def draw_digit_demo(weights: np.ndarray, bias: np.ndarray, scaling: tuple[tuple[float, ...], tuple[float, ...]],
                    accuracy: float, params: dict[str, Any]) -> list[OutputFile]:
    """draw_digit: the one-layer MNIST weights [class][784] and biases, and the input scaling the network
    was trained with (`scaling`: the mean and std of each channel, in pixel/255 units)."""
    mean, std = (values[0] if len(values) == 1 else list(values) for values in scaling)
    document = {
        "schema_version": SCHEMA_VERSION,
        "weights": significant(weights.T, 3), "bias": significant(bias, 4),
        "input": {"scale": "pixel/255", "mean": mean, "std": std, "size": [28, 28],
                  "layout": "row-major, white digit (255) on black (0), as in MNIST"},
        "accuracy": round(accuracy, 4), "params": params,
    }
    return [OutputFile("demos/draw_digit/data.json", dump_json(document))]
