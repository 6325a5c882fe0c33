"""Self-harm in the default policy: the person at risk gets resources, never a penalty (issue 14, item 3)."""

from __future__ import annotations

from pathlib import Path

from townsquare.classify import LABELS
from townsquare.policy.conditions import Facts
from townsquare.policy.engine import load_policy

REPO = Path(__file__).resolve().parents[3]


def _facts(text: str, tier: str) -> Facts:
    tiers = {lab: "none" for lab in LABELS}
    tiers["self_harm"] = tier
    scores = {lab: 0.0 for lab in LABELS}
    scores["self_harm"] = 0.9
    return Facts(
        labels=frozenset({"self_harm"}),
        scores=scores,
        tiers=tiers,
        text=text,
        normalized=text.lower(),
        lang="en",
        strikes=0.0,
        reports=0,
    )


def test_packaged_policy_is_the_repository_policy() -> None:
    assert (REPO / "policies" / "default.yaml").read_bytes() == (
        REPO / "src" / "townsquare" / "policy" / "default.yaml"
    ).read_bytes()


def test_a_person_in_distress_gets_a_label_with_resources_never_removal() -> None:
    policy = load_policy(REPO / "policies" / "default.yaml")
    for tier in ("medium", "high", "floor"):
        d = policy.evaluate(_facts("I want to disappear forever, nobody would miss me", tier))
        assert d.action.value == "label", (tier, d.action)
        assert d.rule is not None and d.rule.id == "self_harm.risk"
        assert "3114" in d.rule.text["en"] and "3114" in d.rule.text["fr"]
        assert not d.rule.strike


def test_instructions_to_others_are_removed_without_a_strike() -> None:
    policy = load_policy(REPO / "policies" / "default.yaml")
    for text in (
        "pro-ana tips for skipping meals",
        "combien de cachets faut-il pour ne plus se réveiller, astuces pour se tuer",
    ):
        d = policy.evaluate(_facts(text, "floor"))
        assert d.action.value == "remove", text
        assert d.rule is not None and d.rule.id == "self_harm.promotion"
        assert not d.rule.strike
