"""Translation status: which chapters each language has, which are outdated, which UI strings are
missing, how many words; and `--mark`, which records the original a translation was made from."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from textbook.config import load_config
from textbook.discover import discover_chapters
from textbook.errors import UsageError, read_source
from textbook.frontmatter import parse_front_matter
from textbook.i18n import load_languages
from textbook.model import Language
from textbook.translation import content_hash, file_hash, parse_source, with_source_line

# Each Chinese character and each Japanese kana counts as a word: these scripts have no spaces.
# Korean (Hangul) puts spaces between words, so it is counted like English.
HAN_KANA = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
MARKUP = re.compile(r"^(```|~~~).*?^\1|\{%.*?%\}|\$\$.*?\$\$|<[^>]*>|\]\([^)]*\)|`[^`]*`", re.DOTALL | re.MULTILINE)
WORD_COUNT_NOTE = ("words: space-separated words of the chapter bodies (without markup, math, code or include "
                   "tags); each Chinese character or Japanese kana counts as one word")


@dataclass(frozen=True)
class ChapterStatus:
    """One chapter in one language: `state` is original, translated, outdated, unmarked or missing."""

    slug: str
    folder: str
    state: str
    recorded: str | None = None  # the translation's `source:` value
    current: str | None = None  # the original's version now, e.g. en@3f2a9c01bd
    words: int = 0


@dataclass(frozen=True)
class LanguageStatus:
    """A language's chapters (in book order) and the UI strings it lacks."""

    language: Language
    chapters: tuple[ChapterStatus, ...]
    missing_ui: tuple[str, ...]

    def slugs(self, *states: str) -> tuple[str, ...]:
        """The chapters in any of these states."""
        return tuple(c.slug for c in self.chapters if c.state in states)

    @property
    def words(self) -> int:
        """Words of the chapters this language has."""
        return sum(c.words for c in self.chapters)


def count_words(body: str) -> int:
    """Words of a Markdown body, as WORD_COUNT_NOTE says."""
    text = MARKUP.sub(" ", body)
    cjk = len(re.findall(f"[{HAN_KANA}]", text))
    rest = re.sub(f"[{HAN_KANA}]", " ", text)
    return cjk + sum(1 for token in rest.split() if re.search(r"\w", token))


def translation_status(root: Path) -> tuple[LanguageStatus, ...]:
    """The status of every language, default language first; raises SourceError/BuildErrors on a broken book."""
    config = load_config(root / "book.yaml", None)
    languages = load_languages(root, config)
    default = config.default_language
    found: dict[tuple[str, str], tuple[str | None, str, int]] = {}  # (slug, folder) -> (source, hash, words)
    for source in discover_chapters(root, config):
        text = read_source(root / source.path, source.path)
        front = parse_front_matter(text, source.path)
        value = front.meta.get("source")
        found[(source.slug, source.language)] = (value if isinstance(value, str) else None,
                                                 content_hash(front.body),
                                                 count_words(front.body))
    statuses = []
    for language in languages:
        chapters = tuple(chapter_status(slug, language.folder, default, found) for slug in config.chapters)
        statuses.append(LanguageStatus(language, chapters, language.missing_ui))
    return tuple(statuses)


def chapter_status(slug: str, folder: str, default: str, found: dict[tuple[str, str], tuple[str | None, str, int]]) -> ChapterStatus:
    """The state of one chapter in one language."""
    if (slug, folder) not in found:
        return ChapterStatus(slug, folder, "missing")
    recorded, _, words = found[(slug, folder)]
    if folder == default:
        return ChapterStatus(slug, folder, "original", words=words)
    version = parse_source(recorded)
    original = found.get((slug, version.folder)) if version else None
    if version is None or original is None:
        return ChapterStatus(slug, folder, "unmarked", recorded, words=words)
    current = f"{version.folder}@{original[1]}"
    state = "translated" if original[1] == version.hash else "outdated"
    return ChapterStatus(slug, folder, state, recorded, current, words)


def format_table(statuses: tuple[LanguageStatus, ...]) -> list[str]:
    """The per-language table, then one line per thing to do, then what a word is."""
    total = len(statuses[0].chapters) if statuses else 0
    lines = [f"{'language':<10}{'translated':>11}{'outdated':>10}{'unmarked':>10}{'missing':>9}{'UI missing':>12}{'words':>9}  name"]
    for status in statuses:
        translated = "original" if status.slugs("original") else f"{len(status.slugs('translated', 'outdated', 'unmarked'))}/{total}"
        counts = [len(status.slugs(state)) for state in ("outdated", "unmarked", "missing")]
        lines.append(f"{status.language.folder:<10}{translated:>11}{counts[0]:>10}{counts[1]:>10}{counts[2]:>9}"
                     f"{len(status.missing_ui):>12}{status.words:>9,}  {status.language.name}")
    lines.append("")
    lines.extend(detail for status in statuses for detail in details(status))
    lines.append(f"({WORD_COUNT_NOTE})")
    return lines


def details(status: LanguageStatus) -> list[str]:
    """What a translator of this language has to do, one line each."""
    folder = status.language.folder
    lines = []
    for chapter in status.chapters:
        where = f"{folder}/{chapter.slug}"
        if chapter.state == "outdated":
            lines.append(f"{folder}: outdated: {chapter.slug} (translated from {chapter.recorded}, the original is now "
                         f"{chapter.current}; see python build.py status --diff {where})")
        elif chapter.state == "unmarked":
            lines.append(f"{folder}: no valid source: {chapter.slug} (after checking it, python build.py status --mark {where})")
        elif chapter.state == "missing":
            lines.append(f"{folder}: missing: {chapter.slug} (its page shows the original with a notice)")
    if status.missing_ui:
        lines.append(f"{folder}: missing UI strings (the default language's are shown): {', '.join(status.missing_ui)}")
    return lines


class MissingChapter(Exception):
    """A chapter named on the command line does not exist: an error in the book (exit 1), not in the call."""


def chapter_file(root: Path, spec: str) -> tuple[str, str, Path]:
    """`ja/slug` (or `chapters/ja/slug.md`) -> (folder, slug, path of the file); UsageError when malformed."""
    parts = spec.removeprefix("chapters/").removesuffix(".md").strip("/").split("/")
    if len(parts) != 2 or not all(parts):
        raise UsageError(f'expected LANGUAGE/CHAPTER such as ja/looking_inside_neural_nets, not "{spec}"')
    return parts[0], parts[1], root / "chapters" / parts[0] / f"{parts[1]}.md"


def mark_translation(root: Path, spec: str) -> tuple[Path, str | None, str]:
    """Record in a translation's front matter the current version of its original (the default
    language's chapter); returns (file, previous source value, new value). Only that line changes."""
    folder, slug, path = chapter_file(root, spec)
    default = load_config(root / "book.yaml", None).default_language
    original = root / "chapters" / default / f"{slug}.md"
    if folder == default:
        raise UsageError(f"chapters/{folder}/{slug}.md is in the default language: it is the original, not a translation")
    for needed in (path, original):
        if not needed.is_file():
            raise MissingChapter(f"there is no {needed.relative_to(root).as_posix()}")
    text = read_source(path, path.relative_to(root))
    value = f"{default}@{file_hash(read_source(original, original.relative_to(root)))}"
    previous = parse_front_matter(text, path.relative_to(root)).meta.get("source")
    try:
        path.write_bytes(with_source_line(text, value).encode("utf-8"))
    except ValueError as error:
        raise UsageError(f"{path.relative_to(root).as_posix()}: {error}") from None
    return path, previous if isinstance(previous, str) else None, value
