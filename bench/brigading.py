"""Brigading: can 1,000 coordinated new accounts from one camp flip a community poll?

An organic population (55 % left / 45 % right, positions spread around each camp) has a rating history on a few
hundred items. The target poll ("lift this ban?") is divisive: the right camp mostly supports it, the left mostly
not, so the raw result is "no" and the bridged result is not "supported across viewpoints". Then a brigade of new
right-camp accounts all votes "yes". Two brigade behaviours are measured:

- partisan: each brigade account also rates 10 polarised history items in its camp's line (how a warmed-up
  brigade looks; the fit places it on the right of the axis);
- drive-by: each brigade account rates only the target poll (no history; the fit cannot place it).

Eligibility rules (account age, activity) would exclude both kinds in production; this benchmark measures the
model alone, the worst case. Printed: the raw and bridged results before and after 1,000 accounts, and the brigade
size needed to move the bridged status and the bridged support past 0.5. Run: `.venv/bin/python bench/brigading.py`.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from townsquare.council.bridging import ItemReport, describe_item, fit


def organic(
    n_accounts: int, n_items: int, per_account: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    camp = np.where(rng.random(n_accounts) < 0.55, -1.0, 1.0)
    position = camp * np.abs(rng.normal(1.0, 0.4, n_accounts))
    polarity = rng.normal(0.0, 1.0, n_items)
    base = rng.normal(0.0, 0.7, n_items)
    target = n_items  # the poll item
    polarity = np.append(polarity, 0.9)  # right camp supports, left camp opposes
    base = np.append(base, -0.35)
    k = rng.poisson(per_account, n_accounts) + 3
    u = np.repeat(np.arange(n_accounts), k)
    n = rng.integers(0, n_items, u.size)
    # 20 % of the organic population votes in the poll
    voters = np.flatnonzero(rng.random(n_accounts) < 0.2)
    u = np.concatenate([u, voters])
    n = np.concatenate([n, np.full(voters.size, target)])
    key = np.unique(u.astype(np.int64) * (n_items + 1) + n)
    u, n = key // (n_items + 1), key % (n_items + 1)
    p = 1.0 / (1.0 + np.exp(-(base[n] + 2.0 * position[u] * polarity[n])))
    r = (rng.random(u.size) < p).astype(np.float64)
    return u, n, r, polarity, camp


def with_brigade(
    u: np.ndarray,
    n: np.ndarray,
    r: np.ndarray,
    polarity: np.ndarray,
    size: int,
    partisan: bool,
    n_accounts: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    target = polarity.size - 1
    ids = np.arange(n_accounts, n_accounts + size)
    bu, bn, br = [ids], [np.full(size, target)], [np.ones(size)]
    if partisan:
        line = np.argsort(-np.abs(polarity[:target]))[:10]  # the 10 most polarised history items
        for item in line:
            bu.append(ids)
            bn.append(np.full(size, item))
            br.append(np.full(size, 1.0 if polarity[item] > 0 else 0.0))  # the right camp's line
    return (
        np.concatenate([u, *bu]),
        np.concatenate([n, *bn]),
        np.concatenate([r, *br]),
    )


def score(u: np.ndarray, n: np.ndarray, r: np.ndarray, target: int, seed: int) -> ItemReport:
    result = fit(u, n, r, n_raters=int(u.max()) + 1, n_items=target + 1, seed=seed)
    return describe_item(result, target, u, n, r)


def line(label: str, rep: ItemReport) -> str:
    raw = "yes" if rep.raw_support > 0.5 else "no"
    return (
        f"{label:<28} votes {rep.votes:>6}  raw {rep.raw_support:6.1%} ({raw:>3})  bridged support "
        f"{rep.bridged_support:6.3f}  polarisation {rep.polarisation:5.3f}  status {rep.status}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--per-account", type=int, default=25)
    ap.add_argument("--brigade", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()

    t0 = time.perf_counter()
    u, n, r, polarity, camp = organic(args.accounts, args.items, args.per_account, args.seed)
    target = args.items
    on_target = n == target
    left = camp[u[on_target]] < 0
    print(
        f"organic: {args.accounts:,} accounts ({(camp < 0).mean():.0%} left / {(camp > 0).mean():.0%} right), "
        f"{u.size:,} votes on {args.items} items + the poll; poll voters: {on_target.sum():,} "
        f"(left support {r[on_target][left].mean():.0%}, right support {r[on_target][~left].mean():.0%})"
    )
    before = score(u, n, r, target, args.seed)
    print(line("organic only", before))
    for partisan in (True, False):
        kind = "partisan" if partisan else "drive-by"
        after = score(
            *with_brigade(u, n, r, polarity, args.brigade, partisan, args.accounts), target, args.seed
        )
        print(line(f"+{args.brigade:,} {kind} brigade", after))
        flipped_raw = (before.raw_support > 0.5) != (after.raw_support > 0.5)
        print(
            f"  -> raw result {'FLIPS' if flipped_raw else 'holds'}; bridged status "
            f"{'holds' if after.status == before.status else 'MOVES'} ({before.status} -> {after.status}); "
            f"bridged support moved {after.bridged_support - before.bridged_support:+.3f}"
        )
    organic_voters = int(on_target.sum())
    raw_flip = max(int(np.ceil((0.5 - before.raw_support) * before.votes / 0.5)) + 1, 1)

    def fmt(x: int | None) -> str:
        if x is None:
            return "not reached by 100,000"
        return f"{x:,} accounts ({x / organic_voters:.1f}x the organic poll voters, {x / raw_flip:.0f}x the raw flip)"

    print(f"raw majority flips at ~{raw_flip:,} accounts (for comparison)")
    print("brigade size needed to move the bridged result:")
    for partisan in (True, False):
        kind = "partisan" if partisan else "drive-by"
        status_at = half_at = moved_at = None
        trail = []
        for size in (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000):
            rep = score(*with_brigade(u, n, r, polarity, size, partisan, args.accounts), target, args.seed)
            trail.append(f"{size:,}: {rep.bridged_support:.3f}")
            if moved_at is None and rep.bridged_support - before.bridged_support >= 0.1:
                moved_at = size
            if status_at is None and rep.status != before.status:
                status_at = size
            if half_at is None and rep.bridged_support > 0.5:
                half_at = size
            if status_at is not None and half_at is not None:
                break
        print(f"  {kind:<9} bridged support +0.10 at {fmt(moved_at)}")
        print(f"  {kind:<9} bridged support > 0.50 at {fmt(half_at)}")
        print(f"  {kind:<9} bridged status changes at {fmt(status_at)}")
        print(f"            bridged support by brigade size: {'; '.join(trail)}")
    print(f"total time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
