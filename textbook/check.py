"""Check a built site's internal links, anchors, images, scripts, styles and demo data.

Problems are reported where the author wrote them: each output page maps back to its chapter
(and layout template), and the URL is looked up there as written, before the base URL was added.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from textbook.htmlrefs import PageRefs, Reference, read_page_refs
from textbook.locate import PageOrigin, SourceTexts, locate_url
from textbook.model import Location

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel", "ftp")
BROWSER_FRAGMENTS = ("", "top")  # a browser scrolls to the top for these without any element
_DATA_FILE = re.compile(r"""["']([\w-]+(?:/[\w-]+)*\.(?:json|png|jpe?g|webp|bin|csv))["']""")
_RELATIVE_IMPORT = re.compile(r"""(?:\bfrom|\bimport\s*\(?)\s*["'](\.{1,2}/[^"']+\.m?js)["']""")


@dataclass(frozen=True, order=True)
class LinkProblem:
    """One broken reference, at the place in the book's sources it was written."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True, order=True)
class ExternalLink:
    """A link leaving the site (not fetched: there is no network); where it was written."""

    location: Location
    url: str


@dataclass(frozen=True)
class CheckReport:
    """Every problem found, every external link, and how much was looked at."""

    problems: tuple[LinkProblem, ...]
    external: tuple[ExternalLink, ...]
    page_count: int
    reference_count: int


@dataclass(frozen=True)
class _Site:
    root: Path
    base_url: str
    pages: Mapping[str, PageRefs]
    missing_in_demo: dict[Path, list[str]] = field(default_factory=dict)  # each demo folder looked at once


def check_site(site_dir: Path, base_url: str, origins: Mapping[str, PageOrigin], book_root: Path,
               site_label: Path | None = None) -> CheckReport:
    """Check every page of the site in `site_dir`; `origins` maps output paths to their sources.

    A page without an origin is reported at its own file, named under `site_label`."""
    base_url = base_url.rstrip("/")
    html_files = sorted(site_dir.rglob("*.html"))
    pages = {path.relative_to(site_dir).as_posix(): read_page_refs(path.read_text("utf-8"))
             for path in html_files}
    site = _Site(site_dir, base_url, pages)
    texts = SourceTexts(book_root)
    problems: set[LinkProblem] = set()
    reported: set[tuple[Location, str]] = set()  # (where, URL as written): a fallback copy of a page repeats its source
    external: set[ExternalLink] = set()
    count = 0
    for out_path in sorted(pages, key=lambda p: (p.count("/"), p)):  # shallowest (default language) first
        refs = pages[out_path]
        origin = origins.get(out_path, PageOrigin(output=(site_label or site_dir) / out_path))
        seen: Counter[str] = Counter()
        for reference in refs.references:
            count += 1
            message = check_reference(site, out_path, reference)
            if message is None and not is_external(reference.url):
                continue
            where = locate_url(origin, texts, reference, base_url, seen[reference.url])
            seen[reference.url] += 1
            if message is None:
                external.add(ExternalLink(where, reference.url))
            elif (where, written := written_url(reference.url, base_url, origin.language)) not in reported:
                reported.add((where, written))
                problems.add(LinkProblem(where, message))
    return CheckReport(tuple(sorted(problems)), tuple(sorted(external)), len(pages), count)


def written_url(url: str, base_url: str, language: str | None) -> str:
    """A page's URL as the author wrote it: without the base URL and the page's language folder."""
    if base_url and url.startswith(base_url + "/"):
        url = url[len(base_url):]
    return url[len(language) + 1:] if language and url.startswith(f"/{language}/") else url


def is_external(url: str) -> bool:
    """True for links that leave the site (another scheme's or another host's)."""
    return url.startswith("//") or urlsplit(url).scheme.lower() in EXTERNAL_SCHEMES


def page_url(out_path: str, base_url: str) -> str:
    """The URL an output file is served at: "ja/x/index.html" -> "/ml4a/ja/x/"."""
    url = f"{base_url}/{out_path}"
    return url[: -len("index.html")] if url.endswith("/index.html") else url


def check_reference(site: _Site, out_path: str, reference: Reference) -> str | None:
    """What is wrong with one reference of a page, or None when it resolves (or is external)."""
    url = reference.url
    if urlsplit(url).scheme or url.startswith("//"):
        return None  # external (listed elsewhere) or data:, javascript:, ...: not a site file
    parts = urlsplit(urljoin(page_url(out_path, site.base_url), url))
    target, reason = target_file(site, parts.path)
    phrase = f"{reference.kind} {url}"
    if target is None:
        return f"{phrase} does not resolve ({reason})"
    if reference.kind == "demo":
        folder = site.root / target
        folder = folder if folder.is_dir() else folder.parent
        if folder not in site.missing_in_demo:  # every page in every language embeds the same demos
            site.missing_in_demo[folder] = missing_demo_files(folder)
        missing = site.missing_in_demo[folder]
        return f"demo {url} lacks {', '.join(missing)}" if missing else None
    fragment = unquote(parts.fragment)
    if fragment in BROWSER_FRAGMENTS or fragment.startswith(":~:") or target not in site.pages:
        return None
    if fragment not in site.pages[target].anchors:
        return f'{phrase}: no anchor "#{fragment}" on {page_url(target, site.base_url)}'
    return None


def target_file(site: _Site, url_path: str) -> tuple[str | None, str]:
    """The site file (or folder, for demos) a URL path names, or None and why not."""
    if site.base_url:
        if url_path != site.base_url and not url_path.startswith(site.base_url + "/"):
            return None, f'outside the base URL "{site.base_url}"'
        url_path = url_path[len(site.base_url):]
    relative = unquote(url_path).lstrip("/")
    found = site.root / relative
    if relative == "" or relative.endswith("/") or found.is_dir():
        index = PurePosixPath(relative, "index.html").as_posix()
        if (site.root / index).is_file():
            return index, ""
        if found.is_dir():  # a folder is what a demo's data-base names
            return relative.rstrip("/"), ""
        name = PurePosixPath(relative).name
        return None, f'no chapter "{name}"' if name else "no home page"
    if found.is_file():
        return relative, ""
    return None, f'no file "{relative}" in the site'


def missing_demo_files(folder: Path) -> list[str]:
    """Data files a demo folder's scripts and JSON name that are not there."""
    if not folder.is_dir():
        return []
    wanted: set[str] = set()
    for script in demo_scripts(folder):
        wanted.update(_DATA_FILE.findall(script.read_text("utf-8", errors="replace")))
    for data in sorted(folder.glob("*.json")):
        wanted.update(_files_named_in(json.loads(data.read_text("utf-8"))))
    return sorted(name for name in wanted if not (folder / name).is_file())


def demo_scripts(folder: Path) -> list[Path]:
    """A demo folder's scripts and every script they import by relative path, transitively
    (shared code loads data relative to the demo's data-base too)."""
    pending = sorted(folder.glob("*.js")) + sorted(folder.glob("*.mjs"))
    found: list[Path] = []
    while pending:
        script = pending.pop(0).resolve()
        if script in found or not script.is_file():
            continue
        found.append(script)
        text = script.read_text("utf-8", errors="replace")
        pending.extend(script.parent / target for target in _RELATIVE_IMPORT.findall(text))
    return found


def _files_named_in(value: object) -> Iterator[str]:
    """Every string under a "file" key, at any depth (sprite sheets named by data.json)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "file" and isinstance(item, str):
                yield item
            else:
                yield from _files_named_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _files_named_in(item)
