"""Emphasis with underscores next to Chinese, Japanese or Korean text (`これは_表現_です`).

Python-Markdown counts CJK characters as word characters, so `_` between them looks intra-word
and stays literal. This pattern accepts such an underscore pair when a CJK character touches it,
while an underscore inside an ASCII word (`snake_case_name`) stays literal.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3100-\u312f\u3130-\u318f"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
)
_CJK_CHAR = re.compile(f"[{CJK}]")
# The delimiters may not touch an ASCII word character or another underscore. The pattern starts
# with the literal `_` (the lookbehind follows it) so the regex engine skips other text quickly.
CJK_UNDERSCORE = r"_(?<![A-Za-z0-9_\\]_)(_?)([^\s_](?:[^\n_]*?[^\s_])?)_\1(?![A-Za-z0-9_])"


class CjkUnderscoreProcessor(InlineProcessor):  # type: ignore[misc]
    """`_x_` / `__x__` as <em> / <strong> when a CJK character is right outside a delimiter."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:
        before = data[m.start() - 1:m.start()]
        after = data[m.end():m.end() + 1]
        if not (_CJK_CHAR.match(before) or _CJK_CHAR.match(after)):
            return None, None, None
        element = etree.Element("strong" if m.group(1) else "em")
        element.text = m.group(2)
        return element, m.start(), m.end()


class CjkEmphasisExtension(Extension):  # type: ignore[misc]
    """Registers the CJK underscore pattern just before Markdown's own underscore emphasis."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.inlinePatterns.register(CjkUnderscoreProcessor(CJK_UNDERSCORE, md), "cjk_underscore", 55)
