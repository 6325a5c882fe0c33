"""`townsquare ads ...`: advertiser, profile, campaign, a placement check, refused-demand counts."""

from __future__ import annotations

import json
from typing import Any


def test_ads_cli_round_trip(cli: Any, seed: Any) -> None:
    seed("calm", "Lovely weather in Lyon today")
    seed("rude", "putain de merde", author="bob", lang="fr", garm={"obscenity_profanity": "medium"})
    assert cli("ads", "advertiser-add", "acme", "--name", "Acme").exit_code == 0
    out = cli(
        "ads",
        "profile-add",
        "acme",
        "--preset",
        "conservative",
        "--keyword",
        "lyon",
        "--tier",
        "obscenity_profanity=high",
    )
    assert out.exit_code == 0, out.output
    profile = json.loads(out.output)
    assert profile["effective_tiers"]["obscenity_profanity"] == "high" and profile["keywords"] == ["lyon"]
    assert (
        cli("ads", "campaign-add", "c1", "--advertiser", "acme", "--profile", str(profile["id"])).exit_code
        == 0
    )
    got = cli("ads", "decide", "--campaign", "c1", "--post", "calm")
    assert got.exit_code == 0 and '"code": "keyword"' in got.output
    got = cli("ads", "decide", "--campaign", "c1", "--post", "rude")
    assert got.exit_code == 0 and '"eligible": true' in got.output
    assert "acme" in cli("ads", "list").output
    bad = cli("ads", "profile-add", "acme", "--tier", "kittens=low")
    assert bad.exit_code == 1 and "category_tiers" in bad.output
    assert '"total": 0' in cli("ads", "demands").output
