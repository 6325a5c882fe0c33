"""Two-round bridging scorer: volume filter → fit → statuses → rater reputation → refit → final statuses.

Round 1 fits every rater with at least `min_ratings_per_rater` ratings on items with at least
`min_ratings_per_item` of them (a rater with a handful of votes has no reliable position, and an account made for
one vote has none at all). Items whose round-1 status is settled (`bridged_support` or `bridged_opposition`) are
the evidence for round 2: a rater's reputation is the share of their support/oppose ratings on settled items that
agreed with the settled status; raters below `min_agree_ratio` — and raters who never rated a settled item — are
dropped, and the model is refitted on the rest (warm-started from round 1). That is what makes a naive brigade
weightless: thousands of new accounts that only rate the target have no settled record. A brigade that first
builds agreement on settled items can still pass; see docs/council.md ("What the scorer does not stop").

When round 1 settles nothing (a young history) there is no evidence to weigh raters by, round 2 is skipped, and
the result says so (`reputation_applied` False) — the per-side minimum and the factor bound still apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from townsquare.council.scoring import mf
from townsquare.council.scoring.rules import CODE, OPPOSITION, SUPPORT, ScoringParams, SideCounts, statuses

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Round:
    """What one fitting round used and found (published next to the scores)."""

    raters: int
    items: int
    ratings: int
    sweeps: int
    converged: bool
    mu: float
    settled: int

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "mu": round(self.mu, 4)}


@dataclass(frozen=True)
class ArrayScores:
    """Scores indexed by the caller's dense rater / item indices (NaN where a rater or item was not fitted)."""

    status: npt.NDArray[np.int8]
    intercept: FloatArray
    factor: FloatArray
    mu: float
    sides: SideCounts
    ratings: IntArray
    rater_factor: FloatArray
    low_volume: BoolArray
    """Raters excluded before round 1 (too few ratings)."""
    low_reputation: BoolArray
    """Raters excluded in round 2 (agreed too rarely with settled outcomes, or never rated a settled item)."""
    reputation: FloatArray
    """Agreement share with round-1 settled outcomes (NaN: no support/oppose rating on a settled item)."""
    rounds: list[Round] = field(default_factory=list)
    reputation_applied: bool = False


def _dense(keep: BoolArray) -> IntArray:
    """Old index → new dense index for kept entries (−1 elsewhere), without sorting."""
    out = np.full(keep.size, -1, dtype=np.int64)
    out[keep] = np.arange(int(keep.sum()), dtype=np.int64)
    return out


@dataclass
class _Fitted:
    sel: BoolArray  # ratings used
    raters: BoolArray
    items: BoolArray
    fit: mf.Factorisation
    rater_index: IntArray
    item_index: IntArray


def _fit_round(
    u: IntArray,
    n: IntArray,
    r: FloatArray,
    sel: BoolArray,
    n_raters: int,
    n_items: int,
    p: ScoringParams,
    warm: _Fitted | None,
) -> _Fitted:
    item_ok = np.bincount(n[sel], minlength=n_items) >= p.min_ratings_per_item
    sel = sel & item_ok[n]
    raters = np.bincount(u[sel], minlength=n_raters) > 0
    items = np.bincount(n[sel], minlength=n_items) > 0
    ri, ii = _dense(raters), _dense(items)
    uu, nn, rr = ri[u[sel]], ii[n[sel]], r[sel]
    nu, ni = int(raters.sum()), int(items.sum())
    sparse = mf.Sparse(uu, nn, rr, nu, ni)
    pen = mf.Penalties.mean_scaled(rr.size, nu, ni, p.lambda_factor, p.lambda_intercept, p.lambda_global)
    kw: dict[str, Any] = {"tol": p.tol, "max_sweeps": p.max_sweeps}
    if warm is not None and rr.size:
        start = (
            warm.fit.rater_factor[warm.rater_index[raters]],
            warm.fit.item_factor[warm.item_index[items]],
        )
        fit = mf.factorise(sparse, pen, seed=p.seed, start=start, **kw)
    else:
        restarts = p.restarts if p.restarts is not None else (8 if rr.size < 50_000 else 1)
        fit = mf.best_of(sparse, pen, seed=p.seed, restarts=restarts, **kw)
    return _Fitted(sel, raters, items, fit, ri, ii)


def _read(
    f: _Fitted, u: IntArray, n: IntArray, r: FloatArray, n_raters: int, n_items: int
) -> tuple[FloatArray, FloatArray, FloatArray, SideCounts]:
    rater_factor = np.full(n_raters, np.nan)
    rater_factor[f.raters] = f.fit.rater_factor
    intercept = np.full(n_items, np.nan)
    factor = np.full(n_items, np.nan)
    intercept[f.items] = f.fit.item_intercept
    factor[f.items] = f.fit.item_factor
    sides = SideCounts.count(n[f.sel], r[f.sel], rater_factor[u[f.sel]] < 0, n_items)
    return rater_factor, intercept, factor, sides


def agreement(
    u: IntArray,
    n: IntArray,
    r: FloatArray,
    sel: BoolArray,
    status: npt.NDArray[np.int8],
    n_raters: int,
    contested: BoolArray | None = None,
) -> FloatArray:
    """Per rater: share of support (1) / oppose (0) ratings on settled items that matched the settled status.

    `contested` items (the ones being decided, e.g. a poll) are never evidence: otherwise a brigade split across
    both sides could settle its own target in round 1 and earn its reputation from it — and cost the honest
    raters who opposed it theirs.
    """
    supp, opp = status == CODE[SUPPORT], status == CODE[OPPOSITION]
    if contested is not None:
        supp, opp = supp & ~contested, opp & ~contested
    settled = sel & (supp[n] | opp[n]) & ((r >= 1.0) | (r <= 0.0))
    agree = settled & (((r >= 1.0) & supp[n]) | ((r <= 0.0) & opp[n]))
    valid = np.bincount(u[settled], minlength=n_raters).astype(np.float64)
    good = np.bincount(u[agree], minlength=n_raters).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(valid > 0, good / np.maximum(valid, 1.0), np.nan)


def score_arrays(
    raters: Any,
    items: Any,
    values: Any,
    *,
    n_raters: int | None = None,
    n_items: int | None = None,
    params: ScoringParams | None = None,
    previous: npt.NDArray[np.int8] | None = None,
    contested: Any = None,
) -> ArrayScores:
    """Score COO ratings (rater index, item index, value in [0, 1]; one rating per pair). Deterministic per seed.

    `previous` (status codes from the last run) applies the 0.01 hysteresis. `contested` (item indices, or a
    boolean mask) names the items being decided: their round-1 status never counts toward rater reputation. Vectorised throughout: 10 million
    ratings take about a minute on one core (bench/bridging.py).
    """
    p = params or ScoringParams()
    u, n, r, nu, ni = mf.as_coo(raters, items, values, n_raters, n_items)
    if u.size and (r.min() < 0.0 or r.max() > 1.0):
        raise ValueError("rating values must lie in [0, 1]")
    disputed = np.zeros(ni, dtype=bool)
    if contested is not None:
        disputed[np.asarray(contested)] = True
    with _one_blas_thread():
        volume_ok = np.bincount(u, minlength=nu) >= p.min_ratings_per_rater
        first = _fit_round(u, n, r, volume_ok[u], nu, ni, p, None)
        rater_factor, intercept, factor, sides = _read(first, u, n, r, nu, ni)
        status = statuses(intercept, factor, sides, p, previous)
        settled = int(((status == CODE[SUPPORT]) | (status == CODE[OPPOSITION])).sum())
        rounds = [_round(first, settled)]
        reputation = agreement(u, n, r, first.sel, status, nu, disputed)
        low_rep = np.zeros(nu, dtype=bool)
        applied = bool(p.reputation and settled > 0)
        if applied:
            trusted = np.nan_to_num(reputation, nan=-1.0) >= p.min_agree_ratio
            low_rep = volume_ok & ~trusted
            second = _fit_round(u, n, r, volume_ok[u] & trusted[u], nu, ni, p, first)
            rater_factor, intercept, factor, sides = _read(second, u, n, r, nu, ni)
            status = statuses(intercept, factor, sides, p, previous)
            rounds.append(
                _round(second, int(((status == CODE[SUPPORT]) | (status == CODE[OPPOSITION])).sum()))
            )
    return ArrayScores(
        status=status,
        intercept=intercept,
        factor=factor,
        mu=rounds[-1].mu,
        sides=sides,
        ratings=np.bincount(n, minlength=ni).astype(np.int64),
        rater_factor=rater_factor,
        low_volume=~volume_ok,
        low_reputation=low_rep,
        reputation=reputation,
        rounds=rounds,
        reputation_applied=applied,
    )


def _round(f: _Fitted, settled: int) -> Round:
    return Round(
        raters=int(f.raters.sum()),
        items=int(f.items.sum()),
        ratings=int(f.sel.sum()),
        sweeps=f.fit.sweeps,
        converged=f.fit.converged,
        mu=float(f.fit.mu),
        settled=settled,
    )


class _one_blas_thread:
    """Dense work here is on vectors; a multi-threaded BLAS only adds synchronisation on a shared box."""

    def __enter__(self) -> None:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
            self._limit: Any = None
            return
        self._limit = threadpool_limits(limits=1, user_api="blas")

    def __exit__(self, *exc: object) -> None:
        if self._limit is not None:
            self._limit.restore_original_limits()
