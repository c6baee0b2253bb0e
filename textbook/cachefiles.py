"""The build cache's files (see incremental.py): where they live, and how they are written and read;
and the digest of a folder, which keys caches.

Every file is written by us, for us: a pickle behind a CRC-32 of its bytes, replaced atomically. The
check is against damage (a cut write, a flipped byte, an edit), not against someone forging a file:
whoever can write the cache can write the book's code too.
A file that is missing, damaged or of another version reads as None, so the build goes on
without it (a cache never makes a build fail or a page wrong).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import zlib
from pathlib import Path
from typing import Any

CACHE_VERSION = 4
_CHECK_SIZE = 4  # bytes of the CRC-32 in front of the pickle


def folder_digest(folder: Path, pattern: str = "*") -> str:
    """A digest of the path and bytes of every file under a folder (`pattern` picks them; bytecode
    caches are skipped)."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob(pattern)) if folder.is_dir() else []:
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def cache_file(root: Path, out_dir: Path) -> Path:
    """Where the record of builds into `out_dir` lives: the book's .cache/ (git-ignored) when the
    site is built inside the book, else beside the output folder (never inside it: it is deployed)."""
    out = out_dir.resolve()
    if out.is_relative_to(root.resolve()):
        name = hashlib.blake2b(str(out).encode(), digest_size=8).hexdigest()
        return root / ".cache" / "textbook" / f"{name}.pickle"
    return out.parent / ".textbook-cache" / f"{out.name}.pickle"


def chapters_folder(record: Path) -> Path:
    """The folder beside a record holding one parsed chapter per file."""
    return record.with_suffix(".chapters")


def stamps_file(record: Path) -> Path:
    """The file beside a record holding the stamps and digests of stable chapter files."""
    return record.with_suffix(".stamps.pickle")


def shard_name(path: Path) -> str:
    """The file in the chapters folder that keeps one chapter file's parse."""
    return hashlib.blake2b(path.as_posix().encode(), digest_size=10).hexdigest() + ".pickle"


def save(path: Path, value: object) -> None:
    """Write `value` to a cache file (versioned, behind a checksum of its bytes), atomically; a file or
    folder of that name that is in the way (ours: the names are our digests) is removed first."""
    data = pickle.dumps((CACHE_VERSION, value), protocol=pickle.HIGHEST_PROTOCOL)
    partial = path.with_name(f".{path.name}.partial")
    for obstacle in (partial, path):
        if obstacle.is_dir() and not obstacle.is_symlink():
            shutil.rmtree(obstacle)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(zlib.crc32(data).to_bytes(_CHECK_SIZE, "big") + data)
    os.replace(partial, path)


def load(path: Path) -> Any:
    """What `save` wrote to `path`; None when absent, unreadable, damaged or of another version."""
    try:
        with open(path, "rb") as file:
            raw = file.read()
        data = memoryview(raw)[_CHECK_SIZE:]  # a view: a chapter's pickle is not copied to be checked
        if zlib.crc32(data).to_bytes(_CHECK_SIZE, "big") != raw[:_CHECK_SIZE]:
            return None
        version, value = pickle.loads(data)
    except Exception:  # noqa: BLE001 (any damage, even one that passes the check, means "no cache")
        return None
    return value if version == CACHE_VERSION else None


def remove(path: Path) -> None:
    """Delete a cache file (or a folder in its place) if it is there and can be deleted."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass  # then it cannot be written either, and a record left behind no longer matches the site


def load_chapters(folder: Path) -> dict[Path, tuple[str, Any]]:
    """Parsed chapters saved by earlier builds, one file each: chapter file -> (the key it was parsed
    under, the result); each is still checked against its file's digest. A damaged entry is left
    out: that chapter is parsed again."""
    found: dict[Path, tuple[str, Any]] = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return found
    for name in names:
        saved = load(folder / name)
        if isinstance(saved, tuple) and len(saved) == 3 and isinstance(saved[0], Path) and isinstance(saved[1], str):
            found[saved[0]] = (saved[1], saved[2])
    return found


def save_chapter(folder: Path, path: Path, key: str, parsed: Any) -> None:
    """Keep one parsed chapter for the next process (only the chapters a build parsed are written)."""
    if folder.exists() and not folder.is_dir():
        folder.unlink()  # a file in the way of our folder
    save(folder / shard_name(path), (path, key, parsed))
