"""Inventory-cost estimate and report drill-down (SQLite and PostgreSQL), on hand-built assessments: a stricter
profile's cost is the share of posts eligible under the saved one that it excludes (and their impressions); a
figure's drill-down shows the public posts behind it, text and assessment only, never a removed one, and never
another advertiser's impressions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from townsquare.ads import drilldown, inventory, store
from townsquare.ads.spec import ProfileSpec
from townsquare.core import clock
from townsquare.core.errors import Forbidden, Invalid
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Assessment, Impression, Post

GARM = {
    "calm-1": {},
    "calm-2": {},
    "rude-1": {"obscenity_profanity": "medium"},
    "hate-1": {"hate_speech_aggression": "floor"},
    "hate-2": {"hate_speech_aggression": "floor"},
}


def _post(s: Session, post_id: str, garm: dict[str, str], visibility: str = "visible") -> None:
    if s.get(Account, "inv-author") is None:
        s.add(Account(id="inv-author", handle="inv-author", lang="en"))
        s.flush()
    s.add(
        Post(
            id=post_id,
            author_id="inv-author",
            text=f"text of {post_id}",
            lang="en",
            content_hash=post_id,
            visibility=visibility,
        )
    )
    s.flush()
    risk = max(garm.values(), default="none", key=["none", "low", "medium", "high", "floor"].index)
    s.add(
        Assessment(
            post_id=post_id,
            model="hand-built",
            lang="en",
            risk=risk,
            labels=[],
            scores={},
            tiers={},
            garm=garm,
            evidence=[],
            normalized=f"text of {post_id}",
        )
    )
    s.flush()


def _world(s: Session) -> dict[str, Any]:
    for adv in ("adv-a", "adv-b"):
        store.create_advertiser(s, advertiser_id=adv, name=adv)
    relaxed = store.create_profile(
        s, advertiser_id="adv-a", name="relaxed", spec=ProfileSpec(preset="relaxed")
    )
    store.create_profile(s, advertiser_id="adv-b", name="b", spec=ProfileSpec())
    for adv in ("adv-a", "adv-b"):
        prof = store.list_profiles(s, adv)[0]
        store.create_campaign(s, campaign_id=f"camp-{adv}", advertiser_id=adv, name=adv, profile_id=prof.id)
    for pid, garm in GARM.items():
        _post(s, pid, garm)
    _post(s, "gone-1", {"hate_speech_aggression": "floor"}, visibility="removed")
    now = clock.now()
    n = 0
    for pid, garm in [*GARM.items(), ("gone-1", {"hate_speech_aggression": "floor"})]:
        for adv, times in (("adv-a", 2), ("adv-b", 5)):
            for _ in range(times):
                n += 1
                s.add(
                    Impression(
                        id=f"imp-{n}",
                        advertiser_id=adv,
                        campaign_id=f"camp-{adv}",
                        post_id=pid,
                        served_at=now - timedelta(hours=1),
                        snapshot={"garm": garm, "eligible": True},
                    )
                )
    s.flush()
    return {"relaxed": store.profile_spec(relaxed)}


def test_stricter_profile_cost_is_the_share_it_excludes(db: Database) -> None:
    with db.session() as s:
        world = _world(s)
        same = inventory.estimate(s, spec=world["relaxed"], baseline=world["relaxed"], advertiser_id="adv-a")
        assert same.posts == 6 and same.lost_posts == 0 and same.lost_share == 0.0
        strict = ProfileSpec(
            preset="relaxed", category_tiers={"obscenity_profanity": "low"}, keywords=["calm-2"]
        )
        cost = inventory.estimate(s, spec=strict, baseline=world["relaxed"], advertiser_id="adv-a")
        assert cost.lost_posts == 2  # rude-1 by its tier, calm-2 by the keyword
        assert cost.eligible_before == same.eligible_after and cost.eligible_after == cost.eligible_before - 2
        assert cost.lost_share == pytest.approx(2 / cost.eligible_before)
        assert cost.lost_impressions == 4  # adv-a's own impressions only (2 per post), never adv-b's
        assert cost.lost_impression_share == pytest.approx(4 / cost.impressions_before)
        assert set(cost.reasons) == {"keyword", "category:obscenity_profanity"}
        looser = inventory.estimate(s, spec=world["relaxed"], baseline=strict, advertiser_id="adv-a")
        assert looser.gained_posts == 2 and looser.lost_posts == 0


def test_drilldown_shows_public_posts_behind_a_figure(db: Database) -> None:
    with db.session() as s:
        _world(s)
        since = clock.now() - timedelta(days=30)
        d = drilldown.drilldown(
            s,
            advertiser_id="adv-a",
            since=since,
            category="hate_speech_aggression",
            tier="floor",
            scope="adv-a",
        )
        assert d["impressions"] == 6 and d["posts"] == 3  # hate-1, hate-2 and the removed gone-1
        assert sorted(i["post_id"] for i in d["items"]) == ["hate-1", "hate-2"]
        assert d["withheld"] == 1
        item = d["items"][0]
        assert set(item) == {"post_id", "text", "lang", "impressions", "risk", "garm"}  # no author, no notes
        assert item["impressions"] == 2 and item["risk"] == "floor"
        again = drilldown.drilldown(s, advertiser_id="adv-a", since=since, n=2, seed=9, scope="adv-a")
        assert again == drilldown.drilldown(s, advertiser_id="adv-a", since=since, n=2, seed=9, scope="adv-a")
        assert again["impressions"] == 12 and again["sampled"] == 2
        with pytest.raises(Forbidden):
            drilldown.drilldown(s, advertiser_id="adv-b", since=since, scope="adv-a")
        with pytest.raises(Invalid):
            drilldown.drilldown(
                s, advertiser_id="adv-a", since=since, category="nope", tier="floor", scope="adv-a"
            )
        with pytest.raises(Invalid):
            drilldown.drilldown(s, advertiser_id="adv-a", since=since, category="terrorism", scope="adv-a")
