"""Bridging scorer at Community Notes rigour — the one place a bridged status is computed.

API (for polls, panel votes, benchmarks):

    from townsquare.council.scoring import ScoringParams, score

    result = score([("rater-1", "item-a", 1.0), ("rater-2", "item-a", 0.0), ...], params=ScoringParams())
    s = result.items["item-a"]
    s.status            # "bridged_support" | "bridged_opposition" | "no_consensus" | "insufficient_votes"
    s.intercept, s.factor, s.bridged_support          # i_n, f_n, μ + i_n (None when the item was not fitted)
    s.supporters, s.net_supporters, s.raters          # per side: {"negative": f_u < 0, "positive": f_u ≥ 0}
    s.reasons           # plain sentences: which rule it met or failed, with the numbers
    result.rater_factor["rater-1"]                    # position on the axis (None: not fitted)
    result.excluded_low_volume, result.excluded_reputation, result.rounds, result.reputation_applied

`score_arrays(raters, items, values, n_raters=, n_items=, params=)` is the same on dense integer arrays
(10 million ratings in about a minute; statuses as codes into `STATUSES`).

Rules (defaults = the reference scorer's published values, every one a `ScoringParams` field): raters with fewer
than 10 ratings and items with fewer than 5 are left out of the fit; the model is r̂ = μ + i_u + i_n + f_u·f_n
with the mean-scaled penalties of `mf.py` (global mean regularised); support needs i_n ≥ 0.40, |f_n| < 0.5 and at
least 4 net supporters on each side of the axis; opposition needs i_n < −0.05 − 0.8·|f_n|; a second round keeps
only raters who agreed with ≥ 66 % of the settled outcomes they rated (`scorer.py`). See docs/council.md.
"""

from townsquare.council.scoring.keyed import ItemScore, ScoreResult, score
from townsquare.council.scoring.rules import (
    INSUFFICIENT,
    NO_CONSENSUS,
    OPPOSITION,
    STATUSES,
    SUPPORT,
    ScoringParams,
)
from townsquare.council.scoring.scorer import ArrayScores, score_arrays

__all__ = [
    "INSUFFICIENT",
    "NO_CONSENSUS",
    "OPPOSITION",
    "STATUSES",
    "SUPPORT",
    "ArrayScores",
    "ItemScore",
    "ScoreResult",
    "ScoringParams",
    "score",
    "score_arrays",
]
