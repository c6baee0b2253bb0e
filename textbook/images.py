"""Root-relative image references in chapters (`/images/...`) that name no file in images/: warnings."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from textbook.errors import SourceWarning
from textbook.i18n import find_key_line
from textbook.model import Chapter, Location
from textbook.positions import Positions
from textbook.protect import code_regions

IMAGES = "images"
# An include parameter or HTML attribute (path="...", webm=, src=, poster=) or a Markdown image's URL.
_REFERENCE = re.compile(r"""(?:\b(?:path|webm|src|poster)\s*=\s*["']|!\[[^\]\n]*\]\(\s*<?)(/[^"'\s)>]+)""")
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1")


def image_files(root: Path) -> frozenset[str]:
    """Every file under images/, as `images/<path>` (one walk per build)."""
    folder = root / IMAGES
    if not folder.is_dir():
        return frozenset()
    return frozenset(path.relative_to(root).as_posix() for path in folder.rglob("*") if path.is_file())


def localized_images(existing: frozenset[str], folders: Iterable[str]) -> tuple[str, ...]:
    """The files of images/ named `<name>.<folder>.<ext>` for a language folder: a page whose text is in
    that language shows one wherever its text names `/images/.../<name>.<ext>` (sorted)."""
    wanted = set(folders)
    return tuple(sorted(path for path in existing if (parts := path.rsplit("/", 1)[-1].split("."))[0]
                        and len(parts) >= 3 and parts[-2] in wanted))


def missing_images(root: Path, chapters: Iterable[Chapter], existing: frozenset[str],
                   base_url: str = "") -> list[SourceWarning]:
    """A warning at each `/images/...` reference of a chapter whose file is not in images/ (`existing`,
    from image_files)."""
    prefix = base_url.rstrip("/")
    warnings: list[SourceWarning] = []
    for chapter in chapters:
        warnings.extend(body_warnings(chapter.source.path, chapter.body, chapter.body_line, prefix, existing))
        problem = missing_image(chapter.header_image or "", prefix, existing)
        if problem:  # located by a second look at the file, only when it is missing
            line = find_key_line(root / chapter.source.path, "header_image")
            warnings.append(SourceWarning(Location(chapter.source.path, line), f"header_{problem}"))
    return warnings


@functools.lru_cache(maxsize=4096)  # the dev server asks again for every unchanged chapter at each rebuild
def body_warnings(path: Path, body: str, body_line: int, prefix: str,
                  existing: frozenset[str]) -> tuple[SourceWarning, ...]:
    """The warnings of one chapter body's image references, remembered per file, text and images/ listing."""
    positions = Positions(body, Location(path, body_line))
    found = []
    for offset, url in chapter_image_references(path, body):
        problem = missing_image(url, prefix, existing)
        if problem:
            found.append(SourceWarning(positions.location(offset), problem))
    return tuple(found)


def missing_image(url: str, prefix: str, existing: frozenset[str]) -> str | None:
    """`image /images/x.png not found (...)` when a root-relative URL names no file of images/."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix):]
    wanted = path.lstrip("/")
    if path.startswith("/") and wanted.startswith(f"{IMAGES}/") and wanted not in existing:
        return f"image {path} not found (expected {wanted})"
    return None


@functools.lru_cache(maxsize=4096)  # the dev server asks again for every unchanged chapter at each rebuild
def chapter_image_references(path: Path, body: str) -> tuple[tuple[int, str], ...]:
    """image_references of one chapter file's body, remembered per file and text (scanning costs ~1 ms)."""
    return tuple(image_references(body))


def image_references(body: str) -> Iterator[tuple[int, str]]:
    """(offset, URL) of each root-relative reference outside code blocks and code spans."""
    regions, _ = code_regions(body)
    for start, end, is_code in regions:
        if is_code:
            continue
        prose = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), body[start:end])
        for match in _REFERENCE.finditer(prose):
            yield start + match.start(1), match.group(1)
