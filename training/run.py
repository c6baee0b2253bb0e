"""Run the selected parts, skipping those whose inputs are unchanged, and update the manifest."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from training.download import SOURCES, ensure_sources
from training.exports import dump_json
from training.header import HEADER_CREDIT
from training.imaging import write_atomic
from training.parts import PARTS
from training.pipeline import (
    Workspace,
    code_digest,
    dataset_files,
    file_digest,
    part_stamp,
    write_outputs,
)
from training.specs import MODEL_SPECS

MANIFEST = "training/manifest.json"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class PartReport:
    """What happened to one part: "written", "unchanged" (same bytes), "trained" (no files) or "up to date"."""

    name: str
    status: str
    files: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class RunReport:
    """Every part's report and the manifest as written (or as found, when nothing ran)."""

    parts: tuple[PartReport, ...]
    manifest: dict[str, Any]


def read_manifest(root: Path) -> dict[str, Any]:
    """The manifest of the previous run, or an empty one."""
    path = root / MANIFEST
    manifest: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    return manifest


def run_parts(root: Path, workspace: Workspace, only: tuple[str, ...] = (),
              is_forced: bool = False) -> RunReport:
    """Make the selected parts (all by default) in order, then record them in the manifest."""
    selected = [PARTS[name] for name in (only or tuple(PARTS))]
    needed = sorted({MODEL_SPECS[m].dataset for part in selected for m in part.models})
    # Every missing file of every needed dataset, fetched (or reported) before any training.
    ensure_sources(tuple(SOURCES[name] for name in needed), workspace.data_dir,
                   workspace.base_urls, workspace.is_quiet)
    sums = {name: _dataset_sums(workspace, name) for name in needed}
    old = read_manifest(root)
    code = code_digest()
    reports = []
    for part in selected:
        stamp = part_stamp(code, part.models, sums)
        previous = old.get("parts", {}).get(part.name, {})
        if (not is_forced and previous.get("stamp") == stamp
                and all((root / f).exists() for f in previous.get("outputs", []))):
            reports.append(PartReport(part.name, "up to date", tuple(previous["outputs"]), 0.0))
            continue
        start = time.perf_counter()
        files = part.make(workspace)
        changed = write_outputs(root, files)
        seconds = time.perf_counter() - start
        workspace.durations[f"part_{part.name}"] = seconds
        status = "written" if changed else "unchanged" if files else "trained"
        reports.append(PartReport(part.name, status,
                                  tuple(f.path for f in files), seconds))
        old.setdefault("parts", {})[part.name] = {"stamp": stamp, "outputs": [f.path for f in files]}
    if any(r.status != "up to date" for r in reports):
        old = _updated_manifest(old, workspace, sums)
        write_atomic(root / MANIFEST, dump_json(old, is_compact=False))
    return RunReport(tuple(reports), old)


def _dataset_sums(workspace: Workspace, name: str) -> dict[str, str]:
    """SHA-256 of each file the dataset is read from, keyed by its path in the data dir."""
    return {path.relative_to(workspace.data_dir).as_posix(): file_digest(path)
            for path in dataset_files(workspace.data_dir, name)}


def _updated_manifest(old: dict[str, Any], ws: Workspace, sums: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The previous manifest with this run's datasets, models, durations and versions."""
    manifest = {**old, "schema_version": SCHEMA_VERSION, "header_credit": HEADER_CREDIT,
                "command": "python -m training --data-dir DIR"}
    datasets = manifest.setdefault("datasets", {})
    for name, files in sums.items():
        entry = datasets.setdefault(name, {})
        entry["sha256"] = files
        if name in ws.datasets:
            data = ws.datasets[name]
            entry.update(classes=list(data.classes), train_size=len(data.train.labels),
                         test_size=len(data.test.labels))
    models = manifest.setdefault("models", {})
    for name, trained in ws.models.items():
        models[name] = {
            "dataset": trained.spec.dataset, "hyper_parameters": trained.spec.describe(),
            "seed": trained.spec.config.seed,
            "accuracy": {"test": round(trained.test_accuracy, 4), "train": round(trained.train_accuracy, 4)},
            "test_size": len(trained.test_probs), "train_size": len(trained.inputs.train),
            "epoch_losses": [round(loss, 4) for loss in trained.result.epoch_losses],
            "input_mean": list(trained.inputs.mean), "input_std": list(trained.inputs.std),
        }
    manifest["durations_seconds"] = {k: round(v, 2) for k, v in sorted(ws.durations.items())}
    manifest["versions"] = {"python": platform.python_version(),
                            **{lib: version(lib) for lib in ("numpy", "matplotlib", "pillow", "tqdm")}}
    return manifest
