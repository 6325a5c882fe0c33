"""The charter is published with a digest of its content; the published binding sentence is true for the mode."""

from __future__ import annotations

import pytest

from townsquare.council import charter
from townsquare.council.publish import binding_text


def test_charter_digest_covers_its_content(monkeypatch: pytest.MonkeyPatch) -> None:
    from townsquare.settings import get_settings

    before = charter.current()
    assert before["panel_size"] == 5 and before["notice_days"] == 7 and len(before["viewpoint_groups"]) >= 2
    monkeypatch.setenv("TOWNSQUARE_COUNCIL_PANEL_SIZE", "7")
    get_settings.cache_clear()
    try:
        after = charter.current()
        assert after["panel_size"] == 7 and after["sha256"] != before["sha256"]
        assert charter.of_case(before)["panel_size"] == 5  # a case keeps the charter of its referral
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_binding_text_is_true_for_every_mode() -> None:
    bridged = {"mode": "bridged", "checks": {}}
    groups = {
        "mode": "fallback",
        "checks": {"overturn": {"basis": "declared_groups", "supporting_groups": ["a", "b"]}},
    }
    halves = {"mode": "fallback", "checks": {"overturn": {"basis": "halves"}}}
    none = {"mode": "no_decision", "checks": {}}
    assert "crossed the viewpoint axis" in binding_text("en", True, bridged, "overturn")
    text = binding_text("en", True, groups, "overturn")
    assert "2 declared viewpoint groups (a, b)" in text and "crossed" not in text
    assert "both halves" in binding_text("en", True, halves, "overturn")
    assert binding_text("en", False, bridged, "no_consensus").startswith("Not binding")
    assert "could tell" not in binding_text("en", False, bridged, "no_consensus")
    assert binding_text("fr", False, none, "no_consensus").startswith("Non contraignante")
    for mode in (bridged, groups, halves):
        assert "crossed" not in binding_text("en", False, mode, "no_consensus")
