"""Demo fixtures for `townsquare demo load`: the demo advertiser's profiles, campaigns and a week of impressions.

Idempotent: nothing is created twice. Impressions are served only where the decision said eligible, except a
handful deliberately served next to posts later found unsuitable, so the report has something to show.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ads import impressions, store
from townsquare.ads.decide import decide
from townsquare.ads.decisions import load_candidates
from townsquare.ads.risk import load_posts
from townsquare.ads.spec import ProfileSpec
from townsquare.core import clock
from townsquare.storage.models import Advertiser, Campaign, Impression, Post

ADVERTISER = "adv-demo"
CAMPAIGNS = (
    (
        "camp-conservative",
        "Conservative launch",
        ProfileSpec(preset="conservative", keywords=["arnaque", "scam"]),
    ),
    ("camp-standard", "Standard awareness", ProfileSpec(preset="standard")),
)


def load(session: Session) -> None:
    if session.get(Advertiser, ADVERTISER) is None:
        return
    for cid, name, spec in CAMPAIGNS:
        if session.get(Campaign, cid) is None:
            prof = store.create_profile(session, advertiser_id=ADVERTISER, name=name, spec=spec, actor="demo")
            store.create_campaign(
                session, campaign_id=cid, advertiser_id=ADVERTISER, name=name, profile_id=prof.id
            )
    if (
        session.scalar(select(Impression.id).where(Impression.advertiser_id == ADVERTISER).limit(1))
        is not None
    ):
        return
    post_ids = list(session.scalars(select(Post.id).order_by(Post.id)))
    posts = load_posts(session, post_ids)
    candidates, _ = load_candidates(session, [c[0] for c in CAMPAIGNS])
    now = clock.now()
    items: list[impressions.ImpressionIn] = []
    for ci, cand in enumerate(candidates):
        for pi, pid in enumerate(post_ids):
            d = decide(posts[pid].risk, cand.profile, cand.campaign_id)
            if not d.eligible and (pi + ci) % 7:
                continue  # the ad server mostly obeys; a few misplacements remain for the report to find
            for k in range(3):
                items.append(
                    impressions.ImpressionIn(
                        id=f"demo-imp-{cand.campaign_id}-{pid}-{k}",
                        campaign_id=cand.campaign_id,
                        post_id=pid,
                        served_at=now - timedelta(hours=6 * ((pi * 3 + k + ci) % 28) + 1),
                    )
                )
    if items:
        impressions.record(session, items)
