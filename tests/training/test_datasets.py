"""Loaders for the official formats: small files made here, the real shared files, corrupt files."""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

import numpy as np
import pytest

from tests.training.conftest import (
    cifar_members,
    idx_bytes,
    write_cifar_tar,
    write_mnist,
)
from training.datasets import DatasetError, load_cifar10, load_mnist, read_cifar_batch


@pytest.mark.parametrize("is_gzip", [True, False])
def test_mnist_reads_official_idx_files(tmp_path: Path, is_gzip: bool) -> None:
    arrays = write_mnist(tmp_path, n_train=30, n_test=7, is_gzip=is_gzip)
    data = load_mnist(tmp_path)
    assert data.train.images.shape == (30, 28, 28) and data.test.images.shape == (7, 28, 28)
    assert np.array_equal(data.train.images, arrays["train-images-idx3-ubyte"])
    assert data.test.labels.tolist() == arrays["t10k-labels-idx1-ubyte"].tolist()
    assert data.classes == tuple("0123456789")


def test_cifar_reads_archive_and_extracted_folder_alike(tmp_path: Path) -> None:
    members = cifar_members(n_train=12, n_test=5)
    write_cifar_tar(tmp_path / "a", members)
    extracted = tmp_path / "b" / "cifar-10-batches-py"
    extracted.mkdir(parents=True)
    for name, data in members.items():
        (extracted / name).write_bytes(data)
    from_tar, from_dir = load_cifar10(tmp_path / "a"), load_cifar10(tmp_path / "b")
    assert from_tar.train.images.shape == (60, 32, 32, 3) and from_tar.test.images.shape == (5, 32, 32, 3)
    assert np.array_equal(from_tar.train.images, from_dir.train.images)
    assert from_tar.classes[0] == "airplane" and from_tar.classes[-1] == "truck"


def test_cifar_rows_are_red_green_blue_planes(tmp_path: Path) -> None:
    members = cifar_members(n_train=10, n_test=3)
    batch = pickle.loads(members["test_batch"], encoding="bytes")
    write_cifar_tar(tmp_path, members)
    image = load_cifar10(tmp_path).test.images[1]
    row = batch[b"data"][1]
    assert image[0, 1].tolist() == [row[1], row[1024 + 1], row[2048 + 1]]
    assert image[2, 0, 2] == row[2048 + 2 * 32]


def test_shared_mnist_first_images(shared_data: Path) -> None:
    data = load_mnist(shared_data / "mnist")
    assert data.test.labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    first = data.train.images[:300]
    assert first.dtype == np.uint8 and first.shape == (300, 28, 28)
    assert first[:, 0, :].max() == 0 and first.max() == 255  # black border, white strokes
    assert set(data.train.labels[:300].tolist()) == set(range(10))


def test_shared_cifar_first_images(shared_data: Path) -> None:
    batch = read_cifar_batch(shared_data / "cifar-10", "data_batch_1")  # the archive's first member
    assert len(batch.labels) == 10_000
    first = batch.images[:300]
    assert first.dtype == np.uint8 and first.shape == (300, 32, 32, 3) and 60 < first.mean() < 190
    assert set(batch.labels[:300].tolist()) == set(range(10))


def _write_gz(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data, mtime=0))


def test_bad_magic_names_the_file(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=10, n_test=5)
    bad = tmp_path / "train-labels-idx1-ubyte.gz"
    _write_gz(bad, b"\x00\x00\x08\x03" + idx_bytes(np.zeros(10, np.uint8))[4:])
    with pytest.raises(DatasetError, match=r"train-labels-idx1-ubyte\.gz: bad magic number 00000803"):
        load_mnist(tmp_path)


def test_wrong_length_names_the_file(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=10, n_test=5)
    bad = tmp_path / "t10k-images-idx3-ubyte.gz"
    _write_gz(bad, idx_bytes(np.zeros((5, 28, 28), np.uint8))[:-100])
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte\.gz: wrong length.*5x28x28"):
        load_mnist(tmp_path)


def test_not_gzip_names_the_file(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=10, n_test=5)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"this is not gzip")
    with pytest.raises(DatasetError, match=r"train-images-idx3-ubyte\.gz: cannot read"):
        load_mnist(tmp_path)


def test_label_count_mismatch_names_both_files(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=10, n_test=5)
    _write_gz(tmp_path / "t10k-labels-idx1-ubyte.gz", idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(DatasetError, match="4 labels for 5 images"):
        load_mnist(tmp_path)


def test_bad_pickle_names_archive_and_member(tmp_path: Path) -> None:
    members = cifar_members(n_train=5, n_test=5)
    members["data_batch_3"] = members["data_batch_3"][:200]
    write_cifar_tar(tmp_path, members)
    with pytest.raises(DatasetError, match=r"cifar-10-python\.tar\.gz:data_batch_3: bad pickle"):
        load_cifar10(tmp_path)


def test_pickle_with_foreign_objects_is_refused(tmp_path: Path) -> None:
    members = cifar_members(n_train=5, n_test=5)
    members["test_batch"] = pickle.dumps({b"data": Path("x"), b"labels": []}, protocol=2)
    write_cifar_tar(tmp_path, members)
    with pytest.raises(DatasetError, match=r"test_batch: bad pickle: unexpected object pathlib"):
        load_cifar10(tmp_path)


def test_cifar_batch_of_wrong_width_is_rejected(tmp_path: Path) -> None:
    members = cifar_members(n_train=5, n_test=5)
    members["data_batch_1"] = pickle.dumps(
        {b"data": np.zeros((5, 3000), np.uint8), b"labels": [0] * 5}, protocol=2)
    write_cifar_tar(tmp_path, members)
    with pytest.raises(DatasetError, match=r"data_batch_1: wrong length"):
        load_cifar10(tmp_path)


def test_truncated_archive_and_missing_member(tmp_path: Path) -> None:
    path = write_cifar_tar(tmp_path / "t", cifar_members(n_train=5, n_test=5))
    path.write_bytes(path.read_bytes()[:-300])
    with pytest.raises(DatasetError, match=r"cifar-10-python\.tar\.gz: not a readable tar\.gz"):
        load_cifar10(tmp_path / "t")
    members = cifar_members(n_train=5, n_test=5)
    del members["batches.meta"]
    write_cifar_tar(tmp_path / "m", members)
    with pytest.raises(DatasetError, match="missing batches.meta"):
        load_cifar10(tmp_path / "m")


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"train-images-idx3-ubyte\.gz: file not found"):
        load_mnist(tmp_path)
