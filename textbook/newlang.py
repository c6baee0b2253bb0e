"""`new-language CODE`: a `chapters/CODE/_language.yaml` holding every UI and demo string to translate,
copied from the default language, each with a comment saying what it is."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textbook.config import load_config
from textbook.errors import UsageError
from textbook.i18n import BCP47, LANGUAGE_FILE, UI_STRINGS, load_languages
from textbook.model import Language


class LanguageExists(Exception):
    """The language file is already there; it is never overwritten."""


def yaml_value(value: Any) -> str:
    """A string or list of strings as YAML (JSON's quoting is valid YAML and keeps `no`, `3.10` text)."""
    return json.dumps(value, ensure_ascii=False)


def language_template(code: str, default: Language) -> str:
    """The text of a new language file: the default language's strings, each under a comment."""
    lines = [
        f"# Language file for chapters/{code}/, made by `python build.py new-language {code}` from {default.name}.",
        "# Translate every value; keep the keys and any {placeholder} as they are. A string you delete",
        f"# falls back to {default.name}'s (`python build.py status` lists them).",
        f"name: {yaml_value(code)}  # the language's own name, as its speakers write it (shown in the language switcher)",
        f"code: {yaml_value(code)}  # BCP 47 code (lang attribute, hreflang)",
        "direction: ltr  # rtl for right-to-left scripts (Arabic, Hebrew, Persian, Urdu, ...)",
        "ui:",
    ]
    for key, value in default.ui.items():
        help_text = UI_STRINGS.get(key, "UI string")
        lines += [f"  # {help_text}; {default.name}: {yaml_value(value)}", f"  {key}: {yaml_value(value)}"]
    if default.demo:
        lines.append(f"# Strings of the interactive demos; {default.name}'s value in the comment above each")
        lines.append("demo:")
        for key, value in default.demo.items():
            lines += [f"  # {default.name}: {yaml_value(value)}", f"  {key}: {yaml_value(value)}"]
    return "\n".join(lines) + "\n"


def create_language(root: Path, code: str) -> tuple[Path, Language]:
    """Write chapters/<code>/_language.yaml; UsageError for a bad code, LanguageExists if it is there."""
    if not BCP47.match(code):
        raise UsageError(f'"{code}" is not a BCP 47 language code (such as fr, pt-BR or zh-Hans)')
    path = root / "chapters" / code / LANGUAGE_FILE
    if path.exists():
        raise LanguageExists(f"chapters/{code}/{LANGUAGE_FILE} already exists; it was left as it is")
    config = load_config(root / "book.yaml", None)
    languages = load_languages(root, config)
    for language in languages:
        if code.lower() in (language.folder.lower(), language.code.lower()):
            raise LanguageExists(f'chapters/{language.folder}/{LANGUAGE_FILE} already holds "{language.code}" '
                                 f"(language codes ignore case); nothing was written")
    default = languages[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(language_template(code, default), encoding="utf-8")
    return path, default


def next_steps(code: str, default: Language, slugs: tuple[str, ...]) -> list[str]:
    """What the translator does after the file exists."""
    example = slugs[0] if slugs else "<chapter>"
    return [
        f"Next steps for {code}:",
        f"  1. Translate the values in chapters/{code}/{LANGUAGE_FILE} (start with name; direction: rtl for a right-to-left script).",
        f"  2. Translate chapters: copy chapters/{default.folder}/{example}.md to chapters/{code}/{example}.md (same file name) and translate it;",
        f"     then record which version you translated: python build.py status --mark {code}/{example}",
        f"  3. Optional: add the book's title in book.yaml under title: {code}: ... (else {default.name}'s is shown).",
        "  4. Rebuild with python build.py: the language is in every page's switcher; chapters not translated yet",
        f"     show the {default.name} text with a notice. python build.py status shows what is left.",
    ]
