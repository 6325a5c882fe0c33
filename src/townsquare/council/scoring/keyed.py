"""`score(ratings)`: the scorer over (rater key, item key, value) triples, with a readable result per item."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from townsquare.council.scoring.rules import CODE, STATUSES, SUPPORT, ScoringParams, reasons
from townsquare.council.scoring.scorer import ArrayScores, score_arrays


@dataclass(frozen=True)
class ItemScore:
    """One item's status and the evidence for it."""

    item: str
    status: str
    """bridged_support | bridged_opposition | no_consensus | insufficient_votes"""
    intercept: float | None
    """i_n: support that no position on the viewpoint axis explains (None: not fitted)."""
    factor: float | None
    """f_n: how far support follows the axis; |f_n| ≥ 0.5 is polarised."""
    bridged_support: float | None
    """μ + i_n: the predicted support of a rater at the centre of the axis."""
    ratings: int
    ratings_in_fit: int
    supporters: dict[str, int]
    """Support (1) ratings by raters with f_u < 0 ("negative") and f_u ≥ 0 ("positive") kept in the final fit."""
    net_supporters: dict[str, int]
    """Support minus oppose ratings per side — the quantity with a minimum on each side."""
    raters: dict[str, int]
    reasons: list[str]

    @property
    def supported(self) -> bool:
        return self.status == SUPPORT

    def as_dict(self) -> dict[str, Any]:
        def rnd(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "item": self.item,
            "status": self.status,
            "intercept": rnd(self.intercept),
            "factor": rnd(self.factor),
            "bridged_support": rnd(self.bridged_support),
            "ratings": self.ratings,
            "ratings_in_fit": self.ratings_in_fit,
            "supporters": self.supporters,
            "net_supporters": self.net_supporters,
            "raters": self.raters,
            "reasons": self.reasons,
        }


@dataclass(frozen=True)
class ScoreResult:
    """Every item's score, every rater's position, who was excluded and why, and what each round did."""

    items: dict[str, ItemScore]
    rater_factor: dict[str, float | None]
    excluded_low_volume: list[str]
    excluded_reputation: list[str]
    reputation: dict[str, float | None]
    mu: float
    rounds: list[dict[str, Any]]
    reputation_applied: bool
    params: ScoringParams
    arrays: ArrayScores = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mu": round(self.mu, 4),
            "rounds": self.rounds,
            "reputation_applied": self.reputation_applied,
            "excluded_low_volume": len(self.excluded_low_volume),
            "excluded_reputation": len(self.excluded_reputation),
            "items": {k: v.as_dict() for k, v in self.items.items()},
        }


def _opt(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def score(
    ratings: Iterable[tuple[str, str, float]],
    *,
    params: ScoringParams | None = None,
    previous: Mapping[str, str] | None = None,
    contested: Iterable[str] = (),
) -> ScoreResult:
    """Score (rater, item, value) triples: value 1 support, 0.5 partly, 0 oppose; one rating per (rater, item).

    Keys are sorted, so the result does not depend on input order; with the same `params.seed` it is identical
    run to run. `previous` maps items to their last status (hysteresis). `contested` names the items being
    decided (a poll, a case): their own outcome never earns or costs a rater reputation. Raises ValueError on duplicates or a
    value outside [0, 1].
    """
    p = params or ScoringParams()
    rows = list(ratings)
    rater_keys = sorted({str(t[0]) for t in rows})
    item_keys = sorted({str(t[1]) for t in rows})
    ri = {k: i for i, k in enumerate(rater_keys)}
    ii = {k: i for i, k in enumerate(item_keys)}
    u = np.fromiter((ri[str(t[0])] for t in rows), dtype=np.int64, count=len(rows))
    n = np.fromiter((ii[str(t[1])] for t in rows), dtype=np.int64, count=len(rows))
    r = np.fromiter((float(t[2]) for t in rows), dtype=np.float64, count=len(rows))
    order = np.lexsort((n, u))
    u, n, r = u[order], n[order], r[order]
    prev = None
    if previous:
        prev = np.array([CODE.get(previous.get(k, ""), -1) for k in item_keys], dtype=np.int8)
    disputed = np.array(sorted(ii[k] for k in set(contested) if k in ii), dtype=np.int64)
    a = score_arrays(
        u, n, r, n_raters=len(rater_keys), n_items=len(item_keys), params=p, previous=prev, contested=disputed
    )
    s = a.sides
    items: dict[str, ItemScore] = {}
    for k, key in enumerate(item_keys):
        intercept, factor = _opt(a.intercept[k]), _opt(a.factor[k])
        items[key] = ItemScore(
            item=key,
            status=STATUSES[int(a.status[k])],
            intercept=intercept,
            factor=factor,
            bridged_support=None if intercept is None else a.mu + intercept,
            ratings=int(a.ratings[k]),
            ratings_in_fit=int(s.ratings[k]),
            supporters={"negative": int(s.supporters_neg[k]), "positive": int(s.supporters_pos[k])},
            net_supporters={"negative": int(s.net_neg[k]), "positive": int(s.net_pos[k])},
            raters={"negative": int(s.raters_neg[k]), "positive": int(s.raters_pos[k])},
            reasons=reasons(
                k,
                intercept if intercept is not None else float("nan"),
                factor if factor is not None else 0.0,
                s,
                p,
                was_support=bool(previous and previous.get(key) == SUPPORT),
            ),
        )
    return ScoreResult(
        items=items,
        rater_factor={key: _opt(a.rater_factor[i]) for i, key in enumerate(rater_keys)},
        excluded_low_volume=[key for i, key in enumerate(rater_keys) if a.low_volume[i]],
        excluded_reputation=[key for i, key in enumerate(rater_keys) if a.low_reputation[i]],
        reputation={key: _opt(a.reputation[i]) for i, key in enumerate(rater_keys)},
        mu=a.mu,
        rounds=[rd.as_dict() for rd in a.rounds],
        reputation_applied=a.reputation_applied,
        params=p,
        arrays=a,
    )
