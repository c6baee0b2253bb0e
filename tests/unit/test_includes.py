"""Include tags: syntax, parameter values, contracts, and the errors with file:line:col."""
from __future__ import annotations

from pathlib import Path

import pytest

from textbook.errors import BuildErrors, SourceError
from textbook.includes import (
    IncludeCall,
    IncludeSpec,
    check_include,
    load_include_specs,
    parse_include_tag,
)
from textbook.model import Location
from textbook.positions import Positions

ORIGIN = Location(Path("chapters/en/intro.md"), 10)
SPECS = {
    "figure_multi.md": IncludeSpec("figure_multi.md", Path("t/figure_multi.md"), frozenset({"path1"}),
                                   frozenset({"caption1", "path2", "caption2", "path3", "caption3"})),
    "figure.html": IncludeSpec("figure.html", Path("t/figure.html"), frozenset({"path"}), frozenset({"caption", "webm"})),
    "todo.html": IncludeSpec("todo.html", Path("t/todo.html"), frozenset(), frozenset({"note"})),
}


def parse(text: str) -> tuple[IncludeCall | SourceError, int]:
    return parse_include_tag(text, 0, Positions(text, ORIGIN))


@pytest.mark.parametrize(("tag", "name", "params"), [
    ('{% include figure.html path="/images/a.png" %}', "figure.html", {"path": "/images/a.png"}),
    ("{% include figure.html path='/images/a.png' %}", "figure.html", {"path": "/images/a.png"}),
    ("{% include figure.html path=/images/a.png %}", "figure.html", {"path": "/images/a.png"}),
    ("{% include figure.html path=/images/a.png%}", "figure.html", {"path": "/images/a.png"}),
    ("{% include todo.html %}", "todo.html", {}),
    ("{%include todo.html%}", "todo.html", {}),
    ("{%- include todo.html -%}", "todo.html", {}),
    ('{% include figure.html caption="<a href=\\"/neural_networks\\">a link</a>" %}', "figure.html",
     {"caption": '<a href="/neural_networks">a link</a>'}),
    ("{% include figure.html caption='it\\'s \"quoted\"' %}", "figure.html", {"caption": "it's \"quoted\""}),
    ('{% include figure.html caption="a & b = c; 50% off" %}', "figure.html", {"caption": "a & b = c; 50% off"}),
    ('{% include figure.html caption="重みの図 — ½ ünïcode" %}', "figure.html", {"caption": "重みの図 — ½ ünïcode"}),
    ('{% include figure.html caption="a \\\\ b" %}', "figure.html", {"caption": "a \\\\ b"}),
    ('{% include figure.html caption="" %}', "figure.html", {"caption": ""}),
    ('{% include figure.html path = "/a.png" %}', "figure.html", {"path": "/a.png"}),
    ('{% include figure_multi.md\n    path1="/a.png" caption1="one"\n    path2="/b.png" %}', "figure_multi.md",
     {"path1": "/a.png", "caption1": "one", "path2": "/b.png"}),
    ('{% include figure.html caption="first line\nsecond line" %}', "figure.html", {"caption": "first line\nsecond line"}),
])
def test_tag_syntax(tag: str, name: str, params: dict[str, str]) -> None:
    call, end = parse(tag + " after")
    assert isinstance(call, IncludeCall)
    assert (call.name, dict(call.params), end) == (name, params, len(tag))


def test_locations_of_tag_name_and_parameters() -> None:
    call, _ = parse('{% include figure_multi.md\n  path1="/a.png" caption1="x" %}')
    assert isinstance(call, IncludeCall)
    assert str(call.location) == "chapters/en/intro.md:10:1"
    assert str(call.name_location) == "chapters/en/intro.md:10:12"
    assert {k: str(v) for k, v in call.param_locations.items()} == {
        "path1": "chapters/en/intro.md:11:3", "caption1": "chapters/en/intro.md:11:18"}


@pytest.mark.parametrize(("tag", "message", "resume"), [
    ("{% include %}", 'chapters/en/intro.md:10:12: expected an include name after "include" (found "%}")', 13),
    ("{% include figure.html path %}", 'chapters/en/intro.md:10:29: expected "=" after parameter "path" (found "%}")', 30),
    ("{% include figure.html path= %}", 'chapters/en/intro.md:10:30: expected a value after "path=" (found "%}")', 31),
    ('{% include figure.html "a.png" %}',
     'chapters/en/intro.md:10:24: expected key="value" after include name (found ""a.png"")', 33),
    ('{% include figure.html path="a.png"caption="x" %}',
     'chapters/en/intro.md:10:36: expected key="value" or "%}" (found "caption="x"")', 49),
    ('{% include figure.html path="a.png %}',
     'chapters/en/intro.md:10:29: value of "path" is not closed (expected a closing ")', 37),
    ('{% include figure.html path="a" path="b" %}', 'chapters/en/intro.md:10:33: parameter "path" is given twice', 43),
    ('{% include figure.html caption="one\n\ntwo" %}',
     'chapters/en/intro.md:10:32: value of "caption" is not closed (expected a closing ")', 44),
    ('{% include figure.html path="a.png"\n\nNext paragraph.', 'chapters/en/intro.md:10:1: include tag is not closed (expected "%}")', 10),
    ('{% include figure.html path="a.png" {% include todo.html %}',
     'chapters/en/intro.md:10:1: include tag is not closed (expected "%}")', 10),
])
def test_malformed_tags(tag: str, message: str, resume: int) -> None:
    error, end = parse(tag)
    assert isinstance(error, SourceError)
    assert (str(error), end) == (message, resume)


def call(tag: str) -> IncludeCall:
    parsed, _ = parse(tag)
    assert isinstance(parsed, IncludeCall)
    return parsed


@pytest.mark.parametrize(("tag", "errors"), [
    ('{% include figure.html path="/a.png" caption="x" %}', []),
    ("{% include todo.html %}", []),
    ('{% include figur.html path="/a.png" %}', ['chapters/en/intro.md:10:12: unknown include "figur.html" (did you mean "figure.html"?)']),
    ('{% include figure.md path="/a.png" %}', ['chapters/en/intro.md:10:12: unknown include "figure.md" (did you mean "figure.html"?)']),
    ('{% include chart.svg %}', ['chapters/en/intro.md:10:12: unknown include "chart.svg"']),
    ('{% include figure.html path="/a.png" captoin="x" %}',
     ['chapters/en/intro.md:10:38: unknown parameter "captoin" for include "figure.html" (did you mean "caption"?)']),
    ('{% include figure.html path="/a.png" zzz="x" %}',
     ['chapters/en/intro.md:10:38: unknown parameter "zzz" for include "figure.html" (expected one of: caption, path, webm)']),
    ('{% include todo.html when="now" %}',
     ['chapters/en/intro.md:10:22: unknown parameter "when" for include "todo.html" (expected one of: note)']),
    ('{% include figure.html caption="x" %}', ['chapters/en/intro.md:10:1: include "figure.html" is missing required parameter "path"']),
    ('{% include figure_multi.md caption2="x" path4="y" %}', [
        'chapters/en/intro.md:10:41: unknown parameter "path4" for include "figure_multi.md" (did you mean "path3"?)',
        'chapters/en/intro.md:10:1: include "figure_multi.md" is missing required parameter "path1"']),
])
def test_check_against_contracts(tag: str, errors: list[str]) -> None:
    assert [str(e) for e in check_include(call(tag), SPECS)] == errors


def write_templates(directory: Path, templates: dict[str, str]) -> Path:
    directory.mkdir()
    for name, text in templates.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize(("template", "required", "optional"), [
    ("{#- params\nrequired: [path1]\noptional: [caption1, path2]\n-#}\n<img>", {"path1"}, {"caption1", "path2"}),
    ("{# params\nrequired:\n  - path\n#}\n<img>", {"path"}, set()),
    ("{#- params\noptional: [note]\n-#}\n", set(), {"note"}),
    ("{#- params\n-#}\n<hr>", set(), set()),
    ("{#- params\r\nrequired: [path]\r\n-#}\r\n<img>", {"path"}, set()),
])
def test_contracts(tmp_path: Path, template: str, required: set[str], optional: set[str]) -> None:
    specs = load_include_specs(write_templates(tmp_path / "includes", {"x.html": template}))
    assert (specs["x.html"].required, specs["x.html"].optional) == (required, optional)
    assert specs["x.html"].path == tmp_path / "includes" / "x.html"


def test_every_template_of_the_folder_is_loaded(tmp_path: Path) -> None:
    folder = write_templates(tmp_path / "includes", {"b.html": "{#- params\n-#}", "a.md": "{#- params\n-#}", ".hidden": "x"})
    assert list(load_include_specs(folder)) == ["a.md", "b.html"]


@pytest.mark.parametrize(("template", "message"), [
    ("<img src='{{ path }}'>", 'x.html:1:1: include template has no parameter contract (expected a first line "{#- params", then YAML with required/optional lists, then "-#}")'),
    ("{#- params\nrequired: [path\n-#}", "x.html:2:11: invalid YAML: expected ',' or ']', but got '<stream end>' while parsing a flow sequence"),
    ("{#- params\nrequired: [path]\nmandatory: [x]\n-#}", 'x.html:3:1: unknown contract key "mandatory" (expected "required" and "optional")'),
    ("{#- params\nrequired: path\n-#}", 'x.html:2:11: "required" must be a list of parameter names, like [path, caption]'),
    ("{#- params\nrequired: [path]\noptional: [path]\n-#}", 'x.html:2:1: parameter "path" is both required and optional'),
    ("{#- params\noptional: [max-width]\n-#}", 'x.html:2:11: parameter name "max-width" is not a valid identifier'),
    ("{#- params\noptional: [page]\n-#}", 'x.html:2:11: parameter name "page" is reserved (page, ui and demos are given to every include)'),
])
def test_contract_errors_point_into_the_template(tmp_path: Path, template: str, message: str) -> None:
    folder = write_templates(tmp_path / "includes", {"x.html": template, "ok.html": "{#- params\n-#}"})
    with pytest.raises(BuildErrors) as raised:
        load_include_specs(folder)
    assert [str(e).replace(str(folder) + "/", "") for e in raised.value.errors] == [message]


@pytest.mark.parametrize("offsets", [[0, 5, 9, 11], [11, 9, 5, 0], [9, 0, 11, 5]])
def test_positions_in_any_order(offsets: list[int]) -> None:
    positions = Positions("ab\ncd\n\nefg\nh", Location(Path("x.md"), 3, 5))
    expected = {0: "x.md:3:5", 5: "x.md:4:3", 9: "x.md:6:3", 11: "x.md:7:1"}
    assert [str(positions.location(offset)) for offset in offsets] == [expected[offset] for offset in offsets]
