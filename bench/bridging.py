"""Scorer speed: 1,000,000 votes from 50,000 voters on 10,000 items, fitted with townsquare.council.bridging.fit.

Prints the median wall time of several fits (target < 30 s on 2 cores), the ratio to a baseline measured in the
same run (one raw per-item mean with np.bincount over the same arrays — the cheapest possible pass), and how well
the fit recovers the planted viewpoints and bridged support. Run: `.venv/bin/python bench/bridging.py [--runs 3]`.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from townsquare.council.bridging import fit


def synthetic(
    n_votes: int, n_voters: int, n_items: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two-camp population (55/45), items with a planted polarity and a planted cross-camp support."""
    rng = np.random.default_rng(seed)
    camp = np.where(rng.random(n_voters) < 0.55, -1.0, 1.0)
    position = camp * np.abs(rng.normal(1.0, 0.35, n_voters))
    polarity = rng.normal(0.0, 0.8, n_items)
    bridged = rng.normal(0.0, 0.8, n_items)
    # heavy-tailed activity: a few voters vote a lot, most a little
    activity = rng.pareto(1.5, n_voters) + 1.0
    pop = rng.pareto(1.2, n_items) + 1.0
    activity = np.minimum(activity, 200.0)  # nobody votes on most of the catalogue
    key = np.empty(0, dtype=np.int64)
    while key.size < n_votes:  # one vote per (voter, item): draw until enough distinct pairs
        draw = int((n_votes - key.size) * 1.2) + 1000
        u = rng.choice(n_voters, draw, p=activity / activity.sum())
        n = rng.choice(n_items, draw, p=pop / pop.sum())
        key = np.unique(np.concatenate([key, u.astype(np.int64) * n_items + n]))
    key = rng.permutation(key)[:n_votes]
    u, n = key // n_items, key % n_items
    logit = bridged[n] + polarity[n] * position[u] * 1.5
    p = 1.0 / (1.0 + np.exp(-logit))
    x = rng.random(u.size)
    r = np.where(x < p * 0.85, 1.0, np.where(x < p * 0.85 + 0.15, 0.5, 0.0))
    return u, n, r, position, bridged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--votes", type=int, default=1_000_000)
    ap.add_argument("--voters", type=int, default=50_000)
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    t0 = time.perf_counter()
    u, n, r, position, bridged = synthetic(args.votes, args.voters, args.items, args.seed)
    print(
        f"data: {u.size:,} votes, {args.voters:,} voters, {args.items:,} items (generated in "
        f"{time.perf_counter() - t0:.1f} s)"
    )

    base: list[float] = []
    times: list[float] = []
    cpu: list[float] = []
    result = None
    for _ in range(args.runs):
        t = time.perf_counter()
        np.bincount(n, weights=r, minlength=args.items) / np.maximum(np.bincount(n, minlength=args.items), 1)
        base.append(time.perf_counter() - t)
        t, c = time.perf_counter(), time.process_time()
        result = fit(u, n, r, n_raters=args.voters, n_items=args.items, seed=args.seed)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    assert result is not None
    med, bmed = statistics.median(times), statistics.median(base)
    seen = result.rater_votes >= 5
    corr_pos = abs(np.corrcoef(result.rater_factor[seen], position[seen])[0, 1])
    busy = result.item_votes >= 20
    corr_int = np.corrcoef(result.item_intercept[busy], bridged[busy])[0, 1]
    print(
        f"fit: median {med:.2f} s over {args.runs} runs (min {min(times):.2f}, max {max(times):.2f}); "
        f"{result.iterations} sweeps, converged={result.converged}; CPU median {statistics.median(cpu):.2f} s "
        f"(wall > CPU means the machine is shared)"
    )
    print(f"baseline (raw per-item mean): median {bmed * 1000:.1f} ms; fit/baseline ratio {med / bmed:.0f}x")
    print(f"target: < 30 s -> {'PASS' if med < 30 else 'FAIL'}")
    print(
        f"recovery: |corr(f_u, planted position)| = {corr_pos:.3f} (voters with >= 5 votes); "
        f"corr(i_n, planted bridged support) = {corr_int:.3f} (items with >= 20 votes)"
    )


if __name__ == "__main__":
    main()
