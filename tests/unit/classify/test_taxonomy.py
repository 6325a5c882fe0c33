"""The one table: labels -> tiers, GARM categories and DSA categories."""

from __future__ import annotations

from pathlib import Path

import pytest

from townsquare.classify import GARM_CATEGORIES, LABELS, TIERS, dsa_category
from townsquare.classify import taxonomy as tx

ISSUE_LABELS = (
    "hate_speech",
    "harassment",
    "violent_threat",
    "violent_extremism",
    "sexual",
    "profanity",
    "graphic_violence",
    "weapons",
    "drugs_alcohol",
    "crime",
    "spam_scam",
    "misinformation",
    "sensitive_social_issue",
    "self_harm",
    "piracy",
)
DSA_CATEGORIES = {
    "STATEMENT_CATEGORY_ANIMAL_WELFARE",
    "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE",
    "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "STATEMENT_CATEGORY_SELF_HARM",
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
    "STATEMENT_CATEGORY_VIOLENCE",
}


def test_labels_are_the_issue_labels() -> None:
    assert set(LABELS) == set(ISSUE_LABELS)
    assert TIERS == ("none", "low", "medium", "high", "floor")
    assert len(GARM_CATEGORIES) == 12


@pytest.mark.parametrize("label", ISSUE_LABELS)
def test_every_label_maps(label: str) -> None:
    assert tx.garm_category(label) in GARM_CATEGORIES
    cat, kw = dsa_category(label)
    assert cat in DSA_CATEGORIES
    assert kw.startswith("KEYWORD_")
    spec = tx.SPECS[label]
    assert spec.top in TIERS
    assert tx.tier_for(label, 0.0) == "none"
    assert tx.tier_for(label, 1.0) == spec.top
    assert tx.tier_for(label, spec.threshold) != "none"


def test_tiers_are_monotonic() -> None:
    for label in LABELS:
        ranks = [tx.tier_rank(tx.tier_for(label, s / 100)) for s in range(101)]
        assert ranks == sorted(ranks)


def test_garm_takes_the_strongest_label() -> None:
    tiers = {lab: "none" for lab in LABELS}
    tiers.update({"hate_speech": "medium", "violent_threat": "floor", "profanity": "low"})
    assert tx.garm_tiers(tiers) == {"hate_speech_aggression": "floor", "obscenity_profanity": "low"}


def test_docs_embed_the_table() -> None:
    doc = Path(__file__).resolve().parents[3] / "docs" / "taxonomy.md"
    assert tx.markdown_table() in doc.read_text(encoding="utf-8"), (
        "docs/taxonomy.md is out of date with taxonomy.py"
    )
