"""TeX -> MathML: structure, annotation, display, and TeX errors with the math's location."""
from __future__ import annotations

from pathlib import Path

import pytest

from textbook.errors import SourceError
from textbook.mathml import render_math
from textbook.model import Location

AT = Location(Path("chapters/ja/intro.md"), 14, 7)


@pytest.mark.parametrize(("tex", "is_display", "expected"), [
    ("x", False, ('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><semantics><mrow><mrow>'
                 '<mi>x</mi></mrow></mrow><annotation encoding="application/x-tex">x</annotation></semantics></math>')),
    ("x", True, ('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><semantics><mrow><mrow>'
                '<mi>x</mi></mrow></mrow><annotation encoding="application/x-tex">x</annotation></semantics></math>')),
])
def test_whole_output(tex: str, is_display: bool, expected: str) -> None:
    assert render_math(tex, is_display, AT) == expected


@pytest.mark.parametrize(("tex", "fragment"), [
    (r"z = b + \sum_i w_i x_i", "<msub><mi>w</mi><mi>i</mi></msub>"),
    (r"\frac{1}{2}", "<mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac>"),
    (r"a < b", "<mo>&#x0003C;</mo>"),
    (r"\{ x \}", '<mo stretchy="false">&#x0007B;</mo>'),
    (r"x \in \mathbb{R}^{784}", "<mi>&#x0211D;</mi>"),
    (r"\sigma(z)", "<mi>&#x003C3;</mi>"),
    ("  x  ", "<mi>x</mi>"),
    (r"\arg\max_k p_k", "<mo>arg</mo>"),
])
def test_tex_becomes_mathml(tex: str, fragment: str) -> None:
    assert fragment in render_math(tex, False, AT)


@pytest.mark.parametrize(("tex", "annotation"), [
    (r"a < b & c", "a &lt; b &amp; c"),
    (r"\{ x_i \}", r"\{ x_i \}"),
    ("\n z = b \n", "z = b"),
    (r"a > b", "a &gt; b"),
])
def test_annotation_keeps_escaped_tex(tex: str, annotation: str) -> None:
    assert f'<annotation encoding="application/x-tex">{annotation}</annotation>' in render_math(tex, True, AT)


def test_no_bare_ampersand_in_output() -> None:
    assert "<mi>&amp;</mi>" in render_math(r"\begin{aligned} a &= b \end{aligned}", True, AT)


@pytest.mark.parametrize(("tex", "message"), [
    (r"\frac{a}{b", "chapters/ja/intro.md:14:7: cannot render math: unbalanced braces: a { without its }"),
    (r"a}", "chapters/ja/intro.md:14:7: cannot render math: unbalanced braces: a } without its {"),
    (r"\left( x", "chapters/ja/intro.md:14:7: cannot render math: \\left without a matching \\right (or the reverse)"),
    (r"x^", "chapters/ja/intro.md:14:7: cannot render math: ^ or _ without anything after it"),
    (r"\begin{matrix} a", "chapters/ja/intro.md:14:7: cannot render math: \\begin without a matching \\end"),
    (r"\sqrt", "chapters/ja/intro.md:14:7: cannot render math: a command is missing its argument"),
    (r"\alpah + 1", 'chapters/ja/intro.md:14:7: cannot render math: unknown command \\alpah (did you mean "\\alpha"?)'),
    (r"\qqqqqqqqq", "chapters/ja/intro.md:14:7: cannot render math: unknown command \\qqqqqqqqq"),
    ("  ", "chapters/ja/intro.md:14:7: cannot render math: the formula is empty"),
])
def test_tex_errors_carry_the_location(tex: str, message: str) -> None:
    with pytest.raises(SourceError) as raised:
        render_math(tex, False, AT)
    assert str(raised.value) == message


def test_an_error_is_reported_at_each_location_even_when_cached() -> None:
    other = Location(Path("chapters/en/intro.md"), 3, 1)
    for location in (AT, other):
        with pytest.raises(SourceError) as raised:
            render_math(r"x^", False, location)
        assert raised.value.location == location
