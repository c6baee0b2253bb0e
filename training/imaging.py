"""Small, deterministic image helpers: scaling arrays to pixels, composing tiles, compact encoding."""

from __future__ import annotations

import io
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from matplotlib import colormaps, font_manager
from PIL import Image, ImageDraw, ImageFont

BACKGROUND = (255, 255, 255)
INK = (34, 34, 34)
DIVERGING = "RdBu_r"  # blue for negative weights, white for zero, red for positive


def to_gray(values: np.ndarray) -> np.ndarray:
    """Values scaled so the lowest is black (0) and the highest white (255), as uint8."""
    low, high = float(values.min()), float(values.max())
    span = high - low if high > low else 1.0
    return np.round((values - low) / span * 255.0).astype(np.uint8)


def robust_limit(values: np.ndarray, percentile: float = 99.5) -> float:
    """A colour-scale bound that a few extreme weights (often at the image border) cannot dominate."""
    return float(np.percentile(np.abs(values), percentile)) or 1.0


def to_diverging(values: np.ndarray, limit: float | None = None) -> np.ndarray:
    """Signed values as RGB uint8 on a diverging map symmetric around zero (white), clipped at ±limit."""
    bound = limit if limit is not None else float(np.abs(values).max()) or 1.0
    unit = np.clip(values / bound * 0.5 + 0.5, 0.0, 1.0)
    rgba = colormaps[DIVERGING](unit)
    return np.round(rgba[..., :3] * 255.0).astype(np.uint8)


def upscale(pixels: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour enlargement, so every pixel stays a crisp square."""
    return pixels.repeat(factor, axis=0).repeat(factor, axis=1)


def as_rgb(pixels: np.ndarray) -> np.ndarray:
    """A gray (H, W) or colour (H, W, 3) uint8 array as (H, W, 3)."""
    return np.repeat(pixels[..., None], 3, axis=2) if pixels.ndim == 2 else pixels


@lru_cache(maxsize=8)
def font(size: int, is_bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans, the font matplotlib ships, so text renders the same on every machine."""
    prop = font_manager.FontProperties(family="DejaVu Sans", weight="bold" if is_bold else "normal")
    return ImageFont.truetype(font_manager.findfont(prop, fallback_to_default=True), size)


def draw_centered(draw: ImageDraw.ImageDraw, center: tuple[float, float], text: str,
                  size: int, fill: tuple[int, int, int] = INK, is_bold: bool = False) -> None:
    """Text centred on a point."""
    draw.text(center, text, fill=fill, font=font(size, is_bold), anchor="mm")


def tile_row(tiles: list[np.ndarray], labels: list[str], scale: int, gap: int, label_size: int) -> Image.Image:
    """Tiles upscaled and laid out in a row, each with its label centred underneath."""
    height, width = tiles[0].shape[:2]
    lines = max(label.count("\n") + 1 for label in labels) if labels else 1
    cell_w, cell_h = width * scale, height * scale + label_size * (1 + 1.3 * lines)
    canvas = Image.new("RGB", (len(tiles) * cell_w + (len(tiles) + 1) * gap, int(cell_h + 2 * gap)), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    for index, (tile, label) in enumerate(zip(tiles, labels)):
        x, y = gap + index * (cell_w + gap), gap
        canvas.paste(Image.fromarray(as_rgb(upscale(tile, scale))), (x, y))
        draw.multiline_text((x + cell_w / 2, y + height * scale + label_size * 0.4), label, fill=INK,
                            font=font(label_size), anchor="ma", align="center", spacing=2)
    return canvas


def encode_png(image: Image.Image, colors: int | None = 64, is_photo: bool = False) -> bytes:
    """PNG bytes with no metadata; `colors` quantizes to a palette (None keeps every colour).

    Photos get a median-cut palette (octree posterizes them); drawings get evenly spaced grays
    plus octree colours, so digits and gray lines stay gray.
    """
    if colors is not None and image.mode != "P":
        source = image.convert("RGB")
        if is_photo:
            image = source.quantize(colors=colors, method=Image.Quantize.MEDIANCUT,
                                    dither=Image.Dither.NONE)
        else:
            image = source.quantize(palette=_palette(source, colors), dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _palette(image: Image.Image, colors: int) -> Image.Image:
    """A palette of evenly spaced grays plus the image's main colours (octree), so digits stay gray."""
    grays = min(16, colors // 2)
    found = image.quantize(colors=colors - grays, method=Image.Quantize.FASTOCTREE,
                           dither=Image.Dither.NONE).getpalette() or []
    ramp = [int(v) for v in np.round(np.linspace(0, 255, grays)) for _ in range(3)]
    palette = Image.new("P", (1, 1))
    palette.putpalette(ramp + found[:3 * (colors - grays)])
    return palette


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """Baseline JPEG bytes, 4:2:0, no metadata."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality, optimize=True, subsampling=2)
    return buffer.getvalue()


def gray_palette_image(pixels: np.ndarray, levels: int = 16) -> Image.Image:
    """A gray uint8 array as a palette image with `levels` evenly spaced grays (4-bit PNG at 16)."""
    indices = np.round(pixels.astype(np.float32) / 255.0 * (levels - 1)).astype(np.uint8)
    image = Image.frombytes("P", (indices.shape[1], indices.shape[0]), indices.tobytes())
    ramp = np.round(np.linspace(0, 255, levels)).astype(np.uint8)
    image.putpalette(np.repeat(ramp, 3).tolist())
    return image


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp_name, 0o644)  # mkstemp makes files private; these are published
        os.replace(temp_name, path)
    finally:
        Path(temp_name).unlink(missing_ok=True)
