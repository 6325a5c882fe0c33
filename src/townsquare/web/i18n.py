"""French and English strings of the web consoles, and the choice of language.

The language comes from `?lang=` (remembered in a cookie), else that cookie, else the browser's Accept-Language,
else English. Every key exists in both languages (a unit test checks it), so a missing string is a test failure,
not a blank on screen. Domain texts that are already bilingual (rule texts, decisions) are picked by `pick()`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LANGS = ("en", "fr")
DEFAULT_LANG = "en"

LOCALES = Path(__file__).with_name("locales")


def _load() -> dict[str, dict[str, str]]:
    """One JSON file per language (`locales/en.json`, `locales/fr.json`): translators edit data, not code."""
    return {lang: json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGS}


STRINGS: dict[str, dict[str, str]] = _load()


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """`?lang=` first, then the cookie, then the first supported language the browser lists."""
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return DEFAULT_LANG


def translate(lang: str, key: str, **kwargs: Any) -> str:
    """The string for `key` in `lang` (English as a fallback, the key itself if unknown anywhere)."""
    text = STRINGS.get(lang, {}).get(key) or STRINGS[DEFAULT_LANG].get(key) or key
    return text.format(**kwargs) if kwargs else text


def pick(texts: Mapping[str, Any] | None, lang: str) -> Any:
    """One language out of a domain's `{"fr": ..., "en": ...}` value, falling back to the other."""
    if not texts:
        return None
    if lang in texts:
        return texts[lang]
    for other in LANGS:
        if other in texts:
            return texts[other]
    return next(iter(texts.values()))
