"""Impressions (batch, idempotent, snapshot), adjacency feedback, refused demands, profile CRUD errors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from townsquare.ads.demands import refused_counts
from townsquare.storage.models import AdvertiserDemand, Impression

IMP = "/api/v1/ads/impressions"


def count(db: Any, model: Any) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_impressions_batch_idempotent_with_snapshot(client: Any, demo: Any, db: Any) -> None:
    batch = {
        "impressions": [
            {"id": "i1", "campaign_id": "c-cons", "post_id": "neutral", "served_at": "2026-01-05T10:00:00Z"},
            {
                "id": "i2",
                "campaign_id": "c-cons",
                "post_id": "profane",
                "served_at": "2026-01-05T10:00:01Z",
                "decision": {"eligible": True},
            },
        ]
    }
    r = client.post(IMP, json=batch, headers=demo["ingest"])
    assert r.status_code == 200 and r.json()["created"] == 2
    again = client.post(IMP, json=batch, headers=demo["ingest"])
    assert again.json() == {"created": 0, "duplicates": 2, "created_ids": [], "duplicate_ids": ["i1", "i2"]}
    assert count(db, Impression) == 2
    with db.session() as s:
        snap = s.get(Impression, "i2").snapshot
    assert snap["eligible"] is False and snap["garm"] == {"obscenity_profanity": "medium"}
    assert snap["profile_version"] == 1 and snap["client_decision"] == {"eligible": True}
    assert snap["reasons"][0]["code"] == "category"


def test_impression_conflicts_and_bad_items_change_nothing(client: Any, demo: Any, db: Any) -> None:
    h = demo["acme"]
    ok = {"id": "j1", "campaign_id": "c-cons", "post_id": "neutral", "served_at": "2026-01-05T10:00:00Z"}
    assert client.post(IMP, json={"impressions": [ok]}, headers=h).status_code == 200
    clash = {**ok, "post_id": "news"}
    new = {"id": "j2", "campaign_id": "c-cons", "post_id": "news"}
    r = client.post(IMP, json={"impressions": [new, clash]}, headers=h)
    assert r.status_code == 409
    r = client.post(IMP, json={"impressions": [new, {**new, "id": "j3", "campaign_id": "ghost"}]}, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "impressions.1.campaign_id"
    r = client.post(IMP, json={"impressions": [{**new, "post_id": "ghost"}]}, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "impressions.0.post_id"
    # another tenant's campaign answers exactly like a missing one (issue 13): same status, same field
    r = client.post(IMP, json={"impressions": [{**new, "campaign_id": "c-relax"}]}, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "impressions.0.campaign_id"
    assert client.post(IMP, json={"impressions": []}, headers=h).status_code == 422
    assert count(db, Impression) == 1


def test_adjacency_feedback_updates_only_own_exclusions(client: Any, demo: Any) -> None:
    h = demo["globex"]
    d = "/api/v1/ads/decisions"
    assert client.post(d, json={"post_id": "news", "campaign_ids": ["c-relax"]}, headers=h).json()[
        "decisions"
    ][0]["eligible"]
    r = client.post(
        "/api/v1/ads/feedback",
        json={"action": "exclude_post", "target_type": "post", "target_id": "news"},
        headers=h,
    )
    assert r.status_code == 200 and r.json()["updated_profiles"][0]["version"] == 2
    got = client.post(d, json={"post_id": "news", "campaign_ids": ["c-relax"]}, headers=h).json()[
        "decisions"
    ][0]
    assert got["eligible"] is False and got["reasons"] == [{"code": "post_excluded", "post_id": "news"}]
    # acme's placement next to the same post is unaffected, and the post is still public and visible
    acme = client.post(d, json={"post_id": "news", "campaign_ids": ["c-cons"]}, headers=demo["acme"]).json()
    assert acme["decisions"][0]["eligible"] is True
    assert client.get("/api/v1/posts/news").json()["visibility"] == "visible"
    r = client.post(
        "/api/v1/ads/feedback",
        json={
            "action": "exclude_account",
            "target_type": "account",
            "target_id": "dan",
            "advertiser_id": "acme",
        },
        headers=h,
    )
    assert r.status_code == 404  # another tenant: as if absent (issue 13)


def test_visibility_demands_refused_recorded_and_counted(client: Any, demo: Any, db: Any) -> None:
    h = demo["acme"]
    for action in ("remove", "ban", "limit_reach"):
        r = client.post(
            "/api/v1/ads/feedback",
            json={"action": action, "target_type": "post", "target_id": "profane"},
            headers=h,
        )
        assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    r = client.post(
        "/api/v1/ads/demands",
        json={"demand": "permanent_ban", "target_type": "account", "target_id": "carol"},
        headers=h,
    )
    assert r.status_code == 403
    assert (
        client.post(
            "/api/v1/ads/feedback",
            json={"action": "frobnicate", "target_type": "post", "target_id": "x"},
            headers=h,
        ).status_code
        == 422
    )
    assert count(db, AdvertiserDemand) == 4
    with db.session() as s:
        counts = refused_counts(s)
    assert counts["total"] == 4 and counts["by_demand"]["remove"] == 1 and counts["complied"] == 0
    public = client.get("/api/v1/ads/demands/refused").json()
    assert public["total"] == 4 and public["by_target_type"] == {"account": 1, "post": 3}
    assert client.get("/api/v1/posts/profane").json()["visibility"] == "visible"


def test_profile_crud_and_malformed_profiles(client: Any, demo: Any) -> None:
    h = demo["acme"]
    r = client.post(
        "/api/v1/ads/advertisers/acme/profiles",
        json={"preset": "standard", "category_tiers": {"kittens": "low"}},
        headers=h,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category_tiers"
    r = client.post("/api/v1/ads/advertisers/acme/profiles", json={"preset": "loose"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "preset"
    r = client.post("/api/v1/ads/advertisers/acme/profiles", json={"keywords": ["ok", " "]}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "keywords"
    made = client.post(
        "/api/v1/ads/advertisers/acme/profiles",
        json={"name": "fr only", "preset": "standard", "languages": ["FR"], "keywords": ["haine"]},
        headers=h,
    )
    assert made.status_code == 201
    body = made.json()
    assert body["languages"] == ["fr"] and body["effective_tiers"]["terrorism"] == "high"
    # another tenant's objects: 404 as if absent (issue 13)
    assert client.get(f"/api/v1/ads/profiles/{body['id']}", headers=demo["globex"]).status_code == 404
    assert client.post("/api/v1/ads/advertisers/globex/profiles", json={}, headers=h).status_code == 404
    assert client.post("/api/v1/ads/advertisers", json={"id": "x"}, headers=h).status_code == 403
    assert [a["id"] for a in client.get("/api/v1/ads/advertisers", headers=h).json()] == ["acme"]
    assert len(client.get("/api/v1/ads/advertisers", headers=demo["admin"]).json()) == 2
    r = client.post(
        "/api/v1/ads/advertisers/acme/campaigns", json={"id": "c2", "profile_id": 99999}, headers=h
    )
    assert r.status_code == 422 and r.json()["field"] == "profile_id"
    r = client.patch("/api/v1/ads/campaigns/c-cons", json={"active": False}, headers=h)
    assert r.status_code == 200 and r.json()["active"] is False
    got = client.post(
        "/api/v1/ads/decisions", json={"post_id": "neutral", "campaign_ids": ["c-cons"]}, headers=h
    )
    assert got.json()["decisions"][0]["reasons"] == [{"code": "campaign_inactive"}]
    assert (
        client.post("/api/v1/ads/advertisers", json={"id": "acme"}, headers=demo["admin"]).status_code == 409
    )


def test_preview_for_the_console(client: Any, demo: Any, db: Any) -> None:
    from townsquare.ads.preview import preview

    with db.session() as s:
        rows = preview(
            s,
            profile_spec={"preset": "conservative", "keywords": ["lyon"]},
            texts_or_post_ids=["hateful", "neutral", {"post_id": "ghost"}],
        )
    assert [r["eligible"] for r in rows] == [False, False, False]
    assert rows[1]["reasons"][0]["code"] == "keyword"
    assert rows[2]["reasons"] == [{"code": "unknown_post"}]
    r = client.post(
        "/api/v1/ads/preview",
        json={"profile": {"preset": "relaxed"}, "items": ["news", "profane"]},
        headers=demo["acme"],
    )
    assert r.status_code == 200 and [x["eligible"] for x in r.json()] == [True, True]
