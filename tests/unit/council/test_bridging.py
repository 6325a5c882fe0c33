"""The factorisation: determinism, optimality, bridging behaviour and input validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from townsquare.council import bridging
from townsquare.council.bridging import fit, fit_keyed, item_status


def _two_camps(seed: int = 1, voters: int = 80, items: int = 40, votes: int = 1400):
    rng = np.random.default_rng(seed)
    camp = np.where(rng.random(voters) < 0.5, -1.0, 1.0)
    polarity = rng.normal(0, 1, items)
    support = rng.normal(0, 0.5, items)
    key = np.unique(rng.integers(0, voters, votes) * items + rng.integers(0, items, votes))
    u, n = key // items, key % items
    p = 1 / (1 + np.exp(-(support[n] + 2 * camp[u] * polarity[n])))
    r = (rng.random(u.size) < p).astype(float)
    return u, n, r, camp


def test_same_seed_gives_identical_bits() -> None:
    u, n, r, _ = _two_camps()
    a = fit(u, n, r, seed=3)
    b = fit(u, n, r, seed=3)
    for x, y in [
        (a.rater_factor, b.rater_factor),
        (a.item_intercept, b.item_intercept),
        (a.item_factor, b.item_factor),
        (a.rater_intercept, b.rater_intercept),
    ]:
        assert np.array_equal(x, y)
    assert a.mu == b.mu and a.loss == b.loss


def test_different_seeds_reach_the_same_optimum() -> None:
    u, n, r, _ = _two_camps()
    a = fit(u, n, r, seed=1, tol=1e-10, max_iter=5000)
    b = fit(u, n, r, seed=99, tol=1e-10, max_iter=5000)
    assert a.loss == pytest.approx(b.loss, rel=1e-6)
    assert np.allclose(a.item_intercept, b.item_intercept, atol=1e-4)


def test_matches_a_generic_optimiser() -> None:
    u, n, r, _ = _two_camps(seed=5, voters=30, items=15, votes=300)
    nu, ni = int(u.max()) + 1, int(n.max()) + 1
    ours = fit(u, n, r, seed=0, tol=1e-10, max_iter=10000)

    def loss(x: np.ndarray) -> tuple[float, np.ndarray]:
        mu, a, f = x[0], x[1 : 1 + nu], x[1 + nu : 1 + 2 * nu]
        b, g = x[1 + 2 * nu : 1 + 2 * nu + ni], x[1 + 2 * nu + ni :]
        pred = mu + a[u] + b[n] + f[u] * g[n]
        e = -2 * (r - pred)
        grad = np.concatenate(
            [
                [e.sum() + 0.3 * mu],
                np.bincount(u, e, nu) + 0.3 * a,
                np.bincount(u, e * g[n], nu) + 0.06 * f,
                np.bincount(n, e, ni) + 0.3 * b,
                np.bincount(n, e * f[u], ni) + 0.06 * g,
            ]
        )
        return bridging._loss(r, pred, mu, a, f, b, g, 0.15, 0.03), grad

    best = min(
        minimize(
            loss, np.random.default_rng(s).normal(0, 0.1, 1 + 2 * nu + 2 * ni), jac=True, method="L-BFGS-B"
        ).fun
        for s in range(2)
    )
    assert ours.loss <= best + 1e-5


def test_recovers_the_camps() -> None:
    u, n, r, camp = _two_camps(voters=120, items=60, votes=3000)
    f = fit(u, n, r).rater_factor
    assert abs(np.corrcoef(f, camp)[0, 1]) > 0.8


def test_partisan_support_lands_in_the_factor_and_cross_camp_support_in_the_intercept() -> None:
    # 40 left, 40 right raters; 20 history items split along camps; item A: only the left supports;
    # item B: both camps support.
    votes: list[tuple[str, str, float]] = []
    for k in range(80):
        side = 1.0 if k < 40 else 0.0
        for h in range(20):
            votes.append((f"u{k}", f"h{h}", side if h % 2 else 1 - side))
        votes.append((f"u{k}", "A", side))
        votes.append((f"u{k}", "B", 1.0))
    kf = fit_keyed(votes)
    ia, fa, _ = kf.item("A")  # type: ignore[misc]
    ib, fb, _ = kf.item("B")  # type: ignore[misc]
    mu = kf.fit.mu
    assert abs(fa) > 0.3 and abs(fb) < 0.1
    assert mu + ib > 0.9 and mu + ia < 0.6
    assert ib > ia + 0.4


def test_axis_sign_is_fixed_by_the_most_extreme_rater() -> None:
    u, n, r, _ = _two_camps()
    f = fit(u, n, r).rater_factor
    assert f[np.argmax(np.abs(f))] > 0


def test_keyed_fit_ignores_input_order() -> None:
    votes = [(f"u{k % 7}", f"i{k % 5}", float((k * 7) % 3) / 2) for k in range(35)]
    a = fit_keyed(votes, seed=4)
    b = fit_keyed(list(reversed(votes)), seed=4)
    assert np.array_equal(a.fit.item_intercept, b.fit.item_intercept)
    assert a.rater_position("u3") == b.rater_position("u3")
    assert a.rater_position("nobody") is None and a.item("nothing") is None


def test_empty_and_invalid_input() -> None:
    f = fit([], [], [], n_raters=0, n_items=0)
    assert f.mu == 0.0 and f.item_intercept.size == 0
    with pytest.raises(ValueError):
        fit([0, 1], [0], [1.0, 0.0])
    with pytest.raises(ValueError):
        fit([0], [5], [1.0], n_raters=1, n_items=2)
    with pytest.raises(ValueError):
        fit([0], [0], [1.0], lambda_factor=0)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 6), st.sampled_from([0.0, 0.5, 1.0])),
        min_size=1,
        max_size=60,
    )
)
def test_fit_is_finite_and_no_worse_than_zero(rows: list[tuple[int, int, float]]) -> None:
    uniq = {(a, b): v for a, b, v in rows}
    u = np.array([k[0] for k in uniq]), np.array([k[1] for k in uniq]), np.array(list(uniq.values()))
    res = fit(*u, n_raters=10, n_items=7, restarts=2)
    assert np.isfinite(res.loss)
    zero_loss = float((u[2] ** 2).sum())  # all parameters zero
    assert res.loss <= zero_loss + 1e-9


def test_item_status_rules() -> None:
    assert item_status(0.7, 0.1, 4, left=2, right=2) == "insufficient_votes"
    assert item_status(0.7, 0.1, 10, left=2, right=2) == "bridged_support"
    assert item_status(0.7, 0.1, 10, left=0, right=5) == "no_consensus"
    assert item_status(0.7, 0.4, 10, left=2, right=2) == "no_consensus"
    assert item_status(0.2, 0.1, 10, left=0, right=0) == "bridged_opposition"
    assert item_status(0.3, 0.2, 10, left=0, right=0) == "no_consensus"
