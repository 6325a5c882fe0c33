"""Pure parts of the moderation console: the priority formula's weighing of reports, filter parsing, the
label-score cosine of precedents and the rule bands used to preselect a rule."""

from __future__ import annotations

import pytest

from townsquare.core.errors import Invalid
from townsquare.moderation import priority
from townsquare.moderation.precedents import score_cosine
from townsquare.moderation.search import Filters
from townsquare.moderation.view import rule_bands


def _automated(risk: str, score: float) -> float:
    return priority.priority(
        risk=risk, scores={"hate_speech": score}, reach=0, credibilities=[], proposed=True
    )


def _reported(reason: str, creds: list[float], risk: str = "none") -> float:
    return priority.priority(
        risk=risk, scores={}, reach=0, credibilities=creds, claims=[(reason, c) for c in creds]
    )


def test_report_sourced_cases_do_not_rank_far_below_automated_ones() -> None:
    floor, high = _automated("floor", 0.9), _automated("high", 0.8)
    assert floor == 54.0  # the figure for an automated floor-tier proposal
    one = _reported("harassment", [0.5])
    assert one >= 0.75 * floor and one == 42.0  # was 8: one new reporter, classifier silent
    assert _reported("harassment", [0.5, 0.5]) > high  # two people outrank a high-tier proposal
    assert _reported("harassment", [0.5] * 6) > floor  # a crowd outranks everything of equal reach


def test_reporter_credibility_scales_the_claim() -> None:
    assert _reported("hate", [0.1]) < _reported("hate", [0.3]) < _reported("hate", [0.5])
    # trust saturates at 0.5: a new reporter's claim counts fully, a better record adds report weight only
    assert priority.claimed_severity([("hate", 0.5)]) == priority.claimed_severity([("hate", 0.9)]) == 30.0
    assert _reported("spam", [0.5]) < _reported("hate", [0.5])  # the reason's gravity counts
    assert priority.claimed_severity([]) == 0.0
    assert priority.reports_score([1.0] * 1000) == priority.REPORTS_CAP


def test_breakdown_adds_up() -> None:
    parts = priority.breakdown(
        risk="medium",
        scores={"harassment": 0.4},
        reach=1000,
        credibilities=[0.5],
        claims=[("harassment", 0.5)],
    )
    assert parts["severity"] == max(parts["classifier_severity"], parts["claimed_severity"]) == 30.0
    assert parts["priority"] == pytest.approx(parts["severity"] + parts["reach"] + parts["reports"])


def test_filters_parse_and_canonical_query() -> None:
    f = Filters.parse(
        {"queue": "triage", "q": " vermin ", "post_lang": "fr", "min_reports": "2", "junk": "x"}
    )
    assert f.q == "vermin" and f.active() and f.query() == "queue=triage&q=vermin&post_lang=fr&min_reports=2"
    assert not Filters.parse({}).active() and Filters.parse({}).query() == ""
    for bad in (
        {"post_lang": "xx"},
        {"origin": "psychic"},
        {"claimed": "theirs"},
        {"min_reports": "2.5"},
        {"q": "x" * 201},
    ):
        with pytest.raises(Invalid):
            Filters.parse(bad)


def test_score_cosine() -> None:
    assert score_cosine({"a": 1.0}, {"a": 0.5}) == pytest.approx(1.0)
    assert score_cosine({"a": 1.0}, {"b": 1.0}) == 0.0
    assert score_cosine({}, {"a": 1.0}) == 0.0 and score_cosine(None, None) == 0.0


def test_rule_bands_walk_the_condition_tree() -> None:
    from townsquare.policy.engine import load_policy

    rules = {r.ref: r for r in load_policy().all_rules()}
    assert ("hate_speech", (3, 4)) in rule_bands(rules["hate.derogation@1"].when)
    assert ("harassment", (2, 5)) in rule_bands(rules["harassment.reported@1"].when)
    assert rule_bands(None) == []
