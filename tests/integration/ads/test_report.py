"""Brand-safety report: adjacency matrix from snapshots, verified rate with Wilson CI, CSV, chart, CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from townsquare.ads.stats import wilson

R = "/api/v1/ads/reports/brand-safety"


def serve(client: Any, demo: Any, seed: Any, db: Any) -> None:
    """8 impressions next to neutral posts, 2 next to a post a moderator removes afterwards, 1 outside the period."""
    from townsquare.policy.enforce import apply_action

    for i in range(8):
        seed(f"calm-{i}", f"Lovely weather in Lyon today, market number {i} was great")
    seed(
        "later-removed",
        "a post that a moderator removes after the ad ran",
        author="mallory",
        garm={"obscenity_profanity": "low"},
    )
    items = [
        {
            "id": f"imp-{i}",
            "campaign_id": "c-relax",
            "post_id": f"calm-{i}",
            "served_at": f"2026-03-0{1 + i % 5}T12:00:00Z",
        }
        for i in range(8)
    ]
    items += [
        {
            "id": f"imp-r{i}",
            "campaign_id": "c-relax",
            "post_id": "later-removed",
            "served_at": "2026-03-02T08:00:00Z",
        }
        for i in range(2)
    ]
    items.append(
        {"id": "imp-old", "campaign_id": "c-relax", "post_id": "calm-0", "served_at": "2025-12-01T00:00:00Z"}
    )
    r = client.post("/api/v1/ads/impressions", json={"impressions": items}, headers=demo["ingest"])
    assert r.status_code == 200 and r.json()["created"] == 11
    with db.session() as s:
        apply_action(
            s,
            subject_type="post",
            subject_id="later-removed",
            action="remove",
            rule_id="hate.derogation",
            actor="mod-1",
            actor_kind="moderator",
            reason="on review",
        )


def test_report_rate_interval_matrix_csv_chart(client: Any, demo: Any, seed: Any, db: Any) -> None:
    serve(client, demo, seed, db)
    params = {
        "advertiser_id": "globex",
        "since": "2026-03-01",
        "until": "2026-04-01",
        "sample": 50,
        "seed": 7,
    }
    rep = client.get(R, params=params, headers=demo["globex"])
    assert rep.status_code == 200, rep.text
    data = rep.json()
    assert data["impressions"] == 10 and data["adjacent"]["obscenity_profanity"]["low"] == 2
    assert data["served_eligible_rate"] == 1.0  # all looked fine when served
    v = data["verification"]
    assert v["sample_size"] == 10 and v["safe"] == 8 and v["brand_safety_rate"] == 0.8
    assert v["ci95"] == pytest.approx(list(wilson(8, 10)))
    assert v["label_sources"]["moderator"] == 2
    removed = [i for i in v["items"] if i["post_id"] == "later-removed"]
    assert removed and all(
        i["reasons"][0] == {"code": "post_state", "visibility": "removed"} for i in removed
    )
    assert client.get(R, params=params, headers=demo["globex"]).json()["verification"]["items"] == v["items"]

    csv_resp = client.get(R + ".csv", params=params, headers=demo["globex"])
    assert csv_resp.status_code == 200 and csv_resp.headers["content-type"].startswith("text/csv")
    rows = {r["metric"]: r["value"] for r in csv.DictReader(io.StringIO(csv_resp.text))}
    assert rows["brand_safety_rate"] == "0.8" and rows["impressions_total"] == "10"
    png = client.get(R + ".png", params=params, headers=demo["globex"])
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    svg = client.get(R + ".svg", params=params, headers=demo["admin"])
    assert svg.status_code == 200 and b"<svg" in svg.content[:2000]
    assert (
        client.get(R, params=params, headers=demo["acme"]).status_code == 404
    )  # another tenant's (issue 13)
    bad = client.get(R, params={**params, "until": "2026-02-01"}, headers=demo["globex"])
    assert bad.status_code == 422 and bad.json()["field"] == "until"


def test_report_with_no_impressions(client: Any, demo: Any) -> None:
    data = client.get(R, params={"advertiser_id": "acme", "since": "2026-01-01"}, headers=demo["acme"]).json()
    assert data["impressions"] == 0 and data["verification"]["brand_safety_rate"] is None
    assert (
        client.get(
            R + ".png", params={"advertiser_id": "acme", "since": "2026-01-01"}, headers=demo["acme"]
        ).status_code
        == 200
    )


def test_cli_report(client: Any, demo: Any, seed: Any, db: Any, cli: Any, tmp_path: Path) -> None:
    serve(client, demo, seed, db)
    out = cli(
        "report",
        "brand-safety",
        "--advertiser",
        "globex",
        "--since",
        "2026-03-01",
        "--until",
        "2026-04-01",
        "--seed",
        "3",
        "--csv",
        str(tmp_path / "r.csv"),
        "--chart",
        str(tmp_path / "r.png"),
    )
    assert out.exit_code == 0, out.output
    assert "brand-safety rate (verified): 80.0%" in out.output and "n=10" in out.output
    assert (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"
    assert "brand_safety_rate" in (tmp_path / "r.csv").read_text()
    bad = cli("report", "brand-safety", "--advertiser", "nobody", "--since", "2026-03-01")
    assert bad.exit_code == 1 and "not found" in bad.output
