"""Incremental builds: a cache of what each chapter page was made from, so a rebuild re-renders
only the pages whose inputs changed and rewrites only the output files that differ.

A chapter page's key digests everything its rendering reads: the compiler's code, every template,
the site-wide context (book.yaml, languages and UI strings, chapter titles, demos, include
contracts) and the chapter itself. Keys are computed, never trusted from timestamps; output files
are trusted only when their size and mtime are the ones recorded when they were written.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import pickle
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.metadata import version
from pathlib import Path, PurePath
from typing import Any, TypeVar

from textbook.links import chapter_path, out_path
from textbook.model import Chapter, Page
from textbook.sitefiles import (
    SiteRecord,
    Stamp,
    read_record,
    replace_file,
    stamp,
    update_site,
    write_record,
)
from textbook.writer import Asset, write_site

CACHE_VERSION = 1
STABLE_SECONDS = 2
RENDERING_LIBRARIES = ("markdown", "jinja2", "markupsafe", "latex2mathml", "pyyaml")
T = TypeVar("T")


def canonical(value: object) -> Any:
    """A JSON-ready form of a value that does not depend on set order or object identity."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return sorted([json.dumps(canonical(k), sort_keys=True), canonical(v)] for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        items = [canonical(item) for item in value]
        try:
            return sorted(items)  # texts, and lists of texts, compare as they are (fast)
        except TypeError:
            return sorted(items, key=lambda c: json.dumps(c, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    if isinstance(value, PurePath):
        return value.as_posix()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"no canonical form for {type(value).__name__}")


def digest(*parts: object) -> str:
    """A short, stable digest of values (through their canonical form)."""
    text = json.dumps([canonical(part) for part in parts], sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def folder_digest(folder: Path, pattern: str = "*") -> str:
    """A digest of every file's path and bytes under a folder."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob(pattern)) if folder.is_dir() else []:
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


@functools.cache
def code_digest() -> str:
    """The compiler's code, read once per process: the code that runs is the code imported at
    start, even if its files are edited while a dev server runs."""
    return folder_digest(Path(__file__).parent, "*.py")


@functools.cache
def library_versions() -> tuple[str, ...]:
    """The versions of the libraries that shape the HTML (a new Markdown may render differently); looked up
    once per process, like code_digest: the libraries that run are those imported at start."""
    return tuple(f"{name} {version(name)}" for name in RENDERING_LIBRARIES)


def cache_file(root: Path, out_dir: Path) -> Path:
    """Where the cache of builds into `out_dir` lives: the book's .cache/ (git-ignored) when the
    site is built inside the book, else beside the output folder (never inside it: it is deployed)."""
    out = out_dir.resolve()
    if out.is_relative_to(root.resolve()):
        name = hashlib.blake2b(str(out).encode(), digest_size=8).hexdigest()
        return root / ".cache" / "textbook" / f"{name}.json"
    return out.parent / ".textbook-cache" / f"{out.name}.json"


def load_chapters(path: Path) -> dict[Path, tuple[str, Any]]:
    """Parsed chapters saved by an earlier build (each still checked against its file's digest)."""
    try:
        with open(path.with_suffix(".chapters.pickle"), "rb") as file:
            saved = pickle.load(file)
        is_ours = isinstance(saved, dict) and saved.get("version") == CACHE_VERSION
        return dict(saved["chapters"]) if is_ours else {}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError, TypeError):
        return {}


def save_chapters(path: Path, chapters: Mapping[Path, tuple[str, Any]]) -> None:
    """Keep parsed chapters for the next process (a cache file written by us, for us)."""
    data = pickle.dumps({"version": CACHE_VERSION, "chapters": dict(chapters)}, protocol=pickle.HIGHEST_PROTOCOL)
    replace_file(path.with_suffix(".chapters.pickle"), data)


class BuildCache:
    """What the last build into one output folder was made from (loaded from and saved to disk).

    One object may serve many builds (the dev server keeps it, with parsed chapters and pages
    in memory); `python build.py` makes a new one per run."""

    def __init__(self, root: Path, out_dir: Path, is_saving_chapters: bool = True) -> None:
        self.root = root.resolve()
        self.out_dir = out_dir
        self.path = cache_file(self.root, out_dir)
        self.is_saving_chapters = is_saving_chapters  # the dev server keeps them in memory instead
        self._chapters: dict[Path, tuple[str, Any]] = load_chapters(self.path)  # file -> (key, parsed)
        self._parsed = 0
        self._pages: dict[str, Page] = {}  # the last build's pages, by output path
        self._keys: dict[str, str] = {}  # this build's chapter pages' keys, by output path
        self._reused: set[str] = set()
        self._file_hashes: dict[Path, str] = {}  # chapter file -> digest of its bytes, this build
        self._hashes: dict[str, tuple[Stamp, str]] = {}  # file -> (stamp, digest) of stable files
        self._paths: dict[str, Path] = {}  # source file names of reused pages -> their Paths
        self._site_key = ""
        self._clean: SiteRecord | None = None  # the record, when split() found the folder exactly as it says  # this build's digest of what every page reads (see split)
        self._record: SiteRecord | None = None
        self._record_stamp: Stamp | None = None

    def read_chapter(self, reader: Callable[..., T], root: Path, source: Any, layouts: Sequence[str]) -> T:
        """`reader(root, source, layouts)`, remembered by the chapter file's bytes (serve keeps it)."""
        file_hash = self._hash_of(os.path.join(root, source.path))
        self._file_hashes[source.path] = file_hash
        key = "\0".join([source.path.as_posix(), source.slug, source.language, *layouts, file_hash])
        known = self._chapters.get(source.path)
        if known is None or known[0] != key:
            known = (key, reader(root, source, layouts))
            self._chapters[source.path] = known
            self._parsed += 1
        result: T = known[1]
        return result

    def _hash_of(self, path: str) -> str:
        """The digest of a file's bytes; not read again while its stamp stays the one it had when
        it was read, if it was already older than STABLE_SECONDS then (a file written within the
        file system's timestamp granularity of a read could change without changing its stamp)."""
        before = os.stat(path)
        known = self._hashes.get(path)
        if known is not None and known[0] == (before.st_size, before.st_mtime_ns):
            return known[1]
        with open(path, "rb") as file:
            file_hash = hashlib.blake2b(file.read(), digest_size=16).hexdigest()
        if time.time_ns() - before.st_mtime_ns > STABLE_SECONDS * 1_000_000_000:
            self._hashes[path] = ((before.st_size, before.st_mtime_ns), file_hash)
        return file_hash

    def split(self, context: Any, chapters: Sequence[Chapter]) -> tuple[list[Page], list[Chapter]]:
        """The chapter pages that can be reused as they are, and the chapters to render."""
        record = self._current_record()
        # one look at the whole output folder; when it is as recorded, no page needs a look of its own
        self._clean = record if record is not None and record.matches(self.out_dir) else None
        # repr() of the Site is fast and complete (frozen dataclasses, ordered dicts, no sets);
        # the smaller parts holding sets go through canonical(). The link map is made from the Site
        # alone (by the code digested here), so it adds nothing but time.
        site_key = digest(code_digest(), library_versions(),
                          folder_digest(self.root / "templates"), repr(context.site),
                          context.optional_params, context.specs)
        self._site_key = site_key
        reused: list[Page] = []
        todo: list[Chapter] = []
        self._keys, self._reused = {}, set()
        for chapter in chapters:
            source = chapter.source
            target = out_path(chapter_path(context.links, source.language, source.slug))
            # a Chapter is made from its file alone (layout names are in the templates' digest)
            made_from = self._file_hashes.get(source.path) or digest(chapter)
            key = hashlib.blake2b(f"{site_key}\0{target}\0{made_from}".encode(), digest_size=16).hexdigest()
            self._keys[target] = key
            page = self._reusable(record, target, key)
            if page is None:
                todo.append(chapter)
            else:
                self._reused.add(target)
                reused.append(page)
        return reused, todo

    def site_page(self, target: str, inputs: str, render: Callable[[], Page]) -> Page:
        """A page made from the site-wide context alone (a home or demo page; `inputs` describes anything else
        it reads), reused while its key is unchanged, else rendered; call after split()."""
        key = hashlib.blake2b(f"{self._site_key}\0{target}\0{inputs}".encode(), digest_size=16).hexdigest()
        self._keys[target] = key
        page = self._reusable(self._current_record(), target, key)
        if page is None:
            return render()
        self._reused.add(target)
        return page

    def write_site(self, pages: Iterable[Page], assets: Iterable[Asset], out_dir: Path) -> None:
        """Bring `out_dir` up to date: in place when the last build's record matches it, else whole."""
        pages, assets = list(pages), list(assets)
        record = self._current_record()
        keys = {page.out_path: self._keys.get(page.out_path, "") for page in pages}
        is_clean = record is not None and record is self._clean and out_dir == self.out_dir
        self._clean = None
        if record is not None and (is_clean or record.matches(out_dir)):
            self.path.unlink(missing_ok=True)  # an interrupted update must not leave a record that trusts it
            changed = [page for page in pages if page.out_path not in self._reused]
            new_record = update_site(record, changed, pages, assets, out_dir, keys)
        else:
            write_site(pages, assets, out_dir)
            new_record = SiteRecord.of(out_dir, pages, assets, keys)
        write_record(self.path, new_record, CACHE_VERSION)
        if self._parsed and self.is_saving_chapters:
            save_chapters(self.path, self._chapters)
        self._parsed = 0
        self._pages = {page.out_path: page for page in pages}
        self._record, self._record_stamp = new_record, stamp(self.path)

    def _current_record(self) -> SiteRecord | None:
        """The last build's record; read again when another process has built since."""
        try:
            on_disk: Stamp | None = stamp(self.path)
        except OSError:
            on_disk = None
        if on_disk != self._record_stamp:
            self._record, self._record_stamp, self._pages = read_record(self.path, CACHE_VERSION), on_disk, {}
        return self._record

    def _reusable(self, record: SiteRecord | None, target: str, key: str) -> Page | None:
        if record is None or record.keys.get(target) != key:
            return None
        if not (target in record.files if record is self._clean else record.is_intact(self.out_dir, target)):
            return None
        page = self._pages.get(target)
        if page is not None:
            return page
        html = (self.out_dir / target).read_bytes().decode("utf-8")
        url, sources = record.pages[target]
        return Page(target, url, html, tuple(self._path(s) for s in sources))

    def _path(self, name: str) -> Path:
        """The Path of a source file named in the record; one object per name (pages share most sources,
        and making a Path is slow)."""
        path = self._paths.get(name)
        if path is None:
            path = self._paths[name] = Path(name)
        return path

