"""Incremental builds: after any sequence of edits, the site equals a clean build, file by file."""
from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from textbook import incremental, pipeline
from textbook.chapters import read_chapter
from textbook.cli import main
from textbook.i18n import UI_KEYS
from textbook.cachefiles import cache_file, chapters_folder, save, shard_name, stamps_file
from textbook.incremental import BuildCache, canonical, digest
from textbook.model import SourceChapter
from textbook.pipeline import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
SLUGS = ("intro", "middle", "end")
CHAPTER = "---\ntitle: {title}\n---\n{body}\n\n## Part {n}\n\nSee [the next one](/{next}/) and $$x_{n}^2$$.\n\n" \
          "![a dot](/images/dot.png)\n"


def write(root: Path, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")


def chapter(slug: str, title: str, body: str = "Some text.") -> str:
    index = SLUGS.index(slug)
    return CHAPTER.format(title=title, body=body, n=index, next=SLUGS[(index + 1) % len(SLUGS)])


def make_book(root: Path) -> Path:
    """Three chapters in English, two in Japanese, the repository's templates, an image."""
    shutil.copytree(REPO / "templates", root / "templates")
    ui = "".join(f"  {key}: {key}\n" for key in UI_KEYS)
    write(root, "book.yaml", "title:\n  en: Tiny\n  ja: 小さな本\ndefault_language: en\n"
                             "chapters: [intro, middle, end]\nbase_url: /tiny\n")
    write(root, "chapters/en/_language.yaml", f"name: English\nui:\n{ui}")
    write(root, "chapters/ja/_language.yaml", "name: 日本語\nui:\n  contents: 目次\n")
    for slug in SLUGS:
        write(root, f"chapters/en/{slug}.md", chapter(slug, slug.title()))
    for slug in SLUGS[:2]:
        write(root, f"chapters/ja/{slug}.md", chapter(slug, f"{slug}の章", "日本語の文。"))
    write(root, "images/dot.png", "png-1")
    return root


def edit_chapter_text(root: Path, rng: random.Random) -> None:
    path = root / "chapters" / rng.choice(["en", "ja"]) / f"{rng.choice(SLUGS[:2])}.md"
    if not path.exists():  # deleted by an earlier edit
        path = root / "chapters/en/intro.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\nMore words {rng.random()}.\n", encoding="utf-8")


def edit_title(root: Path, rng: random.Random) -> None:
    slug = rng.choice(SLUGS)
    write(root, f"chapters/en/{slug}.md", chapter(slug, f"Title {rng.randint(0, 999)}"))


def edit_template(root: Path, rng: random.Random) -> None:
    path = root / "templates/layouts/chapter.html"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{{# edit {rng.random()} #}}\n<!-- {rng.random()} -->\n",
                    encoding="utf-8")


def edit_ui_string(root: Path, rng: random.Random) -> None:
    write(root, "chapters/ja/_language.yaml", f"name: 日本語\nui:\n  contents: 目次{rng.randint(0, 99)}\n")


def add_language(root: Path, rng: random.Random) -> None:
    write(root, "chapters/fr/_language.yaml", "name: Français\nui:\n  contents: Sommaire\n")
    write(root, "chapters/fr/intro.md", chapter("intro", f"Intro {rng.randint(0, 9)}", "Du texte."))


def delete_chapter(root: Path, rng: random.Random) -> None:
    (root / "chapters/ja" / f"{rng.choice(SLUGS[:2])}.md").unlink(missing_ok=True)


def restore_chapter(root: Path, rng: random.Random) -> None:
    for slug in SLUGS[:2]:
        if not (root / f"chapters/ja/{slug}.md").exists():
            write(root, f"chapters/ja/{slug}.md", chapter(slug, f"{slug}の章", "戻った。"))


def edit_image(root: Path, rng: random.Random) -> None:
    write(root, "images/dot.png", f"png-{rng.randint(0, 999)}")
    write(root, f"images/extra{rng.randint(0, 2)}.png", "x")


def toggle_localized_image(root: Path, rng: random.Random) -> None:
    path = root / "images/dot.ja.png"
    if path.exists():
        path.unlink()
    else:
        write(root, "images/dot.ja.png", f"ja-{rng.randint(0, 9)}")


def delete_image(root: Path, rng: random.Random) -> None:
    for path in (root / "images").glob("extra*.png"):
        path.unlink()


def change_base_url(root: Path, rng: random.Random) -> None:
    path = root / "book.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("/tiny", "/other") if "/tiny" in text else text.replace("/other", "/tiny"),
                    encoding="utf-8")


EDITS: list[Callable[[Path, random.Random], None]] = [
    edit_chapter_text, edit_title, edit_template, edit_ui_string, add_language, delete_chapter,
    restore_chapter, edit_image, delete_image, change_base_url, toggle_localized_image]


def files_under(folder: Path) -> list[str]:
    return [path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes and every folder (as b"/"), by path relative to `folder`."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else b"/"
            for path in sorted(folder.rglob("*"))}


def assert_same_as_clean(root: Path, incremental: Path, scratch: Path) -> None:
    clean = scratch / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert build(BuildOptions(root, clean, jobs=1)).is_written
    expected, actual = tree(clean), tree(incremental)
    assert sorted(actual) == sorted(expected)
    assert [name for name in expected if expected[name] != actual[name]] == []


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_random_edits_match_a_clean_build(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    cache = BuildCache(root, out)
    assert build(BuildOptions(root, out, jobs=1), cache).is_written
    for _ in range(8):
        if seed % 2 == 0 and rng.random() < 0.5:
            age_chapters(root)  # as if time passed: the cache may now trust stamps and the listing
        rng.choice(EDITS)(root, rng)
        if rng.random() < 0.5:
            cache = BuildCache(root, out)  # a new process: only the cache on disk is left
        assert build(BuildOptions(root, out, jobs=1), cache).is_written
        assert_same_as_clean(root, out, tmp_path)


def test_unchanged_pages_are_not_rendered_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    before = {name: (out / name).stat().st_mtime_ns for name in files_under(out)}
    edit = root / "chapters/ja/middle.md"
    edit.write_text(edit.read_text(encoding="utf-8") + "\n追加。\n", encoding="utf-8")
    cache = BuildCache(root, out)
    rendered: list[str] = []
    original = cache.split

    def spy(context: object, chapters: list[object]) -> object:
        reused, todo = original(context, chapters)  # type: ignore[arg-type]
        rendered.extend(c.source.path.as_posix() for c in todo)
        return reused, todo
    monkeypatch.setattr(cache, "split", spy)
    assert build(BuildOptions(root, out, jobs=1), cache).is_written
    assert rendered == ["chapters/ja/middle.md"]
    rewritten = sorted(name for name in files_under(out) if (out / name).stat().st_mtime_ns != before.get(name))
    assert "ja/middle/index.html" in rewritten
    assert not [name for name in rewritten if name.endswith("index.html") and "middle" not in name
                and name not in ("index.html", "ja/index.html")]
    assert_same_as_clean(root, out, tmp_path)


def test_a_failed_build_leaves_site_and_cache_alone(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    cache = BuildCache(root, out)
    assert build(BuildOptions(root, out, jobs=1), cache).is_written
    before = tree(out)
    write(root, "chapters/en/intro.md", chapter("intro", "Intro", "{% include nope.html %}"))
    assert not build(BuildOptions(root, out, jobs=1), cache).is_written
    assert tree(out) == before
    write(root, "chapters/en/intro.md", chapter("intro", "Intro", "Fixed."))
    assert build(BuildOptions(root, out, jobs=1), cache).is_written
    assert_same_as_clean(root, out, tmp_path)


def test_a_tampered_output_is_rewritten(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    (out / "middle/index.html").write_text("tampered", encoding="utf-8")
    (out / "stray.txt").write_text("not ours", encoding="utf-8")
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    assert_same_as_clean(root, out, tmp_path)


@pytest.mark.parametrize("tamper", [
    lambda out: (out / "ja/middle/stray.html").write_text("not ours", encoding="utf-8"),
    lambda out: (out / "ja/new/deeper").mkdir(parents=True),
    lambda out: (out / "middle/index.html").unlink(),
    lambda out: (out / "ja/intro/index.html").rename(out / "ja/intro/moved.html"),
], ids=["stray file", "stray folder", "deleted page", "renamed page"])
def test_any_change_to_the_site_folder_is_noticed(tmp_path: Path, tamper: Callable[[Path], object]) -> None:
    """Only the folder listing changes (no recorded file is touched): the folders' stamps must tell."""
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    tamper(out)
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    assert_same_as_clean(root, out, tmp_path)


@pytest.mark.parametrize(("first", "second"), [
    ({"b": frozenset({"x", "y", "z"}), "a": 1}, {"a": 1, "b": frozenset({"z", "y", "x"})}),
    ((Path("a/b"), None, 1.5), [Path("a/b"), None, 1.5]),
])
def test_digest_ignores_order_of_sets_and_mappings(first: object, second: object) -> None:
    assert digest(first) == digest(second)


def test_canonical_refuses_unknown_objects() -> None:
    with pytest.raises(TypeError):
        canonical(object())


def test_cache_lives_outside_the_site(tmp_path: Path) -> None:
    root = tmp_path / "book"
    inside = cache_file(root, root / "_site")
    assert inside.parent == root / ".cache" / "textbook"  # git-ignored
    assert cache_file(root, tmp_path / "out" / "site") == tmp_path / "out" / ".textbook-cache" / "site.pickle"


def test_build_command_uses_the_cache(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    assert main(["--root", str(root), "--jobs", "1"]) == 0
    assert cache_file(root, root / "_site").is_file()
    edit_chapter_text(root, random.Random(0))
    assert main(["--root", str(root), "--jobs", "1"]) == 0
    assert_same_as_clean(root, root / "_site", tmp_path)


def test_two_caches_on_one_site_stay_correct(tmp_path: Path) -> None:
    """A dev server's cache (kept in memory) and a `python build.py` run take turns."""
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    serving, rng = BuildCache(root, out), random.Random(5)
    for _ in range(3):
        for cache in (serving, BuildCache(root, out)):
            edit_chapter_text(root, rng)
            assert build(BuildOptions(root, out, jobs=1), cache).is_written
            assert_same_as_clean(root, out, tmp_path)


def test_home_and_demo_pages_are_rewritten_only_when_their_inputs_change(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    write(root, "demos/spin/demo.yaml", "title: Spin\nscript: demo.js\nheight: 100\n")
    write(root, "demos/spin/demo.js", "export {};\n")
    out = tmp_path / "site"
    cache = BuildCache(root, out)
    watched = ("index.html", "ja/index.html", "demos/spin/index.html")

    def rebuild_and_list_rewritten() -> list[str]:
        before = {name: ((out / name).stat().st_ino, (out / name).stat().st_mtime_ns) for name in watched}
        assert build(BuildOptions(root, out, jobs=1), cache).is_written
        assert_same_as_clean(root, out, tmp_path)
        return [name for name in watched if ((out / name).stat().st_ino, (out / name).stat().st_mtime_ns) != before[name]]

    assert build(BuildOptions(root, out, jobs=1), cache).is_written
    edit_chapter_text(root, random.Random(1))
    assert rebuild_and_list_rewritten() == []
    write(root, "chapters/en/middle.md", chapter("middle", "Middle", '{% include demo_insert.html path="/demos/spin/" %}'))
    assert rebuild_and_list_rewritten() == ["demos/spin/index.html"]
    write(root, "chapters/en/end.md", chapter("end", "The very end"))  # a title: every site-wide page
    assert rebuild_and_list_rewritten() == list(watched)


def age_chapters(root: Path) -> None:
    """Date every chapter file and folder 10 s back: old enough for the cache to trust its stamp."""
    for path in [*(root / "chapters").rglob("*"), root / "chapters"]:
        stamp = path.stat().st_mtime - 10
        os.utime(path, (stamp, stamp))


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The chapter files parsed from now on (by path)."""
    parsed: list[str] = []

    def spy(root: Path, source: SourceChapter, layouts: list[str]) -> object:
        parsed.append(source.path.as_posix())
        return read_chapter(root, source, layouts)
    monkeypatch.setattr(pipeline, "read_chapter", spy)
    return parsed


def test_a_new_process_reads_no_unchanged_chapter_nor_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    age_chapters(root)
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    parsed, opened = count_parses(monkeypatch), []
    monkeypatch.setattr(incremental, "open", lambda path, *args: opened.append(path) or open(path, *args), raising=False)
    report = build(BuildOptions(root, out, jobs=1), BuildCache(root, out))
    assert report.is_written and parsed == []
    assert not [path for path in opened if str(path).endswith(".md")]  # the stamps were enough
    chapter_pages = [page for page in report.pages if page.out_path.endswith("/index.html")]
    assert chapter_pages and all(isinstance(page.content, Path) for page in chapter_pages)
    clean = build(BuildOptions(root, tmp_path / "clean", jobs=1))
    assert {p.out_path: p.html for p in report.pages} == {p.out_path: p.html for p in clean.pages}


def test_the_chapter_cache_follows_the_chapters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    age_chapters(root)
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    folder = chapters_folder(cache_file(root, out))
    assert len(list(folder.iterdir())) == 5
    before = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    edit_chapter_text(root, random.Random(0))
    (root / "chapters/ja/intro.md").unlink(missing_ok=True)
    edited = next(p for p in (root / "chapters").rglob("*.md") if p.stat().st_mtime > time.time() - 5)
    (folder / shard_name(Path("chapters/en/end.md"))).write_bytes(b"damaged")
    parsed = count_parses(monkeypatch)
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    assert sorted(parsed) == sorted({"chapters/en/end.md", edited.relative_to(root).as_posix()})
    after = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    assert shard_name(Path("chapters/ja/intro.md")) not in after
    assert sorted(name for name in after if after[name] != before.get(name)) == sorted(
        shard_name(Path(p)) for p in parsed)
    assert_same_as_clean(root, out, tmp_path)


def test_a_warm_cache_sees_chapter_files_come_and_go(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    age_chapters(root)
    cache = BuildCache(root, out)
    assert build(BuildOptions(root, out, jobs=1), cache).is_written
    assert build(BuildOptions(root, out, jobs=1), cache).is_written  # the listing is remembered now
    write(root, "chapters/ja/end.md", chapter("end", "終わり"))
    assert build(BuildOptions(root, out, jobs=1), cache).is_written
    assert "終わり" in (out / "ja/end/index.html").read_text(encoding="utf-8")
    age_chapters(root)
    (root / "chapters/ja/intro.md").rename(root / "chapters/ja/_draft.md")
    write(root, "chapters/de/_language.yaml", "name: Deutsch\nui:\n  contents: Inhalt\n")
    assert build(BuildOptions(root, out, jobs=1), cache).is_written
    assert_same_as_clean(root, out, tmp_path)


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def first_file(folder: Path) -> Path:
    return sorted(folder.iterdir())[0]


def reword_chapters(record: Path) -> None:
    """Change a word inside every saved chapter, keeping each a valid pickle of the right shape."""
    for path in chapters_folder(record).iterdir():
        path.write_bytes(path.read_bytes().replace(b"Some text.", b"Sore text."))


@pytest.mark.parametrize("damage", [
    lambda record: flip_byte(record),
    lambda record: flip_byte(stamps_file(record)),
    lambda record: flip_byte(first_file(chapters_folder(record))),
    lambda record: record.write_bytes(record.read_bytes()[:10]),
    lambda record: first_file(chapters_folder(record)).write_bytes(b"garbage"),
    lambda record: save(record, {"files": {"intro/index\0html": (1, 2, 3)}, "pages": {}, "keys": {}, "assets": {},
                                 "folders": {"": 1}}),
    lambda record: save(first_file(chapters_folder(record)), ("not", "a", "chapter")),
    lambda record: save(record, ["a list, not a record"]),
    reword_chapters,
], ids=["record byte", "stamps byte", "chapter byte", "record cut", "chapter garbage", "record with a NUL",
        "chapter of another shape", "record of another shape", "chapter text changed"])
def test_a_damaged_cache_is_never_trusted(tmp_path: Path, damage: Callable[[Path], object]) -> None:
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    age_chapters(root)
    for _ in range(2):  # the second build saves the stamps of the (old) chapter files
        assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    record = cache_file(root, out)
    damage(record)
    (out / "middle/index.html").unlink()
    report = build(BuildOptions(root, out, jobs=1), BuildCache(root, out))
    assert report.is_written and not report.warnings
    assert_same_as_clean(root, out, tmp_path)


@pytest.mark.parametrize("obstacle", [
    lambda record: (shutil.rmtree(chapters_folder(record)), chapters_folder(record).write_text("x")),
    lambda record: (record.unlink(), record.mkdir()),
    lambda record: (stamps_file(record).unlink(), stamps_file(record).mkdir()),
    lambda record: record.with_name(f".{record.name}.partial").mkdir(),
], ids=["file for the chapters folder", "folder for the record", "folder for the stamps", "folder for a partial"])
def test_cache_files_in_the_way_are_replaced(tmp_path: Path, obstacle: Callable[[Path], object]) -> None:
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    age_chapters(root)
    for _ in range(2):
        assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    obstacle(cache_file(root, out))
    edit_chapter_text(root, random.Random(3))
    report = build(BuildOptions(root, out, jobs=1), BuildCache(root, out))
    assert report.is_written and not report.warnings
    assert_same_as_clean(root, out, tmp_path)
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written  # and the cache works again
    assert cache_file(root, out).is_file()


def test_a_cache_that_cannot_be_saved_is_a_warning(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    out = root / "_site"
    (root / ".cache").write_text("not a folder: someone else's file", encoding="utf-8")
    report = build(BuildOptions(root, out, jobs=1), BuildCache(root, out))
    assert report.is_written
    assert [w.message.split(" (")[0] for w in report.warnings] == ["could not save the build cache"]
    assert "the next build starts from scratch" in report.warnings[0].message
    assert (root / ".cache").read_text(encoding="utf-8").startswith("not a folder")
    assert_same_as_clean(root, out, tmp_path)


def test_permissions_of_the_site_are_restored(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    out = tmp_path / "site"
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    (out / "middle/index.html").chmod(0o600)
    assert build(BuildOptions(root, out, jobs=1), BuildCache(root, out)).is_written
    assert (out / "middle/index.html").stat().st_mode & 0o777 == (out / "intro/index.html").stat().st_mode & 0o777
