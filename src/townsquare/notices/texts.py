"""The notice templates (French and English data files) and the choice of a recipient's language.

Translators edit `templates/en.json` and `templates/fr.json`, never Python; every key exists in both files (a unit
test checks it). Placeholders are `str.format` fields; a missing field is a programming error, raised loudly.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGS = ("en", "fr")
TEMPLATES = Path(__file__).with_name("templates")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@lru_cache(maxsize=1)
def templates() -> dict[str, dict[str, str]]:
    return {lang: json.loads((TEMPLATES / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGS}


def language(*candidates: str | None) -> str:
    """French when the first known language of the recipient (account, then post) is French, else English."""
    for value in candidates:
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def text(lang: str, key: str, **fields: Any) -> str:
    """One template in `lang` (English when the key is missing in French, which a test forbids)."""
    table = templates()
    raw = table.get(language(lang), {}).get(key) or table["en"][key]
    return raw.format(**fields) if fields else raw


def has(key: str) -> bool:
    return key in templates()["en"]


def first_sentence(value: str) -> str:
    """What a rule prohibits, without the rest of its text.

    Rule texts end with the rule's *default* action ("We remove it."); a notice about a different action (an interim
    limit, a moderator's milder choice) quoting that would say something that did not happen, so notices and
    statements quote only the first sentence and state the action actually taken from the templates.
    """
    value = " ".join((value or "").split())
    return _SENTENCE_END.split(value, maxsplit=1)[0] if value else ""
