"""The record of a written site (every file's size and mtime, each page's key and sources) and the
in-place update that rewrites only what changed; see incremental.py."""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from textbook.cachefiles import load, save
from textbook.model import Page
from textbook.writer import MARKER, MARKER_TEXT, Asset

Stamp = tuple[int, int, int]  # (size, mtime_ns, mode)


def stamp(path: Path | str) -> Stamp:
    """A file's size, modification time in nanoseconds and mode (type and permissions)."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns, info.st_mode


@dataclass(frozen=True)
class SiteRecord:
    """What the last build wrote into its output folder."""

    files: Mapping[str, Stamp]                        # every file written, by output path
    pages: Mapping[str, tuple[str, tuple[str, ...]]]  # page output path -> (url, sources)
    keys: Mapping[str, str]                           # page output path -> key ("" = always render)
    assets: Mapping[str, tuple[str, Stamp]]           # asset output path -> (source, its stamp)
    folders: Mapping[str, int] = field(default_factory=dict)  # every folder holding them ("" = the site) -> mtime

    @classmethod
    def of(cls, out_dir: Path, pages: Sequence[Page], assets: Sequence[Asset],
           keys: Mapping[str, str]) -> SiteRecord:
        """The record of a folder just written with these pages and assets."""
        names = [page.out_path for page in pages] + [asset.out_path for asset in assets] + [MARKER]
        return cls({name: stamp(out_dir / name) for name in names},
                   {p.out_path: (p.url, tuple(s.as_posix() for s in p.sources)) for p in pages},
                   dict(keys),
                   {a.out_path: (a.source.as_posix(), stamp(a.source)) for a in assets},
                   folder_stamps(out_dir, folders_of(names)))

    def matches(self, out_dir: Path) -> bool:
        """True when the folder holds exactly the recorded files, untouched since. A folder's mtime
        changes whenever an entry is added to it, removed or renamed, so the files' stamps and the
        folders' mtimes tell that without listing every folder (half the system calls)."""
        folder = os.fspath(out_dir)
        try:
            return bool(self.folders) and all(
                os.stat(f"{folder}/{name}").st_mtime_ns == mtime for name, mtime in self.folders.items()) and all(
                stamp(f"{folder}/{name}") == recorded for name, recorded in self.files.items())
        except (OSError, ValueError):  # ValueError: a name no file can have (a NUL in a damaged record)
            return False

    def is_intact(self, out_dir: Path, name: str) -> bool:
        """True when a recorded output file is still the one written."""
        try:
            return name in self.files and stamp(os.path.join(out_dir, name)) == self.files[name]
        except (OSError, ValueError):
            return False


def folders_of(names: Iterable[str]) -> set[str]:
    """Every folder holding the files named (posix paths relative to the site), the site itself as ""."""
    found = {""}
    for name in names:
        cut = name.rfind("/")
        while cut > 0 and name[:cut] not in found:
            found.add(name[:cut])
            cut = name.rfind("/", 0, cut)
    return found


def folder_stamps(out_dir: Path, names: Iterable[str]) -> dict[str, int]:
    """The mtime of each folder named (relative to the site; "" is the site)."""
    folder = os.fspath(out_dir)
    return {name: os.stat(f"{folder}/{name}" if name else folder).st_mtime_ns for name in sorted(names)}


def read_record(path: Path) -> SiteRecord | None:
    """The record saved at `path`, or None when absent, damaged or of another version."""
    data = load(path)
    parts = ("files", "pages", "keys", "assets", "folders")
    if not isinstance(data, dict) or not all(isinstance(data.get(part), dict) for part in parts):
        return None
    return SiteRecord(*(data[part] for part in parts))


def write_record(path: Path, record: SiteRecord) -> None:
    """Save a record (atomically: a reader sees the old one or the new one). Pickled: the dev server
    saves it after every rebuild, and JSON took ~15 ms for a 1000-page site where pickle takes ~2."""
    save(path, {"files": dict(record.files), "pages": dict(record.pages), "keys": dict(record.keys),
                "assets": dict(record.assets), "folders": dict(record.folders)})


def replace_file(target: Path, data: bytes) -> None:
    """Write a file so that readers see either the old or the new content, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)


def update_site(record: SiteRecord, changed: Sequence[Page], pages: Sequence[Page],
                assets: Sequence[Asset], out_dir: Path, keys: Mapping[str, str]) -> SiteRecord:
    """Rewrite the changed pages and assets in place, delete outputs no longer built; the new record.

    `record` must match `out_dir` (SiteRecord.matches): its stamps are reused for untouched files."""
    wanted = {page.out_path for page in pages} | {asset.out_path for asset in assets} | {MARKER}
    stale = sorted(set(record.files) - wanted)
    for name in stale:
        (out_dir / name).unlink(missing_ok=True)
    if stale:
        remove_empty_folders(out_dir)
    files = {name: value for name, value in record.files.items() if name in wanted}
    touched = set(stale)  # every file written or deleted
    sources: dict[str, tuple[str, Stamp]] = {}
    for asset in assets:
        sources[asset.out_path] = (asset.source.as_posix(), stamp(asset.source))
        if record.assets.get(asset.out_path) != sources[asset.out_path] or asset.out_path not in files:
            copy_file(asset.source, out_dir / asset.out_path)
            files[asset.out_path] = stamp(out_dir / asset.out_path)
            touched.add(asset.out_path)
    for page in changed:
        replace_file(out_dir / page.out_path, page.html.encode("utf-8"))
        files[page.out_path] = stamp(out_dir / page.out_path)
        touched.add(page.out_path)
    if MARKER not in files:
        replace_file(out_dir / MARKER, MARKER_TEXT.encode("utf-8"))
        files[MARKER] = stamp(out_dir / MARKER)
        touched.add(MARKER)
    rewritten = {page.out_path for page in changed}
    page_records = {p.out_path: record.pages[p.out_path] if p.out_path in record.pages and p.out_path not in rewritten
                    else (p.url, tuple(s.as_posix() for s in p.sources)) for p in pages}
    return SiteRecord(files, page_records, dict(keys), sources, updated_folders(record, files, touched, out_dir))


def updated_folders(record: SiteRecord, files: Mapping[str, Stamp], touched: set[str], out_dir: Path) -> dict[str, int]:
    """The folder mtimes after an update that wrote or deleted the files in `touched`. When it only
    rewrote files it had, only their folders changed; else (files added or deleted, folders made or
    removed) every folder is stamped again."""
    if all(name in record.files and name in files for name in touched):
        return {**record.folders, **folder_stamps(out_dir, folders_of(touched))}
    return folder_stamps(out_dir, folders_of(files))


def copy_file(source: Path, target: Path) -> None:
    """Copy a file into place atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def remove_empty_folders(folder: Path) -> None:
    """Delete the folders under `folder` that no longer hold any file."""
    for current, _, _ in sorted(os.walk(folder), key=lambda entry: -len(entry[0])):
        path = Path(current)
        if path != folder and not any(path.iterdir()):
            path.rmdir()
