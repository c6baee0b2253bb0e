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
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.metadata import version
from pathlib import Path, PurePath
from typing import Any, TypeVar

from textbook.cachefiles import (
    cache_file,
    chapters_folder,
    folder_digest,
    load,
    load_chapters,
    remove,
    save,
    save_chapter,
    shard_name,
    stamps_file,
)
from textbook.links import chapter_path, out_path
from textbook.model import Chapter, ChapterEntry, Page, Site
from textbook.sitefiles import (
    SiteRecord,
    Stamp,
    read_record,
    stamp,
    update_site,
    write_record,
)
from textbook.writer import Asset, write_site

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


def site_text(site: Site) -> str:
    """Everything a Site holds, as text: its repr() (frozen dataclasses, ordered dicts, no sets), with
    the chapter entries written field by field (the repr() of 1000 entries' Paths took ~15 ms)."""
    names = [field.name for field in dataclasses.fields(ChapterEntry)]
    entries = "\n".join("\0".join(str(getattr(entry, name)) for name in names) for entry in site.entries)
    return f"{dataclasses.replace(site, entries=())!r}\n{entries}"


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


def is_stable(mtime_ns: int) -> bool:
    """True when a file or folder was last changed more than STABLE_SECONDS ago: a change made now
    gets another mtime, even on file systems whose timestamps are coarse."""
    return time.time_ns() - mtime_ns > STABLE_SECONDS * 1_000_000_000


def folder_mtimes(folder: str) -> dict[str, int]:
    """The mtimes of a folder ("") and of each folder in it, by name; empty when it does not exist."""
    try:
        found = {"": os.stat(folder).st_mtime_ns}
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    found[entry.name] = entry.stat().st_mtime_ns
    except OSError:
        return {}
    return found


class BuildCache:
    """What the last build into one output folder was made from (loaded from and saved to disk).

    One object may serve many builds (the dev server keeps it, with parsed chapters and pages
    in memory); `python build.py` makes a new one per run."""

    def __init__(self, root: Path, out_dir: Path) -> None:
        self.root = root.resolve()
        self.out_dir = out_dir
        self.path = cache_file(self.root, out_dir)
        self._folder = chapters_folder(self.path)  # one parsed chapter per file
        self._chapters: dict[Path, tuple[str, Any]] = load_chapters(self._folder)  # file -> (key, parsed)
        self._hashes: dict[str, tuple[Stamp, str]] = self._load_hashes()  # file -> (stamp, digest) of stable files
        self._is_hashes_changed = False  # a stable file's digest was learned since they were saved
        self._parsed: set[Path] = set()  # chapters parsed this build: saved with it
        self._pages: dict[str, Page] = {}  # the last build's pages, by output path
        self._keys: dict[str, str] = {}  # this build's chapter pages' keys, by output path
        self._reused: set[str] = set()
        self._file_hashes: dict[Path, str] = {}  # chapter files read this build -> digest of their bytes
        self._listing: tuple[dict[str, int], Any] | None = None  # folder mtimes -> the chapter files then
        self._paths: dict[str, Path] = {}  # source file names of reused pages -> their Paths
        self._site_key = ""  # this build's digest of what every page reads (see split)
        self._clean: SiteRecord | None = None  # the record, when split() found the folder exactly as it says
        self._record: SiteRecord | None = None
        self._record_stamp: Stamp | None = None
        self.problems: list[str] = []  # what went wrong with the cache itself (never the build's fault)

    def read_chapter(self, reader: Callable[..., T], root: Path, source: Any, layouts: Sequence[str]) -> T:
        """`reader(root, source, layouts)`, remembered by the chapter file's bytes (across processes too)."""
        file_hash = self._hash_of(os.path.join(root, source.path))
        self._file_hashes[source.path] = file_hash
        key = "\0".join([source.path.as_posix(), source.slug, source.language, *layouts, file_hash])
        known = self._chapters.get(source.path)
        if known is None or known[0] != key:
            known = (key, reader(root, source, layouts))
            self._chapters[source.path] = known
            self._parsed.add(source.path)
        result: T = known[1]
        return result

    def list_chapters(self, lister: Callable[[Path], T], root: Path) -> T:
        """`lister(root)` (chapter_files), remembered while chapters/ and each folder in it keep their mtimes
        (a folder's mtime changes when an entry is added, removed or renamed), so a rebuild keeps the same
        objects for the same files. Kept only when all were older than STABLE_SECONDS, as in _hash_of."""
        mtimes = folder_mtimes(os.path.join(root, "chapters"))
        if self._listing is not None and self._listing[0] == mtimes:
            listed: T = self._listing[1]
            return listed
        result = lister(root)
        self._listing = (mtimes, result) if mtimes and all(map(is_stable, mtimes.values())) else None
        return result

    def _hash_of(self, path: str) -> str:
        """The digest of a file's bytes; not read again while its stamp stays the one it had when
        it was read, if it was already older than STABLE_SECONDS then (a file written within the
        file system's timestamp granularity of a read could change without changing its stamp)."""
        before = os.stat(path)
        known = self._hashes.get(path)
        if known is not None and known[0] == (before.st_size, before.st_mtime_ns, before.st_mode):
            return known[1]
        with open(path, "rb") as file:
            file_hash = hashlib.blake2b(file.read(), digest_size=16).hexdigest()
        if is_stable(before.st_mtime_ns):
            self._hashes[path] = ((before.st_size, before.st_mtime_ns, before.st_mode), file_hash)
            self._is_hashes_changed = True
        return file_hash

    def split(self, context: Any, chapters: Sequence[Chapter]) -> tuple[list[Page], list[Chapter]]:
        """The chapter pages that can be reused as they are, and the chapters to render."""
        record = self._current_record()
        # one look at the whole output folder; when it is as recorded, no page needs a look of its own
        self._clean = record if record is not None and record.matches(self.out_dir) else None
        # The Site's text is complete (see site_text); the smaller parts holding sets go through
        # canonical(). The link map is made from the Site alone (by the code digested here), so it
        # adds nothing but time.
        site_key = digest(code_digest(), library_versions(),
                          context.templates_digest, site_text(context.site),
                          context.specs)
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
            remove(self.path)  # an interrupted update must not leave a record that trusts it
            changed = [page for page in pages if page.out_path not in self._reused]
            new_record = update_site(record, changed, pages, assets, out_dir, keys)
        else:
            write_site(pages, assets, out_dir)
            new_record = SiteRecord.of(out_dir, pages, assets, keys)
        self._pages = {page.out_path: page for page in pages}
        try:
            write_record(self.path, new_record)
            self._save_chapters()
            self._record, self._record_stamp = new_record, stamp(self.path)
        except OSError as error:  # the site is written; only the next build's head start is lost
            self._forget(error)

    def built_home_url(self) -> str | None:
        """The URL of the home page of the site the last build wrote (its base URL, then "/"), if known."""
        record = self._current_record()
        entry = record.pages.get("index.html") if record is not None else None
        return entry[0] if entry else None

    def take_problems(self) -> list[str]:
        """What went wrong with the cache since the last call (then forgotten)."""
        problems, self.problems = self.problems, []
        return problems

    def _forget(self, error: OSError) -> None:
        """After the cache could not be saved: trust nothing of it, and say so once."""
        remove(self.path)
        self._record, self._record_stamp, self._pages, self._chapters = None, None, {}, {}
        self._parsed, self._file_hashes = set(), {}
        self.problems.append(f"could not save the build cache ({error.strerror or error}: "
                             f"{error.filename or self.path}); the next build starts from scratch")

    def _save_chapters(self) -> None:
        """Save the chapters this build parsed and the stamps of stable files; forget the chapters it did
        not read (deleted or unlisted files)."""
        read = self._file_hashes
        for path in self._parsed & read.keys():
            save_chapter(self._folder, path, *self._chapters[path])
        for path in [path for path in self._chapters if path not in read]:
            remove(self._folder / shard_name(path))
            del self._chapters[path]
        seen = {os.path.join(self.root, path) for path in read}
        if not self._hashes.keys() <= seen:  # a file known before was not read: deleted or unlisted
            self._hashes = {name: value for name, value in self._hashes.items() if name in seen}
            self._is_hashes_changed = True
        if self._is_hashes_changed:
            save(stamps_file(self.path), self._hashes)
        self._parsed, self._file_hashes, self._is_hashes_changed = set(), {}, False

    def _load_hashes(self) -> dict[str, tuple[Stamp, str]]:
        """The stamps and digests of stable chapter files saved by an earlier build."""
        saved = load(stamps_file(self.path))
        return saved if isinstance(saved, dict) else {}

    def _current_record(self) -> SiteRecord | None:
        """The last build's record; read again when another process has built since."""
        try:
            on_disk: Stamp | None = stamp(self.path)
        except OSError:
            on_disk = None
        if on_disk != self._record_stamp:
            self._record, self._record_stamp, self._pages = read_record(self.path), on_disk, {}
        return self._record

    def _reusable(self, record: SiteRecord | None, target: str, key: str) -> Page | None:
        if record is None or record.keys.get(target) != key:
            return None
        if not (target in record.files if record is self._clean else record.is_intact(self.out_dir, target)):
            return None
        page = self._pages.get(target)
        if page is not None:
            return page
        url, sources = record.pages[target]
        return Page(target, url, self.out_dir / target, tuple(self._path(s) for s in sources))

    def _path(self, name: str) -> Path:
        """The Path of a source file named in the record; one object per name (pages share most sources,
        and making a Path is slow)."""
        path = self._paths.get(name)
        if path is None:
            path = self._paths[name] = Path(name)
        return path

