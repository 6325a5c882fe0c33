"""From a brand-safety report figure to the posts behind it, for the advertiser whose report it is.

A figure (all impressions, or impressions next to a GARM category at a tier) is the set of this advertiser's
impressions that the report counted; the drill-down draws a seeded sample of the distinct posts in that set and
shows what the advertiser is allowed to see of them: a public post's text and its stored assessment (GARM tiers,
risk). Never the author's identity, reports, notes or actions; posts removed or age-restricted since are counted
but not shown. Reads only.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ads.store import get_advertiser, get_campaign
from townsquare.classify.taxonomy import GARM_CATEGORIES
from townsquare.core import clock
from townsquare.core.enums import Visibility
from townsquare.core.errors import Forbidden, Invalid
from townsquare.storage.models import Assessment, Impression, Post

SHOWN_VISIBILITY = frozenset(
    {Visibility.VISIBLE.value, Visibility.LABELLED.value, Visibility.LIMITED_REACH.value}
)
MAX_SHOWN = 50


def _latest_assessments(session: Session, post_ids: list[str]) -> dict[str, Assessment]:
    out: dict[str, Assessment] = {}
    for row in session.scalars(
        select(Assessment).where(Assessment.post_id.in_(post_ids)).order_by(Assessment.id)
    ):
        out[row.post_id] = row  # later rows replace earlier ones: the latest is current
    return out


def drilldown(
    session: Session,
    *,
    advertiser_id: str,
    since: datetime,
    until: datetime | None = None,
    campaign_id: str | None = None,
    category: str | None = None,
    tier: str | None = None,
    seed: int = 0,
    n: int = 20,
    scope: str | None = None,
) -> dict[str, Any]:
    """The figure's impressions and a seeded sample of its posts (public ones shown; withheld ones counted)."""
    get_advertiser(session, advertiser_id, scope=scope)
    if campaign_id and get_campaign(session, campaign_id, scope=scope).advertiser_id != advertiser_id:
        raise Forbidden("campaign belongs to another advertiser")
    if (category is None) != (tier is None):
        raise Invalid("a category figure names both the category and the tier", field="category")
    if category is not None and category not in GARM_CATEGORIES:
        raise Invalid(f"unknown GARM category {category!r}", field="category")
    if not 1 <= n <= MAX_SHOWN:
        raise Invalid(f"a drill-down shows 1 to {MAX_SHOWN} posts", field="n")
    query = select(Impression.post_id, Impression.snapshot).where(
        Impression.advertiser_id == advertiser_id,
        Impression.served_at >= clock.as_utc(since),
        Impression.served_at < clock.as_utc(until or clock.now()),
    )
    if campaign_id:
        query = query.where(Impression.campaign_id == campaign_id)
    per_post: Counter[str] = Counter()
    for post_id, snapshot in session.execute(query.order_by(Impression.id)):
        if category is not None and (snapshot or {}).get("garm", {}).get(category) != tier:
            continue
        per_post[post_id] += 1
    ordered = sorted(per_post)
    drawn = random.Random(seed).sample(ordered, min(n, len(ordered)))
    posts = {p.id: p for p in session.scalars(select(Post).where(Post.id.in_(drawn)))}
    assessments = _latest_assessments(session, drawn)
    shown: list[dict[str, Any]] = []
    withheld = 0
    for post_id in drawn:
        post = posts.get(post_id)
        if post is None or post.visibility not in SHOWN_VISIBILITY:
            withheld += 1
            continue
        a = assessments.get(post_id)
        shown.append(
            {
                "post_id": post.id,
                "text": post.text,
                "lang": post.lang,
                "impressions": per_post[post_id],
                "risk": a.risk if a is not None else None,
                "garm": dict(a.garm) if a is not None and a.garm else {},
            }
        )
    return {
        "category": category,
        "tier": tier,
        "impressions": sum(per_post.values()),
        "posts": len(per_post),
        "seed": seed,
        "sampled": len(drawn),
        "withheld": withheld,
        "items": shown,
    }
