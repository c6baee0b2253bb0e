"""Readers for the official MNIST (IDX) and CIFAR-10 ("python version") files."""

from __future__ import annotations

import gzip
import io
import pickle
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MNIST_CLASSES = tuple(str(digit) for digit in range(10))
MNIST_FILES = {  # role -> official file name (the .gz one; an uncompressed copy also works)
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
CIFAR_ARCHIVE = "cifar-10-python.tar.gz"
CIFAR_FOLDER = "cifar-10-batches-py"
CIFAR_TRAIN_BATCHES = tuple(f"data_batch_{n}" for n in range(1, 6))
CIFAR_MEMBERS = (*CIFAR_TRAIN_BATCHES, "test_batch", "batches.meta")
IDX_IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions
IDX_LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension
# The only globals a CIFAR-10 batch pickle needs; anything else is refused, not executed.
PICKLE_GLOBALS = {
    ("_codecs", "encode"), ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
}


class DatasetError(Exception):
    """A dataset file is missing, corrupt or not in the official format; the message names it."""


@dataclass(frozen=True)
class Split:
    """Images as uint8, (N, 28, 28) for MNIST or (N, 32, 32, 3) for CIFAR-10, and int64 labels."""

    images: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class Dataset:
    """One dataset as read from disk (pipeline.dataset_files names the files it comes from)."""

    name: str
    classes: tuple[str, ...]
    train: Split
    test: Split


def mnist_path(folder: Path, name: str) -> Path:
    """The file for an official MNIST name: the .gz one, or else the uncompressed one."""
    compressed = folder / name
    plain = folder / name.removesuffix(".gz")
    return plain if not compressed.exists() and plain.exists() else compressed


def cifar_path(folder: Path) -> Path:
    """The CIFAR-10 source: the official archive, or else an extracted cifar-10-batches-py/."""
    archive = folder / CIFAR_ARCHIVE
    extracted = folder / CIFAR_FOLDER
    return extracted if not archive.exists() and extracted.is_dir() else archive


def read_idx(path: Path, magic: int) -> np.ndarray:
    """An IDX array of unsigned bytes; checks the magic number and the length against the header."""
    data = _read_bytes(path)
    if len(data) < 4 or int.from_bytes(data[:4], "big") != magic:
        found = data[:4].hex() or "nothing"
        raise DatasetError(f"{path}: bad magic number {found}, expected {magic:08x} (IDX unsigned bytes)")
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(f"{path}: file ends inside the IDX header")
    dims = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(dims))
    if len(data) - header != expected:
        raise DatasetError(f"{path}: wrong length: header says {'x'.join(map(str, dims))} = "
                           f"{expected} bytes of data, file has {len(data) - header}")
    return np.frombuffer(data, np.uint8, offset=header).reshape(dims)


def load_mnist(folder: Path) -> Dataset:
    """MNIST from `folder`, which holds the four official files."""
    paths = {role: mnist_path(folder, name) for role, name in MNIST_FILES.items()}
    splits = []
    for part in ("train", "test"):
        images = read_idx(paths[f"{part}_images"], IDX_IMAGES_MAGIC)
        labels = read_idx(paths[f"{part}_labels"], IDX_LABELS_MAGIC).astype(np.int64)
        if len(images) != len(labels):
            raise DatasetError(f"{paths[f'{part}_labels']}: {len(labels)} labels for "
                               f"{len(images)} images in {paths[f'{part}_images']}")
        splits.append(Split(images, labels))
    return Dataset("mnist", MNIST_CLASSES, splits[0], splits[1])


def load_cifar10(folder: Path) -> Dataset:
    """CIFAR-10 from `folder`: the official archive (read without extracting) or the extracted batches."""
    source = cifar_path(folder)
    members = _read_cifar_members(source)
    batches = [_parse_batch(members[name], f"{source}:{name}") for name in CIFAR_TRAIN_BATCHES]
    train = Split(np.concatenate([b.images for b in batches]), np.concatenate([b.labels for b in batches]))
    test = _parse_batch(members["test_batch"], f"{source}:test_batch")
    meta = _unpickle(members["batches.meta"], f"{source}:batches.meta")
    names = meta.get(b"label_names") if isinstance(meta, dict) else None
    if not isinstance(names, list) or len(names) != 10:
        raise DatasetError(f"{source}:batches.meta: expected 10 label_names")
    classes = tuple(n.decode() if isinstance(n, bytes) else str(n) for n in names)
    return Dataset("cifar10", classes, train, test)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when its name ends in .gz."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as stream:
                return stream.read()
        return path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path}: file not found") from None
    except (OSError, EOFError) as error:  # gzip raises BadGzipFile (an OSError) or EOFError
        raise DatasetError(f"{path}: cannot read: {error}") from None


def read_cifar_batch(folder: Path, name: str) -> Split:
    """One CIFAR-10 batch file (e.g. data_batch_1), reading the archive only as far as needed."""
    source = cifar_path(folder)
    return _parse_batch(_read_cifar_members(source, (name,))[name], f"{source}:{name}")


def _read_cifar_members(source: Path, wanted: tuple[str, ...] = CIFAR_MEMBERS) -> dict[str, bytes]:
    """The raw bytes of the wanted batch files, from the archive or the extracted folder."""
    if source.is_dir():
        return {name: _read_bytes(source / name) for name in wanted}
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(source, "r:gz") as archive:
            for info in archive:
                name = info.name.rsplit("/", 1)[-1]
                stream = archive.extractfile(info) if name in wanted else None
                if stream is not None:
                    members[name] = stream.read()
                if len(members) == len(wanted):
                    break
    except FileNotFoundError:
        raise DatasetError(f"{source}: file not found") from None
    except (OSError, EOFError, tarfile.TarError) as error:
        raise DatasetError(f"{source}: not a readable tar.gz archive: {error}") from None
    missing = [name for name in wanted if name not in members]
    if missing:
        raise DatasetError(f"{source}: missing {', '.join(missing)} in {CIFAR_FOLDER}/")
    return members


class _BatchUnpickler(pickle.Unpickler):
    """Unpickler that only builds the numpy arrays a CIFAR-10 batch holds."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in PICKLE_GLOBALS:
            raise pickle.UnpicklingError(f"unexpected object {module}.{name}")
        return super().find_class(module, name)


def _unpickle(data: bytes, origin: str) -> Any:
    """A batch pickle loaded with bytes keys, as the official files expect."""
    try:
        return _BatchUnpickler(io.BytesIO(data), encoding="bytes").load()
    except Exception as error:  # noqa: BLE001  (a corrupt pickle can raise almost anything)
        raise DatasetError(f"{origin}: bad pickle: {error}") from None


def _parse_batch(data: bytes, origin: str) -> Split:
    """Images (N, 32, 32, 3) and labels from one batch pickle; checks shapes."""
    batch = _unpickle(data, origin)
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise DatasetError(f"{origin}: expected a dict with b'data' and b'labels'")
    pixels = np.asarray(batch[b"data"])
    labels = np.asarray(batch[b"labels"], dtype=np.int64)
    if pixels.dtype != np.uint8 or pixels.ndim != 2 or pixels.shape[1] != 3072:
        raise DatasetError(f"{origin}: wrong length: data is {pixels.dtype} {pixels.shape}, "
                           f"expected uint8 (N, 3072)")
    if len(labels) != len(pixels) or (len(labels) and (labels.min() < 0 or labels.max() > 9)):
        raise DatasetError(f"{origin}: {len(labels)} labels in 0-9 expected for {len(pixels)} images")
    # Rows hold the red, green and blue planes of 32x32 one after another.
    images = pixels.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return Split(np.ascontiguousarray(images), labels)
