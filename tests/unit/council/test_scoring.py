"""The Community Notes-grade scorer: every rule can fail on its own, a brigade is weightless, results repeat."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from townsquare.council.scoring import (
    INSUFFICIENT,
    NO_CONSENSUS,
    OPPOSITION,
    SUPPORT,
    ScoringParams,
    score,
    score_arrays,
)
from townsquare.council.scoring.rules import CODE, STATUSES, SideCounts, statuses

Rating = tuple[str, str, float]


@cache
def _population() -> tuple[tuple[Rating, ...], tuple[int, ...], tuple[int, ...], tuple[float, ...]]:
    """200 raters in two camps, 25 ratings each on 60 history items with planted polarity (deterministic)."""
    rng = np.random.default_rng(1)
    raters, items, per = 200, 60, 25
    camp = np.where(np.arange(raters) % 2 == 0, -1.0, 1.0)
    pos = camp * np.abs(rng.normal(1.0, 0.3, raters))
    polarity = rng.normal(0, 1.0, items)
    base = rng.normal(0, 1.0, items)
    rows = []
    for u in range(raters):
        for n in rng.choice(items, per, replace=False):
            p = 1 / (1 + np.exp(-(base[n] + 2.5 * pos[u] * polarity[n])))
            rows.append((f"u{u:04d}", f"h{n:03d}", float(rng.random() < p)))
    left = tuple(u for u in range(raters) if camp[u] < 0)
    right = tuple(u for u in range(raters) if camp[u] > 0)
    return tuple(rows), left, right, tuple(polarity)


def _target(item: str, yes: list[int], no: list[int] = []) -> list[Rating]:  # noqa: B006 - never mutated
    return [(f"u{u:04d}", item, 1.0) for u in yes] + [(f"u{u:04d}", item, 0.0) for u in no]


def _history() -> tuple[list[Rating], list[int], list[int]]:
    rows, left, right, _ = _population()
    return list(rows), list(left), list(right)


def test_cross_camp_support_is_bridged_and_says_why() -> None:
    rows, left, right = _history()
    s = score(rows + _target("t", left[:15] + right[:15], left[15:18] + right[15:18])).items["t"]
    assert s.status == SUPPORT
    assert s.intercept is not None and s.intercept >= 0.40 and s.factor is not None and abs(s.factor) < 0.5
    assert min(s.net_supporters.values()) >= 4
    assert s.reasons[0].startswith("intercept") and "need 4 on each" in s.reasons[2]


def test_camp_line_support_is_polarised() -> None:
    rows, left, right = _history()
    s = score(rows + _target("t", left[:20], right[:20])).items["t"]
    assert s.status != SUPPORT
    assert s.factor is not None and abs(s.factor) >= 0.5
    assert any("support follows the viewpoint axis" in r for r in s.reasons)


def test_one_sided_support_fails_the_per_side_minimum() -> None:
    """100 supporters, nearly all on one side: the model alone would call it bridged; the per-side rule does not."""
    rows, left, right = _history()
    ratings = rows + _target("t", left[:100] + right[:1])
    loose = score(ratings, params=ScoringParams(min_net_per_side=0, min_net_per_side_ratio=0.0)).items["t"]
    assert loose.status == SUPPORT  # intercept and factor pass
    strict = score(ratings).items["t"]
    assert strict.status == NO_CONSENSUS
    assert strict.intercept == loose.intercept and min(strict.net_supporters.values()) < 4
    assert any("one-sided support" in r for r in strict.reasons)


def test_raters_with_too_few_ratings_are_left_out_of_the_fit() -> None:
    rows, _, _ = _history()
    newcomers = [(f"new{k:02d}", f"h{i:03d}", 1.0) for k in range(30) for i in range(8)]  # 9 with the target
    result = score(rows + newcomers + [(f"new{k:02d}", "t", 1.0) for k in range(30)])
    assert set(result.excluded_low_volume) == {f"new{k:02d}" for k in range(30)}
    assert all(result.rater_factor[f"new{k:02d}"] is None for k in range(30))
    t = result.items["t"]
    assert t.ratings == 30 and t.ratings_in_fit == 0 and t.status == INSUFFICIENT
    # one more rating each puts them in the fit
    tenth = [(f"new{k:02d}", "h059", 1.0) for k in range(30)]
    again = score(rows + newcomers + tenth + [(f"new{k:02d}", "t", 1.0) for k in range(30)])
    assert not again.excluded_low_volume and again.rater_factor["new00"] is not None


def _split_brigade(size: int, polarity: tuple[float, ...]) -> list[Rating]:
    """New accounts that all support the target and rate the 10 most polarised items, half each camp's way."""
    line = np.argsort(-np.abs(np.array(polarity)))[:10]
    out: list[Rating] = []
    for b in range(size):
        out.append((f"b{b:05d}", "lift", 1.0))
        out += [(f"b{b:05d}", f"h{i:03d}", float((polarity[i] > 0) == (b % 2 == 1))) for i in line]
    return out


def test_reputation_round_makes_a_brigade_weightless() -> None:
    rows, left, right = _history()
    polarity = _population()[3]
    organic = rows + _target("lift", right[:25], left[:25])
    before = score(organic, contested={"lift"}).items["lift"]
    attacked = organic + _split_brigade(300, polarity)
    naive = score(attacked, params=ScoringParams(reputation=False), contested={"lift"})
    assert naive.items["lift"].status == SUPPORT  # one round: the brigade looks bridged
    result = score(attacked, contested={"lift"})
    assert result.reputation_applied
    assert {k for k in result.excluded_reputation if k.startswith("b")} == {f"b{b:05d}" for b in range(300)}
    after = result.items["lift"]
    assert after.status == before.status != SUPPORT
    assert after.intercept == pytest.approx(before.intercept, abs=1e-6)
    assert after.ratings_in_fit == before.ratings_in_fit


def test_same_input_same_bits_whatever_the_order() -> None:
    rows, left, right = _history()
    ratings = rows + _target("t", left[:15] + right[:15])
    a = score(ratings, params=ScoringParams(seed=4))
    b = score(list(reversed(ratings)), params=ScoringParams(seed=4))
    assert a.as_dict() == b.as_dict()
    assert np.array_equal(a.arrays.rater_factor, b.arrays.rater_factor, equal_nan=True)


def test_converged_fit_does_not_depend_on_the_start() -> None:
    rows, left, right = _history()
    ratings = rows + _target("t", left[:15] + right[:15])
    tight = {"tol": 1e-9, "max_sweeps": 5000}
    a = score(ratings, params=ScoringParams(seed=1, restarts=1, **tight))
    b = score(ratings, params=ScoringParams(seed=77, restarts=3, **tight))
    assert {k: v.status for k, v in a.items.items()} == {k: v.status for k, v in b.items.items()}
    assert a.items["t"].intercept == pytest.approx(b.items["t"].intercept, abs=1e-4)


def _sides(n: int = 20, neg: int = 8, pos: int = 8) -> SideCounts:
    one = np.array
    return SideCounts(
        ratings=one([n]),
        supporters_neg=one([neg]),
        supporters_pos=one([pos]),
        net_neg=one([neg]),
        net_pos=one([pos]),
        raters_neg=one([n // 2]),
        raters_pos=one([n - n // 2]),
    )


@pytest.mark.parametrize(
    ("intercept", "factor", "sides", "expected"),
    [
        (0.45, 0.1, _sides(), SUPPORT),
        (0.39, 0.1, _sides(), NO_CONSENSUS),  # intercept under 0.40
        (0.45, 0.5, _sides(), NO_CONSENSUS),  # polarised: |factor| must stay under 0.5
        (0.45, -0.6, _sides(), NO_CONSENSUS),
        (0.45, 0.1, _sides(neg=3), NO_CONSENSUS),  # 3 net supporters on one side
        (0.45, 0.1, _sides(n=100, neg=4, pos=40), NO_CONSENSUS),  # 4 is under 5 % of 100 ratings
        (0.45, 0.1, _sides(n=4), INSUFFICIENT),
        (-0.06, 0.0, _sides(), OPPOSITION),
        (-0.3, 0.4, _sides(), NO_CONSENSUS),  # −0.05 − 0.8·0.4 = −0.37: polarised opposition is not bridged
        (-0.4, 0.4, _sides(), OPPOSITION),
    ],
)
def test_each_rule_can_fail(intercept: float, factor: float, sides: SideCounts, expected: str) -> None:
    got = statuses(np.array([intercept]), np.array([factor]), sides, ScoringParams())
    assert STATUSES[int(got[0])] == expected


def test_hysteresis_keeps_a_status_near_the_line() -> None:
    p = ScoringParams()
    near = np.array([0.395])
    assert STATUSES[int(statuses(near, np.array([0.1]), _sides(), p)[0])] == NO_CONSENSUS
    prev = np.array([CODE[SUPPORT]], dtype=np.int8)
    assert STATUSES[int(statuses(near, np.array([0.1]), _sides(), p, prev)[0])] == SUPPORT


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        score_arrays(
            [0, 0], [1, 1], [1.0, 0.0], params=ScoringParams(min_ratings_per_rater=1, min_ratings_per_item=1)
        )
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        score([("a", "x", 2.0)])
    with pytest.raises(ValueError, match="same length"):
        score_arrays([0, 1], [0], [1.0])
