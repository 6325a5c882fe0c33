"""Invariant 1, end to end: creating any advertiser settings changes no post's visibility or enforcement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policy_helpers import add_post, enforce_post
from sqlalchemy import select

from townsquare.classify import taxonomy
from townsquare.policy.pipeline import enforce_assessment
from townsquare.storage.db import Database
from townsquare.storage.models import (
    Account,
    Action,
    Advertiser,
    Assessment,
    Campaign,
    Case,
    Post,
    SuitabilityProfile,
)

CORPUS = {
    "benign": {},
    "debate": {"sensitive_social_issue": 0.9},
    "swearing": {"profanity": 0.9},
    "misinfo": {"misinformation": 0.6},
    "derogation": {"hate_speech": 0.6},
    "dehumanising": {"hate_speech": 0.92},
}


def state(db: Database) -> dict[str, Any]:
    with db.session() as s:
        return {
            "posts": sorted(s.execute(select(Post.id, Post.visibility, Post.label_text)).all(), key=str),
            "accounts": sorted(s.execute(select(Account.id, Account.status)).all()),
            "actions": sorted(
                s.execute(select(Action.post_id, Action.action, Action.status, Action.rule_id)).all(), key=str
            ),
            "cases": sorted(s.execute(select(Case.post_id, Case.proposed_action)).all(), key=str),
        }


def test_advertiser_settings_never_change_visibility(
    db: Database, client: Any, auth: Callable[..., dict[str, str]]
) -> None:
    with db.session() as s:
        for name, scores in CORPUS.items():
            enforce_post(s, f"before-{name}", author=f"author-{name}", scores=scores)
    before = state(db)

    # The strictest advertiser imaginable: every category at its lowest tier, every post and author excluded.
    with db.session() as s:
        s.add(Advertiser(id="adv1", name="Very Careful Brand"))
        s.flush()
        profile = SuitabilityProfile(
            advertiser_id="adv1",
            name="nothing at all",
            preset="conservative",
            category_tiers=dict.fromkeys(taxonomy.GARM_CATEGORIES, "low"),
            keywords=["debate", "immigration", "the"],
            excluded_accounts=[f"author-{n}" for n in CORPUS],
            excluded_posts=[f"before-{n}" for n in CORPUS],
            languages=["en"],
        )
        s.add(profile)
        s.flush()
        s.add(Campaign(id="camp1", advertiser_id="adv1", name="everywhere", profile_id=profile.id))
    adv = auth("advertiser", "brand", advertiser_id="adv1")
    for target in ("before-debate", "before-swearing"):
        r = client.post(
            "/api/v1/ads/demands",
            json={"demand": "remove", "target_type": "post", "target_id": target},
            headers=adv,
        )
        assert r.status_code == 403  # refused, recorded, counted
        r = client.post(
            "/api/v1/ads/feedback",
            json={"action": "exclude_post", "target_type": "post", "target_id": target},
            headers=adv,
        )
    after_settings = state(db)
    assert after_settings == before

    # Re-running enforcement on every post and enforcing identical new posts gives identical outcomes.
    with db.session() as s:
        for post in s.scalars(select(Post)).all():
            latest = s.scalars(
                select(Assessment).where(Assessment.post_id == post.id).order_by(Assessment.id.desc())
            ).first()
            assert latest is not None
            enforce_assessment(s, post, latest)
        for name, scores in CORPUS.items():
            enforce_post(s, f"after-{name}", author=f"author2-{name}", scores=scores)
    assert [p for p in state(db)["posts"] if p[0].startswith("before-")] == before["posts"]
    with db.session() as s:
        for name in CORPUS:
            a, b = s.get(Post, f"before-{name}"), s.get(Post, f"after-{name}")
            assert a is not None and b is not None
            assert (a.visibility, a.label_text) == (b.visibility, b.label_text), name
        untouched = [s.get(Post, f"before-{n}") for n in ("benign", "debate", "swearing")]
        assert all(p is not None and p.visibility == "visible" for p in untouched)
        assert s.get(Account, "author-debate").status == "active"  # type: ignore[union-attr]


def test_a_new_post_is_enforced_the_same_with_or_without_advertisers(db: Database) -> None:
    with db.session() as s:
        add_post(s, "seed")
        s.add(Advertiser(id="adv2", name="Other"))
    with db.session() as s:
        d = enforce_post(s, "x", scores={"hate_speech": 0.6})
        assert d.action.value == "limit_reach"
        assert s.get(Post, "x").visibility == "limited_reach"  # type: ignore[union-attr]
