"""Render chapter pages in chunks, in worker processes when the book is big enough to gain from it."""
from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat

from textbook.errors import BuildErrors, SourceError
from textbook.model import Chapter, Page
from textbook.pages import RenderContext, render_chapter
from textbook.templates import make_environment

# Below this many chapter pages, starting worker processes costs more than it saves.
MIN_PARALLEL_PAGES = 24
CHUNKS_PER_WORKER = 4
Outcome = tuple[Page | None, tuple[SourceError, ...]]


def render_chapters(ctx: RenderContext, chapters: Sequence[Chapter], jobs: int) -> list[Outcome]:
    """Every chapter rendered (a page, or the errors that stopped it), in the input order."""
    chunks = chunk_by_slug(chapters, max(jobs, 1) * CHUNKS_PER_WORKER)
    if jobs <= 1 or len(chapters) < MIN_PARALLEL_PAGES:
        return [outcome for chunk in chunks for outcome in render_chunk(ctx, chunk)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(render_chunk, repeat(ctx), chunks)
        return [outcome for chunk_outcomes in results for outcome in chunk_outcomes]


def chunk_by_slug(chapters: Sequence[Chapter], count: int) -> list[tuple[Chapter, ...]]:
    """About `count` chunks of consecutive chapters; all languages of a chapter stay in one chunk."""
    size = max(1, -(-len(chapters) // max(count, 1)))
    chunks: list[tuple[Chapter, ...]] = []
    current: list[Chapter] = []
    for index, chapter in enumerate(chapters):
        current.append(chapter)
        is_last_of_slug = index + 1 == len(chapters) or chapters[index + 1].source.slug != chapter.source.slug
        if len(current) >= size and is_last_of_slug:
            chunks.append(tuple(current))
            current = []
    if current:
        chunks.append(tuple(current))
    return chunks


def render_chunk(ctx: RenderContext, chapters: tuple[Chapter, ...]) -> list[Outcome]:
    """Render a chunk with one template environment; errors are returned, not raised."""
    env = make_environment(ctx.root)
    outcomes: list[Outcome] = []
    for chapter in chapters:
        try:
            outcomes.append((render_chapter(chapter, env, ctx), ()))
        except SourceError as error:
            outcomes.append((None, (error,)))
        except BuildErrors as errors:
            outcomes.append((None, errors.errors))
    return outcomes
