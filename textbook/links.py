"""URLs of pages, the base URL, and the rewriting of root-relative links in rendered HTML."""
from __future__ import annotations

import re
from dataclasses import dataclass

from textbook.model import Site

# A start tag with its attributes; quoted values may hold ">" (captions, JSON).
TAG = re.compile(r"""<[A-Za-z][^\s/>]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""")
URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|poster|data-base|action)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class LinkMap:
    """What link resolution needs: the base URL, the languages, which chapters exist where."""

    base_url: str
    default_language: str
    folder_of: tuple[tuple[str, str], ...]  # (name, folder): codes and folders -> folder
    chapters: frozenset[tuple[str, str]]  # (slug, language folder)
    slugs: frozenset[str]
    localized_images: frozenset[str] = frozenset()  # Site.localized_images


def make_link_map(site: Site) -> LinkMap:
    """The link map of a site."""
    folder_of = {lang.folder: lang.folder for lang in site.languages}
    folder_of.update({lang.code: lang.folder for lang in site.languages})
    chapters = frozenset((entry.slug, entry.language) for entry in site.entries)
    return LinkMap(site.config.base_url, site.config.default_language, tuple(sorted(folder_of.items())), chapters, frozenset(slug for slug, _ in chapters),
                   frozenset(site.localized_images))


def section_path(links: LinkMap, language: str) -> str:
    """"/" for the default language, "/<folder>/" for the others (no base URL)."""
    return "/" if language == links.default_language else f"/{language}/"


def chapter_path(links: LinkMap, language: str, slug: str) -> str:
    """A chapter's root-relative path without the base URL: "/slug/" or "/ja/slug/"."""
    return f"{section_path(links, language)}{slug}/"


def with_base(links: LinkMap, path: str) -> str:
    """A root-relative path with the base URL in front."""
    return f"{links.base_url}{path}"


def chapter_url(links: LinkMap, language: str, slug: str) -> str:
    """The URL of a chapter in a language (which must exist)."""
    return with_base(links, chapter_path(links, language, slug))


def home_url(links: LinkMap, language: str) -> str:
    """The URL of a language's home page."""
    return with_base(links, section_path(links, language))


def out_path(url_path: str) -> str:
    """The output file for a root-relative directory path: "/ja/x/" -> "ja/x/index.html"."""
    return f"{url_path.strip('/')}/index.html".lstrip("/")


def resolve_url(url: str, language: str, links: LinkMap, text_language: str | None = None) -> str:
    """A root-relative URL with the base URL added once, chapter links mapped to `language` (the page's
    section) and images to their version for `text_language` (the language of the text; `language`
    unless the page shows another language's text), when images/ has one."""
    if not url.startswith("/") or url.startswith("//"):
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    base = links.base_url
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):] or "/"
    mapped = map_chapter(path, language, links) or localized_image(path, text_language or language, links)
    return with_base(links, mapped or path) + rest


def localized_image(path: str, language: str, links: LinkMap) -> str | None:
    """"/images/x/fig.png" -> "/images/x/fig.ja.png" on a Japanese page when that file exists, else None."""
    stem, dot, extension = path.rpartition(".")
    if not dot or "/" in extension or not links.localized_images:
        return None
    localized = f"{stem}.{language}.{extension}"
    return localized if localized[1:] in links.localized_images else None


def map_chapter(path: str, language: str, links: LinkMap) -> str | None:
    """The chapter or home path a link means, in the best language, or None if it is not one."""
    parts = [part for part in path.split("/") if part]
    if parts and parts[-1] == "index.html":
        parts = parts[:-1]
    folder_of = dict(links.folder_of)
    if len(parts) == 1 and parts[0] in folder_of and parts[0] not in links.slugs:
        return section_path(links, folder_of[parts[0]])
    if not parts or parts[-1] not in links.slugs or len(parts) > 2:
        return None
    slug = parts[-1]
    # "/ja/x/" asks for Japanese; "/x/" or an unknown prefix ("/jp/x/") asks for the page's language.
    wanted = folder_of.get(parts[0], language) if len(parts) == 2 else language
    chosen = wanted if (slug, wanted) in links.chapters else links.default_language
    return chapter_path(links, chosen, slug)


def rewrite_links(html: str, language: str, links: LinkMap, text_language: str | None = None) -> str:
    """Every href/src/poster/data-base in the HTML's tags resolved with `resolve_url`."""
    def attribute(match: re.Match[str]) -> str:
        value = match.group(2)
        quote = value[0] if value[0] in "\"'" else ""
        inner = value[1:-1] if quote else value
        return f"{match.group(1)}{quote}{resolve_url(inner, language, links, text_language)}{quote}"

    def tag(match: re.Match[str]) -> str:
        return URL_ATTRIBUTE.sub(attribute, match.group(0))

    return TAG.sub(tag, html)
