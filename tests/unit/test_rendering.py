"""render_body: Markdown with include tags and $$math$$, protected code, heading ids, every error."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from textbook.errors import BuildErrors, SourceError
from textbook.frontmatter import parse_front_matter
from textbook.includes import IncludeCall, IncludeSpec
from textbook.model import Location
from textbook.rendering import Heading, render_body

ORIGIN = Location(Path("chapters/ja/intro.md"), 7)
SPECS = {
    "figure_multi.md": IncludeSpec("figure_multi.md", Path("t/figure_multi.md"), frozenset({"path1"}),
                                   frozenset({"caption1", "path2", "caption2", "path3", "caption3"})),
    "figure.html": IncludeSpec("figure.html", Path("t/figure.html"), frozenset({"path"}), frozenset({"caption", "webm"})),
    "todo.html": IncludeSpec("todo.html", Path("t/todo.html"), frozenset(), frozenset({"note"})),
}
_MATH = re.compile(r'<math [^>]*display="(\w+)">.*?<annotation encoding="application/x-tex">(.*?)</annotation>'
                   r"</semantics></math>", re.DOTALL)


def fake_include(call: IncludeCall) -> str:
    """A stand-in for the template renderer: shows the name and parameters it was given."""
    if call.name == "todo.html":
        return f'<aside class="todo">{call.params.get("note", "")}</aside>'
    return f'<figure data-include="{call.name}">{call.params.get("caption", "")}</figure>'


def render(body: str) -> str:
    """The HTML with each <math> shortened to [inline: TeX] or [block: TeX], for readable tables."""
    html = render_body(body, ORIGIN, SPECS, fake_include).html
    return _MATH.sub(lambda m: f"[{m.group(1)}: {m.group(2)}]", html)


def errors_of(body: str, render_include=fake_include) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(BuildErrors) as raised:
        render_body(body, ORIGIN, SPECS, render_include)
    return [str(error) for error in raised.value.errors]


@pytest.mark.parametrize(("body", "html"), [
    ("The sum $$z = b + \\sum_i w_i x_i$$ is a score.",
     "<p>The sum [inline: z = b + \\sum_i w_i x_i] is a score.</p>"),
    ("$$ z = b + \\sum_i w_i x_i $$", "[block: z = b + \\sum_i w_i x_i]"),
    ("$$\nz = w_1 x_1 +\n    w_2 x_2\n$$", "[block: z = w_1 x_1 +\n    w_2 x_2]"),
    ("Text before\n$$ x $$", "<p>Text before\n[inline: x]</p>"),
    ("$$a$$ and $$b$$", "<p>[inline: a] and [inline: b]</p>"),
    ("$$a$$\n$$b$$", "<p>[inline: a]\n[inline: b]</p>"),
    ("重み$$w_i$$は大きい", "<p>重み[inline: w_i]は大きい</p>"),
    ("$$a_1 * b_2 * c_3$$ text", "<p>[inline: a_1 * b_2 * c_3] text</p>"),
    ("$$\\{ x \\} \\\\ y$$ text", "<p>[inline: \\{ x \\} \\\\ y] text</p>"),
    ("$$a < b > c & d$$ text", "<p>[inline: a &lt; b &gt; c &amp; d] text</p>"),
    ("$$[a](b) **c** `d`$$ text", "<p>[inline: [a](b) **c** `d`] text</p>"),
    ("| a | b |\n|---|---|\n| $$|x|$$ | $$x_1$$ |",
     ("<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
     "<td>[inline: |x|]</td>\n<td>[inline: x_1]</td>\n</tr>\n</tbody>\n</table>")),
    ("- $$x_1$$\n- two", "<ul>\n<li>[inline: x_1]</li>\n<li>two</li>\n</ul>"),
    ("> $$ x $$", "<blockquote>\n[block: x]\n</blockquote>"),
    ("<div class=\"note\">$$x$$</div>", '<div class="note">[inline: x]</div>'),
    ('![weights $$w_i$$ and "q"](/w.png)', '<p><img alt="weights w_i and &quot;q&quot;" src="/w.png" /></p>'),
    ('<a title="$$a < b$$" href="/x">$$c$$</a>', '<p><a title="a &lt; b" href="/x">[inline: c]</a></p>'),
])
def test_math(body: str, html: str) -> None:
    assert render(body) == html


@pytest.mark.parametrize(("body", "html"), [
    ("`$$x$$` and `{% include todo.html %}`",
     "<p><code>$$x$$</code> and <code>{% include todo.html %}</code></p>"),
    ("``a ` $$x$$ {{ y }}``", "<p><code>a ` $$x$$ {{ y }}</code></p>"),
    ("```\n{% include nope %} $$\n{{ x }} <b>\n```", "<pre><code>{% include nope %} $$\n{{ x }} &lt;b&gt;\n</code></pre>"),
    ("~~~python\n$$ a_b $$\n~~~", '<pre><code class="language-python">$$ a_b $$\n</code></pre>'),
    ("Text\n\n    {% include nope %}\n    $$ unclosed\n    {% raw %}",
     "<p>Text</p>\n<pre><code>{% include nope %}\n$$ unclosed\n{% raw %}\n</code></pre>"),
    ("```\n{% raw %}{{ x }}{% endraw %}\n```", "<pre><code>{% raw %}{{ x }}{% endraw %}\n</code></pre>"),
    ("Before\n\n```\nnever closed $$\n{% include nope %}", "<p>Before</p>\n<pre><code>never closed $$\n{% include nope %}\n</code></pre>"),
    ("\\`$$x$$\\` text", "<p>`[inline: x]` text</p>"),
    ("<!-- draft: $$ unclosed {% include nope %} -->\n\nText $$x$$",
     "<!-- draft: $$ unclosed {% include nope %} -->\n\n<p>Text [inline: x]</p>"),
    ("Inline <!-- $$y$$ --> and $$x$$", "<p>Inline <!-- $$y$$ --> and [inline: x]</p>"),
    ("A <!-- never closed $$x$$", "<p>A &lt;!-- never closed [inline: x]</p>"),
    ("A ` lone backtick $$x$$", "<p>A ` lone backtick [inline: x]</p>"),
])
def test_code_is_verbatim(body: str, html: str) -> None:
    assert render(body) == html


@pytest.mark.parametrize(("body", "html"), [
    ('{% include figure.html path="/a.png" caption="A <a href=\\"/neural_networks\\">link</a>" %}',
     '<figure data-include="figure.html">A <a href="/neural_networks">link</a></figure>'),
    ('See {% include todo.html note="later" %} here.', '<p>See <aside class="todo">later</aside> here.</p>'),
    ('Para.\n\n{% include figure.html\n   path="/a.png"\n   caption="multi-line tag" %}\n\nNext.',
     '<p>Para.</p>\n<figure data-include="figure.html">multi-line tag</figure>\n<p>Next.</p>'),
    ('{% include figure.html path="/a.png" caption="the weights $$w_i$$" %}',
     '<figure data-include="figure.html">the weights [inline: w_i]</figure>'),
    ('{% include todo.html note="a" %}\n{% include todo.html note="b" %}',
     '<aside class="todo">a</aside>\n<aside class="todo">b</aside>'),
    ('$$a$$\n{% include todo.html note="b" %}', '<p>[inline: a]\n<aside class="todo">b</aside></p>'),
    ("{{ page.title }} and {% if x %} stay text", "<p>{{ page.title }} and {% if x %} stay text</p>"),
    ("{% raw %}{% include todo.html %} {{ x }} <b>{% endraw %}",
     "<p>{% include todo.html %} {{ x }} &lt;b&gt;</p>"),
    ("In {% raw %}{{ a }}{% endraw %} prose.", "<p>In {{ a }} prose.</p>"),
    ('<div class="wide"><img src="/images/a.png" alt="x"></div>', '<div class="wide"><img src="/images/a.png" alt="x"></div>'),
])
def test_includes_raw_and_html(body: str, html: str) -> None:
    assert render(body) == html


@pytest.mark.parametrize(("body", "html"), [
    ("これは**強調**。です", "<p>これは<strong>強調</strong>。です</p>"),
    ("これは_表現_です", "<p>これは<em>表現</em>です</p>"),
    ("これは*表現*です", "<p>これは<em>表現</em>です</p>"),
    ("これは__強調__です", "<p>これは<strong>強調</strong>です</p>"),
    ("_表現_です", "<p><em>表現</em>です</p>"),
    ("snake_case_name", "<p>snake_case_name</p>"),
    ("Call my_function_name() now", "<p>Call my_function_name() now</p>"),
    ("変数 snake_case_name は", "<p>変数 snake_case_name は</p>"),
    ("plain _emphasis_ here", "<p>plain <em>emphasis</em> here</p>"),
    ("중요한 _표현_ 입니다", "<p>중요한 <em>표현</em> 입니다</p>"),
])
def test_cjk_emphasis(body: str, html: str) -> None:
    assert render(body) == html


@pytest.mark.parametrize(("body", "headings"), [
    ("# Looking inside neural nets", [Heading(1, "looking-inside-neural-nets", "Looking inside neural nets")]),
    ("## ニューラルネットの中身", [Heading(2, "ニューラルネットの中身", "ニューラルネットの中身")]),
    ("## 신경망의 내부", [Heading(2, "신경망의-내부", "신경망의 내부")]),
    ("## 神经网络内部", [Heading(2, "神经网络内部", "神经网络内部")]),
    ("## Weights\n\n## Weights", [Heading(2, "weights", "Weights"), Heading(2, "weights_1", "Weights")]),
    ("# Intro\n\n## ???", [Heading(1, "intro", "Intro"), Heading(2, "section-2", "???")]),
    ("## The $$W$$ matrix", [Heading(2, "the-w-matrix", "The W matrix")]),
    ("## Custom {#my-id}\n\n## My id", [Heading(2, "my-id", "Custom"), Heading(2, "my-id_1", "My id")]),
    ("## *Bold* &amp; `code`", [Heading(2, "bold-code", "Bold & code")]),
    ('<div id="demo"></div>\n\n## Demo', [Heading(2, "demo_1", "Demo")]),
    ("```\n# not a heading\n```", []),
])
def test_headings(body: str, headings: list[Heading]) -> None:
    assert list(render_body(body, ORIGIN, SPECS, fake_include).headings) == headings


def test_heading_ids_are_in_the_html() -> None:
    html = render("## 重みの可視化\n\n## Weights {.wide}")
    assert html == '<h2 id="重みの可視化">重みの可視化</h2>\n<h2 id="weights" class="wide">Weights</h2>'


@pytest.mark.parametrize(("body", "html"), [
    ("Claim[^1].\n\n[^1]: Source.", "Claim<sup id=\"fnref:1\"><a class=\"footnote-ref\" href=\"#fn:1\">1</a></sup>."),
    ("Text\n{: .lead }", '<p class="lead">Text</p>'),
])
def test_markdown_extensions(body: str, html: str) -> None:
    assert html in render(body)


def test_footnotes_do_not_leak_into_the_next_page() -> None:
    render("Claim[^1].\n\n[^1]: Source.")
    assert render("Plain.") == "<p>Plain.</p>"


@pytest.mark.parametrize(("body", "errors"), [
    ("Line one\nThe $$ never closes.\n\n$$ x $$",
     ["chapters/ja/intro.md:8:5: math is not closed (expected a closing $$ in the same paragraph)"]),
    ("Some text.\n\n  A formula $$\\frac{a}{b$$ here.",
     ["chapters/ja/intro.md:9:13: cannot render math: unbalanced braces: a { without its }"]),
    ('{% include figur.html path="/a.png" %}',
     ['chapters/ja/intro.md:7:12: unknown include "figur.html" (did you mean "figure.html"?)']),
    ('Text\n{% include figure.html path="/a.png"\n  captoin="x" %}',
     ['chapters/ja/intro.md:9:3: unknown parameter "captoin" for include "figure.html" (did you mean "caption"?)']),
    ('{% include figure.html caption="x" %}',
     ['chapters/ja/intro.md:7:1: include "figure.html" is missing required parameter "path"']),
    ('x {% include figure.html path="/a.png"\n\nnext',
     ['chapters/ja/intro.md:7:3: include tag is not closed (expected "%}")']),
    ('{% include figure.html "a.png" %}',
     ['chapters/ja/intro.md:7:24: expected key="value" after include name (found ""a.png"")']),
    ('{% include figure.html path="/a.png"\n```\ncode %}\n```',
     ['chapters/ja/intro.md:7:1: include tag is not closed (expected "%}")']),
    ("{% raw %} never ended", ["chapters/ja/intro.md:7:1: raw block is not closed (expected {% endraw %})"]),
    ('{% include figure.html path="/a.png" caption="$$x^$$" %}',
     ["chapters/ja/intro.md:7:1: cannot render math: ^ or _ without anything after it"]),
])
def test_errors_point_at_the_source(body: str, errors: list[str]) -> None:
    assert errors_of(body) == errors


def test_every_error_is_reported() -> None:
    body = ("# Title\n\n$$x^$$ and {% include nope.html %}\n\n"
            "```\n{% include also_nope %}\n```\n\n$$ unclosed\n\n{% include todo.html bad=1 %}\n")
    assert errors_of(body) == [
        "chapters/ja/intro.md:9:1: cannot render math: ^ or _ without anything after it",
        'chapters/ja/intro.md:9:23: unknown include "nope.html"',
        "chapters/ja/intro.md:15:1: math is not closed (expected a closing $$ in the same paragraph)",
        'chapters/ja/intro.md:17:22: unknown parameter "bad" for include "todo.html" (expected one of: note)',
    ]


def test_errors_from_the_include_renderer_are_collected() -> None:
    def failing(call: IncludeCall) -> str:
        raise SourceError(Location(Path("templates/includes/todo.html"), 3, 5), "template failed")
    assert errors_of("{% include todo.html %}\n\n$$x^$$", failing) == [
        "chapters/ja/intro.md:9:1: cannot render math: ^ or _ without anything after it",
        "templates/includes/todo.html:3:5: template failed",
    ]


def test_includes_in_code_are_never_rendered() -> None:
    calls: list[IncludeCall] = []
    render_body("`{% include todo.html %}`\n\n    {% include todo.html %}\n\n{% include todo.html %}", ORIGIN, SPECS,
                lambda call: calls.append(call) or "")
    assert [str(call.location) for call in calls] == ["chapters/ja/intro.md:11:1"]


def test_include_call_carries_resolved_values() -> None:
    calls: list[IncludeCall] = []
    render_body('{% include figure_multi.md path1="/images/figures/x.png" caption1="by \\"someone\\"" %}',
                ORIGIN, SPECS, lambda call: calls.append(call) or "")
    assert [(c.name, dict(c.params)) for c in calls] == [
        ("figure_multi.md", {"path1": "/images/figures/x.png", "caption1": 'by "someone"'})]


def test_text_that_looks_like_a_placeholder_is_left_alone() -> None:
    assert render("QzTbP0Q and $$x$$") == "<p>QzTbP0Q and [inline: x]</p>"


def test_a_chapter_written_for_jekyll_renders_unchanged() -> None:
    path = Path("chapters/en/classifier_view.md")
    front = parse_front_matter((Path(__file__).parent / "fixtures" / "jekyll_chapter.md").read_text("utf-8"), path)
    specs = {**SPECS, "further_reading.md": IncludeSpec("further_reading.md", Path("t/f.md"), frozenset({"title"}),
                                                        frozenset({"author", "link", "description"}))}
    calls: list[IncludeCall] = []
    body = render_body(front.body, Location(path, front.body_line), specs, lambda c: calls.append(c) or f"<{c.name}/>")
    assert front.meta["header_text"] == ('Banner made from the weights of a small network. Photo of the lab by '
                                         '<a href="https://example.org/people/ana">Ana R.</a>, edited by "the team".')
    assert front.meta["includes"][0] == "mathjax" and front.warnings == ()  # type: ignore[index]
    assert [(c.name, str(c.location)) for c in calls] == [
        ("figure_multi.md", "chapters/en/classifier_view.md:19:1"), ("figure_multi.md", "chapters/en/classifier_view.md:37:1"),
        ("further_reading.md", "chapters/en/classifier_view.md:47:1"), ("todo.html", "chapters/en/classifier_view.md:48:1")]
    assert calls[0].params["caption1"].endswith('<a href="/neural_networks#digits">sample digits</a>.')
    assert calls[1].params["caption2"] == 'Digits 5 to 9, "by hand"'
    assert [m.group(1) for m in _MATH.finditer(body.html)] == ["block"] + ["inline"] * 6
    assert "<code>{% include nothing.html %}</code>" in body.html and "{{ not a template }} and $$ not math $$" in body.html
    assert [h.id for h in body.headings] == ["weights-as-templates", "going-further"]


def test_threads_do_not_share_a_converter() -> None:
    from concurrent.futures import ThreadPoolExecutor

    bodies = [f"# Page {n}\n\nText[^{n}] with $$x_{n}$$.\n\n[^{n}]: Note {n}.\n" * 30 for n in range(4)]
    expected = [render(body) for body in bodies]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(render, bodies * 10)) == expected * 10
