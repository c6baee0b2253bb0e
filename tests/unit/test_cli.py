"""The command: exit codes 0 / 1 / 2, messages without tracebacks, where to open the site."""
from __future__ import annotations

from pathlib import Path

import pytest
from sitebook import book_files, write_book

from textbook.cli import main


def test_success_says_where_to_open_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_book(tmp_path / "book")
    assert main(["--root", str(root), "--out", str(tmp_path / "my out")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Built 6 pages in ") and out.rstrip().endswith(
        f"{tmp_path}/my out/ (serve it with: python build.py serve --root {tmp_path}/book --out '{tmp_path}/my out', "
        "then open http://127.0.0.1:8000/)")
    assert "index.html" not in out  # opened as a file, the root-relative links break
    monkeypatch.chdir(root)
    assert main(["--base-url", "/ml4a"]) == 0
    assert capsys.readouterr().out.rstrip().endswith(
        "(serve it with: python build.py serve --base-url /ml4a, then open http://127.0.0.1:8000/ml4a/)")


def test_build_subcommand_is_the_default(tmp_path: Path) -> None:
    root = write_book(tmp_path / "book")
    assert main(["build", "--root", str(root), "--base-url", "/x"]) == 0
    assert 'href="/x/assets/style.css"' in (root / "_site" / "index.html").read_text()


def test_content_errors_exit_1_with_every_error_and_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {**book_files(),
             "chapters/en/intro.md": "---\ntitle: x\n---\n\n{% include figur.md %}\n",
             "chapters/en/second.md": "---\ntitle: y\nlayout: chaptr\n---\n"}
    root = write_book(tmp_path / "book", files)
    assert main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "chapters/en/intro.md:5:12: unknown include \"figur.md\" (did you mean \"figure.html\"?)" in err
    assert "chapters/en/second.md:3:9: layout \"chaptr\" is unknown" in err
    assert "Traceback" not in err
    assert not (root / "_site").exists()


@pytest.mark.parametrize("argv", [["--no-such-option"], ["--jobs", "0"], ["--base-url", "https://x.org"], ["--jobs", "x"]])
def test_usage_errors_exit_2(tmp_path: Path, argv: list[str]) -> None:
    root = write_book(tmp_path / "book")
    assert main(["--root", str(root), *argv]) == 2


def test_missing_book_yaml_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path)]) == 2
    assert "no book.yaml here" in capsys.readouterr().err


def test_refusing_to_replace_a_foreign_folder_exits_2(tmp_path: Path) -> None:
    root = write_book(tmp_path / "book")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "mine.txt").write_text("keep me")
    assert main(["--root", str(root), "--out", str(tmp_path / "docs")]) == 2
    assert (tmp_path / "docs" / "mine.txt").read_text() == "keep me"


def test_strict_turns_warnings_into_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_book(tmp_path / "book", {**book_files(), "chapters/en/extra.md": "---\ntitle: x\n---\n"})
    assert main(["--root", str(root), "--strict"]) == 1
    assert "chapters/en/extra.md:1:1: warning: \"extra\" is not in the chapters" in capsys.readouterr().err
    assert main(["--root", str(root)]) == 0


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "python build.py" in capsys.readouterr().out


def test_debug_shows_the_traceback_of_a_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("textbook.cli.build", broken)
    root = write_book(tmp_path / "book")
    assert main(["--root", str(root)]) == 1
    assert "internal error: RuntimeError: boom (run with --debug for the traceback)" in capsys.readouterr().err
    with pytest.raises(RuntimeError):
        main(["--root", str(root), "--debug"])
