"""Scorer speed at two sizes: 1M ratings (50,000 raters, 10,000 items) and 10M ratings (1M raters, 100,000 items).

For each size, in the same run and on the same arrays:
- baseline: one raw per-item mean with np.bincount (the cheapest possible pass over the ratings);
- `council.scoring.score_arrays`: the full Community Notes-grade scorer (low-volume filter, fit, statuses,
  reputation, second fit, final statuses with per-side counts);
- at 1M also the single-round `council.bridging.fit` (the figure this bench printed before, kept for comparison).
Prints medians over --runs, CPU time, the ratio to the baseline, the targets (1M: < 30 s; 10M: < 120 s on 2 cores)
and how well the fit recovers the planted viewpoints and bridged support.
Run: `.venv/bin/python bench/bridging.py [--runs 3] [--sizes 1m,10m]`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from townsquare.council.bridging import fit
from townsquare.council.scoring import STATUSES, ScoringParams, score_arrays

SIZES = {"1m": (1_000_000, 50_000, 10_000, 30.0), "10m": (10_000_000, 1_000_000, 100_000, 120.0)}


def _draw(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with probability ∝ weights (inverse CDF; rng.choice(p=) is far slower at 1M categories)."""
    cdf = np.cumsum(weights)
    return np.minimum(np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right"), weights.size - 1)


def _distinct(key: np.ndarray) -> np.ndarray:
    key = np.sort(key)
    return key[np.concatenate([[True], key[1:] != key[:-1]])]


def synthetic(
    n_votes: int, n_voters: int, n_items: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two-camp population (55/45), items with a planted polarity and a planted cross-camp support."""
    rng = np.random.default_rng(seed)
    camp = np.where(rng.random(n_voters) < 0.55, -1.0, 1.0)
    position = camp * np.abs(rng.normal(1.0, 0.35, n_voters))
    polarity = rng.normal(0.0, 0.8, n_items)
    bridged = rng.normal(0.0, 0.8, n_items)
    # heavy-tailed activity: a few voters vote a lot, most a little; nobody votes on most of the catalogue
    activity = np.minimum(rng.pareto(1.5, n_voters) + 1.0, 200.0)
    pop = rng.pareto(1.2, n_items) + 1.0
    key = np.empty(0, dtype=np.int64)
    while key.size < n_votes:  # one vote per (voter, item): draw until enough distinct pairs
        draw = int((n_votes - key.size) * 1.2) + 1000
        u = _draw(rng, activity, draw).astype(np.int64)
        n = _draw(rng, pop, draw).astype(np.int64)
        key = _distinct(np.concatenate([key, u * n_items + n]))
    key = rng.permutation(key)[:n_votes]
    u, n = key // n_items, key % n_items
    logit = bridged[n] + polarity[n] * position[u] * 1.5
    p = 1.0 / (1.0 + np.exp(-logit))
    x = rng.random(u.size)
    r = np.where(x < p * 0.85, 1.0, np.where(x < p * 0.85 + 0.15, 0.5, 0.0))
    return u, n, r, position, bridged


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], list[float], Any]:
    walls, cpus, out = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return walls, cpus, out


def bench_size(
    label: str, runs: int, seed: int, with_previous: bool, params: ScoringParams, check_tol: bool
) -> None:
    n_votes, n_voters, n_items, target = SIZES[label]
    t0 = time.perf_counter()
    u, n, r, position, bridged = synthetic(n_votes, n_voters, n_items, seed)
    print(
        f"\n== {u.size:,} ratings, {n_voters:,} raters, {n_items:,} items "
        f"(generated in {time.perf_counter() - t0:.1f} s) =="
    )
    base, _, _ = timed(
        lambda: (
            np.bincount(n, weights=r, minlength=n_items) / np.maximum(np.bincount(n, minlength=n_items), 1)
        ),
        max(runs, 3),
    )
    bmed = statistics.median(base)
    print(f"baseline (raw per-item mean): median {bmed * 1000:.1f} ms")
    walls, cpus, res = timed(
        lambda: score_arrays(u, n, r, n_raters=n_voters, n_items=n_items, params=params), runs
    )
    med = statistics.median(walls)
    print(
        f"scorer (2 rounds): median {med:.1f} s over {runs} runs (min {min(walls):.1f}, max {max(walls):.1f}); "
        f"CPU median {statistics.median(cpus):.1f} s; scorer/baseline {med / bmed:,.0f}x; "
        f"target < {target:.0f} s -> {'PASS' if med < target else 'FAIL'}"
    )
    for k, rd in enumerate(res.rounds, start=1):
        print(
            f"  round {k}: {rd.raters:,} raters, {rd.items:,} items, {rd.ratings:,} ratings, {rd.sweeps} sweeps "
            f"(converged={rd.converged}), mu {rd.mu:.3f}, settled {rd.settled:,}"
        )
    counts = {s: int((res.status == i).sum()) for i, s in enumerate(STATUSES)}
    print(
        f"  statuses: {counts}; raters left out: {int(res.low_volume.sum()):,} (< {params.min_ratings_per_rater} ratings), "
        f"{int(res.low_reputation.sum()):,} (reputation)"
    )
    fitted = ~np.isnan(res.rater_factor)
    corr_pos = abs(np.corrcoef(res.rater_factor[fitted], position[fitted])[0, 1])
    busy = ~np.isnan(res.intercept) & (res.ratings >= 20)
    corr_int = np.corrcoef(res.intercept[busy], bridged[busy])[0, 1]
    print(
        f"  recovery: |corr(f_u, planted position)| = {corr_pos:.3f}; "
        f"corr(i_n, planted bridged support) = {corr_int:.3f} (items with >= 20 ratings)"
    )
    if check_tol:
        tight = score_arrays(
            u, n, r, n_raters=n_voters, n_items=n_items, params=replace(params, tol=1e-8, max_sweeps=3000)
        )
        both = ~np.isnan(tight.intercept) & ~np.isnan(res.intercept)
        print(
            f"  convergence: statuses identical to a 1e-8-tolerance fit for "
            f"{(tight.status == res.status).mean():.4%} of items; max |intercept difference| "
            f"{np.abs(tight.intercept[both] - res.intercept[both]).max():.2e} "
            f"({tight.rounds[0].sweeps}+{tight.rounds[-1].sweeps} sweeps)"
        )
    if with_previous:
        walls, cpus, old = timed(lambda: fit(u, n, r, n_raters=n_voters, n_items=n_items, seed=seed), runs)
        omed = statistics.median(walls)
        print(
            f"previous one-round fit (council.bridging.fit): median {omed:.1f} s, CPU median "
            f"{statistics.median(cpus):.1f} s, {old.iterations} sweeps; /baseline {omed / bmed:,.0f}x; "
            f"scorer/previous {med / omed:.2f}x"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="1m,10m")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--min-ratings-per-rater",
        type=int,
        default=10,
        help="1 = every rater in the fit (the worst case for speed)",
    )
    ap.add_argument("--check-tol", action="store_true", help="also compare with a 1e-8-tolerance fit")
    args = ap.parse_args()
    params = ScoringParams(seed=args.seed, min_ratings_per_rater=args.min_ratings_per_rater)
    import os

    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (wall > CPU means a shared machine)"
    )
    for label in args.sizes.split(","):
        bench_size(label.strip(), args.runs, args.seed, label.strip() == "1m", params, args.check_tol)


if __name__ == "__main__":
    main()
