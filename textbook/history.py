"""What changed in an original since a translation was made: the version of the original whose
content hash the translation recorded, found in git history, diffed against the file as it is now."""
from __future__ import annotations

import difflib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from textbook.errors import read_source
from textbook.frontmatter import normalize_newlines, parse_front_matter
from textbook.status import chapter_file
from textbook.translation import file_hash, parse_source


class HistoryUnavailable(Exception):
    """The diff cannot be made (no git, no repository, no matching version); the message says why."""


@dataclass(frozen=True)
class OriginalChange:
    """The original's recorded version and its current text; `diff` is empty when nothing changed."""

    original: Path
    recorded: str
    current: str
    commit: str | None
    diff: str


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in `root`; HistoryUnavailable when git is not installed."""
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8", check=False)
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed, so the original's history is not available") from None


def original_change(root: Path, spec: str) -> OriginalChange:
    """The change of a translation's original since its recorded `source:` version (see module doc)."""
    folder, slug, path = chapter_file(root, spec)
    if not path.is_file():
        raise HistoryUnavailable(f"there is no {path.relative_to(root).as_posix()}")
    value = parse_front_matter(read_source(path, path.relative_to(root)), path.relative_to(root)).meta.get("source")
    version = parse_source(value if isinstance(value, str) else None)
    if version is None:
        raise HistoryUnavailable(f"chapters/{folder}/{slug}.md records no source: version "
                                 f"(python build.py status --mark {folder}/{slug} records the current one)")
    original = root / "chapters" / version.folder / f"{slug}.md"
    if not original.is_file():
        raise HistoryUnavailable(f"the original chapters/{version.folder}/{slug}.md does not exist")
    now_text = read_source(original, original.relative_to(root))
    current = f"{version.folder}@{file_hash(now_text)}"
    if current == str(version):
        return OriginalChange(original, str(version), current, None, "")
    commit, old_text = find_version(root, original, version.hash)
    rel = original.relative_to(root).as_posix()
    lines = difflib.unified_diff(normalize_newlines(old_text).splitlines(True), normalize_newlines(now_text).splitlines(True),
                                 f"{rel} ({version}, commit {commit[:10]})", f"{rel} ({current}, now)")
    return OriginalChange(original, str(version), current, commit, "".join(lines))


def find_version(root: Path, original: Path, wanted: str) -> tuple[str, str]:
    """The newest commit whose version of `original` has the content hash `wanted`, and that text."""
    top = git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise HistoryUnavailable(f"{root} is not in a git repository, so the original's history is not available")
    top_folder = Path(top.stdout.strip()).resolve()
    rel = original.resolve().relative_to(top_folder).as_posix()
    log = git(top_folder, "log", "--format=%H", "--", rel)
    commits = log.stdout.split() if log.returncode == 0 else []
    if not commits:
        raise HistoryUnavailable(f"git has no history of {rel} (is it committed?)")
    for commit in commits:
        shown = git(top_folder, "show", f"{commit}:{rel}")
        if shown.returncode == 0 and file_hash(shown.stdout) == wanted:
            return commit, shown.stdout
    raise HistoryUnavailable(f"none of the {len(commits)} committed versions of {rel} has the content hash {wanted} "
                             "(the translation may have been made from an uncommitted version)")
