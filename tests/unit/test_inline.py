"""The skipping inline stage renders exactly what Markdown's own does."""
from __future__ import annotations

import random
import threading

import pytest
from markdown import Markdown

from textbook.cjk import CJK_UNDERSCORE, CjkEmphasisExtension
from textbook.inline import SkippingInlineProcessor, required_substrings
from textbook.rendering import _converter

PIECES = ["a", "word", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "\\*", "[", "]", "(", ")",
          "![", "[^1]", "[^1]: note\n", "<", ">", "<b>", "</b>", "<http://x.y/z>", "<me@x.org>", "&amp;", "&",
          "&#123;", "強調", "です", "。", "- ", "1. ", "# ", "> ", "    ", "| a | b |\n|---|---|\n| 1 | 2 |\n",
          "```\ncode\n```\n", "{: #id }", "[x]: http://u\n", "[x]", "[x][]", "![y][x]", "<!-- c -->", "QzTbP0Q"]


def markdown_own() -> Markdown:
    """The book's converter without the skipping inline stage."""
    return Markdown(extensions=["tables", "footnotes", "attr_list", "fenced_code", CjkEmphasisExtension()], tab_length=4)


def test_the_book_converter_uses_the_skipping_stage() -> None:
    converter = _converter(threading.get_ident())
    assert isinstance(converter.treeprocessors["inline"], SkippingInlineProcessor)


def test_every_pattern_of_the_book_but_emphasis_has_a_known_requirement() -> None:
    converter = _converter(threading.get_ident())
    unknown = [name for name in ("backtick", "escape", "reference", "link", "image_link", "image_reference",
                                 "short_reference", "short_image_ref", "autolink", "automail", "linebreak",
                                 "html", "entity", "footnote", "cjk_underscore", "em_strong")
               if required_substrings(converter.inlinePatterns[name], {CJK_UNDERSCORE: "_"}) is None]
    assert unknown == []


@pytest.mark.parametrize("text", [
    "a  \nb", "`x` \\* ![i](u) [l](u) <b>x</b> &amp; [^1]\n\n[^1]: n", "**強調**。これは_表現_です", "*a _b_ c*",
    "<http://x.y> <a@b.c>", "x\\`y` `z", "__a__ _b_ *c* **d**", "plain words only", "[a *b* `c`](/u 'title')",
])
def test_same_html_as_markdown_own(text: str) -> None:
    own, ours = markdown_own(), _converter(threading.get_ident())
    ours.reset()
    assert ours.convert(text) == own.convert(text)


@pytest.mark.parametrize("seed", [1, 2])
def test_same_html_as_markdown_own_on_random_texts(seed: int) -> None:
    rng = random.Random(seed)
    own, ours = markdown_own(), _converter(threading.get_ident())
    for _ in range(500):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60)))
        own.reset()
        ours.reset()
        assert ours.convert(text) == own.convert(text), text
