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
