"""The `serve` and `check` commands, called by cli.py; they write only to the streams it passes."""
from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from textbook.check import CheckReport, check_site
from textbook.config import load_config
from textbook.errors import BuildErrors, SourceError
from textbook.incremental import BuildCache
from textbook.locate import origin_of_page
from textbook.pipeline import BuildOptions, BuildReport, build
from textbook.templates import compile_templates, shared_environment, templates_digest

if TYPE_CHECKING:  # the build command never loads the watcher
    from textbook.watch import Rebuild

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def add_serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                     add_build_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """`serve [--port N]` plus the build options."""
    parser = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on change")
    add_build_options(parser)
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")


def add_check_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                     add_build_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """`check [--list-external]` plus the build options."""
    parser = commands.add_parser("check", help="build into a temporary folder and check every link")
    add_build_options(parser)
    parser.add_argument("--list-external", action="store_true",
                        help="also print every external link (they are never fetched)")


def build_errors(report: BuildReport, root: Path, is_strict: bool) -> list[str]:
    """A failed build's errors (and warnings under --strict), formatted; empty when it wrote."""
    if report.is_written:
        return []
    problems = list(report.errors) + (list(report.warnings) if is_strict else [])
    return [problem.format(root) for problem in problems] or ["build failed"]


def make_rebuild(options: BuildOptions, log: Callable[[str], None]) -> Rebuild:
    """The dev server's rebuild: an incremental build into `options.out_dir`, with a cache kept
    in memory between rebuilds."""
    cache = BuildCache(options.root, options.out_dir)
    is_first = True

    def rebuild(changed: frozenset[Path]) -> list[str]:
        nonlocal is_first
        start = time.perf_counter()
        report = build(options, cache)
        if report.is_written:
            log(f"built {len(report.pages)} pages in {(time.perf_counter() - start) * 1000:.0f} ms")
        if is_first:  # the first build may have rendered nothing: compile now, not at the first edit
            root = options.root.resolve()
            compile_templates(shared_environment(root, templates_digest(root)))
            is_first = False
            note = None if report.is_written else other_base_url(options, cache.built_home_url())
            if note:
                log(note)
        return build_errors(report, options.root, options.is_strict)
    return rebuild


def other_base_url(options: BuildOptions, built_home_url: str | None) -> str | None:
    """A note when the site served after a failed build was built for another base URL than the
    server's (its links and styles break until the book builds); None otherwise."""
    try:
        home_url = load_config(options.root / "book.yaml", options.base_url).base_url + "/"
    except (SourceError, BuildErrors):
        return None  # the build's own errors say it
    if built_home_url is None or built_home_url == home_url:
        return None
    return (f"note: the last good build was made for the base URL {built_home_url}, not {home_url}: "
            "its links and styles will work again once the book builds")


def run_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve the book with live reload until Ctrl-C."""
    from textbook.serve import run_dev_server  # only this command needs the server

    root: Path = args.root.resolve()
    out_dir: Path = args.out if args.out is not None else root / "_site"

    def log(line: str) -> None:
        print(line, file=out, flush=True)

    rebuild = make_rebuild(BuildOptions(root, out_dir, args.base_url, args.strict, args.jobs), log)
    try:
        base_url = load_config(root / "book.yaml", args.base_url).base_url
    except (SourceError, BuildErrors) as error:  # the base URL is needed before anything is served
        errors = error.errors if isinstance(error, BuildErrors) else (error,)
        print("\n".join(e.format(root) for e in errors), file=err)
        return EXIT_ERRORS
    try:
        run_dev_server(root, out_dir, base_url, args.port, rebuild, log, threading.Event())
    except KeyboardInterrupt:
        log("stopped")
    except OSError as error:  # most often: the port is taken
        print(f"error: cannot serve on 127.0.0.1:{args.port}: {error.strerror or error}", file=err)
        return EXIT_USAGE
    return EXIT_OK


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build into a temporary folder, check every page's links; 1 when anything is broken."""
    root: Path = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="textbook-check-") as folder:
        site = Path(folder) / "_site"
        report = build(BuildOptions(root, site, args.base_url, args.strict, args.jobs))
        errors = build_errors(report, root, args.strict)
        if errors:
            print("\n".join(errors), file=err)
            print("Check stopped: the book does not build.", file=err)
            return EXIT_ERRORS
        config = load_config(root / "book.yaml", args.base_url)
        origins = {page.out_path: origin_of_page(page.out_path, page.sources, config.default_language)
                   for page in report.pages}
        checked = check_site(site, config.base_url, origins, root, site_label=Path("_site"))
    print_check(checked, args.list_external, out, err)
    return EXIT_ERRORS if checked.problems else EXIT_OK


def print_check(report: CheckReport, is_listing_external: bool, out: TextIO, err: TextIO) -> None:
    """Every problem (and external link when asked), then a one-line summary."""
    for problem in report.problems:
        print(problem, file=err)
    if is_listing_external:
        for link in report.external:
            print(f"{link.location}: external link {link.url}", file=out)
    summary = (f"Checked {report.reference_count} references in {report.page_count} pages: "
               f"{len(report.problems)} problem(s), {len(report.external)} external link(s) not fetched.")
    print(summary, file=err if report.problems else out)
