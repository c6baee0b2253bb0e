"""Helpers that write small datasets in the official MNIST and CIFAR-10 formats."""

from __future__ import annotations

import gzip
import io
import os
import pickle
import socket
import tarfile
from pathlib import Path

import numpy as np
import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def idx_bytes(array: np.ndarray) -> bytes:
    """An uint8 array in IDX format: magic 0x0000 08 ndim, big-endian dims, data."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_mnist(folder: Path, n_train: int = 200, n_test: int = 50, is_gzip: bool = True,
                seed: int = 0) -> dict[str, np.ndarray]:
    """Four IDX files of random digits whose brightest row encodes the label (so it is learnable)."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for part, n in (("train", n_train), ("t10k", n_test)):
        labels = np.arange(n) % 10
        images = rng.integers(0, 60, (n, 28, 28), dtype=np.uint8)
        for i, label in enumerate(labels):
            images[i, 4 + 2 * label, 4:24] = 255
        arrays[f"{part}-images-idx3-ubyte"] = images
        arrays[f"{part}-labels-idx1-ubyte"] = labels.astype(np.uint8)
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in arrays.items():
        data = idx_bytes(array)
        if is_gzip:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
        else:
            (folder / name).write_bytes(data)
    return arrays


CIFAR_NAMES = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse",
               b"ship", b"truck"]


def cifar_batch(n: int, seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """A pickled batch (protocol 2, bytes keys) of colour images whose dominant hue encodes the label."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 10
    data = rng.integers(0, 80, (n, 3072), dtype=np.uint8)
    for i, label in enumerate(labels):
        data[i, (label % 3) * 1024:(label % 3) * 1024 + 1024] += np.uint8(40 + 15 * label)
    batch = {b"batch_label": b"testing batch", b"labels": labels.tolist(), b"data": data}
    return pickle.dumps(batch, protocol=2), data, labels


def cifar_members(n_train: int = 30, n_test: int = 20) -> dict[str, bytes]:
    """The seven files of cifar-10-batches-py/."""
    members = {f"data_batch_{k}": cifar_batch(n_train, k)[0] for k in range(1, 6)}
    members["test_batch"] = cifar_batch(n_test, 9)[0]
    members["batches.meta"] = pickle.dumps({b"label_names": CIFAR_NAMES, b"num_vis": 3072}, protocol=2)
    return members


def write_cifar_tar(folder: Path, members: dict[str, bytes]) -> Path:
    """cifar-10-python.tar.gz holding cifar-10-batches-py/<member> for each member."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cifar-10-python.tar.gz"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(buffer.getvalue(), mtime=0))
    return path


@pytest.fixture
def shared_data() -> Path:
    """The team's shared copy of the real datasets; tests using it skip when it is absent."""
    if not (SHARED_DATA / "mnist").is_dir() or not (SHARED_DATA / "cifar-10").is_dir():
        message = f"real datasets not found at {SHARED_DATA} (shared/ sits beside the project in CI)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DATA


@pytest.fixture
def offline_url() -> str:
    """A base URL on a local port nobody listens on: every download from it fails, as with no network."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"
