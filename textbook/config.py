"""book.yaml -> a validated, frozen BookConfig."""
from __future__ import annotations

import re
from pathlib import Path

from textbook.errors import BuildErrors, SourceError, UsageError, read_source
from textbook.model import BookConfig, Location
from textbook.yamlfile import (
    Fields,
    check_keys,
    load_mapping,
    require,
    text_list,
    text_map,
    text_value,
)
from textbook.yamltext import node_location

CONFIG_NAME = "book.yaml"
KEYS = ("title", "default_language", "chapters", "base_url")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def load_config(path: Path, base_url: str | None = None) -> BookConfig:
    """Read and validate book.yaml; `base_url` (from the command line) overrides the file's."""
    if not path.is_file():
        raise UsageError(f"{path}: no {CONFIG_NAME} here (run from the book's folder or pass --root)")
    root = path.parent.resolve()
    rel = Path(path.name)
    fields = load_mapping(read_source(path, rel, "utf-8-sig"), rel)
    errors = check_keys(fields, KEYS, rel, CONFIG_NAME)
    if errors:
        raise BuildErrors(errors)
    titles = text_map(require(fields, "title", rel, CONFIG_NAME), rel, "title")
    default = text_value(require(fields, "default_language", rel, CONFIG_NAME), rel, "default_language")
    if default not in titles:
        node = fields["default_language"][1]
        raise SourceError(node_location(node, rel), f'no title for the default language "{default}"')
    chapters, lines = read_chapters(fields, rel)
    chosen = normalize_base_url(base_url) if base_url is not None else read_base_url(fields, rel)
    return BookConfig(root, rel, titles, default, chapters, chosen, lines)


def read_base_url(fields: Fields, rel: Path) -> str:
    """The file's base_url, normalized; a malformed one is an error at its line."""
    if "base_url" not in fields:
        return ""
    node = fields["base_url"][1]
    if isinstance(node.value, str) and node.value == "" or node.tag == "tag:yaml.org,2002:null":
        return ""
    try:
        return normalize_base_url(text_value(node, rel, "base_url"))
    except UsageError as error:
        raise SourceError(node_location(node, rel), str(error)) from None


def read_chapters(fields: Fields, rel: Path) -> tuple[tuple[str, ...], dict[str, Location]]:
    """The chapter order: unique slugs, each with its place in book.yaml."""
    slugs: list[str] = []
    lines: dict[str, Location] = {}
    for slug, node in text_list(require(fields, "chapters", rel, CONFIG_NAME), rel, "chapters"):
        where = node_location(node, rel)
        if not SLUG.match(slug):
            raise SourceError(where, f'"{slug}" is not a chapter slug (letters, digits, "_", "-", ".")')
        if slug in lines:
            raise SourceError(where, f'chapter "{slug}" is listed twice')
        slugs.append(slug)
        lines[slug] = where
    if not slugs:
        raise SourceError(node_location(fields["chapters"][1], rel), "the book has no chapters")
    return tuple(slugs), lines


def normalize_base_url(base_url: str) -> str:
    """"" for the domain root, else "/path" with one leading slash and no trailing slash."""
    text = base_url.strip()
    if "://" in text or text.startswith("//") or any(c in text for c in " ?#\"'<>"):
        raise UsageError(f'base URL "{base_url}" must be a path such as /ml4a (or empty)')
    text = text.strip("/")
    return f"/{text}" if text else ""


def config_location(config: BookConfig, slug: str) -> Location:
    """Where book.yaml mentions a chapter (or its first line)."""
    return config.chapter_locations.get(slug, Location(config.path))
