"""Error cases: each tests/errors/<case>/input is a broken book; expected.txt is exactly what the
command prints on stderr (every error with file:line:col, its source line and caret), exit 1.
UPDATE_GOLDEN=1 rewrites expected.txt."""
from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from textbook.cli import main

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CASES = sorted(p.name for p in (HERE / "errors").iterdir() if (p / "input").is_dir())
BASE = HERE / "golden" / "basic" / "input"


def assemble(case: Path, root: Path) -> Path:
    """The repository's templates, the golden basic book's config and languages, then the case's files."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(BASE / "book.yaml", root / "book.yaml")
    for language in ("en", "ja"):
        (root / "chapters" / language).mkdir(parents=True)
        shutil.copy(BASE / "chapters" / language / "_language.yaml", root / "chapters" / language)
    shutil.copytree(case / "input", root, dirs_exist_ok=True)
    return root


@pytest.mark.parametrize("name", CASES)
def test_error_case(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = HERE / "errors" / name
    root = assemble(case, tmp_path / "book")
    site = tmp_path / "site"
    site.mkdir()
    (site / ".textbook-site").write_text("previous build\n")
    assert main(["--root", str(root), "--out", str(site)]) == 1
    assert (site / ".textbook-site").read_text() == "previous build\n"  # untouched
    actual = capsys.readouterr().err
    assert "Traceback" not in actual
    if os.environ.get("UPDATE_GOLDEN") == "1":
        (case / "expected.txt").write_text(actual, encoding="utf-8")
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    if actual != expected:
        print("".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "expected.txt", "actual")))
        pytest.fail(f"the messages differ from tests/errors/{name}/expected.txt")
