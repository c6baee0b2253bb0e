"""Translations: content hash, `source:` line editing, status table and exit codes, --mark, --diff
from git history, new-language, outdated banners (also under incremental builds)."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from textbook.cli import main
from textbook.incremental import BuildCache
from textbook.pipeline import BuildOptions, build
from textbook.status import count_words
from textbook.translation import content_hash, file_hash, parse_source, with_source_line

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "golden" / "translations" / "input"


@pytest.fixture()
def book(tmp_path: Path) -> Path:
    """A copy of the translators' fixture book (fr full, de partial, it outdated, he RTL) with the templates."""
    root = tmp_path / "book"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """main(argv) -> (exit code, stdout, stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_content_hash_is_sha256_of_the_body_with_lf_newlines() -> None:
    assert content_hash("x\n") == hashlib.sha256(b"x\n").hexdigest()[:10]
    assert file_hash("---\ntitle: A\n---\nx\n") == content_hash("x\n")
    assert file_hash("\ufeff---\r\ntitle: A\r\n---\r\nx\r\n") == content_hash("x\n")
    assert file_hash("---\ntitle: Another title\nsource: en@1234567890\n---\nx\n") == content_hash("x\n")
    assert file_hash("---\ntitle: A\n---\ny\n") != content_hash("x\n")
    assert file_hash("no front matter\n") == content_hash("no front matter\n")


@pytest.mark.parametrize("value, expected", [
    ("en@3f2a9c01bd", ("en", "3f2a9c01bd")),
    (" en@3f2a9c01bd ", ("en", "3f2a9c01bd")),
    ("en", None), ("en@XYZ", None), ("@3f2a9c01bd", None), (None, None),
])
def test_parse_source(value: str | None, expected: tuple[str, str] | None) -> None:
    version = parse_source(value)
    assert (version and (version.folder, version.hash)) == expected


@pytest.mark.parametrize("text, expected", [
    ("---\ntitle: T\n---\nbody\n", "---\ntitle: T\nsource: en@abc\n---\nbody\n"),
    ("---\ntitle: T\nsource: en@old # note\ntranslator: X\n---\nbody\n", "---\ntitle: T\nsource: en@abc\ntranslator: X\n---\nbody\n"),
    ("\ufeff---\r\ntitle: T\r\n# comment\r\n---\r\nbody\r\n", "\ufeff---\r\ntitle: T\r\n# comment\r\nsource: en@abc\r\n---\r\nbody\r\n"),
    ("---\n---\nbody\n", "---\nsource: en@abc\n---\nbody\n"),
    ("---\ntitle: T\n---\nsource: in the body stays\n", "---\ntitle: T\nsource: en@abc\n---\nsource: in the body stays\n"),
])
def test_with_source_line_changes_only_that_line(text: str, expected: str) -> None:
    assert with_source_line(text, "en@abc") == expected


def test_with_source_line_needs_front_matter() -> None:
    with pytest.raises(ValueError, match="no front matter"):
        with_source_line("just text\n", "en@abc")


@pytest.mark.parametrize("body, words", [
    ("Hello world.", 2), ("重みは学習される", 8), ("한국어 문장입니다", 2),
    ("a `code span` $$x^2$$ {% include todo.html note=\"n\" %} <b>b</b> [c](/d/)", 3),
    ("one\n\n```python\nx = 1\n```\ntwo", 2),
])
def test_count_words(body: str, words: int) -> None:
    assert count_words(body) == words


def test_status_table_and_exit_codes(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "status", "--root", str(book))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[:6] == [
        "language   translated  outdated  unmarked  missing  UI missing    words  name",
        "en           original         0         0        0           0       17  English",
        "de                1/2         0         0        1          12        8  Deutsch",
        "fr                2/2         0         0        0           0       16  Français",
        "he                2/2         0         0        0           6       12  עברית",
        "it                1/2         1         0        1          12       10  Italiano",
    ]
    assert "de: missing: maths (its page shows the original with a notice)" in lines
    assert any(line.startswith("it: outdated: start (translated from en@0123456789, the original is now en@") for line in lines)
    assert any(line.startswith("he: missing UI strings (the default language's are shown): further_reading, home,") for line in lines)
    code, _, err = run(capsys, "status", "--root", str(book), "--fail-on-outdated")
    assert code == 1 and err == "1 outdated translation(s)\n"
    assert run(capsys, "status", "--root", str(book), "--mark", "it/start")[0] == 0
    assert run(capsys, "status", "--root", str(book), "--fail-on-outdated")[0] == 0


def test_mark_writes_only_the_source_line(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = book / "chapters" / "it" / "start.md"
    before = path.read_bytes()
    code, out, _ = run(capsys, "status", "--root", str(book), "--mark", "chapters/it/start.md")
    now = file_hash((book / "chapters" / "en" / "start.md").read_text(encoding="utf-8"))
    assert code == 0 and out == f"chapters/it/start.md: source: en@{now} (was en@0123456789)\n"
    assert path.read_bytes() == before.replace(b"source: en@0123456789", f"source: en@{now}".encode())
    code, out, _ = run(capsys, "status", "--root", str(book), "--mark", "it/start")
    assert code == 0 and out.endswith("(unchanged)\n")


@pytest.mark.parametrize("spec, message", [
    ("en/start", "error: chapters/en/start.md is in the default language: it is the original, not a translation\n"),
    ("start", 'error: expected LANGUAGE/CHAPTER such as ja/looking_inside_neural_nets, not "start"\n'),
])
def test_mark_usage_errors(book: Path, capsys: pytest.CaptureFixture[str], spec: str, message: str) -> None:
    assert run(capsys, "status", "--root", str(book), "--mark", spec)[::2] == (2, message)


@pytest.mark.parametrize("option", ["--mark", "--diff"])
def test_a_missing_chapter_is_an_error_in_the_book(book: Path, capsys: pytest.CaptureFixture[str], option: str) -> None:
    assert run(capsys, "status", "--root", str(book), option, "it/maths")[::2] == (1, "error: there is no chapters/it/maths.md\n")


def git(root: Path, *args: str) -> None:
    """Run git in `root` with a fixed identity."""
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-C", str(root), *args],
                   check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_from_git_history(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = book / "chapters" / "en" / "start.md"
    git(book, "init", "-q")
    git(book, "add", ".")
    git(book, "commit", "-q", "-m", "first")
    assert run(capsys, "status", "--root", str(book), "--diff", "fr/start")[:2] == (0, "chapters/en/start.md has not changed since the translation (en@1b4665da47).\n")
    original.write_text(original.read_text(encoding="utf-8").replace("Because.", "Because it helps."), encoding="utf-8")
    git(book, "commit", "-q", "-am", "second")
    original.write_text(original.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")  # not committed
    code, out, _ = run(capsys, "status", "--root", str(book), "--diff", "fr/start")
    assert code == 0
    assert out.startswith("--- chapters/en/start.md (en@1b4665da47, commit ")
    assert "\n-Because.\n+Because it helps.\n" in out and "\n+A new paragraph.\n" in out
    assert out.rstrip().endswith("after updating the translation: python build.py status --mark fr/start")
    code, _, err = run(capsys, "status", "--root", str(book), "--diff", "it/start")
    assert code == 1 and err == ("error: none of the 2 committed versions of chapters/en/start.md has the content hash 0123456789 "
                                 "(the translation may have been made from an uncommitted version)\n")


def test_diff_without_history(book: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(book.parent))
    code, _, err = run(capsys, "status", "--root", str(book), "--diff", "it/start")
    assert code == 1 and err == f"error: {book} is not in a git repository, so the original's history is not available\n"
    monkeypatch.setenv("PATH", str(book))  # no git on the PATH
    code, _, err = run(capsys, "status", "--root", str(book), "--diff", "it/start")
    assert code == 1 and err == "error: git is not installed, so the original's history is not available\n"
    code, out, _ = run(capsys, "status", "--root", str(book), "--diff", "de/start")  # up to date: no git needed
    assert code == 0 and out == "chapters/en/start.md has not changed since the translation (en@1b4665da47).\n"
    (book / "chapters" / "de" / "start.md").write_text("---\ntitle: Anfang\n---\nx\n", encoding="utf-8")
    code, _, err = run(capsys, "status", "--root", str(book), "--diff", "de/start")
    assert code == 1 and err == "error: chapters/de/start.md records no source: version (python build.py status --mark de/start records the current one)\n"


def test_new_language(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "new-language", "pt-BR", "--root", str(book))
    assert code == 0 and err == ""
    assert out.splitlines()[:2] == ["Created chapters/pt-BR/_language.yaml with 15 UI strings and 0 demo strings from English to translate.",
                                    "Next steps for pt-BR:"]
    assert "python build.py status --mark pt-BR/start" in out
    text = (book / "chapters" / "pt-BR" / "_language.yaml").read_text(encoding="utf-8")
    assert '  # heading of a chapter\'s table of contents; English: "Contents"\n  contents: "Contents"\n' in text
    assert 'code: "pt-BR"' in text and "direction: ltr" in text
    report = build(BuildOptions(book, book / "_site"))
    assert report.is_written and report.warnings == ()
    page = (book / "_site" / "pt-BR" / "start" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR" dir="ltr">' in page and 'class="translation-notice untranslated-notice"' in page
    assert 'href="/book/pt-BR/start/"' in (book / "_site" / "fr" / "start" / "index.html").read_text(encoding="utf-8")
    assert run(capsys, "status", "--root", str(book))[1].splitlines()[6].startswith("pt-BR             0/2         0         0        2           0")


def test_new_language_refuses_to_overwrite_and_bad_codes(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (book / "chapters" / "fr" / "_language.yaml").read_bytes()
    assert run(capsys, "new-language", "fr", "--root", str(book))[::2] == (1, "error: chapters/fr/_language.yaml already exists; it was left as it is\n")
    assert (book / "chapters" / "fr" / "_language.yaml").read_bytes() == before
    assert run(capsys, "new-language", "FR", "--root", str(book))[::2] == (
        1, 'error: chapters/fr/_language.yaml already holds "fr" (language codes ignore case); nothing was written\n')
    assert not (book / "chapters" / "FR").exists()
    assert run(capsys, "new-language", "x", "--root", str(book))[::2] == (2, 'error: "x" is not a BCP 47 language code (such as fr, pt-BR or zh-Hans)\n')
    assert run(capsys, "new-language", "--root", str(book))[0] == 2
    assert not (book / "chapters" / "x").exists()


def pages_of(root: Path, out: Path, cache: BuildCache | None = None) -> dict[str, str]:
    """Build and return out path -> html."""
    report = build(BuildOptions(root, out), cache)
    assert report.is_written, [e.format(root) for e in report.errors]
    return {page.out_path: page.html for page in report.pages}


def test_outdated_banner_follows_the_original_also_in_incremental_builds(book: Path, tmp_path: Path) -> None:
    cache = BuildCache(book, tmp_path / "inc")
    first = pages_of(book, tmp_path / "inc", cache)
    assert "outdated-notice" not in first["fr/start/index.html"] and "outdated-notice" in first["it/start/index.html"]
    original = book / "chapters" / "en" / "start.md"
    original.write_text(original.read_text(encoding="utf-8").replace("title: Start", "title: Starting"), encoding="utf-8")
    assert "outdated-notice" not in pages_of(book, tmp_path / "inc", cache)["fr/start/index.html"]  # title only
    original.write_text(original.read_text(encoding="utf-8").replace("Because.", "Because it helps."), encoding="utf-8")
    maths = book / "chapters" / "en" / "maths.md"
    maths.write_text(maths.read_text(encoding="utf-8").replace("A weight", "One weight"), encoding="utf-8")
    incremental = pages_of(book, tmp_path / "inc", cache)
    assert incremental == pages_of(book, tmp_path / "clean")
    fr = incremental["fr/start/index.html"]
    assert 'class="translation-notice outdated-notice" role="note">L&#39;original (English) a changé depuis cette traduction.' in fr
    assert "One weight" in incremental["de/maths/index.html"]  # the fallback page shows the new original
    assert "outdated-notice" in incremental["he/maths/index.html"] and "outdated-notice" not in incremental["de/maths/index.html"]


def test_a_language_is_a_folder(book: Path) -> None:
    """A new folder with a _language.yaml and one chapter: every page's switcher, the hreflang
    alternates of that chapter, a home page, and the right lang/dir; nothing else edited."""
    folder = book / "chapters" / "ar"
    folder.mkdir()
    (folder / "_language.yaml").write_text("name: العربية\ndirection: rtl\nui:\n  languages: اللغات\n", encoding="utf-8")
    (folder / "start.md").write_text("---\ntitle: البداية\n---\n\nالصفحة الأولى.\n", encoding="utf-8")
    pages = pages_of(book, book / "_site")
    assert all('href="/book/ar/' in html for path, html in pages.items() if path.endswith(("start/index.html", "maths/index.html")))
    for path in ("start/index.html", "fr/start/index.html", "he/start/index.html"):
        assert '<link rel="alternate" hreflang="ar" href="/book/ar/start/">' in pages[path]
    for path in ("maths/index.html", "he/maths/index.html", "ar/maths/index.html"):
        assert '<link rel="alternate" hreflang="ar"' not in pages[path]  # maths is not translated into Arabic
    assert pages["ar/start/index.html"].startswith('<!doctype html>\n<html lang="ar" dir="rtl">')
    assert '<div class="chapter-text" lang="en" dir="ltr">' in pages["ar/maths/index.html"]
    assert '<a href="/book/ar/start/">البداية</a>' in pages["ar/index.html"]


def test_malformed_source_is_an_error_at_its_value(book: Path) -> None:
    path = book / "chapters" / "fr" / "start.md"
    path.write_text(path.read_text(encoding="utf-8").replace("source: en@1b4665da47", "source: the English one"), encoding="utf-8")
    report = build(BuildOptions(book, book / "_site"))
    assert [f"{e.location}: {e.message}" for e in report.errors] == [
        'chapters/fr/start.md:4:9: "source" must look like en@3f2a9c01bd, not "the English one"']
    assert report.errors[0].hint == "python build.py status --mark fr/start writes it"
