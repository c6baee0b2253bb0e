"""Did-you-mean hints for misspelled names."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint like `did you mean "title"?` naming the closest choice, or None when none is close."""
    # Names are compared without their extension, so "nope.html" is not close to "todo.html".
    by_stem: dict[str, list[str]] = {}
    for name in sorted(set(choices)):
        by_stem.setdefault(_stem(name), []).append(name)
    close = difflib.get_close_matches(_stem(word), list(by_stem), n=1, cutoff=0.6)
    if not close:
        return None
    names = by_stem[close[0]]
    best = max(names, key=lambda name: difflib.SequenceMatcher(None, word, name).ratio())
    return f'did you mean "{best}"?'


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name[1:] else name
