"""The record of a written site (every file's size and mtime, each page's key and sources) and the
in-place update that rewrites only what changed; see incremental.py."""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from textbook.model import Page
from textbook.writer import MARKER, MARKER_TEXT, Asset

Stamp = tuple[int, int]  # (size, mtime_ns)


def stamp(path: Path) -> Stamp:
    """A file's size and modification time in nanoseconds."""
    info = path.stat()
    return info.st_size, info.st_mtime_ns


@dataclass(frozen=True)
class SiteRecord:
    """What the last build wrote into its output folder."""

    files: Mapping[str, Stamp]                        # every file written, by output path
    pages: Mapping[str, tuple[str, tuple[str, ...]]]  # page output path -> (url, sources)
    keys: Mapping[str, str]                           # page output path -> key ("" = always render)
    assets: Mapping[str, tuple[str, Stamp]]           # asset output path -> (source, its stamp)

    @classmethod
    def of(cls, out_dir: Path, pages: Sequence[Page], assets: Sequence[Asset],
           keys: Mapping[str, str]) -> SiteRecord:
        """The record of a folder just written with these pages and assets."""
        names = [page.out_path for page in pages] + [asset.out_path for asset in assets] + [MARKER]
        return cls({name: stamp(out_dir / name) for name in names},
                   {p.out_path: (p.url, tuple(s.as_posix() for s in p.sources)) for p in pages},
                   dict(keys),
                   {a.out_path: (a.source.as_posix(), stamp(a.source)) for a in assets})

    def matches(self, out_dir: Path) -> bool:
        """True when the folder holds exactly the recorded files, untouched since."""
        try:
            return set(listing(out_dir)) == set(self.files) and all(
                stamp(out_dir / name) == recorded for name, recorded in self.files.items())
        except OSError:
            return False

    def is_intact(self, out_dir: Path, name: str) -> bool:
        """True when a recorded output file is still the one written."""
        try:
            return name in self.files and stamp(out_dir / name) == self.files[name]
        except OSError:
            return False


def listing(folder: Path) -> list[str]:
    """Every file under a folder, as posix paths relative to it."""
    found: list[str] = []
    for current, _, files in os.walk(folder):
        base = Path(current).relative_to(folder)
        found.extend((base / name).as_posix() for name in files)
    return found


def read_record(path: Path, version: int) -> SiteRecord | None:
    """The record saved at `path`, or None when absent, unreadable or of another version."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != version:
            return None
        return SiteRecord({k: (v[0], v[1]) for k, v in data["files"].items()},
                          {k: (v[0], tuple(v[1])) for k, v in data["pages"].items()},
                          data["keys"],
                          {k: (v[0], (v[1][0], v[1][1])) for k, v in data["assets"].items()})
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def write_record(path: Path, record: SiteRecord, version: int) -> None:
    """Save a record (atomically: a reader sees the old one or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": version, "files": record.files, "pages": record.pages,
            "keys": record.keys, "assets": record.assets}
    replace_file(path, json.dumps(data, sort_keys=True).encode("utf-8"))


def replace_file(target: Path, data: bytes) -> None:
    """Write a file so that readers see either the old or the new content, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)


def update_site(record: SiteRecord, changed: Iterable[Page], pages: Sequence[Page],
                assets: Sequence[Asset], out_dir: Path, keys: Mapping[str, str]) -> SiteRecord:
    """Rewrite the changed pages and assets in place, delete outputs no longer built; the record."""
    wanted = {page.out_path for page in pages} | {asset.out_path for asset in assets} | {MARKER}
    for name in sorted(set(record.files) - wanted):
        (out_dir / name).unlink(missing_ok=True)
    remove_empty_folders(out_dir)
    for asset in assets:
        if record.assets.get(asset.out_path) != (asset.source.as_posix(), stamp(asset.source)) \
                or not record.is_intact(out_dir, asset.out_path):
            copy_file(asset.source, out_dir / asset.out_path)
    for page in changed:
        replace_file(out_dir / page.out_path, page.html.encode("utf-8"))
    if not (out_dir / MARKER).is_file():
        replace_file(out_dir / MARKER, MARKER_TEXT.encode("utf-8"))
    return SiteRecord.of(out_dir, pages, assets, keys)


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
