"""The Jinja2 environment, page rendering, and the include renderer handed to render_body."""
from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import jinja2

from textbook.cachefiles import folder_digest
from textbook.demos import demo_name
from textbook.errors import SourceError, read_source
from textbook.includes import IncludeCall, IncludeSpec
from textbook.model import Demo, Location
from textbook.suggest import did_you_mean

TEMPLATES = "templates"
LAYOUTS = "layouts"
INCLUDES = "includes"


# Errors a template author can cause; others are bugs and keep their traceback.
TEMPLATE_MISTAKES = (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError)


class IncludeFailure(Exception):
    """Raised by `fail(...)` in an include template: the tag's own mistake (e.g. an unknown demo)."""


@dataclass(frozen=True)
class PageInfo:
    """The `page` variable of layouts and includes."""

    lang: str  # BCP 47 code
    folder: str  # language folder, e.g. "ja"
    dir: str
    title: str
    url: str  # this page's URL, base URL included
    base_url: str
    demo_strings: Mapping[str, Any]


def fail(message: str, hint: str | None = None) -> NoReturn:
    """Template helper: stop rendering an include with a message (and hint) for the author."""
    raise IncludeFailure(message, hint)


class _Loader(jinja2.FileSystemLoader):
    """FileSystemLoader whose templates that are not UTF-8 raise a SourceError naming the file."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            folder = Path(str(self.searchpath[0]))
            read_source(folder / template, Path(TEMPLATES, template))
            raise


def make_environment(root: Path) -> jinja2.Environment:
    """Jinja2 over templates/: undefined variables are errors; .html and .md templates autoescape."""
    env = jinja2.Environment(
        loader=_Loader(root / TEMPLATES),
        undefined=jinja2.StrictUndefined,
        # Include templates named .md (the Jekyll names) produce HTML too, so they escape as well.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "md"), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # one environment per build (or per worker chunk): no stat() per include
    )
    env.globals.update(fail=fail, did_you_mean=did_you_mean, demo_name=demo_name)
    return env


def shared_environment(root: Path, digest: str) -> jinja2.Environment:
    """make_environment(root), kept in this process while templates/ holds the same files (`digest`, from
    templates_digest): its compiled templates serve every chunk of a build and, in the dev server, the next builds."""
    return _environment(root, digest)


@functools.lru_cache(maxsize=4)
def _environment(root: Path, digest: str) -> jinja2.Environment:
    return make_environment(root)


def templates_digest(root: Path) -> str:
    """A digest of the names and bytes of every file under templates/ (a few small files)."""
    return folder_digest(root / TEMPLATES)


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every layout and include now (before worker processes are forked, so they inherit them);
    a template with a mistake is left to fail where it is used, with its error."""
    for name in env.list_templates(filter_func=lambda n: n.startswith((f"{LAYOUTS}/", f"{INCLUDES}/"))):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, ValueError, OSError, SourceError):
            continue


# Layouts the compiler uses for its own pages; a chapter cannot name them.
SITE_LAYOUTS = ("base", "demo", "home")


def layout_names(root: Path) -> list[str]:
    """The layouts a chapter may name: templates/layouts/<name>.html, except the site's own."""
    folder = root / TEMPLATES / LAYOUTS
    names = (path.stem for path in folder.glob("*.html")) if folder.is_dir() else iter(())
    return sorted(name for name in names if name not in SITE_LAYOUTS)


def render_page(env: jinja2.Environment, layout: str, context: Mapping[str, Any]) -> str:
    """Render templates/layouts/<layout>.html; template mistakes become SourceErrors at file:line."""
    name = f"{LAYOUTS}/{layout}.html"
    try:
        return env.get_template(name).render(context) + "\n"
    except TEMPLATE_MISTAKES as error:
        if not is_template_mistake(error):
            raise
        raise template_error(error, name) from None


def is_template_mistake(error: Exception) -> bool:
    """A Jinja2 error, or a Python error raised by template code (`{{ 1 / 0 }}`), not by our own code."""
    if isinstance(error, jinja2.TemplateError):
        return True
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and f"/{TEMPLATES}/" in frames[-1].filename.replace("\\", "/")


def template_error(error: Exception, fallback: str) -> SourceError:
    """A Jinja2 error as a SourceError naming the template file and line where it happened."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.lineno:
        name = error.name or fallback
        return SourceError(Location(Path(TEMPLATES, name), error.lineno), f"template error: {error.message}")
    name, line = innermost_template_frame(error, fallback)
    message = error.message if isinstance(error, jinja2.TemplateError) and error.message else str(error)
    return SourceError(Location(Path(TEMPLATES, name), line), f"template error: {message}")


def innermost_template_frame(error: BaseException, fallback: str) -> tuple[str, int]:
    """The template name and line of the deepest traceback frame that ran template code."""
    found = (fallback, 1)
    marker = f"/{TEMPLATES}/"
    for frame in traceback.extract_tb(error.__traceback__):
        filename = frame.filename.replace("\\", "/")
        if marker in filename and frame.lineno:
            found = (filename.rsplit(marker, 1)[1], frame.lineno)
    return found


def make_include_renderer(
    env: jinja2.Environment,
    page: PageInfo,
    ui: Mapping[str, str],
    demos: Mapping[str, Demo],
    specs: Mapping[str, IncludeSpec],
    used: list[str],
) -> Callable[[IncludeCall], str]:
    """The callback render_body calls for each include tag; records each include it renders in `used`.
    An optional parameter the tag does not give is None in the template (see the include's contract)."""
    def render_include(call: IncludeCall) -> str:
        name = f"{INCLUDES}/{call.name}"
        spec = specs.get(call.name)
        params: dict[str, str | None] = {key: None for key in sorted(spec.optional)} if spec else {}
        params.update(call.params)
        used.append(call.name)
        try:
            html = env.get_template(name).render(params, page=page, ui=ui, demos=demos)
        except IncludeFailure as failure:
            raise SourceError(call.location, *failure.args) from None
        except TEMPLATE_MISTAKES as error:
            if not is_template_mistake(error):
                raise
            found = template_error(error, name)
            raise SourceError(found.location, f"{found.message} (in the include at {call.location})") from None
        return html.strip()

    return render_include
