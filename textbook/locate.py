"""Find where a URL of a built page was written: in its chapter, its layout, or the page itself.

The built page holds the URL after the base URL was added and chapter links were mapped to the
page's language, so the author's spelling is looked up in a few forms, most specific first.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from textbook.htmlrefs import Reference
from textbook.model import Location

MIN_TRIMMED_SEGMENTS = 2  # "/demos/confusion_mnist/" names a demo; "/demos/" names nothing


@dataclass(frozen=True)
class PageOrigin:
    """Where an output page came from: its chapter, then the other files that may have written
    its markup (a demo.yaml, layouts, includes), most likely first; else the output file."""

    chapter: Path | None = None
    files: tuple[Path, ...] = ()
    output: Path | None = None
    language: str | None = None  # the page's language folder (chapter links are mapped to it)


def origin_of_page(out_path: str, sources: Sequence[Path], default_language: str) -> PageOrigin:
    """The chapter an output page renders ("ja/x/index.html" -> chapters/ja/x.md, or the default
    language's chapter on a fallback page; a page at the root is the default language's), then
    its demo.yaml, its own layout, other templates."""
    folders = PurePosixPath(out_path).parent.parts
    chapter, language = None, None
    if folders and folders[0] != "demos":
        language = folders[0] if len(folders) > 1 else default_language
        candidates = [Path("chapters", name, f"{folders[-1]}.md") for name in (language, default_language)]
        chapter = next((candidate for candidate in candidates if candidate in sources), None)
    kind = "chapter" if chapter else "demo" if folders[:1] == ("demos",) else "home"
    demo = [p for p in sources if kind == "demo" and p.parts[:1] == ("demos",) and p.name == "demo.yaml"]
    templates = [p for p in sources if p.parts[:1] == ("templates",) and p.suffix != ".css"]
    templates.sort(key=lambda p: (p.parts[:2] != ("templates", "layouts"), p.stem != kind, p))
    return PageOrigin(chapter, tuple(demo + templates), None, language)


@dataclass
class SourceTexts:
    """Source files read once per check (a cache local to one check run)."""

    root: Path
    texts: dict[Path, str | None] = field(default_factory=dict)

    def get(self, path: Path) -> str | None:
        """The text of a book-relative file, or None when it cannot be read."""
        if path not in self.texts:
            try:
                self.texts[path] = (self.root / path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self.texts[path] = None
        return self.texts[path]


def url_spellings(url: str, base_url: str, language: str | None) -> list[str]:
    """Ways an author may have written a URL that reads `url` in the built page."""
    forms = [url]
    if base_url and url.startswith(base_url + "/"):
        forms.append(url[len(base_url):])
    if language and forms[-1].startswith(f"/{language}/"):  # a chapter link mapped to the page's language
        forms.append(forms[-1][len(language) + 1:])
    spellings: list[str] = []
    for form in forms:
        bare = form.split("#")[0]
        spellings += [form, bare, bare.rstrip("/")]
    rooted = [f for f in forms if f.startswith("/") and not (base_url and f.startswith(base_url + "/"))]
    for form in rooted:  # include parameters name a folder; the page names files in it
        path = form.split("#")[0].rstrip("/")
        while path.count("/") > MIN_TRIMMED_SEGMENTS:
            path = path.rsplit("/", 1)[0]
            spellings += [path + "/", path]
    return [s for s in dict.fromkeys(spellings) if len(s.strip("/#")) > 0]


def positions_of(text: str, needle: str) -> list[tuple[int, int]]:
    """1-based (line, column) of every occurrence of `needle` in `text`."""
    found = []
    at = text.find(needle)
    while at != -1:
        line_start = text.rfind("\n", 0, at) + 1
        found.append((text.count("\n", 0, at) + 1, at - line_start + 1))
        at = text.find(needle, at + 1)
    return found


def locate_url(origin: PageOrigin, texts: SourceTexts, reference: Reference, base_url: str,
               occurrence: int) -> Location:
    """Where the `occurrence`-th (0-based) use of `reference.url` on a page was written."""
    language = origin.language
    spellings = url_spellings(reference.url, base_url, language)
    for path in (origin.chapter, *origin.files):
        text = None if path is None else texts.get(path)
        if path is None or text is None:
            continue
        for spelling in spellings:
            spots = positions_of(text, spelling)
            if spots:
                return Location(path, *spots[min(occurrence, len(spots) - 1)])
    fallback = origin.chapter or next(iter(origin.files), None)  # a chapter page's own file first
    if fallback is not None:
        return Location(fallback, 1, 1)
    output = origin.output or Path("?")
    return Location(output, reference.line, reference.column)
