"""The record of a written site (every file's size and mtime, each page's key and sources) and the
in-place update that rewrites only what changed; see incremental.py."""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from textbook.model import Page
from textbook.writer import MARKER, MARKER_TEXT, Asset

Stamp = tuple[int, int]  # (size, mtime_ns)


def stamp(path: Path | str) -> Stamp:
    """A file's size and modification time in nanoseconds."""
    info = os.stat(path)
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
        folder = os.fspath(out_dir)
        try:
            return set(listing(out_dir)) == set(self.files) and all(
                stamp(os.path.join(folder, name)) == recorded for name, recorded in self.files.items())
        except OSError:
            return False

    def is_intact(self, out_dir: Path, name: str) -> bool:
        """True when a recorded output file is still the one written."""
        try:
            return name in self.files and stamp(os.path.join(out_dir, name)) == self.files[name]
        except OSError:
            return False


def listing(folder: Path) -> list[str]:
    """Every file under a folder, as posix paths relative to it."""
    found: list[str] = []
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, current = pending.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    found.append(f"{prefix}{entry.name}")
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
    replace_file(path, json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8"))


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
    sources: dict[str, tuple[str, Stamp]] = {}
    for asset in assets:
        sources[asset.out_path] = (asset.source.as_posix(), stamp(asset.source))
        if record.assets.get(asset.out_path) != sources[asset.out_path] or asset.out_path not in files:
            copy_file(asset.source, out_dir / asset.out_path)
            files[asset.out_path] = stamp(out_dir / asset.out_path)
    for page in changed:
        replace_file(out_dir / page.out_path, page.html.encode("utf-8"))
        files[page.out_path] = stamp(out_dir / page.out_path)
    if MARKER not in files:
        replace_file(out_dir / MARKER, MARKER_TEXT.encode("utf-8"))
        files[MARKER] = stamp(out_dir / MARKER)
    rewritten = {page.out_path for page in changed}
    page_records = {p.out_path: record.pages[p.out_path] if p.out_path in record.pages and p.out_path not in rewritten
                    else (p.url, tuple(s.as_posix() for s in p.sources)) for p in pages}
    return SiteRecord(files, page_records, dict(keys), sources)


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
