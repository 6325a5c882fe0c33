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
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

N_FEATURES = 1 << 19
CHAR_WEIGHT = 0.35
MAX_TOKENS = 400

_TOKEN_RE = re.compile(r"'t\b|[a-z0-9_*]+|\"|[.!?;:,()]")
_CLAUSE_END = frozenset(".!?;:,()")
_CONTRAST = frozenset(
    [
        "but",
        "however",
        "though",
        "although",
        "yet",
        "mais",
        "pourtant",
        "cependant",
        "sauf",
        "quoique",
        "alors",
    ]
)
_NEG_CUES = frozenset(
    [
        "not",
        "no",
        "never",
        "nobody",
        "none",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "ne",
        "n",
        "pas",
        "jamais",
        "aucun",
        "aucune",
        "aucuns",
        "rien",
        "sans",
        "ni",
        "nullement",
        "guere",
    ]
)
_REPORT_CUES = frozenset(
    [
        "say",
        "says",
        "said",
        "saying",
        "claim",
        "claims",
        "claiming",
        "claimed",
        "call",
        "calls",
        "calling",
        "called",
        "tweet",
        "tweets",
        "tweeted",
        "tweeting",
        "wrote",
        "write",
        "writes",
        "writing",
        "post",
        "posted",
        "posting",
        "shout",
        "shouted",
        "shouting",
        "yell",
        "yelled",
        "yelling",
        "chant",
        "chanted",
        "chanting",
        "told",
        "tell",
        "telling",
        "repeat",
        "repeats",
        "repeating",
        "insist",
        "insists",
        "insisted",
        "label",
        "labelling",
        "labeling",
        "dire",
        "dit",
        "dis",
        "disent",
        "disait",
        "disaient",
        "disant",
        "ecrit",
        "ecrire",
        "ecrivent",
        "ecrivait",
        "traiter",
        "traite",
        "traitent",
        "traitait",
        "traitant",
        "pretendre",
        "pretend",
        "pretendent",
        "pretendait",
        "affirmer",
        "affirme",
        "affirment",
        "affirmait",
        "hurler",
        "hurle",
        "hurlent",
        "crier",
        "crie",
        "crient",
        "criait",
        "repeter",
        "repete",
        "repetent",
        "qualifier",
        "qualifie",
        "qualifient",
        "scander",
        "scande",
        "publier",
        "publie",
    ]
)
_QUOTE = '"'
_SCOPE_LEN = {"n": 6, "r": 10}


class Token(NamedTuple):
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


def word_spans(norm: str) -> list[tuple[str, int, int, str]]:
    """``tokenize`` without the clause punctuation, as plain (text, start, end, scope) tuples: the evidence path
    runs it on most posts, and building NamedTuples cost a fifth of the fast path."""
    out: list[tuple[str, int, int, str]] = []
    n_all = 0
    in_quote = False
    scope = ""
    left = 0
    neg, rep, contrast, clause = _NEG_CUES, _REPORT_CUES, _CONTRAST, _CLAUSE_END
    append = out.append
    for m in _TOKEN_RE.finditer(norm):
        tok = m.group(0)
        if tok == _QUOTE:
            in_quote = not in_quote
            continue
        if tok in clause:
            scope, left = "", 0
            n_all += 1
            if n_all >= MAX_TOKENS:
                break
            continue
        if tok == "'t":
            tok = "not"
        if tok in contrast:
            scope, left = "", 0
        cur = "q" if in_quote else (scope if left > 0 else "w")
        append((tok, m.start(), m.end(), cur or "w"))
        n_all += 1
        if left > 0:
            left -= 1
        if not in_quote:
            if tok in neg:
                scope, left = "n", 6
            elif tok in rep:
                scope, left = "r", 10
        if n_all >= MAX_TOKENS:
            break
    return out


_NOT_WORDS = _CLAUSE_END | {_QUOTE}


def word_positions(norm: str) -> list[tuple[int, int]]:
    """Spans of the words ``word_spans`` returns (same cut at MAX_TOKENS): ``scan`` gives their text and scope,
    so the evidence path needs only the positions, without the scope machine."""
    found = list(_TOKEN_RE.finditer(norm))
    if len(found) < MAX_TOKENS:  # no cut possible: the common case, without the counting loop
        skip = _NOT_WORDS
        return [m.span() for m in found if m.group() not in skip]
    out: list[tuple[int, int]] = []
    n_all = 0
    for m in found:
        tok = m.group()
        if tok == _QUOTE:
            continue
        n_all += 1
        if tok not in _CLAUSE_END:
            out.append(m.span())
        if n_all >= MAX_TOKENS:
            break
    return out


_PLAIN, _QUOTE_K, _CLAUSE_K, _CUE_K = 0, 1, 2, 3
# tokens that change the scope machine's state (everything else is a plain word: one dict miss, no set tests)
_SPECIAL: dict[str, int] = {
    **{c: _CLAUSE_K for c in _CLAUSE_END},
    **{w: _CUE_K for w in _CONTRAST | _NEG_CUES | _REPORT_CUES | {"'t"}},
    _QUOTE: _QUOTE_K,
}


def scan(norm: str) -> list[tuple[str, str]]:
    """(word, scope) pairs of a normalised text: ``tokenize`` without spans or punctuation, for speed."""
    out: list[tuple[str, str]] = []
    append = out.append
    in_quote = False
    scope = "w"
    left = 0
    neg, rep, contrast, special = _NEG_CUES, _REPORT_CUES, _CONTRAST, _SPECIAL.get
    for tok in _TOKEN_RE.findall(norm):
        kind = special(tok)
        if kind is None:  # a plain word
            if left > 0:
                append((tok, "q" if in_quote else scope))
                left -= 1
            else:
                append((tok, "q" if in_quote else "w"))
        elif kind == _QUOTE_K:
            in_quote = not in_quote
            continue
        elif kind == _CLAUSE_K:
            left = 0
            continue
        else:
            if tok == "'t":
                tok = "not"
            elif tok in contrast:
                left = 0
            append((tok, "q" if in_quote else (scope if left > 0 else "w")))
            if left > 0:
                left -= 1
            if not in_quote:
                if tok in neg:
                    scope, left = "n", 6
                elif tok in rep:
                    scope, left = "r", 10
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


SLUR_FEATURE = "f:slur"


def doc_features(
    tokens: list[Token], lang: str, slurs: frozenset[str] = frozenset()
) -> list[tuple[str, float]]:
    """All stage-1 features of a document. ``slurs``: the artefact's slur words (see ``has_slur``)."""
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
    if slurs and has_slur([(t.text, t.scope) for t in words], slurs):
        feats.append((SLUR_FEATURE, 1.0))
    if not words:
        feats.append(("f:empty", 1.0))
    return feats


def has_slur(words: Sequence[tuple[str, str]], slurs: frozenset[str]) -> bool:
    """Whether a slur is *used* (plain scope, not quoted, reported or negated).

    One shared feature for every slur of the lexicon pools what the written examples teach about slurs as a class:
    each slur word alone is rare, its own weight stays small under regularisation, and a slur the examples name
    only a few times inherits what the others taught. Quoted and reported slurs (counter-speech) do not fire it."""
    return any(w[1] == "w" and w[0] in slurs for w in words)


_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def _rotl(x: NDArray[np.uint32], r: int) -> NDArray[np.uint32]:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def murmur3_32(keys: Sequence[bytes]) -> NDArray[np.int64]:
    """Signed MurmurHash3_x86_32 (seed 0) of each key, vectorised over keys of equal length.

    The same function as scikit-learn's ``murmurhash3_32`` (a unit test compares them), without importing
    scikit-learn: that import was most of the classifier's start-up time.
    """
    out = np.zeros(len(keys), dtype=np.int64)
    lens = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    for length in np.unique(lens).tolist():
        sel = np.flatnonzero(lens == length)
        raw = b"".join([keys[i] for i in sel.tolist()])
        buf = np.frombuffer(raw, dtype=np.uint8).reshape(sel.size, length)
        h = np.zeros(sel.size, dtype=np.uint32)
        nb = length // 4
        if nb:
            blocks = np.ascontiguousarray(buf[:, : nb * 4]).view("<u4")
            for j in range(nb):
                k = _rotl(blocks[:, j] * _C1, 15) * _C2
                h = _rotl(h ^ k, 13) * np.uint32(5) + np.uint32(0xE6546B64)
        tail = length & 3
        if tail:
            k = np.zeros(sel.size, dtype=np.uint32)
            for t in range(tail - 1, -1, -1):
                k ^= buf[:, nb * 4 + t].astype(np.uint32) << np.uint32(8 * t)
            h ^= _rotl(k * _C1, 15) * _C2
        h ^= np.uint32(length)
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
        out[sel] = h.view(np.int32)
    return out


def _buckets(names: Sequence[str]) -> NDArray[np.int64]:
    """Buckets of feature names: |MurmurHash3-32(name, seed 0)| mod N (as scikit-learn's FeatureHasher)."""
    out: NDArray[np.int64] = np.abs(murmur3_32([n.encode("utf-8") for n in names])) % N_FEATURES
    return out


def _hash(name: str) -> int:
    """Bucket of one feature name (see ``_buckets``)."""
    return int(_buckets([name])[0])


_TOKEN_CACHE: dict[tuple[str, str], tuple[NDArray[np.int32], NDArray[np.float32]]] = {}
_NAME_CACHE: dict[str, int] = {}
_CACHE_MAX = 300_000


def _name_index(name: str) -> int:
    i = _NAME_CACHE.get(name)
    if i is None:
        if len(_NAME_CACHE) > _CACHE_MAX:
            _NAME_CACHE.clear()
        i = _NAME_CACHE[name] = _hash(name)
    return i


def _token_arrays(tok: Token | tuple[str, str]) -> tuple[NDArray[np.int32], NDArray[np.float32]]:
    key = (tok[3], tok[0]) if isinstance(tok, Token) else (tok[1], tok[0])
    hit = _TOKEN_CACHE.get(key)
    if hit is None:
        feats = token_features(Token(key[1], 0, 0, key[0]))
        hit = (
            np.fromiter((_name_index(n) for n, _ in feats), dtype=np.int32, count=len(feats)),
            np.fromiter((v for _, v in feats), dtype=np.float32, count=len(feats)),
        )
        if len(_TOKEN_CACHE) > _CACHE_MAX:
            _TOKEN_CACHE.clear()
        _TOKEN_CACHE[key] = hit
    return hit


_BIGRAM_CACHE: dict[tuple[str, str], int] = {}


def doc_arrays(
    words: list[tuple[str, str]], lang: str, slurs: frozenset[str] = frozenset()
) -> tuple[NDArray[np.int32], NDArray[np.float32]]:
    """Hashed indices and values of ``doc_features`` for ``scan`` output (per-token caching)."""
    idx: list[NDArray[np.int32]] = []
    val: list[NDArray[np.float32]] = []
    extra_i = [_name_index(f"lang:{lang}")]
    prev = "<s>"
    scopes: set[str] = set()
    cache = _TOKEN_CACHE
    bcache = _BIGRAM_CACHE
    for w in words:
        hit = cache.get(w[::-1])
        if hit is None:
            hit = _token_arrays(w)
        idx.append(hit[0])
        val.append(hit[1])
        bk = (prev, w[0])
        bi = bcache.get(bk)
        if bi is None:
            if len(bcache) > _CACHE_MAX:
                bcache.clear()
            bi = bcache[bk] = _hash(f"b:{prev}_{w[0]}")
        extra_i.append(bi)
        prev = w[0]
        scopes.add(w[1])
    n_big = len(extra_i) - 1
    for sc in scopes:
        if sc != "w":
            extra_i.append(_name_index(f"f:scope_{sc}"))
    if slurs and has_slur(words, slurs):
        extra_i.append(_name_index(SLUR_FEATURE))
    if not idx:
        extra_i.append(_name_index("f:empty"))
    extra_v = np.ones(len(extra_i), dtype=np.float32)
    extra_v[1 : 1 + n_big] = 0.7
    idx.append(np.array(extra_i, dtype=np.int32))
    val.append(extra_v)
    return np.concatenate(idx), np.concatenate(val)
