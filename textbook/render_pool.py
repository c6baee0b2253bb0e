"""Render chapter pages in chunks, in worker processes when the book is big enough to gain from it."""
from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from textbook.errors import BuildErrors, SourceError
from textbook.model import Chapter, Page
from textbook.pages import RenderContext, render_chapter
from textbook.templates import compile_templates, shared_environment

# Below this many chapter pages, starting worker processes costs more than it saves.
MIN_PARALLEL_PAGES = 24
# Small chunks keep both workers busy to the end (a chunk costs little: workers inherit the compiled templates).
CHUNKS_PER_WORKER = 16
Outcome = tuple[Page | None, tuple[SourceError, ...]]


def render_chapters(ctx: RenderContext, chapters: Sequence[Chapter], jobs: int) -> list[Outcome]:
    """Every chapter rendered (a page, or the errors that stopped it), in the input order."""
    chunks = chunk_by_slug(chapters, max(jobs, 1) * CHUNKS_PER_WORKER)
    if jobs <= 1 or len(chapters) < MIN_PARALLEL_PAGES:
        return [outcome for chunk in chunks for outcome in render_chunk(ctx, chunk)]
    compile_templates(shared_environment(ctx.root, ctx.templates_digest))  # before the workers start, so they share the work
    # The context goes to each worker once, at its start (forked: not even pickled), not with every chunk.
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(ctx,)) as pool:
        results = pool.map(render_worker_chunk, chunks)
        return [outcome for chunk_outcomes in results for outcome in chunk_outcomes]


# The build's context inside a worker process (set by the pool's initializer; a worker serves one build).
_WORKER_CONTEXT: list[RenderContext] = []


def _start_worker(ctx: RenderContext) -> None:
    _WORKER_CONTEXT[:] = [ctx]


def render_worker_chunk(chapters: tuple[Chapter, ...]) -> list[Outcome]:
    """render_chunk in a worker process, with the context its initializer received."""
    return render_chunk(_WORKER_CONTEXT[-1], chapters)


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
    """Render a chunk with the process's template environment; errors are returned, not raised."""
    env = shared_environment(ctx.root, ctx.templates_digest)
    outcomes: list[Outcome] = []
    for chapter in chapters:
        try:
            outcomes.append((render_chapter(chapter, env, ctx), ()))
        except SourceError as error:
            outcomes.append((None, (error,)))
        except BuildErrors as errors:
            outcomes.append((None, errors.errors))
    return outcomes
