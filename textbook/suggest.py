"""Did-you-mean hints for misspelled names."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint like `did you mean "title"?` naming the closest choice, or None when none is close."""
    names = sorted(set(choices))
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if not close:
        stems = {name.rsplit(".", 1)[0]: name for name in names}
        close = [stems[m] for m in difflib.get_close_matches(word.rsplit(".", 1)[0], list(stems), n=1, cutoff=0.6)]
    return f'did you mean "{close[0]}"?' if close else None
