"""The `status` and `new-language` commands, called by cli.py; they write only to the streams it passes."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from textbook.config import load_config
from textbook.errors import BuildErrors, SourceError
from textbook.history import HistoryUnavailable, original_change
from textbook.newlang import LanguageExists, create_language, next_steps
from textbook.status import (
    MissingChapter,
    format_table,
    mark_translation,
    translation_status,
)

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def add_status_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`status [--fail-on-outdated] [--mark LANG/CHAPTER]... [--diff LANG/CHAPTER]`."""
    parser = commands.add_parser("status", help="translation status per language; --mark, --diff")
    parser.add_argument("--root", type=Path, default=Path("."), help="the book's folder (holding book.yaml); default: .")
    parser.add_argument("--fail-on-outdated", action="store_true", help="exit 1 when a translation is outdated (for CI)")
    parser.add_argument("--mark", action="append", default=[], metavar="LANG/CHAPTER",
                        help="record in the translation's front matter the current version of its original (repeatable)")
    parser.add_argument("--diff", metavar="LANG/CHAPTER", help="show what changed in the original since the translation (git)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")


def add_new_language_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`new-language CODE`."""
    parser = commands.add_parser("new-language", help="create chapters/CODE/_language.yaml with every string to translate")
    parser.add_argument("code", metavar="CODE", help="BCP 47 language code, also the folder name (fr, pt-BR, ar, ...)")
    parser.add_argument("--root", type=Path, default=Path("."), help="the book's folder (holding book.yaml); default: .")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")


def print_book_errors(error: SourceError | BuildErrors, root: Path, err: TextIO) -> int:
    """A broken book's errors, as the build prints them; returns exit code 1."""
    errors = error.errors if isinstance(error, BuildErrors) else (error,)
    print("\n".join(e.format(root) for e in errors), file=err)
    return EXIT_ERRORS


def run_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Mark translations, show a diff, or print the status table (exit 1 on outdated with --fail-on-outdated)."""
    root: Path = args.root.resolve()
    try:
        for spec in args.mark:
            path, previous, value = mark_translation(root, spec)
            was = f" (was {previous})" if previous and previous != value else (" (unchanged)" if previous == value else "")
            print(f"{path.relative_to(root).as_posix()}: source: {value}{was}", file=out)
        if args.diff:
            return print_diff(root, args.diff, out, err)
        if args.mark:
            return EXIT_OK
        statuses = translation_status(root)
    except (SourceError, BuildErrors) as error:
        return print_book_errors(error, root, err)
    except MissingChapter as error:
        print(f"error: {error}", file=err)
        return EXIT_ERRORS
    print("\n".join(format_table(statuses)), file=out)
    outdated = [s for status in statuses for s in status.slugs("outdated")]
    if args.fail_on_outdated and outdated:
        print(f"{len(outdated)} outdated translation(s)", file=err)
        return EXIT_ERRORS
    return EXIT_OK


def print_diff(root: Path, spec: str, out: TextIO, err: TextIO) -> int:
    """The original's changes since the translation's recorded version, as a unified diff."""
    try:
        change = original_change(root, spec)
    except HistoryUnavailable as error:
        print(f"error: {error}", file=err)
        return EXIT_ERRORS
    rel = change.original.relative_to(root).as_posix()
    if not change.diff:
        print(f"{rel} has not changed since the translation ({change.recorded}).", file=out)
        return EXIT_OK
    print(change.diff, file=out, end="")
    print(f"\n{rel} changed since the translation ({change.recorded} -> {change.current}); "
          f"after updating the translation: python build.py status --mark {spec}", file=out)
    return EXIT_OK


def run_new_language(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Create the language file and say what to do next; 1 if it exists already."""
    root: Path = args.root.resolve()
    try:
        path, default = create_language(root, args.code)
        slugs = load_config(root / "book.yaml", None).chapters
    except LanguageExists as error:
        print(f"error: {error}", file=err)
        return EXIT_ERRORS
    except (SourceError, BuildErrors) as error:
        return print_book_errors(error, root, err)
    print(f"Created {path.relative_to(root).as_posix()} with {len(default.ui)} UI strings and "
          f"{len(default.demo)} demo strings from {default.name} to translate.", file=out)
    print("\n".join(next_steps(args.code, default, slugs)), file=out)
    return EXIT_OK
