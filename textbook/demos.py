"""The demo registry: `demos/<name>/demo.yaml`, validated."""
from __future__ import annotations

from pathlib import Path

from textbook.errors import (
    BuildErrors,
    SourceError,
    SourceWarning,
    read_each,
    read_source,
)
from textbook.i18n import find_key_line
from textbook.model import Demo, Location
from textbook.yamlfile import (
    check_keys,
    int_value,
    load_mapping,
    require,
    text_value,
)
from textbook.yamltext import node_location

DEMO_FILE = "demo.yaml"
KEYS = ("title", "script", "style", "height", "fallback", "fallback_alt")


def load_demos(root: Path) -> tuple[Demo, ...]:
    """Every demo folder with a demo.yaml, sorted by name; raises BuildErrors with every mistake."""
    folder = root / "demos"
    if not folder.is_dir():
        return ()
    paths = sorted(folder.glob(f"*/{DEMO_FILE}"))
    return tuple(read_each(paths, lambda path: read_demo(root, path.relative_to(root))))


def read_demo(root: Path, rel: Path) -> Demo:
    """One demo.yaml; the script and style must exist in the folder, the fallback in the book."""
    fields = load_mapping(read_source(root / rel, rel, "utf-8-sig"), rel)
    errors = check_keys(fields, KEYS, rel, DEMO_FILE)
    if errors:
        raise BuildErrors(errors)
    values = {key: text_value(node, rel, key) for key, (_, node) in fields.items() if key != "height"}
    title = text_value(require(fields, "title", rel, DEMO_FILE), rel, "title")
    script = text_value(require(fields, "script", rel, DEMO_FILE), rel, "script")
    height = int_value(fields["height"][1], rel, "height") if "height" in fields else 400
    for key in ("script", "style"):
        if key in values and not (root / rel.parent / values[key]).is_file():
            where = node_location(fields[key][1], rel)
            raise SourceError(where, f'{key} "{values[key]}" not found in {rel.parent.as_posix()}/')
    fallback = values.get("fallback")
    if fallback is not None and (not fallback.startswith("/") or fallback.startswith("//")):
        where = node_location(fields["fallback"][1], rel)
        raise SourceError(where, f'fallback "{fallback}" must be a root-relative path such as /images/figures/x.png')
    return Demo(rel.parent.name, title, script, rel, height, values.get("style"), fallback, values.get("fallback_alt", ""))


def missing_fallbacks(root: Path, demos: tuple[Demo, ...]) -> list[SourceWarning]:
    """A warning for each demo whose static fallback image is not there (yet: training makes them)."""
    warnings = []
    for demo in demos:
        if demo.fallback and not (root / demo.fallback.lstrip("/")).is_file():
            line = find_key_line(root / demo.path, "fallback")
            warnings.append(SourceWarning(Location(demo.path, line), f'fallback image "{demo.fallback}" not found (expected {demo.fallback.lstrip("/")})'))
    return warnings


def demo_name(path: str) -> str:
    """The demo a `path` parameter names: "/demos/confusion_mnist/" -> "confusion_mnist"."""
    parts = [part for part in path.strip().split("/") if part]
    if len(parts) >= 2 and parts[-2] == "demos":
        return parts[-1]
    return parts[-1] if len(parts) == 1 else ""
