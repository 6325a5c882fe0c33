"""Attacks on the ad decision lane (`api/fastlane.py`), which answers before FastAPI's dependencies run.

A lane that skips the route's dependencies could skip what they enforce. As an attacker: keep using a key after it
was revoked (the lane's key cache still holds it), keep guessing keys from one address and then use a real one
(the address is held back), read another advertiser's campaign through the lane, and a careless client sending a
body the route refuses after the copy is warm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from townsquare.access.keys import revoke_key
from townsquare.settings import Settings

URL = "/api/v1/ads/decisions"
POST = {"id": "neutral", "author": "alice", "text": "Lovely weather in Lyon today, the market was great"}
BODY = {"post_id": "neutral", "campaign_ids": ["c-cons", "c-relax"]}


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        database_url=db_url,
        dev_mode=True,
        secret_key="test-secret-key-not-default",
        rate_limit_auth_failures="3/minute",
    )  # type: ignore[call-arg]


@pytest.fixture
def demo(client: Any, auth: Callable[..., dict[str, str]]) -> dict[str, dict[str, str]]:
    """Advertisers acme (campaign c-cons) and globex (c-relax), one post ingested through the real API."""
    admin = auth("admin")
    for adv, preset, camp in (("acme", "conservative", "c-cons"), ("globex", "relaxed", "c-relax")):
        assert client.post("/api/v1/ads/advertisers", json={"id": adv}, headers=admin).status_code == 201
        prof = client.post(f"/api/v1/ads/advertisers/{adv}/profiles", json={"preset": preset}, headers=admin)
        made = client.post(
            f"/api/v1/ads/advertisers/{adv}/campaigns",
            json={"id": camp, "profile_id": prof.json()["id"]},
            headers=admin,
        )
        assert made.status_code == 201, made.text
    assert client.post("/api/v1/posts", json=POST, headers=auth("ingest")).status_code == 201
    return {"admin": admin, "acme": auth("advertiser", advertiser_id="acme")}


def test_a_revoked_key_is_refused_at_once_though_the_lane_had_it(
    client: Any, db: Any, demo: Any, api_key: Callable[..., str]
) -> None:
    token = api_key("advertiser", "adv-rogue", "acme")
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(3):  # warm copy, the key cached, the lane answering
        assert client.post(URL, json=BODY, headers=headers).status_code == 200
    with db.session() as s:
        revoke_key(s, name="adv-rogue", actor="test")
    r = client.post(URL, json=BODY, headers=headers)
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"


def test_an_address_that_guessed_keys_is_held_back_even_with_a_real_key(client: Any, demo: Any) -> None:
    assert (
        client.post(URL, json=BODY, headers=demo["admin"]).status_code == 200
    )  # warm: the lane would answer
    for i in range(3):
        assert client.post(URL, json=BODY, headers={"Authorization": f"Bearer guess-{i}"}).status_code == 401
    r = client.post(URL, json=BODY, headers=demo["admin"])
    assert r.status_code == 429 and "retry-after" in r.headers


def test_another_advertisers_campaign_stays_missing_through_the_lane(client: Any, demo: Any) -> None:
    client.post(URL, json=BODY, headers=demo["acme"])  # warm
    got = client.post(URL, json=BODY, headers=demo["acme"]).json()["decisions"]
    assert got[1] == {"campaign_id": "c-relax", "eligible": False, "reasons": [{"code": "unknown_campaign"}]}


@pytest.mark.parametrize(
    "body",
    [
        {"post_id": "neutral", "campaign_ids": []},
        {"post_id": "neutral", "campaign_ids": ["c-cons"] * 10_000},
        {"post_id": "neutral", "campaign_ids": "c-cons"},
        {"post_id": 7, "campaign_ids": ["c-cons"]},
        {"post_id": "neutral", "campaign_ids": ["c-cons"], "record": "maybe"},
    ],
)
def test_a_body_the_route_refuses_is_refused_the_same_way(client: Any, demo: Any, body: Any) -> None:
    client.post(URL, json=BODY, headers=demo["admin"])  # warm
    r = client.post(URL, json=body, headers=demo["admin"])
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
