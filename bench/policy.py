"""Policy engine speed: evaluating the shipped default policy on 100,000 hand-built assessments.

Prints the median wall time of several passes, per-item microseconds, and the ratio to a baseline measured in the
same run (the cheapest possible pass: reading each item's strongest tier, no rules). Also times `policy check` of
the default file. Run: `.venv/bin/python bench/policy.py [--items 100000] [--runs 5]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from townsquare.classify import taxonomy
from townsquare.policy.conditions import Facts
from townsquare.policy.engine import PACKAGED_DEFAULT, load_policy
from townsquare.policy.loader import check_text

WORDS = [
    "the",
    "market",
    "bread",
    "sun",
    "city",
    "rats",
    "must",
    "be",
    "exterminated",
    "double",
    "your",
    "bitcoin",
    "claim",
    "your",
    "prize",
    "debate",
]


def corpus(n: int, seed: int) -> list[Facts]:
    rng = random.Random(seed)
    items = []
    for _ in range(n):
        scores = {lab: rng.random() ** 3 for lab in rng.sample(taxonomy.LABELS, rng.randint(0, 4))}
        tiers = {lab: taxonomy.tier_for(lab, s) for lab, s in scores.items()}
        labels = frozenset(lab for lab, s in scores.items() if s >= taxonomy.SPECS[lab].threshold)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40)))
        items.append(
            Facts(
                labels=labels,
                scores=scores,
                tiers=tiers,
                text=text,
                lang=rng.choice(["fr", "en"]),
                strikes=rng.choice([0, 0, 0, 1, 2.5]),
                reports=rng.choice([0, 0, 1, 3]),
            )
        )
    return items


def timed(fn: object, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    items = corpus(args.items, seed=7)
    policy = load_policy()

    def baseline() -> None:
        for f in items:
            f.tier("any")

    def evaluate() -> None:
        for f in items:
            policy.evaluate(f)

    base = timed(baseline, args.runs)
    full = timed(evaluate, args.runs)
    source = PACKAGED_DEFAULT.read_text(encoding="utf-8")
    check = timed(lambda: check_text(source), args.runs)
    decisions: dict[str, int] = {}
    for f in items:
        a = policy.evaluate(f).action.value
        decisions[a] = decisions.get(a, 0) + 1
    print(f"items: {args.items}, runs: {args.runs}, rules: {len(policy.rules)}")
    print(f"evaluate: median {full:.3f} s ({full / args.items * 1e6:.1f} us/item)")
    print(f"baseline (strongest tier only): median {base:.3f} s; ratio {full / base:.1f}x")
    print(f"policy check of the default file: median {check * 1000:.1f} ms")
    print(f"decisions: {dict(sorted(decisions.items()))}")


if __name__ == "__main__":
    main()
