"""Normalisation against evasion, keeping a map from every normalised character back to the original text.

Steps, in order: drop zero-width and control characters; compatibility-fold (full-width, ligatures), strip
accents, lower-case; map homoglyphs (Cyrillic/Greek look-alikes) to Latin; replace meaningful emoji with word
tokens (``emoji_knife``); undo leetspeak inside words (``h4t3`` -> ``hate``); join letters spread out by spaces
or dots (``k i l l`` -> ``kill``); squeeze letters repeated three or more times to two; squeeze whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

MAX_CHARS = 20_000  # longer texts are classified on their first MAX_CHARS characters

_HOMOGLYPHS = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ɡ": "g",
    "һ": "h",
    "ԛ": "q",
    "ԝ": "w",
    "ү": "y",
    # Greek
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    # Latin look-alikes that survive NFKD
    "ı": "i",
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ƒ": "f",
}

_EMOJI = {
    "🔪": "knife",
    "🗡": "knife",
    "🔫": "gun",
    "💣": "bomb",
    "🧨": "bomb",
    "💥": "boom",
    "⚰": "coffin",
    "☠": "skull",
    "💀": "skull",
    "🩸": "blood",
    "🐒": "monkey",
    "🐵": "monkey",
    "🦍": "ape",
    "🐀": "rat",
    "🐁": "rat",
    "🪳": "cockroach",
    "🐷": "pig",
    "🐖": "pig",
    "🐍": "snake",
    "🦠": "virus",
    "🤮": "vomit",
    "🖕": "middle_finger",
    "🍆": "eggplant",
    "🍑": "peach",
    "💦": "splash",
    "🔞": "adult",
    "🍺": "beer",
    "🍻": "beer",
    "🍷": "wine",
    "🥃": "whisky",
    "🍾": "champagne",
    "🚬": "cigarette",
    "💊": "pill",
    "💉": "syringe",
    "🌿": "weed",
    "🍁": "weed",
    "❄": "snow",
    "💰": "money",
    "💸": "money",
    "🤑": "money",
    "🎁": "gift",
    "🔥": "fire",
    "🏴": "flag",
    "🏳": "flag",
    "🌈": "rainbow",
    "❤": "heart",
    "😍": "love",
    "🥰": "love",
    "😂": "lol",
    "🤣": "lol",
    "😡": "angry",
    "🤬": "cursing",
    "👊": "punch",
    "🪓": "axe",
    "🔗": "link",
    "👉": "point",
    "⚠": "warning",
    "✝": "cross",
    "☪": "crescent",
    "✡": "star_of_david",
    "卐": "swastika",
    "卍": "swastika",
    "💩": "poop",
}

_LEET = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
    "!": "i",
    "€": "e",
    "8": "b",
    "9": "g",
    "|": "l",
    "+": "t",
}
_LEET_RE = re.compile(
    r"(?<![a-z0-9@$!€|+*])(?=[a-z0-9@$!€|+*]*[a-z])(?=[a-z0-9@$!€|+*]*[0-9@$!€|+])[a-z0-9@$!€|+*]+"
)
_CTRL_RE = re.compile(r"[^\x20-\x7e\n]")
_NUMBERISH_RE = re.compile(r"\d+[a-z]{1,3}|[a-z]+\d+|\d+[a-z]\d+")
_SPREAD_RE = re.compile(r"(?<![\w*])(?:[a-z][ .\-_·•]{1,2}){2,}[a-z](?![\w*])")
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")
_SPACE_RE = re.compile(r"\s{2,}")


@dataclass(frozen=True)
class Normalized:
    """A normalised text and, for each of its characters, the index of the original character it came from."""

    original: str
    text: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the normalised text to a span of the original text."""
        if not self.offsets or end <= start:
            return 0, 0
        start = max(0, min(start, len(self.offsets) - 1))
        end = max(start + 1, min(end, len(self.offsets)))
        return self.offsets[start], self.offsets[end - 1] + 1


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    """One original character -> its folded form ('' to drop it)."""
    if ch.isascii():
        if ch.isalnum() or ch in " .,;:!?'\"-_@$*|+/#()&%=<>\n":
            return ch.lower()
        return " " if ch in "\t\r\x0b\x0c" else ("" if ord(ch) < 32 or ord(ch) == 127 else ch)
    e = _EMOJI.get(ch)
    if e is not None:
        return f" emoji_{e} "
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me", "Sk"):
        return ""  # zero-width joiners, BOM, bidi controls, variation selectors, combining marks
    low = ch.lower()
    h = _HOMOGLYPHS.get(low)
    if h is not None:
        return h
    dec = unicodedata.normalize("NFKD", low)
    base = "".join(c for c in dec if not unicodedata.combining(c))
    if not base:
        return ""
    if cat == "Zs":
        return " "
    if cat == "Pi" or cat == "Pf" or ch in "«»„“”‟″":
        return '"'
    if ch in "‘’‛′`´":
        return "'"
    if ch in "‐‑‒–—―":
        return "-"
    if cat.startswith("S") and cat != "Sm":
        return " "  # other pictographs separate words
    return "".join(_HOMOGLYPHS.get(c, c) for c in base.lower())


def _apply(
    text: str, offs: list[int] | None, pattern: re.Pattern[str], repl: Callable[[str], str]
) -> tuple[str, list[int] | None]:
    """Apply a regex rewrite while keeping offsets (each changed match is replaced as a block).

    ``offs`` None stands for the identity map (nothing rewritten yet): most posts need no rewrite at all. A
    rewrite that keeps every match's length (undoing leetspeak, the most common one: ``@user``) keeps every
    character's offset, so the map is left as it is.
    """
    if pattern.search(text) is None:
        return text, offs
    edits = [
        (m.start(), m.end(), new) for m in pattern.finditer(text) if (new := repl(m.group())) != m.group()
    ]
    if not edits:
        return text, offs
    out_c: list[str] = []
    pos = 0
    if all(len(new) == end - start for start, end, new in edits):
        for start, end, new in edits:
            out_c.append(text[pos:start])
            out_c.append(new)
            pos = end
        out_c.append(text[pos:])
        return "".join(out_c), offs
    if offs is None:
        offs = list(range(len(text)))
    out_o: list[int] = []
    for start, end, new in edits:
        out_c.append(text[pos:start])
        out_o.extend(offs[pos:start])
        span_offs = offs[start:end]
        n_old = len(span_offs)
        if len(new) == n_old:
            out_o.extend(span_offs)
        else:
            out_o.extend(span_offs[min(n_old - 1, (i * n_old) // max(1, len(new)))] for i in range(len(new)))
        out_c.append(new)
        pos = end
    out_c.append(text[pos:])
    out_o.extend(offs[pos:])
    return "".join(out_c), out_o


@lru_cache(maxsize=65536)
def _deleet(w: str) -> str:
    letters = sum(c.isalpha() for c in w)
    if letters == 0 or letters == len(w):
        return w
    if letters < 2 and len(w) < 4:
        return w  # "2a", "4x" and the like
    if w.rstrip("!").isalpha() or _NUMBERISH_RE.fullmatch(w):
        return w  # plain exclamation, "2nd", "10am", "covid19", "user123"
    core = w.rstrip("!")
    if sum(c.isdigit() for c in core) > len(core) // 2 + 1:
        return w  # mostly a number ("10am", "2024x")
    return "".join(_LEET.get(c, c) for c in core) + w[len(core) :]


_SPREAD_SEP_RE = re.compile(r"[ .\-_·•]")


def _spread(w: str) -> str:
    return _SPREAD_SEP_RE.sub("", w)


def _squeeze(w: str) -> str:
    return w[0] * 2


def _space(w: str) -> str:
    return " "


def normalize(text: str) -> Normalized:
    """Normalise a text against evasion; see the module docstring."""
    src = text[:MAX_CHARS]
    offs: list[int] | None = None  # None: the identity map
    if src.isascii() and _CTRL_RE.search(src) is None:
        norm = src.lower()
    else:
        parts = list(map(_fold, src))
        norm = "".join(parts)
        if len(norm) != len(src) or "" in parts:  # else every character folded to exactly one
            offs = [i for i, f in enumerate(parts) for _ in range(len(f))]
    norm, offs = _apply(norm, offs, _LEET_RE, _deleet)
    norm, offs = _apply(norm, offs, _SPREAD_RE, _spread)
    norm, offs = _apply(norm, offs, _REPEAT_RE, _squeeze)
    norm, offs = _apply(norm, offs, _SPACE_RE, _space)
    lead = len(norm) - len(norm.lstrip(" "))
    trail = len(norm.rstrip(" "))
    offsets = tuple(range(lead, trail)) if offs is None else tuple(offs[lead:trail])
    return Normalized(original=text, text=norm[lead:trail], offsets=offsets)
