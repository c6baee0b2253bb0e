"""build(): every stage of the compiler, in order, from book.yaml to the written site."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textbook.chapters import read_chapter
from textbook.config import load_config
from textbook.demos import load_demos, missing_fallbacks
from textbook.discover import (
    book_order,
    chapter_files,
    discover_chapters,
    unlisted_chapters,
)
from textbook.errors import BuildErrors, SourceError, SourceWarning, sort_errors
from textbook.i18n import check_ui_strings, load_languages
from textbook.images import image_files, localized_images, missing_images
from textbook.includes import load_include_specs
from textbook.links import make_link_map
from textbook.model import (
    BookConfig,
    Chapter,
    ChapterEntry,
    Location,
    Page,
    Site,
    SourceChapter,
)
from textbook.pages import (
    RenderContext,
    demo_out_path,
    demo_users,
    home_out_path,
    index_entries,
    layout_files,
    render_demo_page,
    render_home,
)
from textbook.render_pool import render_chapters
from textbook.templates import layout_names, shared_environment, templates_digest
from textbook.translation import fallback_chapters, outdated_translations
from textbook.writer import check_out_dir, collect_assets, write_site

if TYPE_CHECKING:
    from textbook.incremental import BuildCache

T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where from, where to, which base URL, how many worker processes."""

    root: Path
    out_dir: Path
    base_url: str | None = None
    is_strict: bool = False
    jobs: int = 2


@dataclass(frozen=True)
class BuildReport:
    """What a build did: its pages (empty when it failed), errors, warnings and stage timings."""

    pages: tuple[Page, ...] = ()
    errors: tuple[SourceError, ...] = ()
    warnings: tuple[SourceWarning, ...] = ()
    stage_seconds: tuple[tuple[str, float], ...] = ()
    is_written: bool = False


@dataclass
class Collector:
    """Errors, warnings and timings gathered while a build runs (local to one build call)."""

    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceWarning] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage."""
        start = time.perf_counter()
        yield
        self.timings.append((name, round(time.perf_counter() - start, 4)))

    def report(self, pages: tuple[Page, ...] = (), is_written: bool = False) -> BuildReport:
        """The report of what was collected."""
        warnings = tuple(w for w in unique(self.warnings) if isinstance(w, SourceWarning))
        return BuildReport(pages, unique(self.errors), warnings, tuple(self.timings), is_written)


def build(options: BuildOptions, cache: BuildCache | None = None) -> BuildReport:
    """Load, check, render every page in memory, then replace the output folder (only if all went well).

    With a `cache`, unchanged chapters are not parsed or rendered again and only changed files are written."""
    found = Collector()
    root = options.root.resolve()
    check_out_dir(root, options.out_dir)
    try:
        with found.stage("load"):
            config = load_config(root / "book.yaml", options.base_url)
            languages = load_languages(root, config)
            files = cache.list_chapters(chapter_files, root) if cache else chapter_files(root)
            sources = discover_chapters(root, config, files)
            demos = load_demos(root)
            specs = load_include_specs(root / "templates" / "includes")
    except (SourceError, BuildErrors) as error:
        found.errors.extend(relative_errors(errors_of(error), root))
        return found.report()
    found.warnings.extend(unlisted_chapters(root, config, files) + check_ui_strings(root, languages) + missing_fallbacks(root, demos))
    with found.stage("front matter"):
        chapters = read_all(root, sources, layout_names(root), found, cache)
    images = image_files(root)
    found.warnings.extend(missing_images(root, chapters, images, config.base_url))
    site = Site(config, languages, entries_of(sources, chapters), demos,
                outdated_translations(chapters),
                localized_images(images, [language.folder for language in languages]))
    pages_to_render = in_book_order(chapters + fallback_chapters(chapters, languages, config), config)
    ctx = RenderContext(root, site, make_link_map(site), specs, index_entries(site), tuple(layout_files(root)),
                        templates_digest(root))
    with found.stage("render"):
        pages = render_all(ctx, pages_to_render, options.jobs, found, cache)
    found.errors[:] = relative_errors(found.errors, root)
    if found.errors or (options.is_strict and found.warnings):
        return found.report(pages)
    with found.stage("write"):
        assets = attempt(found, collect_assets, root, pages)
        if assets is None:
            return found.report(pages)
        (cache.write_site if cache else write_site)(pages, assets, options.out_dir)
    if cache is not None:  # the site is written: a cache that could not be saved is only a warning
        found.warnings.extend(SourceWarning(Location(cache.path, 1), problem) for problem in cache.take_problems())
    return found.report(pages, is_written=True)


def read_all(root: Path, sources: tuple[SourceChapter, ...], layouts: list[str], found: Collector,
             cache: BuildCache | None = None) -> tuple[Chapter, ...]:
    """Every chapter's front matter; a chapter with errors is dropped and its errors kept."""
    chapters = []
    reader = partial(cache.read_chapter, read_chapter) if cache else read_chapter
    for source in sources:
        result = attempt(found, reader, root, source, layouts)
        if result is not None:
            chapters.append(result[0])
            found.warnings.extend(result[1])
    return tuple(chapters)


def render_all(ctx: RenderContext, chapters: tuple[Chapter, ...], jobs: int, found: Collector,
               cache: BuildCache | None = None) -> tuple[Page, ...]:
    """Chapter pages (in worker processes when there are many; unchanged ones from the cache), home pages,
    demo pages; sorted by path."""
    reused, todo = cache.split(ctx, chapters) if cache else ([], list(chapters))
    pages: list[Page] = list(reused)
    for page, errors in render_chapters(ctx, todo, jobs):
        found.errors.extend(errors)
        if page is not None:
            pages.append(page)
    env = shared_environment(ctx.root, ctx.templates_digest)
    site_page = cache.site_page if cache else render_site_page
    homes = [attempt(found, site_page, home_out_path(ctx, language), "", partial(render_home, language, env, ctx))
             for language in ctx.site.languages]
    users = demo_users([c for c in chapters if c.fallback_from is None], ctx.site.demos)
    demo_pages = [attempt(found, site_page, demo_out_path(demo), used_by(users[demo.name]),
                          partial(render_demo_page, demo, env, ctx, users[demo.name])) for demo in ctx.site.demos]
    pages.extend(page for page in homes + demo_pages if page is not None)
    return tuple(sorted(pages, key=lambda page: page.out_path))


def used_by(chapters: tuple[Chapter, ...]) -> str:
    """What a demo page reads of the chapters that use it (besides the Site): which files they are
    (a chapter's file, chapters/<language>/<slug>.md, names its language and slug)."""
    return "\n".join(str(c.source.path) for c in chapters)


def render_site_page(target: str, inputs: str, render: Callable[[], Page]) -> Page:
    """A home or demo page, rendered (without a cache; see BuildCache.site_page)."""
    return render()


def in_book_order(chapters: tuple[Chapter, ...], config: BookConfig) -> tuple[Chapter, ...]:
    """Chapters (translations and fallback pages) by book order, then default language first, then folder."""
    key = book_order(config)
    return tuple(sorted(chapters, key=lambda chapter: key(chapter.source)))


def unique(errors: list[SourceError] | list[SourceWarning]) -> tuple[SourceError, ...]:
    """Sorted, each message once (a template mistake shows up on every page that uses the template)."""
    seen = {(str(e.location), e.message, e.hint): e for e in errors}
    return tuple(sort_errors(seen.values()))


def attempt(found: Collector, action: Callable[..., T], *args: Any) -> T | None:
    """Run `action(*args)`; its SourceErrors are collected instead of stopping the build."""
    try:
        return action(*args)
    except (SourceError, BuildErrors) as error:
        found.errors.extend(errors_of(error))
        return None


def errors_of(error: SourceError | BuildErrors) -> tuple[SourceError, ...]:
    """The SourceErrors an exception carries."""
    return error.errors if isinstance(error, BuildErrors) else (error,)


def relative_errors(errors: list[SourceError] | tuple[SourceError, ...], root: Path) -> list[SourceError]:
    """Errors with their paths relative to the book root (messages read chapters/ja/x.md:3:1)."""
    fixed = []
    for error in errors:
        path = error.location.path
        if path.is_absolute() and path.is_relative_to(root):
            error = type(error)(replace(error.location, path=path.relative_to(root)), error.message, error.hint)
        fixed.append(error)
    return fixed


def entries_of(sources: tuple[SourceChapter, ...], chapters: tuple[Chapter, ...]) -> tuple[ChapterEntry, ...]:
    """What other pages need to know about each chapter; one whose front matter failed keeps its slug as title,
    so the other pages still render and report their own errors."""
    titles = {chapter.source.path: chapter.title for chapter in chapters}  # a path hashes faster than a source
    return tuple(ChapterEntry(s.slug, s.language, titles.get(s.path, s.slug), s.path) for s in sources)

