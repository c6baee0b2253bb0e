"""Languages: `chapters/<folder>/_language.yaml`, UI strings and their fallbacks."""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textbook.errors import (
    BuildErrors,
    SourceError,
    SourceWarning,
    read_each,
    read_source,
)
from textbook.model import BookConfig, Language, Location
from textbook.yamlfile import (
    check_keys,
    load_mapping,
    mapping_fields,
    plain_value,
    require,
    text_map,
    text_value,
)
from textbook.yamltext import node_location

LANGUAGE_FILE = "_language.yaml"
KEYS = ("name", "code", "direction", "ui", "demo")
# The UI strings the layouts use, and what each is for (new-language writes it beside the string for
# translators); the default language must define every one of them.
UI_STRINGS: Mapping[str, str] = {
    "chapters": "heading of the home page's chapter list; label of the previous/next navigation",
    "contents": "heading of a chapter's table of contents",
    "further_reading": "heading of the further reading list",
    "home": "link to the home page",
    "interactive_demo": "label above a demo on its own page",
    "languages": "label of the language switcher (read out by screen readers)",
    "next_chapter": "link to the next chapter",
    "not_translated": "note on a language that does not have this page yet (switcher, home page)",
    "outdated_notice": "banner on a translation whose original changed since; {language} = the original's language",
    "previous_chapter": "link to the previous chapter",
    "read_original": "link to the original from the notices",
    "skip_to_content": "first link of every page, for keyboard users",
    "todo": "label of a to-do note in a draft chapter",
    "translated_by": "before the translator's name",
    "untranslated_notice": "notice on a chapter not translated yet; {language} = this language's name",
}
UI_KEYS = tuple(UI_STRINGS)
# The UI strings the layouts fill in with `replace("{language}", ...)`; the others take no placeholder.
UI_PLACEHOLDERS: Mapping[str, tuple[str, ...]] = {"outdated_notice": ("language",), "untranslated_notice": ("language",)}
_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")
BCP47 = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def language_folders(root: Path) -> list[Path]:
    """Folders of chapters/ that are languages (not `_x` or `.x`), sorted."""
    chapters = root / "chapters"
    if not chapters.is_dir():
        return []
    return sorted(p for p in chapters.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def load_languages(root: Path, config: BookConfig) -> tuple[Language, ...]:
    """Every language folder, default language first then by folder; UI strings fall back."""
    raw = dict(read_each(language_folders(root), lambda folder: (folder.name, read_language(root, folder))))
    if config.default_language not in raw:
        where = Location(config.path, 1)
        raise SourceError(where, f'default language "{config.default_language}" has no folder chapters/{config.default_language}/ with a {LANGUAGE_FILE}')
    default, _ = raw[config.default_language]
    check_default_ui(default)
    merged = [with_fallbacks(language, own, default) for language, own in raw.values()]
    check_unique_codes(root, merged)
    return tuple(sorted(merged, key=lambda lang: (lang.folder != config.default_language, lang.folder)))


def read_language(root: Path, folder: Path) -> tuple[Language, set[str]]:
    """One _language.yaml as written (no fallbacks yet), plus the UI keys it defines itself."""
    rel = Path("chapters", folder.name, LANGUAGE_FILE)
    if not (root / rel).is_file():
        raise SourceError(Location(Path("chapters", folder.name), 1), f"language folder has no {LANGUAGE_FILE} (copy one from another language)")
    fields = load_mapping(read_source(root / rel, rel, "utf-8-sig"), rel)
    errors = check_keys(fields, KEYS, rel, LANGUAGE_FILE)
    if errors:
        raise BuildErrors(errors)
    name = text_value(require(fields, "name", rel, LANGUAGE_FILE), rel, "name")
    code = text_value(fields["code"][1], rel, "code") if "code" in fields else folder.name
    if not BCP47.match(code):
        raise SourceError(node_location(fields["code"][1], rel), f'"{code}" is not a BCP 47 language code (such as ja or zh-Hans)')
    direction = text_value(fields["direction"][1], rel, "direction") if "direction" in fields else "ltr"
    if direction not in ("ltr", "rtl"):
        raise SourceError(node_location(fields["direction"][1], rel), f'direction must be "ltr" or "rtl", not "{direction}"')
    ui = text_map(fields["ui"][1], rel, "ui") if "ui" in fields else {}
    if "ui" in fields:
        check_placeholders(fields["ui"][1], ui, rel)
    demo = read_demo_strings(fields["demo"][1], rel) if "demo" in fields else {}
    return Language(folder.name, code, name, direction, ui, demo, rel), set(ui)


def check_placeholders(node: Any, ui: Mapping[str, str], rel: Path) -> None:
    """Raise at the first UI string with a `{name}` the layouts do not fill in (it would show as typed)."""
    nodes = mapping_fields(node, rel, '"ui"')
    for key, text in ui.items():
        allowed = UI_PLACEHOLDERS.get(key, ())
        for name in _PLACEHOLDER.findall(text):
            if name not in allowed and key in UI_KEYS:
                expected = ", ".join(f"{{{a}}}" for a in allowed) or "no placeholder"
                raise SourceError(node_location(nodes[key][1], rel), f'unknown placeholder "{{{name}}}" in ui.{key}',
                                  f"it takes {expected}")


def read_demo_strings(node: Any, rel: Path) -> dict[str, Any]:
    """The `demo:` mapping: strings and lists of strings handed to the demos as JSON."""
    fields = mapping_fields(node, rel, '"demo"')
    return {key: plain_value(value) for key, (_, value) in fields.items()}


def check_default_ui(default: Language) -> None:
    """The default language is the last fallback, so it must define every UI string."""
    missing = [key for key in UI_KEYS if key not in default.ui]
    if missing:
        raise SourceError(Location(default.path, 1), f"the default language must define every UI string; missing: {', '.join(missing)}")


def with_fallbacks(language: Language, own: set[str], default: Language) -> Language:
    """The language with missing UI and demo strings taken from the default language."""
    ui = {**default.ui, **language.ui}
    demo = {**default.demo, **language.demo}
    missing = tuple(sorted(key for key in default.ui if key not in own))
    return Language(language.folder, language.code, language.name, language.direction,
                    dict(sorted(ui.items())), dict(sorted(demo.items())), language.path, missing)


def check_unique_codes(root: Path, languages: list[Language]) -> None:
    """Two folders may not claim the same language code, nor differ only in case (BCP 47 ignores case)."""
    folders: dict[str, Language] = {}
    codes: dict[str, Language] = {}
    errors: list[SourceError] = []
    for language in sorted(languages, key=lambda lang: lang.folder):
        other = folders.get(language.folder.lower())
        if other is not None:
            errors.append(SourceError(Location(language.path, 1), f"language folder chapters/{language.folder}/ differs from "
                                      f"{other.path.as_posix()} only in case", "merge them into one folder"))
        elif language.code.lower() in codes:
            other = codes[language.code.lower()]
            where = Location(language.path, find_key_line(root / language.path, "code"))
            errors.append(SourceError(where, f'language code "{language.code}" is also used by {other.path.as_posix()} ("{other.code}")',
                                      "language codes ignore case; give each folder its own language"))
        folders.setdefault(language.folder.lower(), language)
        codes.setdefault(language.code.lower(), language)
    if errors:
        raise BuildErrors(errors)


def check_ui_strings(root: Path, languages: tuple[Language, ...]) -> list[SourceWarning]:
    """A warning for each UI string a translation defines that the default language does not."""
    default = languages[0]
    warnings = []
    for language in languages[1:]:
        for key in sorted(set(language.ui) - set(default.ui)):
            where = Location(language.path, find_key_line(root / language.path, key))
            warnings.append(SourceWarning(where, f'unknown UI string "{key}" (the default language does not define it)'))
    return warnings


def find_key_line(path: Path, key: str) -> int:
    """The first line where `key:` appears (for messages about already-parsed YAML)."""
    pattern = re.compile(rf"^\s*['\"]?{re.escape(key)}['\"]?\s*:")
    for number, line in enumerate(read_source(path, None, "utf-8-sig").splitlines(), 1):
        if pattern.match(line):
            return number
    return 1
