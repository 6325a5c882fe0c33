"""Adjacency, never visibility.

Property: for any profile, keyword list and post, everything an advertiser can do (profiles, campaigns, decisions,
slots, pre-bid checks, impressions, adjacency feedback, refused demands, reports) leaves the post's visibility and
every moderation record (actions, strikes, cases, reports, decisions, appeals, notifications, council, audit)
exactly as it was. Plus the structural checks: no advertiser API route outside /api/v1/ads, and no enforcement
package imports townsquare.ads.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from townsquare.api.introspect import flat_routes
from townsquare.api.security import Role, roles_of
from townsquare.classify.taxonomy import GARM_CATEGORIES
from townsquare.storage.models import Base

ADS_TABLES = {
    "advertisers",
    "suitability_profiles",
    "suitability_profile_revisions",
    "campaigns",
    "placement_decisions",
    "impressions",
    "advertiser_demands",
}
VOLATILE = {"api_keys"}  # last_used_at moves on every authenticated call
WATCHED = sorted(set(Base.metadata.tables) - ADS_TABLES - VOLATILE)
POSTS = ["neutral", "hateful", "profane", "news", "floor", "removed", "labelled"]
WORDS = ["haine", "vermin", "match", "Lyon", "putain", "conflict", "g3n0cide", "free money", "🔫", "attack"]


def snapshot(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.session() as s:
        for name in WATCHED:
            table = Base.metadata.tables[name]
            out[name] = sorted(tuple(map(repr, row)) for row in s.execute(select(table)).all())
    return out


def seed_moderation(db: Any, seed: Any) -> None:
    """Real moderation records to protect: a moderator's label with its statement, strike and audit; a case."""
    from townsquare.moderation.cases import open_case
    from townsquare.policy.enforce import apply_action

    seed(
        "labelled",
        "they are all thieves those people",
        author="gus",
        garm={"hate_speech_aggression": "medium"},
    )
    with db.session() as s:
        apply_action(
            s,
            subject_type="post",
            subject_id="labelled",
            action="label",
            rule_id="hate.derogation",
            actor="mod-1",
            actor_kind="moderator",
            reason="derogatory generalisation",
        )
        open_case(s, subject_type="post", subject_id="profane", origin="automation", proposed_action="label")


profile_st = st.fixed_dictionaries(
    {
        "preset": st.sampled_from(["relaxed", "standard", "conservative"]),
        "category_tiers": st.dictionaries(
            st.sampled_from(GARM_CATEGORIES), st.sampled_from(["low", "medium", "high", "floor"]), max_size=4
        ),
        "keywords": st.lists(
            st.sampled_from(WORDS)
            | st.text(alphabet="abcxyzé ", min_size=2, max_size=10).filter(lambda t: t.strip() != ""),
            max_size=4,
            unique=True,
        ),
        "excluded_accounts": st.lists(
            st.sampled_from(["alice", "bob", "carol", "dan"]), max_size=2, unique=True
        ),
        "included_accounts": st.lists(st.sampled_from(["alice", "dan"]), max_size=1),
        "languages": st.lists(st.sampled_from(["fr", "en"]), max_size=1),
    }
)
counter = itertools.count()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    profile=profile_st,
    post=st.sampled_from(POSTS),
    other=st.sampled_from(POSTS),
    demand=st.sampled_from(["remove", "ban", "limit_reach", "label", "suspend", "permanent_ban"]),
    text=st.sampled_from(WORDS),
)
def test_advertiser_actions_never_touch_visibility_or_moderation_records(
    client: Any,
    demo: Any,
    db: Any,
    seed: Any,
    profile: dict[str, Any],
    post: str,
    other: str,
    demand: str,
    text: str,
) -> None:
    if not getattr(db, "_seeded", False):
        seed_moderation(db, seed)
        db._seeded = True
    before = snapshot(db)
    h = demo["acme"]
    n = next(counter)
    prof = client.post("/api/v1/ads/advertisers/acme/profiles", json=profile, headers=h)
    assert prof.status_code == 201, prof.text
    camp = f"prop-{n}"
    assert (
        client.post(
            "/api/v1/ads/advertisers/acme/campaigns",
            json={"id": camp, "profile_id": prof.json()["id"]},
            headers=h,
        ).status_code
        == 201
    )
    d = "/api/v1/ads/decisions"
    assert (
        client.post(
            d, json={"post_id": post, "campaign_ids": [camp, "c-cons"], "record": True}, headers=h
        ).status_code
        == 200
    )
    assert (
        client.post(
            d,
            json={"slot": {"before": {"post_id": post}, "after": {"post_id": other}}, "campaign_ids": [camp]},
            headers=h,
        ).status_code
        == 200
    )
    assert (
        client.post(d, json={"text": text, "author_id": "zed", "campaign_ids": [camp]}, headers=h).status_code
        == 200
    )
    assert (
        client.post(
            "/api/v1/ads/impressions",
            json={"impressions": [{"id": f"imp-{n}", "campaign_id": camp, "post_id": post}]},
            headers=h,
        ).status_code
        == 200
    )
    for action, ttype, target in (
        ("exclude_post", "post", post),
        ("exclude_account", "account", "bob"),
        ("exclude_keyword", "keyword", text),
        (demand, "post", post),
        (demand, "account", "carol"),
    ):
        r = client.post(
            "/api/v1/ads/feedback",
            json={"action": action, "target_type": ttype, "target_id": target, "campaign_id": camp},
            headers=h,
        )
        assert r.status_code == (200 if action.startswith("exclude") else 403), r.text
    assert (
        client.post("/api/v1/ads/demands", json={"demand": demand, "target_id": post}, headers=h).status_code
        == 403
    )
    rep = client.get(
        "/api/v1/ads/reports/brand-safety",
        params={"advertiser_id": "acme", "since": "2020-01-01", "sample": 5, "seed": 1},
        headers=h,
    )
    assert rep.status_code == 200
    assert snapshot(db) == before


READ_ONLY_POSTS = {"/api/v1/classify"}
"""POST routes outside /ads an advertiser may call because they change nothing (reviewed one by one)."""


def test_advertiser_api_routes_are_all_under_ads(app: FastAPI) -> None:
    """An advertiser key reaches no state-changing API route outside /api/v1/ads."""
    offending = []
    for route in flat_routes(app):
        if not route.path.startswith("/api/") or route.path.startswith("/api/v1/ads/"):
            continue
        admitted: set[Role] = set()
        for call in route.dependency_calls():
            admitted |= set(roles_of(call) or ())
        mutating = route.methods & {"POST", "PUT", "PATCH", "DELETE"}
        if mutating and Role.ADVERTISER in admitted and route.path not in READ_ONLY_POSTS:
            offending.append(f"{sorted(route.methods)} {route.path}")
    assert not offending, offending


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_enforcement_never_imports_ads_and_ads_never_enforces() -> None:
    src = Path(__file__).resolve().parents[3] / "src" / "townsquare"
    for pkg in ("policy", "moderation", "council", "posts"):
        for f in (src / pkg).rglob("*.py") if (src / pkg).exists() else ():
            assert not any(m == "townsquare.ads" or m.startswith("townsquare.ads.") for m in _imports(f)), f
    for f in (src / "ads").rglob("*.py"):
        mods = _imports(f)
        assert not any(
            m.startswith(
                (
                    "townsquare.policy",
                    "townsquare.moderation",
                    "townsquare.council",
                    "townsquare.api",
                    "townsquare.web",
                    "townsquare.cli",
                )
            )
            for m in mods
        ), f
