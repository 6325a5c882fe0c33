"""The published Community Notes status rules, vectorised over items, with the reason each item got its status.

An item is `bridged_support` (Community Notes: "currently rated helpful") only when all of these hold:
  - at least `min_ratings_per_item` ratings from raters kept in the fit;
  - intercept i_n ≥ 0.40 (0.39 if it already had that status: a 0.01 hysteresis so statuses do not flicker);
  - |f_n| < 0.5 — support that the viewpoint axis explains is not bridged, however large;
  - at least `min_net_per_side` *net* supporters (support minus oppose ratings) among raters with f_u < 0 **and**
    among raters with f_u ≥ 0, and those net supporters are at least `min_net_per_side_ratio` of its ratings.
It is `bridged_opposition` ("not helpful") when i_n < −0.05 − 0.8·|f_n|, and `no_consensus` otherwise ("needs
more ratings"). The thresholds are the reference scorer's defaults; all are parameters (`ScoringParams`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SUPPORT = "bridged_support"
OPPOSITION = "bridged_opposition"
NO_CONSENSUS = "no_consensus"
INSUFFICIENT = "insufficient_votes"
STATUSES = (INSUFFICIENT, NO_CONSENSUS, SUPPORT, OPPOSITION)
"""Status codes are indices into this tuple (int8 arrays in the array API)."""
CODE = {s: i for i, s in enumerate(STATUSES)}


@dataclass(frozen=True)
class ScoringParams:
    """Every threshold of the scorer (defaults: the reference scorer's published values)."""

    min_ratings_per_rater: int = 10
    min_ratings_per_item: int = 5
    support_intercept: float = 0.40
    max_factor: float = 0.50
    min_net_per_side: int = 4
    min_net_per_side_ratio: float = 0.05
    oppose_intercept: float = -0.05
    oppose_factor_slope: float = 0.8
    hysteresis: float = 0.01
    reputation: bool = True
    min_agree_ratio: float = 0.66
    lambda_factor: float = 0.03
    lambda_intercept: float = 0.15
    lambda_global: float = 0.15
    seed: int = 0
    tol: float = 1e-5
    max_sweeps: int = 300
    restarts: int | None = None
    """Starts tried per fit; default 8 below 50,000 ratings (milliseconds each), else 1."""


@dataclass(frozen=True)
class SideCounts:
    """Per-item counts of the ratings by raters on each side of the axis (f_u < 0 negative, else positive)."""

    ratings: npt.NDArray[np.int64]
    supporters_neg: npt.NDArray[np.int64]
    supporters_pos: npt.NDArray[np.int64]
    net_neg: npt.NDArray[np.int64]
    net_pos: npt.NDArray[np.int64]
    raters_neg: npt.NDArray[np.int64]
    raters_pos: npt.NDArray[np.int64]

    @classmethod
    def count(
        cls,
        items: npt.NDArray[np.int64],
        values: npt.NDArray[np.float64],
        rater_negative: npt.NDArray[np.bool_],
        n_items: int,
    ) -> SideCounts:
        def per_item(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
            return np.bincount(items[mask], minlength=n_items).astype(np.int64)

        yes, no = values >= 1.0, values <= 0.0
        neg, pos = rater_negative, ~rater_negative
        s_neg, s_pos = per_item(yes & neg), per_item(yes & pos)
        return cls(
            ratings=np.bincount(items, minlength=n_items).astype(np.int64),
            supporters_neg=s_neg,
            supporters_pos=s_pos,
            net_neg=s_neg - per_item(no & neg),
            net_pos=s_pos - per_item(no & pos),
            raters_neg=per_item(neg),
            raters_pos=per_item(pos),
        )


def statuses(
    intercept: npt.NDArray[np.float64],
    factor: npt.NDArray[np.float64],
    sides: SideCounts,
    p: ScoringParams,
    previous: npt.NDArray[np.int8] | None = None,
) -> npt.NDArray[np.int8]:
    """Status code of every item (see module docstring); `previous` codes give the hysteresis."""
    was_support = previous == CODE[SUPPORT] if previous is not None else np.zeros(intercept.size, bool)
    was_oppose = previous == CODE[OPPOSITION] if previous is not None else np.zeros(intercept.size, bool)
    enough = sides.ratings >= p.min_ratings_per_item
    net_min = np.maximum(np.minimum(sides.net_neg, sides.net_pos), 0)
    support = (
        enough
        & (intercept >= p.support_intercept - p.hysteresis * was_support)
        & (np.abs(factor) < p.max_factor)
        & (net_min >= p.min_net_per_side)
        & (net_min >= p.min_net_per_side_ratio * np.maximum(sides.ratings, 1))
    )
    oppose_line = p.oppose_intercept - p.oppose_factor_slope * np.abs(factor) + p.hysteresis * was_oppose
    oppose = enough & ~support & (intercept < oppose_line)
    out = np.full(intercept.size, CODE[NO_CONSENSUS], dtype=np.int8)
    out[~enough] = CODE[INSUFFICIENT]
    out[support] = CODE[SUPPORT]
    out[oppose] = CODE[OPPOSITION]
    return out


def reasons(
    k: int,
    intercept: float,
    factor: float,
    sides: SideCounts,
    p: ScoringParams,
    was_support: bool = False,
) -> list[str]:
    """Plain statements of which rules item `k` met and which it failed (why it has its status)."""
    out: list[str] = []
    n = int(sides.ratings[k])
    if n < p.min_ratings_per_item:
        return [f"{n} ratings from raters kept in the fit; at least {p.min_ratings_per_item} needed"]
    bar = p.support_intercept - (p.hysteresis if was_support else 0.0)
    out.append(f"intercept {intercept:.3f} {'≥' if intercept >= bar else '<'} {bar:.2f}")
    polarised = abs(factor) >= p.max_factor
    out.append(
        f"|factor| {abs(factor):.3f} {'≥' if polarised else '<'} {p.max_factor:.2f}"
        + (" (support follows the viewpoint axis)" if polarised else "")
    )
    neg, pos = int(sides.net_neg[k]), int(sides.net_pos[k])
    need = max(p.min_net_per_side, int(np.ceil(p.min_net_per_side_ratio * n)))
    ok = min(neg, pos) >= need
    out.append(
        f"net supporters per side: {neg} with f_u < 0, {pos} with f_u ≥ 0 (need {need} on each)"
        + ("" if ok else " — one-sided support")
    )
    line = p.oppose_intercept - p.oppose_factor_slope * abs(factor)
    if intercept < line:
        out.append(f"intercept below the opposition line {line:.3f} (−0.05 − 0.8·|factor|)")
    return out
