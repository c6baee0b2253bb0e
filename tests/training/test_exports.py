"""Demo data: schemas, sprite sheet coordinates, ordering by confidence, the draw-a-digit scores."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
from PIL import Image

from training.exports import (
    confusion_demo,
    draw_digit_demo,
    hidden_weights_demo,
    ranked_cells,
    sprite_sheet,
)


def fake_predictions(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels and softmax-like probabilities, right about 60% of the time."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    logits = rng.normal(0, 1, (n, 10))
    logits[np.arange(n), labels] += rng.choice([0.0, 3.0], n, p=[0.4, 0.6])
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return labels, probs


def check_confusion_schema(doc: dict[str, Any], n: int, per_cell: int) -> None:
    """Every field the demos read, with its type and the invariants between fields."""
    assert doc["schema_version"] == 1 and doc["dataset"] in ("mnist", "cifar10")
    assert len(doc["classes"]) == 10 and all(isinstance(c, str) for c in doc["classes"])
    counts, cells, sprite = doc["counts"], doc["cells"], doc["sprite"]
    assert sum(map(sum, counts)) == n and all(isinstance(v, int) for row in counts for v in row)
    assert doc["accuracy"] == round(sum(counts[k][k] for k in range(10)) / n, 4)
    assert set(sprite) == {"file", "tile", "columns", "count", "channels"}
    seen = []
    for a in range(10):
        for p in range(10):
            cell = cells[a][p]
            assert len(cell) == min(counts[a][p], per_cell)
            assert all(set(e) == {"sprite", "confidence"} for e in cell)
            confidences = [e["confidence"] for e in cell]
            assert confidences == sorted(confidences, reverse=True)
            seen += [e["sprite"] for e in cell]
    assert sorted(seen) == list(range(sprite["count"]))
    assert isinstance(doc["params"], dict) and doc["params"]["per_cell"] == per_cell


def tile_at(sheet: np.ndarray, index: int, tile: int, columns: int) -> np.ndarray:
    """The tile the demo would draw: x = (i % columns) * tile, y = floor(i / columns) * tile."""
    x, y = (index % columns) * tile, (index // columns) * tile
    return sheet[y:y + tile, x:x + tile]


def test_mnist_confusion_sprite_points_at_the_right_images() -> None:
    n = 300
    labels, probs = fake_predictions(n)
    rng = np.random.default_rng(1)
    images = (rng.integers(0, 4, (n, 28, 28)) * 85).astype(np.uint8)  # exact in the sprite's 4 grays
    files = confusion_demo("confusion_mnist", "mnist", tuple("0123456789"), images, labels, probs, 25, {})
    assert [f.path for f in files] == ["demos/confusion_mnist/data.json", "demos/confusion_mnist/sprite.png"]
    doc = json.loads(files[0].data)
    check_confusion_schema(doc, n, 25)
    sheet = np.asarray(Image.open(io.BytesIO(files[1].data)).convert("L"))
    spec = doc["sprite"]
    assert (spec["file"], spec["tile"], spec["channels"]) == ("sprite.png", 28, 1)
    predicted = probs.argmax(axis=1)
    for a, p in [(labels[0], predicted[0]), (3, 3), (labels[7], predicted[7])]:
        expected = [i for i in np.argsort(-probs.max(axis=1), kind="stable")
                    if labels[i] == a and predicted[i] == p][:25]
        for entry, index in zip(doc["cells"][a][p], expected):
            assert np.array_equal(tile_at(sheet, entry["sprite"], 28, spec["columns"]), images[index])
            assert entry["confidence"] == round(float(probs[index].max()), 4)


def test_cifar_confusion_sprite_is_a_colour_jpeg_with_the_right_tiles() -> None:
    n = 200
    labels, probs = fake_predictions(n, seed=2)
    colours = np.random.default_rng(3).integers(20, 235, (n, 3))
    images = np.broadcast_to(colours[:, None, None, :], (n, 32, 32, 3)).astype(np.uint8)
    files = confusion_demo("confusion_cifar", "cifar10", tuple(f"c{k}" for k in range(10)), images,
                           labels, probs, 6, {})
    doc = json.loads(files[0].data)
    check_confusion_schema(doc, n, 6)
    assert files[1].path.endswith("sprite.jpg") and doc["sprite"]["channels"] == 3
    sheet = np.asarray(Image.open(io.BytesIO(files[1].data)).convert("RGB")).astype(int)
    order = np.argsort(-probs.max(axis=1), kind="stable")
    for a in range(10):
        for p in range(10):
            expected = [i for i in order if labels[i] == a and probs[i].argmax() == p][:6]
            for entry, index in zip(doc["cells"][a][p], expected):
                tile = tile_at(sheet, entry["sprite"], 32, doc["sprite"]["columns"])
                assert np.abs(tile[8:24, 8:24] - colours[index]).max() <= 12


def test_ranked_cells_orders_by_confidence_and_breaks_ties_by_index() -> None:
    labels = np.array([1, 1, 1, 1, 2])
    probs = np.full((5, 3), 0.1)
    probs[:, 1] = [0.5, 0.9, 0.5, 0.7, 0.8]
    cells = ranked_cells(labels, probs, 3)
    assert cells[1][1] == [1, 3, 0] and cells[2][1] == [4] and cells[0][0] == []


def test_sprite_sheet_layout() -> None:
    tiles = np.arange(5)[:, None, None] * np.ones((5, 2, 2), np.uint8)
    sheet = sprite_sheet(tiles.astype(np.uint8), columns=3)
    assert sheet.shape == (4, 6)
    assert sheet[2:4, 2:4].tolist() == [[4, 4], [4, 4]] and sheet[3, 5] == 0


def test_draw_digit_weights_reproduce_the_scores() -> None:
    rng = np.random.default_rng(4)
    weights, bias = rng.normal(0, 0.1, (784, 10)).astype(np.float32), rng.normal(0, 1, 10)
    [file] = draw_digit_demo(weights, bias, ((0.0,), (1.0,)), 0.9123456, {"seed": 1})
    doc = json.loads(file.data)
    assert file.path == "demos/draw_digit/data.json" and doc["schema_version"] == 1
    assert doc["accuracy"] == 0.9123 and doc["input"]["scale"] == "pixel/255"
    w, b = np.array(doc["weights"]), np.array(doc["bias"])
    assert w.shape == (10, 784) and b.shape == (10,)
    x = rng.random((50, 784))
    assert np.allclose(b + x @ w.T, bias + x @ weights, atol=0.05)


def test_hidden_weights_schema_and_sprite() -> None:
    rng = np.random.default_rng(5)
    first, second = rng.normal(0, 0.1, (784, 10)), rng.normal(0, 1, (10, 10))
    data_file, png = hidden_weights_demo(first, second, np.zeros(10), 0.91, {})
    doc = json.loads(data_file.data)
    assert doc["hidden"]["file"] == "hidden.png" and doc["hidden"]["count"] == 10
    assert np.allclose(np.array(doc["output_weights"]), second.T, rtol=1e-3)  # [class][hidden]
    assert Image.open(io.BytesIO(png.data)).size == (280, 28)


@pytest.mark.parametrize("value", [0.000123456, -98765.4321, 1.0])
def test_significant_digits(value: float) -> None:
    from training.exports import significant

    [rounded] = significant(np.array([value], np.float64), 4)
    assert rounded == pytest.approx(value, rel=1e-3) and len(repr(rounded)) <= 11
