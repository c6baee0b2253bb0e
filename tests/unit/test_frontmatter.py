"""Front matter: splitting, YAML as written, key validation, error locations."""
from __future__ import annotations

from pathlib import Path

import pytest

from textbook.errors import BuildErrors
from textbook.frontmatter import parse_front_matter

PATH = Path("chapters/en/intro.md")


@pytest.mark.parametrize(("text", "meta"), [
    ("---\ntitle: Looking inside\n---\nBody\n", {"title": "Looking inside"}),
    ("---\ntitle: no\n---\n", {"title": "no"}),
    ("---\ntitle: 3.10\n---\n", {"title": "3.10"}),
    ("---\ntitle: 2016-05-01\n---\n", {"title": "2016-05-01"}),
    ("---\ntitle: on\nlayout: chapter\n---\n", {"title": "on", "layout": "chapter"}),
    ("---\ntitle: '007'\n---\n", {"title": "007"}),
    ("---\nincludes: [mathjax, jquery, convnetjs]\n---\n", {"includes": ("mathjax", "jquery", "convnetjs")}),
    ("---\nincludes:\n  - mathjax\n  - 1\n---\n", {"includes": ("mathjax", "1")}),
    ("---\nheader_text: \"<a href=\\\"https://x.org/p\\\">photo</a> by \\\"someone\\\"\"\n---\n",
     {"header_text": '<a href="https://x.org/p">photo</a> by "someone"'}),
    ("---\ntranslator: 山田 太郎\ntranslator_link: https://example.org/~yamada\n---\n",
     {"translator": "山田 太郎", "translator_link": "https://example.org/~yamada"}),
    ("---\ntitle:\n---\n", {}),
    ("---\n---\nBody", {}),
    ("No front matter at all\n", {}),
])
def test_meta_keeps_text_as_written(text: str, meta: dict[str, object]) -> None:
    assert dict(parse_front_matter(text, PATH).meta) == meta


@pytest.mark.parametrize(("text", "body", "body_line"), [
    ("---\ntitle: x\n---\nBody\n", "Body\n", 4),
    ("---\ntitle: x\nlayout: chapter\n---\n\nBody", "\nBody", 5),
    ("---\ntitle: x\n---", "", 4),
    ("Just text\n", "Just text\n", 1),
    ("\ufeff---\r\ntitle: x\r\n---\r\nLine one\r\nLine two\r\n", "Line one\nLine two\n", 4),
    ("---\ntitle: x\n---\nSee the rule:\n---\nafter", "See the rule:\n---\nafter", 4),
])
def test_body_and_its_first_line(text: str, body: str, body_line: int) -> None:
    front = parse_front_matter(text, PATH)
    assert (front.body, front.body_line) == (body, body_line)


def test_bom_and_crlf_do_not_reach_the_values() -> None:
    front = parse_front_matter("\ufeff---\r\ntitle: CRLF title\r\n---\r\n", PATH)
    assert front.meta["title"] == "CRLF title"


def test_value_locations_point_into_the_file() -> None:
    front = parse_front_matter("---\nlayout: chapter\ntitle:   Weights\n---\n", PATH)
    assert {key: str(loc) for key, loc in front.locations.items()} == {
        "layout": "chapters/en/intro.md:2:9", "title": "chapters/en/intro.md:3:10"}


@pytest.mark.parametrize(("text", "warnings"), [
    ("---\ntitel: x\n---\n", ['chapters/en/intro.md:2:1: unknown front matter key "titel" (did you mean "title"?)']),
    ("---\ntitle: x\nheader_img: /a.png\n---\n",
     ['chapters/en/intro.md:3:1: unknown front matter key "header_img" (did you mean "header_image"?)']),
    ("---\nweather: sunny\n---\n", ['chapters/en/intro.md:2:1: unknown front matter key "weather"']),
    ("---\ntitle: x\n---\n", []),
])
def test_unknown_keys_are_warnings(text: str, warnings: list[str]) -> None:
    assert [str(w) for w in parse_front_matter(text, PATH).warnings] == warnings


@pytest.mark.parametrize(("text", "errors"), [
    ("---\ntitle: [unclosed\n---\nBody\n",
     ["chapters/en/intro.md:2:8: invalid YAML: expected ',' or ']', but got '<stream end>' while parsing a flow sequence"]),
    ("---\ntitle: \"abc\nlayout: chapter\nsource: x\n---\nBody\n",
     ["chapters/en/intro.md:2:8: invalid YAML: found unexpected end of stream while scanning a quoted scalar"]),
    ("\n\n---\ntitle: x\n---\nBody\n",
     ['chapters/en/intro.md:3:1: front matter must start on the first line (remove the blank lines before "---")']),
    ("---\ntitle: x\n  bad: indent\n---\n",
     ["chapters/en/intro.md:3:6: invalid YAML: mapping values are not allowed here"]),
    ("---\ntitle: x\ntitle: y\n---\n", ['chapters/en/intro.md:3:1: duplicate key "title"']),
    ("---\n- a\n- b\n---\n", ["chapters/en/intro.md:2:1: expected YAML `key: value` lines"]),
    ("---\ntitle: x\nBody without a closing line\n",
     ['chapters/en/intro.md:1:1: front matter is not closed (expected a line "---" after the YAML)']),
    ("---\ntitle: [a, b]\n---\n", ['chapters/en/intro.md:2:8: "title" must be text, not a list']),
    ("---\nlayout:\n  name: chapter\n---\n", ['chapters/en/intro.md:3:3: "layout" must be text, not a mapping']),
    ("---\nincludes: mathjax\n---\n", ['chapters/en/intro.md:2:11: "includes" must be a list of text, like [a, b]']),
    ("---\nincludes: [a, [b]]\ntitle: [c]\n---\n", [
        'chapters/en/intro.md:2:11: "includes" must be a list of text, like [a, b]',
        'chapters/en/intro.md:3:8: "title" must be text, not a list']),
])
def test_errors_name_file_line_and_column(text: str, errors: list[str]) -> None:
    with pytest.raises(BuildErrors) as raised:
        parse_front_matter(text, PATH)
    assert [str(e) for e in raised.value.errors] == errors
