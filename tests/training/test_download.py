"""Downloads against a local HTTP server laid out like the official sites."""

from __future__ import annotations

import dataclasses
import hashlib
import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from tests.training.conftest import cifar_members, write_cifar_tar, write_mnist
from training.datasets import DatasetError, load_cifar10, load_mnist
from training.download import (
    CIFAR10_SOURCE,
    MNIST_SOURCE,
    RemoteFile,
    Source,
    ensure_source,
    ensure_sources,
)


class TruncatingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, but announces the full length and sends half of anything named *truncate*."""

    def copyfile(self, source, outputfile):  # type: ignore[no-untyped-def]
        data = source.read()
        outputfile.write(data[: len(data) // 2] if "truncate" in self.path else data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A server on 127.0.0.1 serving tmp_path/site; yields its base URL and that folder."""
    site = tmp_path / "site"
    site.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(TruncatingHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", site
    httpd.shutdown()
    httpd.server_close()


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def with_checksums(source: Source, folder: Path) -> Source:
    """The official source, but with the MD5s of the test files (the official bytes are not here)."""
    files = tuple(RemoteFile(f.name, md5(folder / f.name)) for f in source.files)
    return dataclasses.replace(source, files=files)


def test_downloads_missing_files_and_loads_them(server: tuple[str, Path], tmp_path: Path) -> None:
    base_url, site = server
    arrays = write_mnist(site / "mnist", n_train=20, n_test=10)
    write_cifar_tar(site, cifar_members(n_train=4, n_test=3))
    data_dir = tmp_path / "data"
    got = ensure_source(with_checksums(MNIST_SOURCE, site / "mnist"), data_dir,
                        (base_url + "mnist/",), is_quiet=True)
    got += ensure_source(with_checksums(CIFAR10_SOURCE, site), data_dir, (base_url,), is_quiet=True)
    assert sorted(p.name for p in got) == sorted(
        [f.name for f in MNIST_SOURCE.files] + ["cifar-10-python.tar.gz"])
    assert np.array_equal(load_mnist(data_dir / "mnist").train.images, arrays["train-images-idx3-ubyte"])
    assert load_cifar10(data_dir / "cifar-10").test.images.shape == (3, 32, 32, 3)
    assert not [p for p in data_dir.rglob("*") if p.name.startswith(".")]  # no temporary files left


def test_present_files_are_used_as_they_are(server: tuple[str, Path], tmp_path: Path) -> None:
    base_url, _ = server
    data_dir = tmp_path / "data"
    write_mnist(data_dir / "mnist", n_train=10, n_test=5, is_gzip=False)  # uncompressed copies count
    assert ensure_source(MNIST_SOURCE, data_dir, (base_url,), is_quiet=True) == []


def test_second_mirror_is_tried_after_a_failing_one(server: tuple[str, Path], tmp_path: Path) -> None:
    base_url, site = server
    write_mnist(site / "mnist", n_train=10, n_test=5)
    source = with_checksums(MNIST_SOURCE, site / "mnist")
    got = ensure_source(source, tmp_path / "data", (base_url + "nowhere/", base_url + "mnist/"), is_quiet=True)
    assert len(got) == 4


def test_corrupt_download_is_rejected_and_removed(server: tuple[str, Path], tmp_path: Path) -> None:
    base_url, site = server
    write_cifar_tar(site, cifar_members(n_train=4, n_test=3))
    source = dataclasses.replace(CIFAR10_SOURCE, files=(RemoteFile("cifar-10-python.tar.gz", "0" * 32),))
    data_dir = tmp_path / "data"
    with pytest.raises(DatasetError, match="checksum mismatch") as error:
        ensure_source(source, data_dir, (base_url,), is_quiet=True)
    assert str(data_dir / "cifar-10" / "cifar-10-python.tar.gz") in str(error.value)
    assert list((data_dir / "cifar-10").iterdir()) == []


def test_truncated_download_is_rejected_and_removed(server: tuple[str, Path], tmp_path: Path) -> None:
    base_url, site = server
    (site / "truncate").mkdir()
    write_cifar_tar(site / "truncate", cifar_members(n_train=4, n_test=3))
    source = with_checksums(CIFAR10_SOURCE, site / "truncate")
    data_dir = tmp_path / "data"
    with pytest.raises(DatasetError, match="could not download cifar-10-python.tar.gz"):
        ensure_source(source, data_dir, (base_url + "truncate/",), is_quiet=True)
    assert list((data_dir / "cifar-10").iterdir()) == []


def test_without_network_the_error_lists_what_to_put_where(tmp_path: Path, offline_url: str) -> None:
    closed_url = offline_url
    data_dir = tmp_path / "data"
    (data_dir / "mnist").mkdir(parents=True)
    write_mnist(tmp_path / "other", n_train=10, n_test=5)
    (tmp_path / "other" / "t10k-labels-idx1-ubyte.gz").rename(data_dir / "mnist" / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(DatasetError) as error:
        ensure_source(MNIST_SOURCE, data_dir, (closed_url,), is_quiet=True)
    message = str(error.value)
    assert "Without network access, put these mnist files in place by hand:" in message
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"):
        assert str(data_dir / "mnist" / name) in message
    assert "t10k-labels" not in message.split("by hand:")[1]  # present, so not asked for
    assert "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz" in message


def test_every_file_is_tried_and_only_the_failures_are_listed(server: tuple[str, Path], tmp_path: Path) -> None:
    base_url, site = server
    write_mnist(site, n_train=10, n_test=5)  # MNIST is served, the CIFAR-10 archive is not (404)
    sources = (dataclasses.replace(CIFAR10_SOURCE, files=(RemoteFile("cifar-10-python.tar.gz", "0" * 32),)),
               with_checksums(MNIST_SOURCE, site))
    data_dir = tmp_path / "data"
    with pytest.raises(DatasetError) as error:
        ensure_sources(sources, data_dir, (base_url,), is_quiet=True)
    assert sorted(p.name for p in (data_dir / "mnist").iterdir()) == sorted(f.name for f in MNIST_SOURCE.files)
    listed = str(error.value).split("put these cifar10 files in place by hand:")[1]
    assert str(data_dir / "cifar-10" / "cifar-10-python.tar.gz") in listed and "mnist" not in listed


def test_an_unreachable_server_is_not_asked_again(tmp_path: Path, offline_url: str) -> None:
    with pytest.raises(DatasetError) as error:
        ensure_sources((MNIST_SOURCE,), tmp_path / "data", (offline_url,), is_quiet=True)
    message = str(error.value)
    assert message.count("skipped, the server was unreachable") == 3  # all but the first file
    assert message.count("could not download") == 4
