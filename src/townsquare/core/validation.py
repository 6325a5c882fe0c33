"""Input rules shared by every edge (API, CLI, ingest): bounded numbers and dates, and a Unicode policy.

Why: each rule here answers a server error found by fuzzing. SQLite and PostgreSQL store 64-bit integers at most;
a date near year 1 or 9999 overflows when moved to UTC; PostgreSQL refuses NUL in text and no database can encode
a lone UTF-16 surrogate. Identifiers are shown to people and compared byte for byte, so they are NFC-normalised
and may not hide characters (controls, zero-width, bidi overrides) that make two ids look alike or reorder text.
These functions are pure (no HTTP, no database) and raise ValueError with a message fit for a 422.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

MAX_INT64 = 2**63 - 1
MIN_DATETIME = datetime(1000, 1, 1, tzinfo=UTC)
MAX_DATETIME = datetime(9000, 1, 1, tzinfo=UTC)
"""Far from both ends of the calendar, so a time-zone shift or a few days' arithmetic never overflows."""
MAX_IDENTIFIER = 200

_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Controls, format characters (zero-width, bidi embeddings/overrides/isolates, BOM), surrogates, private use,
unassigned, line/paragraph separators."""
_SURROGATE = re.compile("[\ud800-\udfff]")

ISO_639_1 = frozenset(
    [
        "aa",
        "ab",
        "ae",
        "af",
        "ak",
        "am",
        "an",
        "ar",
        "as",
        "av",
        "ay",
        "az",
        "ba",
        "be",
        "bg",
        "bh",
        "bi",
        "bm",
        "bn",
        "bo",
        "br",
        "bs",
        "ca",
        "ce",
        "ch",
        "co",
        "cr",
        "cs",
        "cu",
        "cv",
        "cy",
        "da",
        "de",
        "dv",
        "dz",
        "ee",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "ff",
        "fi",
        "fj",
        "fo",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "gu",
        "gv",
        "ha",
        "he",
        "hi",
        "ho",
        "hr",
        "ht",
        "hu",
        "hy",
        "hz",
        "ia",
        "id",
        "ie",
        "ig",
        "ii",
        "ik",
        "io",
        "is",
        "it",
        "iu",
        "ja",
        "jv",
        "ka",
        "kg",
        "ki",
        "kj",
        "kk",
        "kl",
        "km",
        "kn",
        "ko",
        "kr",
        "ks",
        "ku",
        "kv",
        "kw",
        "ky",
        "la",
        "lb",
        "lg",
        "li",
        "ln",
        "lo",
        "lt",
        "lu",
        "lv",
        "mg",
        "mh",
        "mi",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "na",
        "nb",
        "nd",
        "ne",
        "ng",
        "nl",
        "nn",
        "no",
        "nr",
        "nv",
        "ny",
        "oc",
        "oj",
        "om",
        "or",
        "os",
        "pa",
        "pi",
        "pl",
        "ps",
        "pt",
        "qu",
        "rm",
        "rn",
        "ro",
        "ru",
        "rw",
        "sa",
        "sc",
        "sd",
        "se",
        "sg",
        "si",
        "sk",
        "sl",
        "sm",
        "sn",
        "so",
        "sq",
        "sr",
        "ss",
        "st",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "tg",
        "th",
        "ti",
        "tk",
        "tl",
        "tn",
        "to",
        "tr",
        "ts",
        "tt",
        "tw",
        "ty",
        "ug",
        "uk",
        "ur",
        "uz",
        "ve",
        "vi",
        "vo",
        "wa",
        "wo",
        "xh",
        "yi",
        "yo",
        "za",
        "zh",
        "zu",
    ]
)
_LANG = re.compile(r"^([a-z]{2,3})(-[a-z0-9]{1,8})*$")
MAX_LANG = 8
"""Posts store `lang` in 8 characters: enough for `fr`, `en-gb`, `pt-br`, `zh-hant`."""


def check_int(value: int, *, minimum: int = 0, maximum: int = MAX_INT64) -> int:
    if not minimum <= value <= maximum:
        raise ValueError(f"must be between {minimum} and {maximum}")
    return value


def check_text(value: str) -> str:
    """Free text (post bodies, notes): anything printable, but no NUL and no lone surrogate."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    if _SURROGATE.search(value):
        raise ValueError("contains a lone UTF-16 surrogate (not valid Unicode)")
    return value


def check_identifier(value: str, *, limit: int = MAX_IDENTIFIER) -> str:
    """An id or a name as stored: NFC, not empty, no hidden characters. Returns the normalised form.

    `/` and `:` are allowed (atproto URIs `at://did:plc:…/app.bsky.feed.post/…` are ids)."""
    check_text(value)
    value = unicodedata.normalize("NFC", value)
    if not value.strip():
        raise ValueError("must not be empty")
    if value != value.strip():
        raise ValueError("must not start or end with white space")
    if len(value) > limit:
        raise ValueError(f"longer than {limit} characters")
    for ch in value:
        category = unicodedata.category(ch)
        if category in _HIDDEN_CATEGORIES:
            raise ValueError(f"contains a hidden or control character U+{ord(ch):04X} ({category})")
    return value


def check_lang(value: str) -> str:
    """A BCP-47-ish language tag (`fr`, `en-GB`, `pt-br`, or a 3-letter ISO 639 code), lower-cased."""
    tag = value.strip().lower().replace("_", "-")
    match = _LANG.match(tag)
    if match is None or len(tag) > MAX_LANG:
        raise ValueError("must be a language tag such as 'fr', 'en' or 'en-gb'")
    primary = match.group(1)
    if len(primary) == 2 and primary not in ISO_639_1:
        raise ValueError(f"unknown language code {primary!r}")
    return tag


def check_datetime(value: datetime) -> datetime:
    """A date-time inside the supported range, returned in UTC (a naive value is taken as UTC)."""
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("date-time out of range") from None
    if not MIN_DATETIME <= utc <= MAX_DATETIME:
        raise ValueError(f"date-time must be between {MIN_DATETIME:%Y-%m-%d} and {MAX_DATETIME:%Y-%m-%d}")
    return utc
