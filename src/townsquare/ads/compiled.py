"""Fast forms: post risk vectors and compiled profiles as bitsets, so a decision is a few integer ANDs.

Bit layout (shared by both sides): category ``c`` (index in GARM_CATEGORIES) and tier rank ``t`` (1 = low ...
4 = floor) is bit ``c * 5 + t``. A post sets exactly one bit per category it touches (its tier there); a
profile sets every bit at or above its lowest excluded tier, plus every floor bit. ``post.mask & profile.mask``
is non-zero exactly when some category is excluded — reasons are only spelled out for that (rare) case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from townsquare.ads.presets import FLOOR_RANK, INELIGIBLE_VISIBILITY, TIER_RANK
from townsquare.ads.spec import ProfileSpec
from townsquare.classify.normalize import _LEET as CLASSIFY_LEET
from townsquare.classify.normalize import normalize
from townsquare.classify.taxonomy import GARM_CATEGORIES, TIERS

N_CAT = len(GARM_CATEGORIES)
STRIDE = 5
CAT_INDEX = {c: i for i, c in enumerate(GARM_CATEGORIES)}
FLOOR_MASK = sum(1 << (i * STRIDE + FLOOR_RANK) for i in range(N_CAT))
_WORD_RE = re.compile(r"[a-z0-9_]+")
_MIXED_RE = re.compile(r"[a-z0-9@$€|+!]*[0-9@$€|+][a-z0-9@$€|+!]*")
# The very substitution table the classifier's normaliser uses, so both sides read "h4te" the same way.
_LEET = str.maketrans(CLASSIFY_LEET)


def deleet_all(normalized: str) -> str:
    """Second chance for keyword exclusions: de-leet tokens mixing letters and digits the normaliser kept.

    Same table as classify's normaliser, but not its ``_deleet`` rule: that one deliberately keeps numberish
    tokens ("covid19", "2nd"), which are exactly the ones an advertiser's keyword list gets a second look at.
    """

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        return w.translate(_LEET) if any(c.isalpha() for c in w) else w

    return _MIXED_RE.sub(fix, normalized)


def bit(category: str, tier: str) -> int:
    return 1 << (CAT_INDEX[category] * STRIDE + TIER_RANK[tier])


def unbit(index: int) -> tuple[str, str]:
    """Bit index -> (category, tier)."""
    return GARM_CATEGORIES[index // STRIDE], TIERS[index % STRIDE]


@dataclass(frozen=True, slots=True)
class PostRisk:
    """Everything the decision needs about one post, precomputed once per post (not per campaign)."""

    post_id: str | None
    author_id: str | None
    lang: str | None
    visibility: str
    mask: int
    normalized: str
    assessed: bool = True
    clean: bool = True
    """Assessed and in no ineligible moderation state: the fast path of the decision may apply."""
    tokens: frozenset[str] = frozenset()
    """Words of the normalised text, plus those of its fully de-leeted variant (``fr33`` -> ``free``)."""
    joined: str = " "
    """The same words space-joined and padded (`` a b c ``; variants on a separate line), for phrase lookups."""

    @property
    def garm(self) -> dict[str, str]:
        """Category -> tier for the categories the post touches."""
        out: dict[str, str] = {}
        m, i = self.mask, 0
        while m:
            if m & 1:
                cat, tier = unbit(i)
                out[cat] = tier
            m >>= 1
            i += 1
        return out


def garm_mask(garm: Mapping[str, Any]) -> int:
    """A stored ``Assessment.garm`` dict (category -> tier) -> the post bitmask. Unknown keys are ignored."""
    mask = 0
    for cat, tier in garm.items():
        if cat in CAT_INDEX and tier in TIER_RANK and tier != "none":
            mask |= bit(cat, str(tier))
    return mask


def post_risk(
    *,
    post_id: str | None,
    author_id: str | None,
    lang: str | None,
    visibility: str,
    garm: Mapping[str, Any] | None,
    normalized: str | None = None,
    text: str | None = None,
) -> PostRisk:
    """Build a post's risk vector; ``garm=None`` means the post was never assessed (never eligible)."""
    if normalized is None or (not normalized and text):
        normalized = normalize(text or "").text
    words = _WORD_RE.findall(normalized)
    joined = " " + " ".join(words) + " "
    alt = deleet_all(normalized)
    if alt != normalized:
        alt_words = _WORD_RE.findall(alt)
        words += alt_words
        joined += "\n " + " ".join(alt_words) + " "
    return PostRisk(
        post_id=post_id,
        author_id=author_id,
        lang=(lang or None) and str(lang).lower(),
        visibility=visibility,
        mask=garm_mask(garm or {}),
        normalized=normalized,
        assessed=garm is not None,
        clean=garm is not None and visibility not in INELIGIBLE_VISIBILITY,
        tokens=frozenset(words),
        joined=joined,
    )


@dataclass(frozen=True, slots=True)
class CompiledProfile:
    """A profile ready for the hot path. Keyed in the cache by (profile_id, version)."""

    profile_id: int | None
    version: int
    mask: int
    thresholds: tuple[str, ...]
    keyword_words: frozenset[str]
    """Single-word keywords, normalised: one set intersection per decision."""
    keyword_phrases: tuple[str, ...]
    """Multi-word keywords, normalised and padded (`` free money ``): substring tests on ``PostRisk.joined``."""
    keyword_of: Mapping[str, str]
    excluded_accounts: frozenset[str]
    included_accounts: frozenset[str]
    languages: frozenset[str]
    excluded_posts: frozenset[str]


def normalize_keyword(keyword: str) -> str:
    """The keyword as the classifier would normalise a post containing it, as space-separated words."""
    return " ".join(_WORD_RE.findall(normalize(keyword).text))


def compile_profile(spec: ProfileSpec, *, profile_id: int | None = None, version: int = 1) -> CompiledProfile:
    """Spec -> bitset, one keyword regex, frozen id sets. Pure; cached by the caller."""
    thresholds = spec.effective_tiers()
    mask = FLOOR_MASK
    for cat, lowest in thresholds.items():
        for tier in TIERS[TIER_RANK[lowest] :]:
            mask |= bit(cat, tier)
    keyword_of: dict[str, str] = {}
    for kw in spec.keywords:
        norm = normalize_keyword(kw)
        if norm:
            keyword_of.setdefault(norm, kw)
    return CompiledProfile(
        profile_id=profile_id,
        version=version,
        mask=mask,
        thresholds=tuple(thresholds[c] for c in GARM_CATEGORIES),
        keyword_words=frozenset(k for k in keyword_of if " " not in k),
        keyword_phrases=tuple(sorted(f" {k} " for k in keyword_of if " " in k)),
        keyword_of=keyword_of,
        excluded_accounts=frozenset(spec.excluded_accounts),
        included_accounts=frozenset(spec.included_accounts),
        languages=frozenset(spec.languages),
        excluded_posts=frozenset(spec.excluded_posts),
    )
