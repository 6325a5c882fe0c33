"""The decision rule: per-side quorums, bridged support, fallback supermajority, status quo by default."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from townsquare.council.rule import PanelVote, RuleParams, confidence_label, evaluate, split

POS = {1: -1.2, 2: -0.8, 3: 0.0, 4: 0.7, 5: 1.3}


def panel(votes: dict[int, str], positions: dict[int, float | None] | None = None) -> list[PanelVote]:
    pos = positions or POS
    return [PanelVote(member_id=m, position=pos[m], vote=v) for m, v in votes.items()]


def test_split_is_by_draw_position_with_a_middle_seat() -> None:
    left, middle, right, gap = split(panel({m: "none" for m in POS}))
    assert (left, middle, right) == ([1, 2], [3], [4, 5])
    assert gap == 0.7 - (-0.8)


def test_unknown_positions_sit_in_the_middle() -> None:
    left, middle, right, _ = split(panel({m: "none" for m in POS}, {1: -1, 2: None, 3: None, 4: 1, 5: None}))
    assert left == [1] and right == [4] and set(middle) == {2, 3, 5}


def test_cross_side_support_binds() -> None:
    votes = panel({1: "overturn", 2: "overturn", 3: "overturn", 4: "overturn", 5: "uphold"})
    r = evaluate(votes, bridged_support=0.7, polarisation=0.1, confidence=0.95)
    assert r.mode == "bridged" and r.outcome == "overturn" and r.binding


def test_one_sided_majority_does_not_bind() -> None:
    votes = panel({1: "overturn", 2: "overturn", 3: "overturn", 4: "uphold", 5: "uphold"})
    r = evaluate(votes, bridged_support=0.7, polarisation=0.1, confidence=0.95)
    assert r.outcome == "no_consensus" and not r.binding
    assert r.checks["overturn"]["right_ok"] is False


def test_polarised_or_weak_support_does_not_bind() -> None:
    votes = panel({1: "overturn", 2: "overturn", 3: "overturn", 4: "overturn", 5: "uphold"})
    assert evaluate(votes, bridged_support=0.7, polarisation=0.4, confidence=0.95).outcome == "no_consensus"
    assert evaluate(votes, bridged_support=0.55, polarisation=0.1, confidence=0.95).outcome == "no_consensus"


def test_bridged_uphold_binds_the_status_quo() -> None:
    votes = panel({1: "uphold", 2: "uphold", 3: "overturn", 4: "uphold", 5: "uphold"})
    r = evaluate(votes, bridged_support=0.2, polarisation=0.05, confidence=0.95)
    assert r.outcome == "uphold" and r.binding


def test_quorum_counts_only_cast_votes() -> None:
    votes = panel({1: "overturn", 2: "abstain", 3: "none", 4: "overturn", 5: "abstain"})
    r = evaluate(votes, bridged_support=0.9, polarisation=0.0, confidence=0.95)
    assert r.outcome == "no_consensus" and r.checks["overturn"]["quorum"] is False


def test_low_confidence_falls_back_to_a_supermajority() -> None:
    four = panel({1: "overturn", 2: "overturn", 3: "overturn", 4: "overturn", 5: "uphold"})
    three = panel({1: "overturn", 2: "overturn", 3: "overturn", 4: "uphold", 5: "uphold"})
    r4 = evaluate(four, bridged_support=0.7, polarisation=0.1, confidence=0.3)
    r3 = evaluate(three, bridged_support=0.9, polarisation=0.0, confidence=0.3)
    assert r4.mode == "fallback" and r4.outcome == "overturn"
    assert r3.mode == "fallback" and r3.outcome == "no_consensus"


def test_halves_too_close_fall_back() -> None:
    close = {1: -0.1, 2: -0.05, 3: 0.0, 4: 0.05, 5: 0.1}
    votes = panel({m: "overturn" for m in POS}, close)
    assert evaluate(votes, bridged_support=0.9, polarisation=0.0, confidence=1.0).mode == "fallback"


def test_confidence_labels() -> None:
    assert [confidence_label(x) for x in (0.95, 0.75, 0.2)] == ["high", "medium", "low"]


@given(
    st.lists(st.sampled_from(["overturn", "uphold", "abstain", "none"]), min_size=5, max_size=5),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_never_binds_without_a_quorum_and_never_both(
    votes: list[str], support: float, polar: float, conf: float
) -> None:
    r = evaluate(
        panel(dict(zip(POS, votes, strict=True))),
        bridged_support=support,
        polarisation=polar,
        confidence=conf,
    )
    cast = sum(1 for v in votes if v in ("overturn", "uphold"))
    if cast < RuleParams().min_votes:
        assert not r.binding
    assert not (r.checks["overturn"]["passed"] and r.checks["uphold"]["passed"])
    if r.binding:
        assert votes.count(r.outcome) >= 1


def grouped(votes: dict[int, str], groups: dict[int, str]) -> list[PanelVote]:
    return [PanelVote(member_id=m, position=None, vote=v, group=groups[m]) for m, v in votes.items()]


def test_fallback_needs_supporters_in_two_declared_groups() -> None:
    """Issue 11: four members of one camp were a binding 4-1 'supermajority' with no history."""
    one_camp = {1: "left", 2: "left", 3: "left", 4: "left", 5: "right"}
    votes = grouped({1: "overturn", 2: "overturn", 3: "overturn", 4: "overturn", 5: "uphold"}, one_camp)
    r = evaluate(votes, bridged_support=None, polarisation=None, confidence=0.0)
    assert r.mode == "fallback" and r.outcome == "no_consensus"
    assert r.checks["overturn"]["supporting_groups"] == ["left"] and r.checks["overturn"]["sides_ok"] is False
    spread = {1: "left", 2: "left", 3: "right", 4: "right", 5: "centre"}
    r = evaluate(
        grouped({1: "overturn", 2: "overturn", 3: "overturn", 4: "overturn", 5: "uphold"}, spread),
        bridged_support=None,
        polarisation=None,
        confidence=0.0,
    )
    assert r.outcome == "overturn" and r.binding and r.checks["overturn"]["basis"] == "declared_groups"


def test_without_groups_or_positions_nothing_binds() -> None:
    votes = [PanelVote(member_id=m, position=None, vote="overturn") for m in range(1, 6)]
    r = evaluate(votes, bridged_support=0.9, polarisation=0.0, confidence=1.0)
    assert r.mode == "no_decision" and not r.binding


def test_fallback_by_halves_needs_both_halves() -> None:
    votes = panel({1: "overturn", 2: "overturn", 3: "overturn", 4: "overturn", 5: "overturn"})
    assert evaluate(votes, bridged_support=0.5, polarisation=0.5, confidence=0.1).binding
    left_only = [
        PanelVote(member_id=m, position=p, vote="overturn" if p < 0.5 else "uphold")
        for m, p in {1: -1.2, 2: -0.8, 3: 0.0, 4: 0.7, 5: 1.3}.items()
    ]
    r = evaluate(left_only, bridged_support=None, polarisation=None, confidence=0.0)
    assert r.outcome == "no_consensus"


def test_frozen_seats_never_raise_a_share() -> None:
    """Freezing the dissenters counts their seats as absent: still in the denominator."""
    groups = {1: "a", 2: "b", 3: "c", 4: "d", 5: "a"}
    votes = grouped({1: "overturn", 2: "overturn", 3: "overturn", 4: "frozen", 5: "frozen"}, groups)
    r = evaluate(votes, bridged_support=None, polarisation=None, confidence=0.0)
    assert r.checks["overturn"]["share"] == 0.6 and not r.binding and r.counts["frozen"] == 2
    bridged = panel({1: "overturn", 2: "overturn", 3: "overturn", 4: "overturn", 5: "frozen"})
    r = evaluate(bridged, bridged_support=0.9, polarisation=0.0, confidence=0.95)
    assert r.mode == "bridged" and r.checks["overturn"]["right_ok"] is True  # 1 of 2 on the right: 50 %
    bridged = panel({1: "overturn", 2: "overturn", 3: "overturn", 4: "frozen", 5: "overturn"})
    assert evaluate(bridged, bridged_support=0.9, polarisation=0.0, confidence=0.95).binding


def test_modify_is_backed_by_modify_and_overturn_votes() -> None:
    groups = {1: "a", 2: "b", 3: "c", 4: "d", 5: "a"}
    votes = grouped({1: "modify", 2: "modify", 3: "overturn", 4: "modify", 5: "uphold"}, groups)
    r = evaluate(votes, bridged_support=None, polarisation=None, confidence=0.0)
    assert r.outcome == "modify" and r.binding
    votes = grouped({1: "overturn", 2: "overturn", 3: "overturn", 4: "overturn", 5: "modify"}, groups)
    assert evaluate(votes, bridged_support=None, polarisation=None, confidence=0.0).outcome == "overturn"


def test_silent_seats_never_raise_a_share() -> None:
    """A member silenced until the deadline (e.g. a revoked key) counts as not supporting, like a frozen seat."""
    groups = {1: "a", 2: "b", 3: "c", 4: "d", 5: "a"}
    votes = grouped({1: "overturn", 2: "overturn", 3: "overturn", 4: "none", 5: "none"}, groups)
    r = evaluate(votes, bridged_support=None, polarisation=None, confidence=0.0)
    assert r.checks["overturn"]["share"] == 0.6 and not r.binding
    votes = grouped({1: "overturn", 2: "overturn", 3: "overturn", 4: "abstain", 5: "overturn"}, groups)
    assert evaluate(
        votes, bridged_support=None, polarisation=None, confidence=0.0
    ).binding  # abstaining is a choice
