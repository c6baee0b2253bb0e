"""The whole precompute on tiny datasets: outputs, manifest, determinism, skipping, --only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.training.conftest import cifar_members, write_cifar_tar, write_mnist
from training.cli import build_parser, main
from training.datasets import CIFAR_ARCHIVE
from training.download import CIFAR10_SOURCE, MNIST_SOURCE
from training.parts import PARTS

EXPECTED = {
    "images/figures/" + name for name in (
        "rolled_weights_mnist_0.png", "rolled_weights_mnist.png", "rolled_weights_cifar.png",
        "mnist-mistakes.png", "mnist-confusion-samples.png", "cifar-grid.png",
        "cifar-confusion-samples.png", "mnist_hidden_weights.png", "mnist_hidden_output_weights.png",
        "mnist_1layer.png", "weights_analogy_1.png", "weights_analogy_2.png", "mnist_2layers.png")
} | {"images/headers/looking_inside_header.png", "training/manifest.json",
     "demos/confusion_mnist/data.json", "demos/confusion_mnist/sprite.png",
     "demos/confusion_cifar/data.json", "demos/confusion_cifar/sprite.jpg",
     "demos/mnist_weights/data.json", "demos/mnist_weights/hidden.png", "demos/draw_digit/data.json"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny data dir in the shared layout."""
    root = tmp_path_factory.mktemp("data")
    write_mnist(root / "mnist", n_train=200, n_test=60)
    write_cifar_tar(root / "cifar-10", cifar_members(n_train=30, n_test=40))
    return root


@pytest.fixture(scope="module")
def two_runs(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two full runs into two fresh roots."""
    roots = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    for root in roots:
        assert main(["--data-dir", str(data_dir), "--root", str(root), "--quiet"]) == 0
    return roots


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_writes_every_output_and_only_those(two_runs: tuple[Path, Path]) -> None:
    assert set(files_of(two_runs[0])) == EXPECTED


def test_same_bytes_on_every_run(two_runs: tuple[Path, Path]) -> None:
    first, second = files_of(two_runs[0]), files_of(two_runs[1])
    manifests = [json.loads(f.pop("training/manifest.json")) for f in (first, second)]
    assert first == second
    for manifest in manifests:  # durations are the one thing allowed to differ
        assert manifest.pop("durations_seconds")
    assert manifests[0] == manifests[1]


def test_png_files_carry_no_metadata(two_runs: tuple[Path, Path]) -> None:
    for name, data in files_of(two_runs[0]).items():
        if name.endswith(".png"):
            assert b"tEXt" not in data and b"tIME" not in data and b"iTXt" not in data, name


def test_manifest_records_inputs_and_results(two_runs: tuple[Path, Path], data_dir: Path) -> None:
    manifest = json.loads((two_runs[0] / "training/manifest.json").read_text())
    assert manifest["schema_version"] == 1 and manifest["header_credit"].startswith("Header:")
    assert set(manifest["datasets"]["mnist"]["sha256"]) == {
        "mnist/train-images-idx3-ubyte.gz", "mnist/train-labels-idx1-ubyte.gz",
        "mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz"}
    assert manifest["datasets"]["cifar10"]["test_size"] == 40
    assert set(manifest["models"]) == {"mnist_1layer", "mnist_2layer", "cifar_1layer", "cifar_2layer"}
    model = manifest["models"]["mnist_2layer"]
    assert model["test_size"] == 60 and 0 <= model["accuracy"]["test"] <= 1
    assert model["hyper_parameters"]["hidden"] == 10 and model["seed"] == model["hyper_parameters"]["seed"]
    assert set(manifest["versions"]) == {"python", "numpy", "matplotlib", "pillow", "tqdm"}
    assert set(manifest["parts"]) == set(PARTS)


def test_unchanged_inputs_rewrite_nothing(two_runs: tuple[Path, Path], data_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = two_runs[0]
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "--root", str(root), "--quiet"]) == 0
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()} == before
    assert capsys.readouterr().out.count("up to date") == len(PARTS)


def test_only_runs_one_part(data_dir: Path, tmp_path: Path) -> None:
    assert main(["--data-dir", str(data_dir), "--root", str(tmp_path), "--quiet", "--only", "mnist_2layer"]) == 0
    assert set(files_of(tmp_path)) == {"training/manifest.json", "demos/mnist_weights/data.json",
                                       "demos/mnist_weights/hidden.png",
                                       "images/figures/mnist_hidden_weights.png",
                                       "images/figures/mnist_hidden_output_weights.png"}
    manifest = json.loads((tmp_path / "training/manifest.json").read_text())
    assert set(manifest["models"]) == {"mnist_2layer"} and set(manifest["datasets"]) == {"mnist"}


def test_changed_dataset_reruns_its_parts(data_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    write_mnist(data / "mnist", n_train=100, n_test=20, seed=1)
    args = ["--data-dir", str(data), "--root", str(tmp_path / "out"), "--quiet", "--only", "mnist_2layer"]
    assert main(args) == 0
    write_mnist(data / "mnist", n_train=100, n_test=20, seed=2)
    capsys.readouterr()
    assert main(args) == 0
    assert "mnist_2layer  written" in capsys.readouterr().out


def offline_run(tmp_path: Path, offline_url: str, *only: str) -> None:
    """Run with an empty data dir and an unreachable mirror: exit 1, nothing written."""
    args = ["--data-dir", str(tmp_path / "data"), "--root", str(tmp_path / "out"), "--quiet",
            "--mirror", offline_url, *(arg for name in only for arg in ("--only", name))]
    assert main(args) == 1
    assert not (tmp_path / "out").exists()  # nothing trained or written


def listed_files(error: str) -> list[str]:
    """The file names in the "put these files in place" list of an error message."""
    assert error.count("in place by hand:") == 1 and "Traceback" not in error
    return [Path(line.split()[0]).name for line in error.split("in place by hand:")[1].splitlines() if line]


def test_without_network_one_error_lists_every_missing_file(
        tmp_path: Path, offline_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    offline_run(tmp_path, offline_url)
    error = capsys.readouterr().err
    assert sorted(listed_files(error)) == sorted([*(f.name for f in MNIST_SOURCE.files), CIFAR_ARCHIVE])
    lines = {line.split()[0]: line for line in error.split("by hand:")[1].splitlines() if line}
    for source in (MNIST_SOURCE, CIFAR10_SOURCE):
        for remote in source.files:
            line = lines[str(tmp_path / "data" / source.folder / remote.name)]
            assert f"{source.base_urls[0]}{remote.name}" in line and remote.md5 in line


def test_without_network_only_the_needed_dataset_is_listed(
        tmp_path: Path, offline_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    offline_run(tmp_path, offline_url, "mnist_1layer")
    error = capsys.readouterr().err
    assert sorted(listed_files(error)) == sorted(f.name for f in MNIST_SOURCE.files)
    assert "cifar" not in error
    assert "put these mnist files in place by hand" in error


def test_help_documents_cache_folder_and_downloads() -> None:
    text = build_parser().format_help()
    assert ".cache" in text and "official MD5" in text and "--only" in text
