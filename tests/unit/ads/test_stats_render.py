"""Wilson interval against known values; CSV and chart renderings of a report."""

from __future__ import annotations

import csv
import io

import pytest

from townsquare.ads.render import chart, to_csv
from townsquare.ads.stats import wilson
from townsquare.classify.taxonomy import GARM_CATEGORIES


def test_wilson_known_values() -> None:
    lo, hi = wilson(81, 100)
    assert lo == pytest.approx(0.7222, abs=1e-3) and hi == pytest.approx(0.8749, abs=1e-3)
    lo, hi = wilson(10, 10)
    assert hi == 1.0 and lo == pytest.approx(0.7225, abs=1e-3)
    assert wilson(0, 0) == (0.0, 1.0)
    lo, hi = wilson(0, 20)
    assert lo == 0.0 and hi == pytest.approx(0.1611, abs=1e-3)
    with pytest.raises(ValueError):
        wilson(5, 3)


def sample_report() -> dict[str, object]:
    adjacent = {c: {"low": 0, "medium": 0, "high": 0, "floor": 0} for c in GARM_CATEGORIES}
    adjacent["obscenity_profanity"]["low"] = 3
    return {
        "advertiser_id": "acme",
        "campaign_id": None,
        "since": "2026-01-01T00:00:00+00:00",
        "until": "2026-02-01T00:00:00+00:00",
        "impressions": 10,
        "by_campaign": {"c1": 10},
        "adjacent": adjacent,
        "adjacent_none": 7,
        "served_eligible_rate": 0.9,
        "verification": {
            "seed": 1,
            "sample_size": 10,
            "safe": 9,
            "brand_safety_rate": 0.9,
            "ci95": list(wilson(9, 10)),
            "items": [],
        },
    }


def test_csv_is_tidy_and_complete() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(sample_report()))))
    adj = [r for r in rows if r["metric"] == "impressions_adjacent"]
    assert len(adj) == len(GARM_CATEGORIES) * 4 + 1
    assert {"category": "obscenity_profanity", "tier": "low", "value": "3"}.items() <= next(
        r for r in adj if r["category"] == "obscenity_profanity" and r["tier"] == "low"
    ).items()
    metrics = {r["metric"]: r["value"] for r in rows}
    assert metrics["brand_safety_rate"] == "0.9" and metrics["verification_sample_size"] == "10"
    assert float(metrics["brand_safety_ci95_low"]) < 0.9 < float(metrics["brand_safety_ci95_high"])


def test_chart_png_and_svg() -> None:
    png = chart(sample_report(), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    svg = chart(sample_report(), "svg")
    assert b"<svg" in svg[:2000]
