"""The pages of the site: chapter, home and demo pages, each rendered through its layout."""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from textbook.includes import IncludeCall, IncludeSpec
from textbook.links import (
    LinkMap,
    chapter_path,
    chapter_url,
    home_url,
    out_path,
    resolve_url,
    rewrite_links,
    section_path,
    with_base,
)
from textbook.model import Chapter, ChapterEntry, Demo, Language, Location, Page, Site
from textbook.rendering import render_body
from textbook.templates import PageInfo, make_include_renderer, render_page
from textbook.translation import parse_source

STYLESHEET = "/assets/style.css"
DEMO_PREFIX = "/demos/"
# Rules only some pages need (right to left, translation notes, untranslated languages in the switcher)
TRANSLATIONS_STYLESHEET = "/assets/translations.css"


@dataclass(frozen=True)
class LanguageLink:
    """An entry of the language switcher or of the hreflang alternates."""

    name: str
    code: str
    url: str
    is_current: bool
    is_translated: bool = True  # False: the page in that language shows the default language's text


@dataclass(frozen=True)
class ChapterLink:
    """A link to a chapter with its localized title; `lang` differs from the page's on a fallback."""

    title: str
    url: str
    lang: str
    language_name: str
    is_fallback: bool


@dataclass(frozen=True)
class RenderContext:
    """What every page of one build shares (picklable; made once per worker chunk)."""

    root: Path
    site: Site
    links: LinkMap
    specs: Mapping[str, IncludeSpec]
    entry_index: Mapping[tuple[str, str], ChapterEntry]  # (slug, language folder) -> entry
    layout_sources: tuple[Path, ...]  # every layout and static file (see layout_files)
    templates_digest: str  # of templates/, computed once per build (keys the Jinja environment and the pages)


def language_of(site: Site, folder: str) -> Language:
    """The Language of a folder."""
    return next(lang for lang in site.languages if lang.folder == folder)


def index_entries(site: Site) -> dict[tuple[str, str], ChapterEntry]:
    """Chapters by (slug, language folder)."""
    return {(entry.slug, entry.language): entry for entry in site.entries}


def chapter_link(ctx: RenderContext, slug: str, folder: str) -> ChapterLink:
    """A link to `slug`'s page in `folder`'s section; when it is not translated, that page shows the
    default language's text, whose title and language the link carries (`is_fallback`)."""
    entry = ctx.entry_index.get((slug, folder))
    is_fallback = entry is None
    if entry is None:
        entry = ctx.entry_index[(slug, ctx.site.config.default_language)]
    language = language_of(ctx.site, entry.language)
    return ChapterLink(entry.title, chapter_url(ctx.links, folder, slug), language.code, language.name, is_fallback)


def common_context(site: Site, links: LinkMap, language: Language, title: str, url: str) -> dict[str, Any]:
    """Variables every layout gets: book, page, ui, home and stylesheet URLs."""
    page = PageInfo(language.code, language.folder, language.direction, title, url,
                    site.config.base_url, language.demo)
    return {
        "book_title": site.config.title_for(language.folder),
        "page": page,
        "ui": language.ui,
        "home_url": home_url(links, language.folder),
        "stylesheet_url": with_base(links, STYLESHEET),
        "translations_stylesheet_url": with_base(links, TRANSLATIONS_STYLESHEET) if language.direction == "rtl" else None,
        "x_default_url": None,
        "alternates": (),
        "languages": (),
    }


def translations(ctx: RenderContext, slug: str, current: str) -> tuple[LanguageLink, ...]:
    """The chapter's page in every language, in language order; `is_translated` tells the real translations."""
    return tuple(
        LanguageLink(lang.name, lang.code, chapter_url(ctx.links, lang.folder, slug), lang.folder == current,
                     (slug, lang.folder) in ctx.entry_index)
        for lang in ctx.site.languages
    )


def translation_notes(ctx: RenderContext, chapter: Chapter) -> dict[str, Any]:
    """Layout variables about the page's translation: `page_language`, `text_language` (of the text shown),
    `fallback` (the text is the original's: no translation yet), `outdated` (the original changed since),
    `original_url` (the original's page; the canonical URL of a fallback page)."""
    site, source = ctx.site, chapter.source
    version = parse_source(chapter.source_version)
    is_outdated = version is not None and (source.slug, source.language) in site.outdated
    original = chapter.fallback_from or (version.folder if is_outdated and version else None)
    return {
        "page_language": language_of(site, source.language),
        "text_language": language_of(site, chapter.fallback_from or source.language),
        "fallback": chapter.fallback_from is not None,
        "outdated": is_outdated,
        "original_language": language_of(site, original) if original else None,
        "original_url": chapter_url(ctx.links, original, source.slug) if original else None,
    }


def neighbours(ctx: RenderContext, slug: str, folder: str) -> tuple[ChapterLink | None, ChapterLink | None]:
    """The previous and next chapters in book order."""
    order = ctx.site.config.chapters
    index = order.index(slug)
    previous = chapter_link(ctx, order[index - 1], folder) if index > 0 else None
    following = chapter_link(ctx, order[index + 1], folder) if index + 1 < len(order) else None
    return previous, following


def render_chapter(chapter: Chapter, env: jinja2.Environment, ctx: RenderContext) -> Page:
    """A chapter's page: body rendered, links rewritten, laid out; raises SourceError/BuildErrors."""
    site, links, source = ctx.site, ctx.links, chapter.source
    language = language_of(site, source.language)
    path = chapter_path(links, language.folder, source.slug)
    context = common_context(site, links, language, chapter.title, with_base(links, path))
    demos = {demo.name: demo for demo in site.demos}
    used: list[str] = []
    renderer = make_include_renderer(env, context["page"], language.ui, demos, ctx.specs, used)
    body = render_body(chapter.body, Location(source.path, chapter.body_line), ctx.specs, renderer)
    switcher = translations(ctx, source.slug, language.folder)
    previous, following = neighbours(ctx, source.slug, language.folder)
    notes = translation_notes(ctx, chapter)
    if notes["fallback"] or notes["outdated"] or not all(link.is_translated for link in switcher):
        notes["translations_stylesheet_url"] = with_base(links, TRANSLATIONS_STYLESHEET)
    context.update(notes)
    text = chapter.fallback_from or language.folder  # the language the page's text (and its figures) are in
    context.update(
        content=Markup(rewrite_links(body.html, language.folder, links, text)),
        toc=tuple(h for h in body.headings if h.level in (2, 3)),
        header_image=resolve_url(chapter.header_image, language.folder, links, text) if chapter.header_image else None,
        header_text=Markup(rewrite_links(chapter.header_text, language.folder, links, text)) if chapter.header_text else None,
        translator=chapter.translator,
        translator_link=resolve_url(chapter.translator_link, language.folder, links) if chapter.translator_link else None,
        languages=switcher, alternates=tuple(link for link in switcher if link.is_translated),
        x_default_url=chapter_url(links, site.config.default_language, source.slug),
        previous=previous, next=following,
    )
    html = render_page(env, chapter.layout, context)
    return Page(out_path(path), with_base(links, path), html, chapter_sources(ctx, chapter, used, demos))


def chapter_sources(ctx: RenderContext, chapter: Chapter, used: Sequence[str], demos: Mapping[str, Demo]) -> tuple[Path, ...]:
    """The input files a chapter page depends on: its file, its neighbours and translations, templates, demos."""
    site, slug = ctx.site, chapter.source.slug
    order = site.config.chapters
    index = order.index(slug)
    near = set(order[max(index - 1, 0):index + 2])
    files = {chapter.source.path, site.config.path}
    nearby = (ctx.entry_index.get((s, lang.folder)) for s in near for lang in site.languages)
    files.update(entry.path for entry in nearby if entry is not None)
    files.update(lang.path for lang in site.languages)
    files.update(ctx.layout_sources)
    files.update(Path("templates", "includes", name) for name in used)
    files.update(demos[name].path for name in demo_folders_in(chapter.body) & demos.keys())
    return tuple(sorted(files, key=path_order))


def path_order(path: Path) -> tuple[str, ...]:
    """The sort key giving Path's own order, without Path's slow comparisons (thousands per build)."""
    return path.parts


def layout_files(root: Path) -> list[Path]:
    """Every layout and static file; layouts extend each other, so a page depends on all of them."""
    folder = root / "templates"
    return sorted(p.relative_to(root) for sub in ("layouts", "static") for p in (folder / sub).rglob("*") if p.is_file())


def render_home(language: Language, env: jinja2.Environment, ctx: RenderContext) -> Page:
    """A language's home page: the book's chapters in order, in that language where translated."""
    site, links = ctx.site, ctx.links
    path = section_path(links, language.folder)
    context = common_context(site, links, language, site.config.title_for(language.folder), with_base(links, path))
    switcher = tuple(LanguageLink(lang.name, lang.code, home_url(links, lang.folder), lang.folder == language.folder) for lang in site.languages)
    context.update(
        chapters=tuple(chapter_link(ctx, slug, language.folder) for slug in site.config.chapters),
        languages=switcher, alternates=switcher, x_default_url=home_url(links, site.config.default_language),
    )
    html = render_page(env, "home", context)
    sources = {site.config.path, *(e.path for e in site.entries), *(lang.path for lang in site.languages), *ctx.layout_sources}
    return Page(out_path(path), with_base(links, path), html, tuple(sorted(sources, key=path_order)))


def home_out_path(ctx: RenderContext, language: Language) -> str:
    """The output file of a language's home page."""
    return out_path(section_path(ctx.links, language.folder))


def demo_out_path(demo: Demo) -> str:
    """The output file of a demo's own page."""
    return out_path(demo_path(demo))


def demo_path(demo: Demo) -> str:
    """A demo page's root-relative path without the base URL."""
    return f"/demos/{demo.name}/"


def render_demo_page(demo: Demo, env: jinja2.Environment, ctx: RenderContext, used_in: Sequence[Chapter] = ()) -> Page:
    """A demo's own page at /demos/<name>/, in the default language, linking to the chapters that use it."""
    site, links = ctx.site, ctx.links
    language = site.languages[0]
    path = demo_path(demo)
    context = common_context(site, links, language, demo.title, with_base(links, path))
    used: list[str] = []
    renderer = make_include_renderer(env, context["page"], language.ui, {d.name: d for d in site.demos}, ctx.specs, used)
    insert = renderer(IncludeCall("demo_insert.html", {"path": path}, Location(demo.path, 1)))
    chapters = tuple(chapter_link(ctx, c.source.slug, language.folder) for c in used_in if c.source.language == language.folder)
    context.update(demo=demo, content=Markup(rewrite_links(insert, language.folder, links)), used_in=chapters)
    html = render_page(env, "demo", context)
    sources = {site.config.path, demo.path, language.path, Path("templates/includes/demo_insert.html"),
               *ctx.layout_sources, *(c.source.path for c in used_in)}
    return Page(out_path(path), with_base(links, path), html, tuple(sorted(sources, key=path_order)))


def demo_users(chapters: Sequence[Chapter], demos: Sequence[Demo]) -> dict[str, tuple[Chapter, ...]]:
    """For each demo, the chapters whose text mentions its folder (in book order)."""
    mentioned = [(chapter, demo_folders_in(chapter.body)) for chapter in chapters]  # one pass over each body
    return {demo.name: tuple(c for c, names in mentioned if demo.name in names) for demo in demos}


@functools.lru_cache(maxsize=4096)  # the dev server asks again for every unchanged chapter at each rebuild
def demo_folders_in(text: str) -> frozenset[str]:
    """Every NAME of a `/demos/NAME/` in the text (a demo's name holds no slash)."""
    names = set()
    start = text.find(DEMO_PREFIX)
    while start >= 0:
        end = text.find("/", start + len(DEMO_PREFIX))
        if end < 0:
            break
        names.add(text[start + len(DEMO_PREFIX):end])
        start = text.find(DEMO_PREFIX, start + 1)
    return frozenset(names)
