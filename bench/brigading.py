"""Brigading: does a 3,000-account single-camp brigade carry any weight in a community poll?

An organic population (55 % left / 45 % right, positions spread around each camp) has a rating history on a few
hundred items. The target poll ("lift this ban?") is divisive: the right camp mostly supports it, the left mostly
not. Then brigades of new accounts vote "yes":

- drive-by: each account rates only the poll (no history);
- partisan: each also rates the 10 most polarised history items in the right camp's line (a warmed-up brigade;
  it passes the 10-ratings minimum and the fit places it on the right of the axis);
- split (camouflaged across the axis): half rate the polarised items the left camp's way, half the right camp's —
  the attack that beats a one-round fit, shown to name what the reputation round does and does not do.

Each is scored three ways on the same data: raw share; one round (the fit and the rules, no reputation round); and
the full scorer (`council.scoring`, the poll as the contested item). "No weight" means none of the brigade's
accounts is in the final fit and the poll's status is the organic one; the bench also prints the brigade's indirect
effect (its presence in round 1 changes which history items settle, so which organic raters earn a reputation). Eligibility rules (account age,
activity) would exclude these accounts in production; this measures the model alone, the worst case.
Run: `.venv/bin/python bench/brigading.py [--brigade 3000]`.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from townsquare.council.scoring import STATUSES, ArrayScores, ScoringParams, score_arrays


def organic(
    n_accounts: int, n_items: int, per_account: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    camp = np.where(rng.random(n_accounts) < 0.55, -1.0, 1.0)
    position = camp * np.abs(rng.normal(1.0, 0.4, n_accounts))
    polarity = np.append(rng.normal(0.0, 1.0, n_items), 0.9)  # the poll: right camp supports, left opposes
    base = np.append(rng.normal(0.0, 0.7, n_items), -0.35)
    target = n_items
    k = rng.poisson(per_account, n_accounts) + 3
    u = np.repeat(np.arange(n_accounts), k)
    n = rng.integers(0, n_items, u.size)
    voters = np.flatnonzero(rng.random(n_accounts) < 0.2)  # 20 % of the population votes in the poll
    u = np.concatenate([u, voters])
    n = np.concatenate([n, np.full(voters.size, target)])
    key = np.unique(u.astype(np.int64) * (n_items + 1) + n)
    u, n = key // (n_items + 1), key % (n_items + 1)
    p = 1.0 / (1.0 + np.exp(-(base[n] + 2.0 * position[u] * polarity[n])))
    r = (rng.random(u.size) < p).astype(np.float64)
    return u, n, r, polarity, camp


def with_brigade(
    u: np.ndarray, n: np.ndarray, r: np.ndarray, polarity: np.ndarray, size: int, kind: str, n_accounts: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    target = polarity.size - 1
    ids = np.arange(n_accounts, n_accounts + size)
    bu, bn, br = [ids], [np.full(size, target)], [np.ones(size)]
    if kind != "drive-by":
        right_line = np.arange(size) >= 0 if kind == "partisan" else ids % 2 == 1
        for item in np.argsort(-np.abs(polarity[:target]))[:10]:  # the 10 most polarised history items
            bu.append(ids)
            bn.append(np.full(size, item))
            br.append(np.where(right_line == (polarity[item] > 0), 1.0, 0.0))
    return np.concatenate([u, *bu]), np.concatenate([n, *bn]), np.concatenate([r, *br])


def reading(u: np.ndarray, n: np.ndarray, r: np.ndarray, target: int, rounds: int, seed: int) -> ArrayScores:
    params = ScoringParams(seed=seed, reputation=rounds == 2)
    return score_arrays(
        u, n, r, n_raters=int(u.max()) + 1, n_items=target + 1, params=params, contested=[target]
    )


def line(label: str, res: ArrayScores, target: int, raw: float) -> str:
    s = res.sides
    icpt = res.intercept[target]
    return (
        f"{label:<34} raw yes {raw:6.1%}  status {STATUSES[int(res.status[target])]:<18} intercept "
        f"{icpt:7.3f}  factor {res.factor[target]:6.3f}  net per side {int(s.net_neg[target]):>5}/"
        f"{int(s.net_pos[target]):<5} ratings in fit {int(s.ratings[target]):>5}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--per-account", type=int, default=25)
    ap.add_argument("--brigade", type=int, default=3_000)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()

    t0 = time.perf_counter()
    u, n, r, polarity, camp = organic(args.accounts, args.items, args.per_account, args.seed)
    target = args.items
    on = n == target
    left = camp[u[on]] < 0
    print(
        f"organic: {args.accounts:,} accounts ({(camp < 0).mean():.0%} left / {(camp > 0).mean():.0%} right), "
        f"{u.size:,} ratings on {args.items} items + the poll; poll voters {int(on.sum()):,} "
        f"(left yes {r[on][left].mean():.0%}, right yes {r[on][~left].mean():.0%})"
    )
    base = {k: reading(u, n, r, target, k, args.seed) for k in (1, 2)}
    print(line("organic, one round", base[1], target, float(r[on].mean())))
    print(line("organic, full scorer", base[2], target, float(r[on].mean())))
    for kind in ("drive-by", "partisan", "split"):
        bu, bn, br = with_brigade(u, n, r, polarity, args.brigade, kind, args.accounts)
        raw = float(br[bn == target].mean())
        one = reading(bu, bn, br, target, 1, args.seed)
        full = reading(bu, bn, br, target, 2, args.seed)
        print(f"+{args.brigade:,} {kind} brigade:")
        print(line("  one round (no reputation)", one, target, raw))
        print(line("  full scorer", full, target, raw))
        brigade = np.arange(args.accounts, args.accounts + args.brigade)
        in_fit = int((~np.isnan(full.rater_factor[brigade])).sum())
        b2 = base[2]
        status_same = full.status[target] == b2.status[target]
        identical = (
            status_same
            and np.isclose(full.intercept[target], b2.intercept[target], atol=1e-9)
            and full.sides.ratings[target] == b2.sides.ratings[target]
        )
        why = (
            f"{int(full.low_volume[brigade].sum()):,} under 10 ratings, "
            f"{int(full.low_reputation[brigade].sum()):,} without a settled record"
        )
        if in_fit == 0 and identical:
            verdict = "NO WEIGHT: the poll's reading is identical to the organic one"
        elif in_fit == 0 and status_same:
            verdict = (
                "NO WEIGHT in the final fit, status unchanged; indirect effect through round 1 (which history "
                f"items settled): organic ratings in the fit {int(b2.sides.ratings[target]):,} -> "
                f"{int(full.sides.ratings[target]):,}, intercept {b2.intercept[target]:+.3f} -> "
                f"{full.intercept[target]:+.3f}"
            )
        else:
            verdict = "CARRIES WEIGHT"
        print(f"  -> brigade accounts in the final fit: {in_fit:,} of {args.brigade:,} ({why})")
        print(f"     {verdict}")
    print(f"total time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
