"""Our own book: its numbers are the ones training measured, and its translations are current."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from textbook.cli import main

REPO = Path(__file__).resolve().parents[1]
SLUG = "looking_inside_neural_nets"
LANGUAGES = ["en", "ja", "es", "ko"]
DECIMAL_COMMA = {"es"}


def percentages(text: str, language: str) -> set[str]:
    """Every percentage written in a text, normalized to `90.3`."""
    separator = "," if language in DECIMAL_COMMA else r"\."
    return {m.replace(",", ".") for m in re.findall(rf"(\d+{separator}\d)\s?%", text)}


def test_percentages_are_read_in_every_language() -> None:
    assert percentages("el 90,3\u00a0% de", "es") == {"90.3"}
    assert percentages("is 39.8% and 38.4 %", "en") == {"39.8", "38.4"}
    assert percentages("90.3% は", "ja") == {"90.3"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chapter_quotes_the_measured_accuracies(language: str) -> None:
    manifest = json.loads((REPO / "training" / "manifest.json").read_text(encoding="utf-8"))
    measured = {f"{model['accuracy']['test'] * 100:.1f}" for model in manifest["models"].values()}
    text = (REPO / "chapters" / language / f"{SLUG}.md").read_text(encoding="utf-8")
    assert measured <= percentages(text, language), "an accuracy of training/manifest.json is missing from the text"


def test_every_figure_the_chapters_use_exists() -> None:
    for language in LANGUAGES:
        text = (REPO / "chapters" / language / f"{SLUG}.md").read_text(encoding="utf-8")
        paths = re.findall(r'"(/images/[^"]+)"', text)
        assert paths, f"no figures in {language}"
        assert [p for p in paths if not (REPO / p.lstrip("/")).is_file()] == []


def test_no_translation_of_the_book_is_outdated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "book"
    shutil.copytree(REPO / "chapters", root / "chapters")
    shutil.copy(REPO / "book.yaml", root / "book.yaml")
    code = main(["status", "--root", str(root), "--fail-on-outdated"])
    assert code == 0, capsys.readouterr().out
