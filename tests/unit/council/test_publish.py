"""Published texts: both languages, majority vs dissent, verbatim rationales."""

from __future__ import annotations

from townsquare.council.publish import texts

PANEL = [{"member_id": i, "name": f"M{i}", "position_at_draw": p} for i, p in enumerate([-1.0, 0.0, 1.0])]


def _votes(*vs: str) -> list[dict[str, object]]:
    return [
        {"member_id": i, "name": f"M{i}", "vote": v, "rationale": f"because {i}"} for i, v in enumerate(vs)
    ]


def test_majority_and_dissent_in_both_languages() -> None:
    bridging = {
        "confidence": 0.95,
        "confidence_label": "high",
        "bootstrap_runs": 20,
        "rule": {"mode": "bridged"},
    }
    out = texts(
        question="Q?",
        outcome="overturn",
        binding=True,
        panel=PANEL,
        votes=_votes("overturn", "overturn", "uphold"),
        bridging=bridging,
    )
    assert set(out) == {"en", "fr"}
    assert [r["name"] for r in out["en"]["majority"]["rationales"]] == ["M0", "M1"]
    assert [r["text"] for r in out["fr"]["dissent"]["rationales"]] == ["because 2"]
    assert out["fr"]["votes"][2]["vote"] == "confirmer" and "95%" in out["en"]["confidence"]
    assert "élevée" in out["fr"]["confidence"]


def test_no_consensus_names_the_numerical_majority() -> None:
    out = texts(
        question="Q?",
        outcome="no_consensus",
        binding=False,
        panel=PANEL,
        votes=_votes("uphold", "overturn", "uphold"),
        bridging={},
    )
    assert out["en"]["majority"]["vote"] == "uphold" and len(out["en"]["dissent"]["rationales"]) == 1
    assert "statu quo" in out["fr"]["outcome"] and "Not binding" in out["en"]["binding"]
