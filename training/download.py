"""Fetch missing dataset files from their official locations, verified, written atomically."""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tqdm import tqdm

from training.datasets import (
    CIFAR_ARCHIVE,
    MNIST_FILES,
    DatasetError,
    cifar_path,
    mnist_path,
)

CHUNK = 1 << 20
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class RemoteFile:
    """One file of an official download and the MD5 its publisher gives for it."""

    name: str
    md5: str


@dataclass(frozen=True)
class Source:
    """Where a dataset comes from: its folder under the data dir, base URLs tried in order, files."""

    dataset: str
    folder: str
    base_urls: tuple[str, ...]
    files: tuple[RemoteFile, ...]


MNIST_SOURCE = Source(
    "mnist", "mnist",
    # yann.lecun.com no longer serves the files reliably; these mirrors serve the same bytes.
    ("https://ossci-datasets.s3.amazonaws.com/mnist/",
     "https://storage.googleapis.com/cvdf-datasets/mnist/"),
    (RemoteFile(MNIST_FILES["train_images"], "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
     RemoteFile(MNIST_FILES["train_labels"], "d53e105ee54ea40749a09fcbcd1e9432"),
     RemoteFile(MNIST_FILES["test_images"], "9fb629c4189551a2d022fa330f9573f3"),
     RemoteFile(MNIST_FILES["test_labels"], "ec29112dd5afa0611ce80d1b7f02629c")),
)
CIFAR10_SOURCE = Source(
    "cifar10", "cifar-10",
    ("https://www.cs.toronto.edu/~kriz/",),
    (RemoteFile(CIFAR_ARCHIVE, "c58f30108f718f92721af3b95e74349a"),),
)
SOURCES = {source.dataset: source for source in (MNIST_SOURCE, CIFAR10_SOURCE)}


def is_present(source: Source, data_dir: Path, remote: RemoteFile) -> bool:
    """Whether the file, or an accepted alternative form of it, is already in the data dir."""
    folder = data_dir / source.folder
    if remote.name == CIFAR_ARCHIVE:
        return cifar_path(folder).exists()
    return mnist_path(folder, remote.name).exists()


def ensure_sources(sources: tuple[Source, ...], data_dir: Path, base_urls: tuple[str, ...] | None = None,
                   is_quiet: bool = False) -> list[Path]:
    """Try every missing file of every source; if any cannot be fetched, fail once listing them all."""
    downloaded: list[Path] = []
    failed: list[tuple[Source, RemoteFile]] = []
    reasons: list[str] = []
    unreachable: set[str] = set()  # base URLs that refused or timed out: not asked again
    for source in sources:
        for remote in source.files:
            if is_present(source, data_dir, remote):
                continue
            dest = data_dir / source.folder / remote.name
            try:
                download_file(remote, base_urls or source.base_urls, dest, is_quiet, unreachable)
            except DatasetError as error:
                failed.append((source, remote))
                reasons.append(str(error))
                continue
            downloaded.append(dest)
    if failed:
        raise DatasetError("\n".join([*reasons, _where_to_put(data_dir, failed)]))
    return downloaded


def ensure_source(source: Source, data_dir: Path, base_urls: tuple[str, ...] | None = None,
                  is_quiet: bool = False) -> list[Path]:
    """Download every missing file of `source`; files already present are used as they are."""
    return ensure_sources((source,), data_dir, base_urls, is_quiet)


def download_file(remote: RemoteFile, base_urls: tuple[str, ...], dest: Path,
                  is_quiet: bool = False, unreachable: set[str] | None = None) -> None:
    """Fetch `remote` from the first base URL that works; keep it only if its MD5 matches."""
    unreachable = set() if unreachable is None else unreachable
    failures = []
    for base_url in base_urls:
        url = base_url.rstrip("/") + "/" + remote.name
        if base_url in unreachable:
            failures.append(f"  {url}: skipped, the server was unreachable")
            continue
        try:
            _fetch_verified(url, remote.md5, dest, is_quiet)
            return
        except (OSError, ValueError, http.client.HTTPException) as error:  # URLError is an OSError
            if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
                unreachable.add(base_url)  # no connection at all, unlike an HTTP error status
            failures.append(f"  {url}: {getattr(error, 'reason', None) or error}")
    raise DatasetError(f"could not download {remote.name}:\n" + "\n".join(failures))


def _fetch_verified(url: str, md5: str, dest: Path, is_quiet: bool) -> None:
    """Stream `url` into a temporary file next to `dest`, check it, then rename it into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            expected = int(response.headers.get("Content-Length") or 0) or None
            digest, size = _copy(response, out, expected, dest.name, is_quiet)
        if expected is not None and size != expected:
            raise ValueError(f"truncated download: got {size} of {expected} bytes")
        if digest != md5:
            raise ValueError(f"checksum mismatch: MD5 {digest}, expected {md5}")
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)


def _copy(response: BinaryIO, out: BinaryIO, total: int | None, label: str,
          is_quiet: bool) -> tuple[str, int]:
    """Copy the response body to `out` with a progress bar; return its MD5 and size."""
    digest = hashlib.md5()
    size = 0
    with tqdm(total=total, unit="B", unit_scale=True, desc=label, disable=is_quiet) as bar:
        while chunk := response.read(CHUNK):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            bar.update(len(chunk))
    return digest.hexdigest(), size


def _where_to_put(data_dir: Path, missing: list[tuple[Source, RemoteFile]]) -> str:
    """The manual fix: every file still missing, where to put it, its official URL and MD5."""
    names = " and ".join(dict.fromkeys(source.dataset for source, _ in missing))
    lines = [f"Without network access, put these {names} files in place by hand:"]
    for source, remote in missing:
        lines.append(f"  {data_dir / source.folder / remote.name}  "
                     f"(from {source.base_urls[0]}{remote.name}, MD5 {remote.md5})")
    return "\n".join(lines)
