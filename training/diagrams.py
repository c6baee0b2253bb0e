"""Network diagrams drawn with matplotlib, with a real MNIST digit and learned weights in them."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle
from PIL import Image

from training.imaging import DIVERGING, robust_limit, to_diverging

# Inputs drawn (None marks elided ones): the first, four of row 14 (where it crosses the ring of
# the test digit the diagrams use, so the pixels shown vary), and the last. Few, because every
# extra input adds ten lines, and lines are most of a diagram's bytes.
SHOWN = (0, None, 372, 374, 375, 384, None, 783)
STEP = 0.44
NODE = "#f4f4f4"
EDGE = "#333333"
LINE = "#9a9a9a"
HIGHLIGHT = "#d9822b"


def render(fig: Figure) -> Image.Image:
    """The figure rasterized by Agg, without any file metadata."""
    agg = FigureCanvasAgg(fig)
    agg.draw()  # type: ignore[no-untyped-call]
    rgba = np.asarray(agg.buffer_rgba())  # type: ignore[no-untyped-call]
    return Image.fromarray(rgba[..., :3].copy())


def canvas(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of width x height hundred pixels, one axes spanning it in those units."""
    fig = Figure(figsize=(width, height), dpi=200)  # 200 dpi: drawn at twice the display size
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def draw_digit(ax: Axes, digit: np.ndarray, x: float, y: float, size: float) -> None:
    """The digit as crisp gray pixels, its lower-left corner at (x, y)."""
    ax.imshow(digit, cmap="gray", vmin=0, vmax=255, interpolation="nearest",
              extent=(x, x + size, y, y + size), zorder=3)
    ax.add_patch(Rectangle((x, y), size, size, fill=False, edgecolor=EDGE, linewidth=0.8, zorder=4))


def input_column(ax: Axes, digit: np.ndarray, x: float, top: float,
                 step: float) -> list[tuple[float, float, int]]:
    """Input neurons filled with their pixel's gray and labelled x_i; returns (x, y, pixel index)."""
    flat = digit.reshape(-1)
    centres = []
    for row, index in enumerate(SHOWN):
        y = top - row * step
        if index is None:
            ax.text(x, y, "⋮", ha="center", va="center", fontsize=10)
            continue
        shade = str(flat[index] / 255.0)
        ax.add_patch(Circle((x, y), 0.11, facecolor=shade, edgecolor=EDGE, linewidth=0.8, zorder=3))
        ax.text(x - 0.17, y, f"$x_{{{index + 1}}}$", ha="right", va="center", fontsize=7)
        centres.append((x, y, index))
    return centres


def output_column(ax: Axes, x: float, top: float, step: float,
                  highlight: int | None = None) -> list[tuple[float, float]]:
    """Ten output neurons labelled 0-9; one may be highlighted and the rest faded."""
    centres = []
    for k in range(10):
        y = top - k * step
        is_faded = highlight is not None and k != highlight
        ax.add_patch(Circle((x, y), step * 0.36, facecolor=HIGHLIGHT if k == highlight else NODE,
                            edgecolor="#bbbbbb" if is_faded else EDGE, linewidth=0.8, zorder=3))
        ax.text(x, y, str(k), ha="center", va="center", fontsize=8, zorder=4,
                color="#aaaaaa" if is_faded else "black")
        centres.append((x, y))
    return centres


def connect(ax: Axes, starts: list[tuple[float, float]] | list[tuple[float, float, int]],
            ends: list[tuple[float, float]], color: str = LINE, width: float = 0.3) -> None:
    """A line from every start to every end, behind the neurons."""
    for x0, y0, *_ in starts:
        for x1, y1 in ends:
            # Not antialiased: at twice the display size the browser's downscaling smooths them,
            # and two-colour lines compress several times better than antialiased ones.
            ax.plot((x0, x1), (y0, y1), color=color, linewidth=width, zorder=1, antialiased=False)


def arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A plain arrow between two points."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10,
                                 color=EDGE, linewidth=1.0))


def one_layer(digit: np.ndarray) -> Image.Image:
    """784 inputs (a few shown, filled with the digit's pixels) fully connected to 10 outputs."""
    fig, ax = canvas(6.0, 4.2)
    draw_digit(ax, digit, 0.15, 1.45, 1.2)
    inputs = input_column(ax, digit, 2.6, 3.75, STEP)
    outputs = output_column(ax, 4.9, 3.6, 0.33)
    connect(ax, inputs, outputs)
    arrow(ax, (1.45, 2.05), (2.0, 2.05))
    ax.text(2.6, 4.0, "784 inputs", ha="center", fontsize=8)
    ax.text(4.9, 4.0, "10 outputs", ha="center", fontsize=8)
    return render(fig)


def analogy_column(digit: np.ndarray, weights: np.ndarray) -> Image.Image:
    """Only the connections into output "0", coloured and sized by their learned weight."""
    fig, ax = canvas(6.0, 4.2)
    draw_digit(ax, digit, 0.15, 1.45, 1.2)
    inputs = input_column(ax, digit, 2.6, 3.75, STEP)
    outputs = output_column(ax, 4.9, 3.6, 0.33, highlight=0)
    limit = float(np.abs(weights[[i for _, _, i in inputs]]).max())
    x1, y1 = outputs[0]
    for x0, y0, index in inputs:
        value = float(weights[index])
        color = to_diverging(np.array([value]), limit)[0] / 255.0
        ax.plot((x0, x1), (y0, y1), color=tuple(color), linewidth=0.8 + 2.2 * abs(value) / limit, zorder=2)
        # the label sits on its line, a sixth of the way from the input
        ax.text(x0 + 0.17 * (x1 - x0), y0 + 0.17 * (y1 - y0), f"$w_{{{index + 1}}}$",
                fontsize=6, ha="center", va="center", color="#333333", zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    arrow(ax, (1.45, 2.05), (2.0, 2.05))
    return render(fig)


def analogy_grid(digit: np.ndarray, weights: np.ndarray) -> Image.Image:
    """Pixels times weights, cell by cell, summed into the score of class "0"."""
    fig = Figure(figsize=(7.0, 1.9), dpi=200)
    pixels = digit / 255.0
    grid = weights.reshape(28, 28)
    limit = robust_limit(grid)
    product = pixels * grid
    panels = [(pixels, "gray", 0.0, 1.0, "pixels"), (grid, DIVERGING, -limit, limit, "weights into “0”"),
              (product, DIVERGING, -float(np.abs(product).max()), float(np.abs(product).max()),
               "pixel × weight")]
    for k, (values, cmap, low, high, title) in enumerate(panels):
        ax = fig.add_axes((0.03 + k * 0.26, 0.05, 0.2, 0.2 * 7.0 / 1.9))
        ax.imshow(values, cmap=cmap, vmin=low, vmax=high, interpolation="nearest")
        ax.set_xticks(np.arange(-0.5, 28, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, 28, 1), minor=True)
        ax.grid(which="minor", color="#cccccc", linewidth=0.15)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        ax.set_title(title, fontsize=8)
    fig.text(0.26, 0.42, "×", fontsize=16, ha="center", va="center")
    fig.text(0.52, 0.42, "=", fontsize=16, ha="center", va="center")
    fig.text(0.80, 0.42, "→", fontsize=16, ha="center", va="center")
    fig.text(0.90, 0.42, f"sum of all\n784 cells\n= {float(product.sum()):.2f}", fontsize=9,
             ha="center", va="center", linespacing=1.5)
    return render(fig)


def two_layers(digit: np.ndarray, hidden: np.ndarray) -> Image.Image:
    """784 inputs -> 10 hidden neurons (drawn as their learned filters) -> 10 outputs."""
    fig, ax = canvas(6.0, 4.2)
    draw_digit(ax, digit, 0.1, 1.55, 1.0)
    inputs = input_column(ax, digit, 2.2, 3.75, STEP)
    hidden_centres = [(3.7, 3.6 - k * 0.33) for k in range(10)]
    limit = robust_limit(hidden)
    for (x, y), column in zip(hidden_centres, hidden.T):
        ax.imshow(column.reshape(28, 28), cmap=DIVERGING, vmin=-limit, vmax=limit,
                  interpolation="nearest", extent=(x - 0.14, x + 0.14, y - 0.14, y + 0.14), zorder=3)
        ax.add_patch(Rectangle((x - 0.14, y - 0.14), 0.28, 0.28, fill=False, edgecolor=EDGE,
                               linewidth=0.6, zorder=4))
    outputs = output_column(ax, 5.2, 3.6, 0.33)
    connect(ax, inputs, hidden_centres, width=0.25)
    connect(ax, hidden_centres, outputs, width=0.25)
    arrow(ax, (1.2, 2.05), (1.65, 2.05))
    for x, label in ((2.2, "784 inputs"), (3.7, "10 hidden"), (5.2, "10 outputs")):
        ax.text(x, 4.0, label, ha="center", fontsize=8)
    return render(fig)
