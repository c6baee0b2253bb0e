"""Golden tests: each tests/golden/<case>/input is a tiny book; expected/ holds its rendered pages.

Pages listed in the case's full_pages.txt are compared whole; every other page by its <main> region.
UPDATE_GOLDEN=1 rewrites expected/ (review the diff like code). A mismatch prints a unified diff.
"""
from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

import pytest

from textbook.pipeline import BuildOptions, build

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CASES = sorted(p.name for p in (HERE / "golden").iterdir() if (p / "input").is_dir())
MAIN = re.compile(r"<main\b.*?</main>", re.DOTALL)


def assemble(case: Path, root: Path) -> Path:
    """The case's book in `root`: the repository's templates, then the case's own files over them."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(case / "input", root, dirs_exist_ok=True)
    return root


def comparable(html: str, is_full: bool) -> str:
    """A whole page, or only its <main> region."""
    if is_full:
        return html
    found = MAIN.search(html)
    return (found.group(0) if found else html) + "\n"


def rendered_pages(case: Path, tmp_path: Path) -> dict[str, str]:
    """The case's pages as compared: out path -> text."""
    root = assemble(case, tmp_path / "book")
    report = build(BuildOptions(root, tmp_path / "site"))
    assert [e.format(root) for e in report.errors + report.warnings] == []
    full = set((case / "full_pages.txt").read_text().split()) if (case / "full_pages.txt").is_file() else set()
    return {page.out_path: comparable(page.html, page.out_path in full) for page in report.pages}


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, tmp_path: Path) -> None:
    case = HERE / "golden" / name
    actual = rendered_pages(case, tmp_path)
    expected_dir = case / "expected"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(expected_dir, ignore_errors=True)
        for out_path, text in actual.items():
            (expected_dir / out_path).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / out_path).write_text(text, encoding="utf-8")
    expected = {p.relative_to(expected_dir).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(expected_dir.rglob("*.html"))}
    assert sorted(actual) == sorted(expected), "the set of pages changed"
    diffs = [
        "".join(difflib.unified_diff(expected[path].splitlines(True), actual[path].splitlines(True),
                                     f"expected/{path}", f"actual/{path}"))
        for path in sorted(actual) if actual[path] != expected[path]
    ]
    if diffs:
        print("\n".join(diffs))
        pytest.fail(f"{len(diffs)} page(s) differ from tests/golden/{name}/expected (UPDATE_GOLDEN=1 rewrites them)")
