"""The command line: the only module that prints or exits. `python build.py --help`."""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from textbook.devtools import add_check_parser, add_serve_parser, run_check, run_serve
from textbook.errors import SourceError, UsageError
from textbook.incremental import BuildCache
from textbook.pipeline import BuildOptions, BuildReport, build
from textbook.translators import (
    add_new_language_parser,
    add_status_parser,
    run_new_language,
    run_status,
)

COMMANDS = ("build", "serve", "check", "status", "new-language")
EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    """The argument parser: `build` (the default command) and its options."""
    parser = argparse.ArgumentParser(prog="python build.py", description="Build the book into a static site.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_parser = commands.add_parser("build", help="build the site (the default)")
    add_build_options(build_parser)
    add_serve_parser(commands, add_build_options)
    add_check_parser(commands, add_build_options)
    add_status_parser(commands)
    add_new_language_parser(commands)
    return parser


def add_build_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by the commands that build."""
    parser.add_argument("--root", type=Path, default=Path("."), help="the book's folder (holding book.yaml); default: .")
    parser.add_argument("--out", type=Path, default=None, help="output folder; default: _site in the book's folder")
    parser.add_argument("--base-url", default=None, help='URL path the site is served under, e.g. /ml4a (default: book.yaml\'s)')
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes (default: 2)")


def with_default_command(argv: Sequence[str]) -> list[str]:
    """`python build.py --out x` means `python build.py build --out x`."""
    args = list(argv)
    if not args or args[0] not in COMMANDS and args[0] not in ("-h", "--help"):
        return ["build", *args]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; returns 0 on success, 1 on errors in the book, 2 on usage errors."""
    parser = make_parser()
    try:
        args = parser.parse_args(with_default_command(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_request:  # argparse reports usage errors itself, then exits 2
        return int(exit_request.code or 0)
    try:
        runner = {"serve": run_serve, "check": run_check, "status": run_status,
                  "new-language": run_new_language}.get(args.command, run_build)
        return runner(args, sys.stdout, sys.stderr)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # a bug: say so briefly unless asked for the traceback
        if args.debug:
            raise
        print(f"internal error: {type(error).__name__}: {error} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_ERRORS


def run_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build once and print the outcome."""
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    root: Path = args.root
    out_dir: Path = args.out if args.out is not None else root / "_site"
    start = time.perf_counter()
    report = build(BuildOptions(root, out_dir, args.base_url, args.strict, args.jobs), BuildCache(root, out_dir))
    seconds = time.perf_counter() - start
    print_problems(report, root.resolve(), err)
    if not report.is_written:
        print(failure_summary(report, args.strict), file=err)
        return EXIT_ERRORS
    shown = display_path(out_dir)
    home_url = next((page.url for page in report.pages if page.out_path == "index.html"), "/")
    print(f"Built {len(report.pages)} pages in {seconds:.1f} s -> {shown}/ (serve it with: {serve_command(args)}, "
          f"then open http://127.0.0.1:8000{home_url})", file=out)
    return EXIT_OK


def serve_command(args: argparse.Namespace) -> str:
    """The `serve` command that serves what this build wrote (the same book, output folder and base URL)."""
    words = ["python", "build.py", "serve"]
    if args.root.resolve() != Path.cwd():
        words += ["--root", display_path(args.root)]
    if args.out is not None:
        words += ["--out", display_path(args.out)]
    if args.base_url is not None:
        words += ["--base-url", args.base_url]
    return shlex.join(words)


def print_problems(report: BuildReport, root: Path, err: TextIO) -> None:
    """Every error, then every warning, with its source line and caret."""
    for error in report.errors:
        print(error.format(root), file=err)
    for warning in report.warnings:
        print(prefixed(warning, "warning", root), file=err)


def prefixed(problem: SourceError, label: str, root: Path) -> str:
    """`path:line:col: warning: message` and the source line."""
    text = problem.format(root)
    head = f"{problem.location}: "
    return text.replace(head, f"{head}{label}: ", 1)


def failure_summary(report: BuildReport, is_strict: bool) -> str:
    """One line saying why nothing was written."""
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        return f"Build failed: {errors} error(s), {warnings} warning(s); the previous output was left untouched."
    return f"Build failed: {warnings} warning(s) with --strict; the previous output was left untouched."


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    absolute = path.resolve()
    try:
        return absolute.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return absolute.as_posix()
