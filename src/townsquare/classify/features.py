"""Stage-1 features: hashed word, bigram and character n-grams plus explicit scope features.

Scope is what a bag of n-grams cannot see: the same insult means something else when negated ("they are not
vermin"), quoted ("calling them “vermin” is vile") or reported ("people who say they are vermin should be
ashamed"). Words inside a negation, quotation or reporting scope are emitted as ``n:``, ``q:`` or ``r:``
features instead of plain ``w:`` words, so a linear model learns separate weights for them; character n-grams
(robust to spelling tricks) are emitted for every word. Each token keeps its span in the normalised text, so
feature weights can be traced back to words (evidence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

N_FEATURES = 1 << 19
CHAR_WEIGHT = 0.35
MAX_TOKENS = 400

_TOKEN_RE = re.compile(r"'t\b|[a-z0-9_*]+|\"|[.!?;:,()]")
_CLAUSE_END = frozenset(".!?;:,()")
_CONTRAST = frozenset("but however though although yet mais pourtant cependant sauf quoique alors".split())
_NEG_CUES = frozenset(
    "not no never nobody none nothing neither nor without cannot ne n pas jamais aucun aucune aucuns rien "
    "sans ni nullement guere".split()
)
_REPORT_CUES = frozenset(
    "say says said saying claim claims claiming claimed call calls calling called tweet tweets tweeted "
    "tweeting wrote write writes writing post posted posting shout shouted shouting yell yelled yelling "
    "chant chanted chanting told tell telling repeat repeats repeating insist insists insisted label labelling "
    "labeling dire dit dis disent disait disaient disant ecrit ecrire ecrivent ecrivait traiter traite traitent "
    "traitait traitant pretendre pretend pretendent pretendait affirmer affirme affirment affirmait hurler "
    "hurle hurlent crier crie crient criait repeter repete repetent qualifier qualifie qualifient "
    "scander scande publier publie".split()
)
_QUOTE = '"'
_SCOPE_LEN = {"n": 6, "r": 10}


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # span in the normalised text
    end: int
    scope: str  # "w" (plain), "n" (negated), "q" (quoted), "r" (reported)


def tokenize(norm: str) -> list[Token]:
    """Tokens of a normalised text with their scope."""
    out: list[Token] = []
    in_quote = False
    scope = ""
    left = 0
    for m in _TOKEN_RE.finditer(norm):
        tok = m.group(0)
        if tok == _QUOTE:
            in_quote = not in_quote
            continue
        if tok in _CLAUSE_END:
            scope, left = "", 0
            out.append(Token(tok, m.start(), m.end(), "p"))
            continue
        if tok == "'t":
            tok = "not"
        if tok in _CONTRAST:
            scope, left = "", 0
        cur = "q" if in_quote else (scope if left > 0 else "w")
        out.append(Token(tok, m.start(), m.end(), cur or "w"))
        if left > 0:
            left -= 1
        if not in_quote:
            if tok in _NEG_CUES:
                scope, left = "n", _SCOPE_LEN["n"]
            elif tok in _REPORT_CUES:
                scope, left = "r", _SCOPE_LEN["r"]
        if len(out) >= MAX_TOKENS:
            break
    return out


def token_features(tok: Token) -> list[tuple[str, float]]:
    """Features contributed by one word token (used for evidence too)."""
    t = tok.text
    feats: list[tuple[str, float]] = [(f"{tok.scope}:{t}", 1.0)]
    padded = f" {t} "
    n = len(padded)
    for k in (3, 4, 5):
        if n >= k:
            feats.extend((f"c:{padded[i : i + k]}", CHAR_WEIGHT) for i in range(n - k + 1))
    return feats


def doc_features(tokens: list[Token], lang: str) -> list[tuple[str, float]]:
    """All stage-1 features of a document."""
    feats: list[tuple[str, float]] = [(f"lang:{lang}", 1.0)]
    words = [t for t in tokens if t.scope != "p"]
    prev = "<s>"
    scopes: set[str] = set()
    for tok in words:
        feats.extend(token_features(tok))
        feats.append((f"b:{prev}_{tok.text}", 0.7))
        prev = tok.text
        scopes.add(tok.scope)
    for s in scopes:
        if s != "w":
            feats.append((f"f:scope_{s}", 1.0))
    if not words:
        feats.append(("f:empty", 1.0))
    return feats


def featurize_many(items: Iterable[tuple[list[Token], str]]) -> list[list[tuple[str, float]]]:
    return [doc_features(toks, lang) for toks, lang in items]
