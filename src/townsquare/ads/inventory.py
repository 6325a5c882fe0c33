"""What a profile costs in inventory, before it is saved: the share of recent eligible posts (and of this
advertiser's recent impressions on them) that the edited profile would exclude compared with the saved one.

Computed from the stored assessments only (posts never assessed are left out rather than classified now, so the
estimate is cheap enough to run on every keystroke of the editor's live preview). Reads only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.ads.compiled import compile_profile
from townsquare.ads.decide import decide
from townsquare.ads.risk import load_posts
from townsquare.ads.spec import ProfileSpec
from townsquare.core import clock
from townsquare.storage.models import Assessment, Impression, Post

DEFAULT_DAYS = 30
MAX_POSTS = 2000


@dataclass
class InventoryEstimate:
    days: int
    posts: int = 0
    eligible_before: int = 0
    eligible_after: int = 0
    lost_posts: int = 0
    gained_posts: int = 0
    impressions_before: int = 0
    lost_impressions: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def lost_share(self) -> float | None:
        """Share of the posts eligible under the saved profile that the edited one would exclude."""
        return self.lost_posts / self.eligible_before if self.eligible_before else None

    @property
    def lost_impression_share(self) -> float | None:
        return self.lost_impressions / self.impressions_before if self.impressions_before else None

    @property
    def eligible_share(self) -> float | None:
        return self.eligible_after / self.posts if self.posts else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "posts": self.posts,
            "eligible_before": self.eligible_before,
            "eligible_after": self.eligible_after,
            "lost_posts": self.lost_posts,
            "gained_posts": self.gained_posts,
            "lost_share": self.lost_share,
            "impressions_before": self.impressions_before,
            "lost_impressions": self.lost_impressions,
            "lost_impression_share": self.lost_impression_share,
            "reasons": self.reasons,
        }


def _reason_key(reason: dict[str, Any]) -> str:
    code = str(reason.get("code", ""))
    return f"{code}:{reason['category']}" if reason.get("category") else code


def recent_assessed_posts(session: Session, *, days: int, limit: int = MAX_POSTS) -> list[str]:
    since = clock.now() - timedelta(days=days)
    assessed = select(Assessment.post_id).where(Assessment.post_id == Post.id).exists()
    query = (
        select(Post.id).where(Post.created_at >= since, assessed).order_by(Post.created_at.desc(), Post.id)
    )
    return list(session.scalars(query.limit(limit)))


def estimate(
    session: Session,
    *,
    spec: ProfileSpec,
    baseline: ProfileSpec | None,
    advertiser_id: str,
    days: int = DEFAULT_DAYS,
) -> InventoryEstimate:
    """The edited `spec` against `baseline` (the saved profile; the default profile when none is saved yet)."""
    out = InventoryEstimate(days=days)
    ids = recent_assessed_posts(session, days=days)
    if not ids:
        return out
    since = clock.now() - timedelta(days=days)
    served = dict(
        session.execute(
            select(Impression.post_id, func.count(Impression.id))
            .where(Impression.advertiser_id == advertiser_id, Impression.served_at >= since)
            .group_by(Impression.post_id)
        ).all()
    )
    new = compile_profile(spec, version=0)
    old = compile_profile(baseline or ProfileSpec(), version=0)
    reasons: Counter[str] = Counter()
    for post_id, loaded in load_posts(session, ids).items():
        out.posts += 1
        before = decide(loaded.risk, old, "estimate").eligible
        after = decide(loaded.risk, new, "estimate")
        weight = int(served.get(post_id, 0))
        out.eligible_before += before
        out.eligible_after += after.eligible
        if before:
            out.impressions_before += weight
        if before and not after.eligible:
            out.lost_posts += 1
            out.lost_impressions += weight
            reasons.update({_reason_key(r) for r in after.reasons})
        elif after.eligible and not before:
            out.gained_posts += 1
    out.reasons = dict(reasons.most_common(6))
    return out
