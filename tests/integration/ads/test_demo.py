"""Done-when, end to end on the demo data (real ingest, real classifier, real policy pipeline): a conservative
advertiser is refused next to the hateful and profane demo posts, accepted next to a neutral one, with reasons;
the report shows the verified rate with its interval and a chart."""

from __future__ import annotations

from typing import Any

import pytest

from townsquare.demo.loader import load


@pytest.fixture
def demo_loaded(db: Any) -> Any:
    with db.session() as s:
        load(s, with_keys=False)
    with db.session() as s:
        load(s, with_keys=False)  # idempotent
    return db


def test_conservative_demo_campaign(client: Any, auth: Any, demo_loaded: Any) -> None:
    h = auth("advertiser", advertiser_id="adv-demo")

    def decide(pid: str) -> dict[str, Any]:
        r = client.post(
            "/api/v1/ads/decisions", json={"post_id": pid, "campaign_ids": ["camp-conservative"]}, headers=h
        )
        assert r.status_code == 200, r.text
        return r.json()["decisions"][0]  # type: ignore[no-any-return]

    neutral = decide("demo-001")
    assert neutral == {"campaign_id": "camp-conservative", "eligible": True, "reasons": []}
    for pid in ("demo-007", "demo-008", "demo-009", "demo-010"):  # hateful EN/FR, profane EN/FR
        got = decide(pid)
        assert got["eligible"] is False, pid
        codes = {r["code"] for r in got["reasons"]}
        assert codes & {"category", "garm_floor", "post_state"}, (pid, got)

    rep = client.get(
        "/api/v1/ads/reports/brand-safety",
        params={"advertiser_id": "adv-demo", "since": "2020-01-01", "seed": 1},
        headers=h,
    )
    assert rep.status_code == 200
    v = rep.json()["verification"]
    assert v["sample_size"] > 0 and 0 <= v["ci95"][0] <= v["brand_safety_rate"] <= v["ci95"][1] <= 1
    assert (
        v["label_sources"].get("classifier", 0) + v["label_sources"].get("moderator", 0) == v["sample_size"]
    )
    png = client.get(
        "/api/v1/ads/reports/brand-safety.png",
        params={"advertiser_id": "adv-demo", "since": "2020-01-01"},
        headers=h,
    )
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
