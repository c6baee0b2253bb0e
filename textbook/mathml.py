"""TeX between `$$` -> MathML, rendered at build time and keeping the TeX in an annotation."""
from __future__ import annotations

import functools
import html
import re

import latex2mathml.commands
import latex2mathml.converter
import latex2mathml.symbols_parser

from textbook.errors import SourceError
from textbook.model import Location
from textbook.suggest import did_you_mean

_MATH = re.compile(r"\A(<math\b[^>]*>)(.*)(</math>)\Z", re.DOTALL)
_UNKNOWN_COMMAND = re.compile(r"<m[io]\b[^>]*>(\\[A-Za-z]+)</m[io]>")
_BRACE = re.compile(r"\\.|[{}]", re.DOTALL)
_BARE_AMPERSAND = re.compile(r"&(?!#?[A-Za-z0-9]+;)")
_WORDS = re.compile(r"(?<=[a-z])(?=[A-Z])")
_ARG = re.compile(r"\\arg(?![A-Za-z])")  # a standard operator latex2mathml does not know

_MESSAGES = {
    "ExtraLeftOrMissingRightError": "\\left without a matching \\right (or the reverse)",
    "MissingEndError": "\\begin without a matching \\end",
    "MissingSuperScriptOrSubscriptError": "^ or _ without anything after it",
    "NoAvailableTokensError": "a command is missing its argument",
    "DoubleSubscriptsError": "double subscript: use braces, like x_{i_j}",
    "DoubleSuperscriptsError": "double superscript: use braces, like x^{a^b}",
    "DenominatorNotFoundError": "\\frac is missing its denominator",
    "NumeratorNotFoundError": "\\frac is missing its numerator",
}


class TexError(ValueError):
    """A TeX expression that cannot be rendered; the message says why."""

    def __init__(self, reason: str, command: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.command = command


def render_math(tex: str, is_display: bool, location: Location) -> str:
    """MathML for `tex` (display="block" when is_display), with the TeX in an annotation; SourceError on bad TeX."""
    try:
        return _render(tex, is_display)
    except TexError as error:
        hint = did_you_mean(error.command, known_commands()) if error.command else None
        raise SourceError(location, f"cannot render math: {error.reason}", hint) from None


@functools.lru_cache(maxsize=4096)
def _render(tex: str, is_display: bool) -> str:
    """The cached conversion; a book repeats the same formulas on many pages."""
    if not tex.strip():
        raise TexError("the formula is empty")
    check_braces(tex)
    try:
        source = _ARG.sub(r"\\operatorname{arg}", tex.strip())
        mathml = latex2mathml.converter.convert(source, display="block" if is_display else "inline")
    except Exception as error:  # noqa: BLE001 -- latex2mathml signals bad TeX with many exception types
        raise TexError(_describe(error)) from None
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise TexError(f"unknown command {unknown.group(1)}", unknown.group(1))
    match = _MATH.match(mathml)
    if match is None:
        raise AssertionError(f"unexpected latex2mathml output: {mathml[:80]}")
    inner = _BARE_AMPERSAND.sub("&amp;", match.group(2))
    annotation = f'<annotation encoding="application/x-tex">{html.escape(tex.strip(), quote=False)}</annotation>'
    return f"{match.group(1)}<semantics><mrow>{inner}</mrow>{annotation}</semantics>{match.group(3)}"


def check_braces(tex: str) -> None:
    """Raise TexError unless every `{` has its `}` (escaped `\\{` and `\\}` do not count)."""
    depth = 0
    for token in _BRACE.finditer(tex):
        if token.group() == "{":
            depth += 1
        elif token.group() == "}":
            depth -= 1
            if depth < 0:
                raise TexError("unbalanced braces: a } without its {")
    if depth > 0:
        raise TexError("unbalanced braces: a { without its }")


def _describe(error: Exception) -> str:
    """A readable reason for a latex2mathml exception."""
    name = type(error).__name__
    message = _MESSAGES.get(name) or _WORDS.sub(" ", name.removesuffix("Error")).lower()
    return f"{message} ({error})" if str(error) and name not in _MESSAGES else message


@functools.cache
def known_commands() -> frozenset[str]:
    """The TeX commands latex2mathml knows, for did-you-mean hints."""
    commands = {v for v in vars(latex2mathml.commands).values() if isinstance(v, str) and v.startswith("\\")}
    commands |= {name for name in latex2mathml.symbols_parser.SYMBOLS if name.startswith("\\")}
    return frozenset(commands)
