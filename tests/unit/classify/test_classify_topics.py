"""Brand-safety topics are GARM suitability signals, never a moderation signal (issue 14, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from townsquare.classify import classify, taxonomy
from townsquare.policy.conditions import Facts
from townsquare.policy.engine import load_policy
from townsquare.policy.loader import PolicyError

REPO = Path(__file__).resolve().parents[3]
NEWS = {
    "crime_harmful_acts": [
        "Police arrested a man suspected of the arson attack on the kebab shop, prosecutors said on Tuesday",
        "Le suspect du cambriolage de la pharmacie a été placé en garde à vue mardi, selon le parquet",
    ],
    "sensitive_social_issues": [
        "Parliament will vote next week on extending housing benefits to asylum seekers",
        "Le Sénat débat cette semaine de l'accès des demandeurs d'asile aux aides au logement",
    ],
    "death_injury_conflict": [
        "Heavy shelling forced thousands of civilians to flee the border region overnight",
        "Un glissement de terrain a fait au moins quarante morts dans le nord du pays",
    ],
}


def test_topics_map_onto_garm_and_stop_at_medium() -> None:
    assert len(taxonomy.TOPICS) >= 8
    for t in taxonomy.TOPIC_TABLE:
        assert t.garm in taxonomy.GARM_CATEGORIES
        assert taxonomy.topic_tier(t.topic, 1.0) == "medium"
        assert taxonomy.topic_tier(t.topic, 0.0) == "none"
    assert not set(taxonomy.TOPICS) & set(taxonomy.LABELS)


def test_garm_folds_topic_tiers_in() -> None:
    assert taxonomy.garm_tiers({"hate_speech": "none"}, {"debate_immigration": "medium"}) == {
        "sensitive_social_issues": "medium"
    }
    assert taxonomy.garm_tiers({"violent_extremism": "floor"}, {"news_terrorism": "medium"}) == {
        "terrorism": "floor"
    }


@pytest.mark.parametrize(("category", "text"), [(c, t) for c, ts in NEWS.items() for t in ts])
def test_news_and_debate_reach_garm_without_any_label(category: str, text: str) -> None:
    (a,) = classify([text])
    assert taxonomy.tier_rank(a.garm.get(category, "none")) >= taxonomy.tier_rank("low"), (a.topics, a.garm)
    assert not set(a.topics) & set(a.scores), "topics never appear among the label scores"
    assert "topics" in a.to_dict()


def test_docs_embed_the_topics_table() -> None:
    doc = (REPO / "docs" / "taxonomy.md").read_text(encoding="utf-8")
    assert taxonomy.topics_markdown_table() in doc, (
        "docs/taxonomy.md is out of date with taxonomy.TOPIC_TABLE"
    )


def test_no_policy_rule_can_act_on_a_topic(tmp_path: Path) -> None:
    """The policy language only knows labels: naming a topic is a validation error, and the default policy
    looks at no topic."""
    policy = load_policy(REPO / "policies" / "default.yaml")
    for rule in policy.rules:
        if rule.when is not None:
            assert not rule.when.labels() & set(taxonomy.TOPICS), rule.id
    text = (REPO / "policies" / "default.yaml").read_text(encoding="utf-8")
    bad = text.replace("tier: {label: crime, at_least: high}", "tier: {label: news_crime, at_least: medium}")
    assert bad != text
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(PolicyError, match="news_crime"):
        load_policy(path)


def test_topic_scores_alone_trigger_no_action() -> None:
    """A post that is only news (every topic at its maximum, no label) gets no moderation action."""
    policy = load_policy(REPO / "policies" / "default.yaml")
    (a,) = classify(["Three people were arrested after the attack on the synagogue, police said"])
    facts = Facts(
        labels=frozenset(a.labels),
        scores=dict(a.scores),
        tiers=dict(a.tiers),
        text="news",
        normalized="news",
        lang="en",
        strikes=0.0,
        reports=0,
    )
    assert policy.evaluate(facts).action.value == "none", (a.labels, a.topics)
