"""One-dimensional matrix factorisation for bridging consensus (Community Notes style).

For each vote of rater u on item n with value r in [0, 1] (1 support, 0.5 partly, 0 oppose):

    r̂(u, n) = μ + i_u + i_n + f_u · f_n

fitted by minimising  Σ (r − r̂)² + λ_i (μ² + Σ i_u² + Σ i_n²) + λ_f (Σ f_u² + Σ f_n²).

Intercepts are penalised about five times more than factors (λ_i = 0.15, λ_f = 0.03), so agreement that a shared
viewpoint can explain goes into the product f_u · f_n, and only support that crosses the viewpoint axis stays in
the item intercept i_n. f_u is the rater's position on the learned axis; μ + i_n is the support a rater at the
centre of the axis would give ("bridged support").

Why alternating least squares: with one factor, fixing the item side makes every rater's (i_u, f_u) an
independent 2×2 ridge regression, and vice versa; all of them are solved at once from per-row sums over the votes,
computed as sparse matrix products (CSR rater × item patterns built once from the COO arrays) — no Python loop per vote or per rater. Between sweeps, three exact "gauge" moves (shift of the
axis origin, shift of the global mean, rescaling of the axis) leave the data fit unchanged and minimise the
penalty in closed form; they remove the flat directions in which plain ALS crawls on large data. Everything is
deterministic: the only randomness is the seeded initial factors, and sparse products sum in a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from townsquare.council.scoring.mf import as_coo, ridge_rows

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03


@dataclass(frozen=True)
class Fit:
    """Result of one factorisation. Arrays are indexed by the dense rater / item indices given to `fit`."""

    mu: float
    rater_intercept: FloatArray
    rater_factor: FloatArray
    item_intercept: FloatArray
    item_factor: FloatArray
    loss: float
    iterations: int
    converged: bool
    rater_votes: IntArray
    item_votes: IntArray

    def predict(self, raters: IntArray, items: IntArray) -> FloatArray:
        return (
            self.mu
            + self.rater_intercept[raters]
            + self.item_intercept[items]
            + self.rater_factor[raters] * self.item_factor[items]
        )


@dataclass(frozen=True)
class KeyedFit:
    """A `Fit` together with the string keys of its raters and items (for database-backed callers)."""

    fit: Fit
    raters: list[str]
    items: list[str]
    rater_index: dict[str, int] = field(repr=False)
    item_index: dict[str, int] = field(repr=False)

    def rater_position(self, key: str) -> float | None:
        idx = self.rater_index.get(key)
        return None if idx is None else float(self.fit.rater_factor[idx])

    def item(self, key: str) -> tuple[float, float, int] | None:
        """(intercept, factor, votes) of an item, or None when it has no votes."""
        idx = self.item_index.get(key)
        if idx is None:
            return None
        f = self.fit
        return float(f.item_intercept[idx]), float(f.item_factor[idx]), int(f.item_votes[idx])


def _loss(
    values: FloatArray,
    pred: FloatArray,
    mu: float,
    a: FloatArray,
    f: FloatArray,
    b: FloatArray,
    g: FloatArray,
    lam_i: float,
    lam_f: float,
) -> float:
    err = values - pred
    reg_i = mu * mu + float(a @ a) + float(b @ b)
    reg_f = float(f @ f) + float(g @ g)
    return float(err @ err) + lam_i * reg_i + lam_f * reg_f


def fit(
    raters: Sequence[int] | IntArray,
    items: Sequence[int] | IntArray,
    values: Sequence[float] | FloatArray,
    *,
    n_raters: int | None = None,
    n_items: int | None = None,
    lambda_intercept: float = LAMBDA_INTERCEPT,
    lambda_factor: float = LAMBDA_FACTOR,
    seed: int = 0,
    max_iter: int = 300,
    tol: float = 1e-6,
    init: str = "svd",
    restarts: int | None = None,
) -> Fit:
    """Fit the model on COO arrays (rater index, item index, value). Deterministic for a given seed.

    `tol` bounds the largest change of any parameter between two sweeps. The objective is not convex, so on
    small data (< 50,000 votes, where it costs milliseconds) the fit is repeated from `restarts` starts — the
    SVD start, then seeded random ones — and the lowest loss wins (the first one on a tie). The sign of the
    axis is arbitrary in the model; it is fixed so that the rater with the largest |f_u| is on the positive side,
    which makes repeated fits comparable.
    """
    size = len(values)
    n_starts = restarts if restarts is not None else (8 if size < 50_000 else 1)
    best: Fit | None = None
    with _one_blas_thread():
        for k in range(max(1, n_starts)):
            candidate = _fit_once(
                raters,
                items,
                values,
                n_raters=n_raters,
                n_items=n_items,
                lambda_intercept=lambda_intercept,
                lambda_factor=lambda_factor,
                seed=seed + k,
                max_iter=max_iter,
                tol=tol,
                init=init if k == 0 else "random",
            )
            if best is None or candidate.loss < best.loss - 1e-9:
                best = candidate
    assert best is not None
    return best


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """The fit's dense operations are on vectors of ~10⁴–10⁵ entries, where a multi-threaded BLAS only adds
    synchronisation (measured: 5× slower gauge steps on a loaded 2-core box). Sparse products do not use BLAS."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _fit_once(
    raters: Sequence[int] | IntArray,
    items: Sequence[int] | IntArray,
    values: Sequence[float] | FloatArray,
    *,
    n_raters: int | None,
    n_items: int | None,
    lambda_intercept: float,
    lambda_factor: float,
    seed: int,
    max_iter: int,
    tol: float,
    init: str,
) -> Fit:
    u, n, r, nu, ni = as_coo(raters, items, values, n_raters, n_items)
    if lambda_intercept <= 0 or lambda_factor <= 0:
        raise ValueError("regularisation must be positive")
    lam_i, lam_f = float(lambda_intercept), float(lambda_factor)

    from scipy.sparse import csr_matrix

    cu = np.bincount(u, minlength=nu).astype(np.float64)
    cn = np.bincount(n, minlength=ni).astype(np.float64)
    # sparse (rater × item) patterns: sums over each rater's or item's votes become matrix products
    by_rater = csr_matrix((np.ones(u.size), (u, n)), shape=(nu, ni))
    ratings_by_rater = csr_matrix((r, (u, n)), shape=(nu, ni))
    by_item = by_rater.T.tocsr()
    ratings_by_item = ratings_by_rater.T.tocsr()
    ru = np.bincount(u, weights=r, minlength=nu).astype(np.float64)
    rn = np.bincount(n, weights=r, minlength=ni).astype(np.float64)
    total = float(r.sum())
    rng = np.random.default_rng(seed)
    mu = float(total / (r.size + lam_i)) if r.size else 0.0
    f, g = _initial_factors(u, n, r - mu, nu, ni, rng, init)
    a = np.zeros(nu)
    b = np.zeros(ni)

    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` reported after the loop
        prev = (mu, a, f, b, g)
        # items given raters
        b, g, _ = ridge_rows(by_item, ratings_by_item, cn, rn, f, a, mu, lam_i, lam_f)
        # raters given items
        a, f, g_sums = ridge_rows(by_rater, ratings_by_rater, cu, ru, g, b, mu, lam_i, lam_f)
        # global mean given everything else: Σ (r − a_u − b_n − f_u g_n) / (N + λ_i)
        if r.size:
            mu = (total - float(cu @ a) - float(cn @ b) - float(f @ g_sums)) / (r.size + lam_i)
        mu, a, f, b, g = _gauge(mu, a, f, b, g, lam_i, lam_f)
        delta = max(
            abs(mu - prev[0]),
            _maxabs(a - prev[1]),
            _maxabs(f - prev[2]),
            _maxabs(b - prev[3]),
            _maxabs(g - prev[4]),
        )
        if delta < tol:
            converged = True
            break

    if nu and f.size:
        k = int(np.argmax(np.abs(f)))
        if f[k] < 0:
            f, g = -f, -g
    pred = mu + a[u] + b[n] + f[u] * g[n]
    return Fit(
        mu=mu,
        rater_intercept=a,
        rater_factor=f,
        item_intercept=b,
        item_factor=g,
        loss=_loss(r, pred, mu, a, f, b, g, lam_i, lam_f),
        iterations=it,
        converged=converged,
        rater_votes=cu.astype(np.int64),
        item_votes=cn.astype(np.int64),
    )


def _initial_factors(
    u: IntArray, n: IntArray, centred: FloatArray, nu: int, ni: int, rng: np.random.Generator, init: str
) -> tuple[FloatArray, FloatArray]:
    """Leading singular pair of the item-centred vote matrix (missing votes as 0), or small random factors.

    The objective is not convex: ALS from a random start can settle in a worse local optimum on small data.
    Starting from the leading singular vectors puts it in the basin of the dominant axis; the SVD is seeded
    (`v0`) so it stays deterministic.
    """
    if init == "random" or min(nu, ni) < 3 or u.size < 3:
        return rng.normal(0.0, 0.1, nu), rng.normal(0.0, 0.1, ni)
    if init != "svd":
        raise ValueError("init must be 'svd' or 'random'")
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import svds

    counts = np.maximum(np.bincount(n, minlength=ni), 1)
    resid = centred - (np.bincount(n, weights=centred, minlength=ni) / counts)[n]
    m = coo_matrix((resid, (u, n)), shape=(nu, ni)).tocsr()
    v0 = rng.normal(0.0, 1.0, min(nu, ni))
    try:
        left, sv, right = svds(m, k=1, v0=v0, random_state=0, maxiter=2000)
    except Exception:  # ARPACK may not converge; a random start is still a valid start
        return rng.normal(0.0, 0.1, nu), rng.normal(0.0, 0.1, ni)
    scale = float(np.sqrt(max(float(sv[0]), 1e-12)))
    f = left[:, 0] * scale + rng.normal(0.0, 1e-3, nu)
    g = right[0, :] * scale + rng.normal(0.0, 1e-3, ni)
    return f.astype(np.float64), g.astype(np.float64)


def _maxabs(x: FloatArray) -> float:
    return float(np.max(np.abs(x))) if x.size else 0.0


def _gauge(
    mu: float, a: FloatArray, f: FloatArray, b: FloatArray, g: FloatArray, lam_i: float, lam_f: float
) -> tuple[float, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Exact moves along directions where the data fit is constant; each minimises the penalty in closed form.

    f_u → f_u + c with i_n → i_n − c·f_n (and the mirror move on the item side), μ → μ + c with the rater or
    item intercepts shifted by −c, and f → s·f, g → g/s.
    """
    if f.size and g.size:
        # origin of the rater axis: minimise λ_f Σ(f+c)² + λ_i Σ(b − c g)²
        c = (lam_i * float(b @ g) - lam_f * float(f.sum())) / (lam_f * f.size + lam_i * float(g @ g))
        f = f + c
        b = b - c * g
        # origin of the item axis: minimise λ_f Σ(g+d)² + λ_i Σ(a − d f)²
        d = (lam_i * float(a @ f) - lam_f * float(g.sum())) / (lam_f * g.size + lam_i * float(f @ f))
        g = g + d
        a = a - d * f
        # global mean against rater intercepts, then against item intercepts (both leave μ + a + b unchanged)
        c = (float(a.sum()) - mu) / (1 + a.size)
        mu, a = mu + c, a - c
        c = (float(b.sum()) - mu) / (1 + b.size)
        mu, b = mu + c, b - c
        # scale: minimise s² Σf² + Σg²/s²
        ff, gg = float(f @ f), float(g @ g)
        if ff > 0 and gg > 0:
            s = (gg / ff) ** 0.25
            f, g = f * s, g / s
    return mu, a, f, b, g


def fit_keyed(
    votes: Sequence[tuple[str, str, float]],
    *,
    seed: int = 0,
    lambda_intercept: float = LAMBDA_INTERCEPT,
    lambda_factor: float = LAMBDA_FACTOR,
    max_iter: int = 300,
    tol: float = 1e-6,
    init: str = "svd",
    restarts: int | None = None,
) -> KeyedFit:
    """Fit on (rater key, item key, value) triples; keys are sorted so the result does not depend on input order."""
    rater_keys = sorted({v[0] for v in votes})
    item_keys = sorted({v[1] for v in votes})
    ri = {k: i for i, k in enumerate(rater_keys)}
    ii = {k: i for i, k in enumerate(item_keys)}
    order = sorted(range(len(votes)), key=lambda j: (ri[votes[j][0]], ii[votes[j][1]]))
    u = np.fromiter((ri[votes[j][0]] for j in order), dtype=np.int64, count=len(order))
    n = np.fromiter((ii[votes[j][1]] for j in order), dtype=np.int64, count=len(order))
    r = np.fromiter((float(votes[j][2]) for j in order), dtype=np.float64, count=len(order))
    result = fit(
        u,
        n,
        r,
        n_raters=len(rater_keys),
        n_items=len(item_keys),
        seed=seed,
        lambda_intercept=lambda_intercept,
        lambda_factor=lambda_factor,
        max_iter=max_iter,
        tol=tol,
        init=init,
        restarts=restarts,
    )
    return KeyedFit(fit=result, raters=rater_keys, items=item_keys, rater_index=ri, item_index=ii)


# ---------------------------------------------------------------------------------------------------------------
# Reading one item out of a fit (community polls and the benchmarks; the council rule lives in council.rule)
# ---------------------------------------------------------------------------------------------------------------

SUPPORT_THRESHOLD = 0.60
"""Bridged support μ + i_n at or above which an item counts as supported across viewpoints."""
OPPOSE_THRESHOLD = 0.40
"""Bridged support below 0.40 − 0.8·polarisation counts as opposed across viewpoints (Community Notes' shape)."""
OPPOSE_SLOPE = 0.8
MAX_POLARISATION = 0.25
"""|f_n| · σ(f_u): how far the prediction moves for a rater one standard deviation off the centre."""
MIN_VOTES = 5
SIDE_Z = 0.25
"""Raters with f_u / σ below −0.25 are on the left, above +0.25 on the right, in between in the middle."""
MIN_HISTORY = 3
"""Raters with fewer votes have an unreliable position: they count in the fit but not in the side counts."""


@dataclass(frozen=True)
class ItemReport:
    """Raw and bridged reading of one item."""

    votes: int
    raw_support: float
    bridged_support: float
    intercept: float
    factor: float
    polarisation: float
    sides: dict[str, dict[str, int]]
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "votes": self.votes,
            "raw_support": round(self.raw_support, 4),
            "bridged_support": round(self.bridged_support, 4),
            "intercept": round(self.intercept, 4),
            "factor": round(self.factor, 4),
            "polarisation": round(self.polarisation, 4),
            "sides": self.sides,
            "status": self.status,
        }


def item_status(
    support: float, polarisation: float, votes: int, *, left: int, right: int, min_per_side: int = 1
) -> str:
    """`bridged_support`, `bridged_opposition`, `no_consensus` or `insufficient_votes`.

    Support needs bridged support ≥ 0.60, polarisation < 0.25 and at least `min_per_side` supporters on each
    side of the axis; opposition needs bridged support < 0.40 − 0.8·polarisation (see docs/council.md).
    """
    if votes < MIN_VOTES:
        return "insufficient_votes"
    if support >= SUPPORT_THRESHOLD and polarisation < MAX_POLARISATION and min(left, right) >= min_per_side:
        return "bridged_support"
    if support < OPPOSE_THRESHOLD - OPPOSE_SLOPE * polarisation:
        return "bridged_opposition"
    return "no_consensus"


def rater_sides(result: Fit, *, min_history: int = MIN_HISTORY) -> tuple[npt.NDArray[np.int8], float]:
    """Side of every rater (−1 left, 0 middle or unknown, +1 right) and σ of the established raters' positions."""
    established = result.rater_votes >= min_history
    pos = result.rater_factor[established]
    sigma = float(pos.std()) if pos.size >= 2 else 0.0
    sides = np.zeros(result.rater_factor.size, dtype=np.int8)
    if sigma > 0:
        z = result.rater_factor / sigma
        sides[(z < -SIDE_Z) & established] = -1
        sides[(z > SIDE_Z) & established] = 1
    return sides, sigma


def describe_item(
    result: Fit, item: int, raters: IntArray, items: IntArray, values: FloatArray, *, min_per_side: int = 1
) -> ItemReport:
    """Raw share and bridged reading of `item`, with supporters (value ≥ 0.75) counted per side."""
    mask = items == item
    vals = values[mask]
    who = raters[mask]
    sides, sigma = rater_sides(result)
    s = sides[who]
    supp = vals >= 0.75
    side_counts = {
        name: {"voters": int((s == k).sum()), "supporters": int((supp & (s == k)).sum())}
        for name, k in (("left", -1), ("middle", 0), ("right", 1))
    }
    votes = int(mask.sum())
    support = result.mu + float(result.item_intercept[item])
    factor = float(result.item_factor[item])
    polar = abs(factor) * sigma
    status = item_status(
        support,
        polar,
        votes,
        left=side_counts["left"]["supporters"],
        right=side_counts["right"]["supporters"],
        min_per_side=min_per_side,
    )
    return ItemReport(
        votes=votes,
        raw_support=float(vals.mean()) if votes else 0.0,
        bridged_support=support,
        intercept=float(result.item_intercept[item]),
        factor=factor,
        polarisation=polar,
        sides=side_counts,
        status=status,
    )
