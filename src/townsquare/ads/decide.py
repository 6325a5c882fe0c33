"""The placement decision: a pure function of one post risk vector and one compiled profile.

No I/O, no clock, no randomness — the same inputs always give the same answer, which is what makes the
impression snapshot and the benchmark meaningful. Every reason that applies is listed (not only the first),
as machine-readable dicts with a ``code``:

``post_state`` (visibility under label / limit_reach / age_restrict / remove), ``not_assessed``,
``garm_floor``, ``category`` (category, tier, excluded_from), ``keyword`` (keyword, matched),
``account_excluded``, ``account_not_included``, ``language``, ``post_excluded`` (adjacency feedback),
``campaign_inactive``, ``unknown_campaign`` (added by the service).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from townsquare.ads.compiled import FLOOR_MASK, STRIDE, CompiledProfile, PostRisk, unbit
from townsquare.ads.presets import INELIGIBLE_VISIBILITY

Reason = dict[str, Any]


class Decision(NamedTuple):
    """One campaign's answer. A named tuple: built 20 times per request on the hot path."""

    campaign_id: str
    eligible: bool
    reasons: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"campaign_id": self.campaign_id, "eligible": self.eligible, "reasons": list(self.reasons)}


_REASONS: dict[tuple[int, str], Reason] = {}
"""Memo of category/floor reason dicts by (bit, excluded_from): refusals are common on risky posts, and the
reasons are never mutated (snapshots and responses only serialise them)."""


def _category_reason(i: int, excluded_from: str) -> Reason:
    found = _REASONS.get((i, excluded_from))
    if found is None:
        cat, tier = unbit(i)
        if (1 << i) & FLOOR_MASK:
            found = {"code": "garm_floor", "category": cat, "tier": tier}
        else:
            found = {"code": "category", "category": cat, "tier": tier, "excluded_from": excluded_from}
        _REASONS[(i, excluded_from)] = found
    return found


def _category_reasons(hit: int, profile: CompiledProfile) -> list[Reason]:
    """One reason per set bit, visiting only the set bits."""
    out: list[Reason] = []
    thresholds = profile.thresholds
    while hit:
        low = hit & -hit
        i = low.bit_length() - 1
        out.append(_category_reason(i, thresholds[i // STRIDE]))
        hit ^= low
    return out


def decide(
    post: PostRisk, profile: CompiledProfile, campaign_id: str = "", *, active: bool = True
) -> Decision:
    """Eligible or not, with every applicable reason. Floor and policy state hold whatever the profile says.

    The common case (eligible) is one boolean expression with no allocation; only a refusal goes on to collect
    every reason.
    """
    author = post.author_id
    if (
        active
        and post.clean
        and not post.mask & profile.mask
        and profile.keyword_words.isdisjoint(post.tokens)
        and author not in profile.excluded_accounts
        and (not profile.included_accounts or author in profile.included_accounts)
        and (not profile.languages or post.lang in profile.languages)
        and post.post_id not in profile.excluded_posts
        and (not profile.keyword_phrases or not _phrase_hit(post, profile))
    ):
        return Decision(campaign_id, True, ())
    return _refusal(post, profile, campaign_id, active)


def _phrase_hit(post: PostRisk, profile: CompiledProfile) -> bool:
    joined = post.joined
    for phrase in profile.keyword_phrases:  # noqa: SIM110 - a plain loop beats any(<genexpr>) here
        if phrase in joined:
            return True
    return False


def _refusal(post: PostRisk, profile: CompiledProfile, campaign_id: str, active: bool) -> Decision:
    """Collect every reason (the slow path, taken only when something refuses)."""
    reasons: list[Reason] = []
    if not active:
        reasons.append({"code": "campaign_inactive"})
    if post.visibility in INELIGIBLE_VISIBILITY:
        reasons.append({"code": "post_state", "visibility": post.visibility})
    if not post.assessed:
        reasons.append({"code": "not_assessed"})
    hit = post.mask & profile.mask
    if hit:
        reasons.extend(_category_reasons(hit, profile))
    if profile.keyword_words and not profile.keyword_words.isdisjoint(post.tokens):
        matched = min(profile.keyword_words & post.tokens)
        reasons.append({"code": "keyword", "keyword": profile.keyword_of[matched], "matched": matched})
    for phrase in profile.keyword_phrases:
        if phrase in post.joined:
            matched = phrase.strip()
            reasons.append({"code": "keyword", "keyword": profile.keyword_of[matched], "matched": matched})
            break
    author = post.author_id
    if author is not None and author in profile.excluded_accounts:
        reasons.append({"code": "account_excluded", "account": author})
    if profile.included_accounts and author not in profile.included_accounts:
        reasons.append({"code": "account_not_included", "account": author})
    if profile.languages and post.lang not in profile.languages:
        reasons.append({"code": "language", "lang": post.lang, "allowed": sorted(profile.languages)})
    if post.post_id is not None and post.post_id in profile.excluded_posts:
        reasons.append({"code": "post_excluded", "post_id": post.post_id})
    return Decision(campaign_id, not reasons, tuple(reasons))


def decide_many(post: PostRisk, candidates: Sequence[tuple[str, CompiledProfile, bool]]) -> list[Decision]:
    """One post, many (campaign_id, compiled profile, active) candidates.

    Same logic as `decide`, with the post's fields hoisted out of the loop (the hot path of the ad server).
    """
    out: list[Decision] = []
    append = out.append
    clean, mask, tokens = post.clean, post.mask, post.tokens
    author, lang, pid = post.author_id, post.lang, post.post_id
    for cid, prof, act in candidates:
        if (
            act
            and clean
            and not mask & prof.mask
            and prof.keyword_words.isdisjoint(tokens)
            and author not in prof.excluded_accounts
            and (not prof.included_accounts or author in prof.included_accounts)
            and (not prof.languages or lang in prof.languages)
            and pid not in prof.excluded_posts
            and (not prof.keyword_phrases or not _phrase_hit(post, prof))
        ):
            append(Decision(cid, True, ()))
        else:
            append(_refusal(post, prof, cid, act))
    return out


def decide_slot(
    before: PostRisk, after: PostRisk, candidates: Sequence[tuple[str, CompiledProfile, bool]]
) -> list[Decision]:
    """A timeline slot between two posts is eligible only if both neighbours are; reasons name the side."""
    out: list[Decision] = []
    for cid, prof, act in candidates:
        a = decide(before, prof, cid, active=act)
        b = decide(after, prof, cid, active=act)
        reasons = tuple({**r, "neighbour": "before"} for r in a.reasons) + tuple(
            {**r, "neighbour": "after"} for r in b.reasons
        )
        out.append(Decision(cid, a.eligible and b.eligible, reasons))
    return out
