"""Placement decisions against the database: load campaigns and post risk, then run the pure core.

Per request: one query for the candidate campaigns with their profiles' current versions, compiled profiles
from the cache (compiled on a miss), one query for the post(s). Unknown campaigns get their own
``unknown_campaign`` answer instead of failing the request; so does another advertiser's campaign asked by a
bound advertiser key, so that one tenant cannot tell which campaign ids another uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ads import sql
from townsquare.ads.cache import PROFILES, ProfileCache
from townsquare.ads.compiled import CompiledProfile
from townsquare.ads.decide import Decision, decide_many, decide_slot
from townsquare.ads.risk import LoadedPost, inline_risk, load_posts
from townsquare.ads.spec import spec_from_row
from townsquare.core.errors import Invalid, NotFound
from townsquare.storage.models import PlacementDecision, SuitabilityProfile

MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Candidate:
    campaign_id: str
    advertiser_id: str
    active: bool
    profile: CompiledProfile


@dataclass(frozen=True)
class PostRef:
    """Either an ingested post id, or inline text (+ author, language) for a pre-bid check."""

    post_id: str | None = None
    text: str | None = None
    author_id: str | None = None
    lang: str | None = None


def load_candidates(
    session: Session, campaign_ids: Sequence[str], *, scope: str | None = None, cache: ProfileCache = PROFILES
) -> tuple[list[Candidate], list[str]]:
    """(known candidates in request order, unknown ids); another advertiser's campaigns count as unknown."""
    ids = list(dict.fromkeys(campaign_ids))
    if not ids:
        raise Invalid("campaign_ids must name at least one campaign", field="campaign_ids")
    if len(ids) > MAX_CANDIDATES:
        raise Invalid(f"at most {MAX_CANDIDATES} candidate campaigns per request", field="campaign_ids")
    rows = sql.fetch(session, sql.CAMPAIGNS_SQL, ids)
    if scope is not None:  # another tenant's campaign answers exactly like a missing one
        rows = [r for r in rows if r[1] == scope]
    by_id = {r[0]: r for r in rows}
    compiled: dict[int, CompiledProfile] = {}
    missing: list[tuple[int, int]] = []
    for r in rows:
        hit = cache.get(r[3], r[4])
        if hit is None:
            missing.append((r[3], r[4]))
        else:
            compiled[r[3]] = hit
    if missing:
        for prof in session.scalars(
            select(SuitabilityProfile).where(SuitabilityProfile.id.in_({m[0] for m in missing}))
        ):
            compiled[prof.id] = cache.put(spec_from_row(prof), prof.id, prof.version)
    known = [
        Candidate(
            campaign_id=cid,
            advertiser_id=by_id[cid][1],
            active=bool(by_id[cid][2]),
            profile=compiled[by_id[cid][3]],
        )
        for cid in ids
        if cid in by_id
    ]
    return known, [cid for cid in ids if cid not in by_id]


def resolve(session: Session, refs: Sequence[PostRef]) -> list[LoadedPost]:
    """Post references -> loaded risk vectors (NotFound for an unknown post id)."""
    return assemble(refs, load_posts(session, [r.post_id for r in refs if r.post_id is not None]))


def assemble(refs: Sequence[PostRef], stored: Mapping[str, LoadedPost]) -> list[LoadedPost]:
    """Risk vectors in request order: stored posts by id (NotFound when absent), inline texts assessed now."""
    out: list[LoadedPost] = []
    for ref in refs:
        if ref.post_id is not None:
            found = stored.get(ref.post_id)
            if found is None:
                raise NotFound(f"post {ref.post_id!r} not found", post_id=ref.post_id)
            out.append(found)
        elif ref.text is not None:
            out.append(inline_risk(text=ref.text, author_id=ref.author_id, lang=ref.lang))
        else:
            raise Invalid("a post needs either post_id or text", field="post_id")
    return out


def _unknown(cid: str) -> Decision:
    return Decision(cid, False, ({"code": "unknown_campaign"},))


def decide_request(
    session: Session,
    *,
    campaign_ids: Sequence[str],
    post: PostRef | None = None,
    slot: tuple[PostRef, PostRef] | None = None,
    scope: str | None = None,
    record: bool = False,
) -> dict[str, Any]:
    """The whole ``POST /ads/decisions`` answer, for a single post or a timeline slot."""
    if (post is None) == (slot is None):
        raise Invalid("give either a post or a slot", field="slot")
    candidates, _unknown_ids = load_candidates(session, campaign_ids, scope=scope)
    triples = [(c.campaign_id, c.profile, c.active) for c in candidates]
    answer: dict[str, Any]
    if post is not None:
        (loaded,) = resolve(session, [post])
        decisions = decide_many(loaded.risk, triples)
        answer = {"post": post_public(loaded)}
    else:
        assert slot is not None
        before, after = resolve(session, list(slot))
        decisions = decide_slot(before.risk, after.risk, triples)
        answer = {"slot": {"before": post_public(before), "after": post_public(after)}}
    by_id = {d.campaign_id: d for d in decisions}
    ordered = [by_id.get(cid) or _unknown(cid) for cid in dict.fromkeys(campaign_ids)]
    if record:
        post_id = post.post_id if post is not None else None
        versions = {c.campaign_id: c.profile.version for c in candidates}
        for d in ordered:
            if d.campaign_id in versions:
                session.add(
                    PlacementDecision(
                        campaign_id=d.campaign_id,
                        post_id=post_id,
                        eligible=d.eligible,
                        reasons=list(d.reasons),
                        profile_version=versions[d.campaign_id],
                    )
                )
    answer["decisions"] = [d.to_dict() for d in ordered]
    return answer


def post_public(loaded: LoadedPost) -> dict[str, Any]:
    r = loaded.risk
    return {
        "post_id": r.post_id,
        "author_id": r.author_id,
        "lang": r.lang,
        "visibility": r.visibility,
        "assessed": r.assessed,
        "garm": r.garm,
    }
