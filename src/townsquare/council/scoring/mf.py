"""The Community Notes matrix factorisation, fitted by vectorised alternating least squares.

Model, for a rating r ∈ {0, 0.5, 1} of rater u on item n:

    r̂(u, n) = μ + i_u + i_n + f_u · f_n

Loss as the reference scorer writes it: the *mean* squared error plus λ·mean(parameter²) per parameter table,
with λ_f = 0.03 for factors and λ_i = λ_μ = 5·λ_f = 0.15 for intercepts and the global mean. Multiplied through by
the number of ratings N this is a sum of squared errors with a per-parameter penalty of λ·N/(raters) on each
rater parameter, λ·N/(items) on each item parameter and λ_μ·N on μ — so the global mean is regularised hard (the
"global mean regularised" in the rule) and the thresholds of `rules.py` (intercept ≥ 0.40, |factor| < 0.5) mean
what they mean in the reference scorer. The module is ours; only the published model and constants are shared.

ALS: with one factor, fixing the items makes every rater's (i_u, f_u) an independent 2×2 ridge regression and vice
versa; all are solved at once from per-row sums that are sparse-matrix products (one CSR pattern per side, shared
between the indicator and the values). Between sweeps, exact "gauge" moves (axis origins, global mean against
intercepts, axis scale) leave the predictions unchanged and minimise the penalty in closed form: they remove the
flat directions in which plain ALS crawls. Deterministic: seeded start, sparse sums in a fixed order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

LAMBDA_FACTOR = 0.03
LAMBDA_INTERCEPT = 0.15
LAMBDA_GLOBAL = 0.15


@dataclass(frozen=True)
class Penalties:
    """Per-parameter penalties of the summed objective (mean-loss λ scaled by ratings per table row)."""

    mu: float
    rater_intercept: float
    rater_factor: float
    item_intercept: float
    item_factor: float

    @classmethod
    def mean_scaled(
        cls, n_ratings: int, n_raters: int, n_items: int, lam_f: float, lam_i: float, lam_mu: float
    ) -> Penalties:
        per_rater = n_ratings / max(n_raters, 1)
        per_item = n_ratings / max(n_items, 1)
        return cls(
            mu=lam_mu * n_ratings,
            rater_intercept=lam_i * per_rater,
            rater_factor=lam_f * per_rater,
            item_intercept=lam_i * per_item,
            item_factor=lam_f * per_item,
        )


@dataclass(frozen=True)
class Factorisation:
    """Fitted parameters, indexed by the dense rater / item indices given to `factorise`."""

    mu: float
    rater_intercept: FloatArray
    rater_factor: FloatArray
    item_intercept: FloatArray
    item_factor: FloatArray
    loss: float
    sweeps: int
    converged: bool


class Sparse:
    """The ratings as two CSR patterns (rater × item and item × rater), each shared by ones and values."""

    def __init__(self, u: IntArray, n: IntArray, r: FloatArray, n_raters: int, n_items: int) -> None:
        from scipy.sparse import csr_matrix

        by_rater = csr_matrix((r, (u, n)), shape=(n_raters, n_items))
        if by_rater.nnz != r.size:
            raise ValueError("duplicate ratings: one rating per (rater, item)")
        by_item = by_rater.T.tocsr()
        self.values_by_rater, self.values_by_item = by_rater, by_item
        self.ones_by_rater = csr_matrix(
            (np.ones(by_rater.nnz), by_rater.indices, by_rater.indptr), shape=by_rater.shape, copy=False
        )
        self.ones_by_item = csr_matrix(
            (np.ones(by_item.nnz), by_item.indices, by_item.indptr), shape=by_item.shape, copy=False
        )
        self.count_rater = np.diff(by_rater.indptr).astype(np.float64)
        self.count_item = np.diff(by_item.indptr).astype(np.float64)
        self.sum_rater = np.asarray(by_rater.sum(axis=1)).ravel()
        self.sum_item = np.asarray(by_item.sum(axis=1)).ravel()
        self.total = float(r.sum())
        self.size = int(r.size)


def as_coo(
    raters: Any, items: Any, values: Any, n_raters: int | None, n_items: int | None
) -> tuple[IntArray, IntArray, FloatArray, int, int]:
    """COO ratings as arrays, with the rater and item counts (given, or one past the largest index); refuses
    ragged input and indices out of range (ValueError), so the fits never index past their tables."""
    u = np.asarray(raters, dtype=np.int64)
    n = np.asarray(items, dtype=np.int64)
    r = np.asarray(values, dtype=np.float64)
    if not (u.shape == n.shape == r.shape) or u.ndim != 1:
        raise ValueError("raters, items and values must be 1-D arrays of the same length")
    nu = int(n_raters if n_raters is not None else (u.max() + 1 if u.size else 0))
    ni = int(n_items if n_items is not None else (n.max() + 1 if n.size else 0))
    if u.size and (u.min() < 0 or n.min() < 0 or u.max() >= nu or n.max() >= ni):
        raise ValueError("rater or item index out of range")
    return u, n, r, nu, ni


def ridge_rows(
    ones: Any,
    values: Any,
    counts: FloatArray,
    sums: FloatArray,
    other_f: FloatArray,
    other_i: FloatArray,
    mu: float,
    lam_i: float,
    lam_f: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Every row's ridge regression (r − μ − i_other) ≈ i + f·f_other at once; also Σ f_other per row.

    The per-row sums over ratings are sparse products: `ones` (own × other, 1 per rating) times [f, f², i, i·f]
    of the other side, and `values` (the same pattern holding the ratings) times f. Shared by this scorer and
    `council.bridging`.
    """
    dense = np.column_stack([other_f, other_f * other_f, other_i, other_i * other_f])
    s = np.asarray(ones @ dense)
    s1, s2, si, sif = s[:, 0], s[:, 1], s[:, 2], s[:, 3]
    rf = np.asarray(values @ other_f)
    sy = sums - mu * counts - si
    syf = rf - mu * s1 - sif
    a11 = counts + lam_i
    a22 = s2 + lam_f
    det = a11 * a22 - s1 * s1  # > 0: ridge terms > 0 and Cauchy-Schwarz
    return (a22 * sy - s1 * syf) / det, (a11 * syf - s1 * sy) / det, s1


def _gauge(
    mu: float, a: FloatArray, f: FloatArray, b: FloatArray, g: FloatArray, p: Penalties
) -> tuple[float, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Moves along which predictions are constant, each to its penalty minimum (closed form)."""
    if not (f.size and g.size):
        return mu, a, f, b, g
    # rater-axis origin: f → f + c, i_n → i_n − c·f_n
    c = (p.item_intercept * float(b @ g) - p.rater_factor * float(f.sum())) / (
        p.rater_factor * f.size + p.item_intercept * float(g @ g)
    )
    f, b = f + c, b - c * g
    # item-axis origin: f_n → f_n + d, i_u → i_u − d·f_u
    d = (p.rater_intercept * float(a @ f) - p.item_factor * float(g.sum())) / (
        p.item_factor * g.size + p.rater_intercept * float(f @ f)
    )
    g, a = g + d, a - d * f
    # global mean against each intercept table
    c = (p.rater_intercept * float(a.sum()) - p.mu * mu) / (p.mu + p.rater_intercept * a.size)
    mu, a = mu + c, a - c
    c = (p.item_intercept * float(b.sum()) - p.mu * mu) / (p.mu + p.item_intercept * b.size)
    mu, b = mu + c, b - c
    # axis scale: f → s·f, f_n → f_n/s
    ff, gg = float(f @ f), float(g @ g)
    if ff > 0 and gg > 0:
        s = (p.item_factor * gg / (p.rater_factor * ff)) ** 0.25
        f, g = f * s, g / s
    return mu, a, f, b, g


def _start(m: Sparse, mu: float, rng: np.random.Generator, init: str) -> tuple[FloatArray, FloatArray]:
    """Leading singular pair of the item-centred matrix (seeded), or small random factors."""
    nu, ni = m.values_by_rater.shape
    if init == "random" or min(nu, ni) < 3 or m.size < 3:
        return rng.normal(0.0, 0.1, nu), rng.normal(0.0, 0.1, ni)
    from scipy.sparse.linalg import svds

    item_mean = m.sum_item / np.maximum(m.count_item, 1.0)
    centred = m.values_by_rater.copy()
    centred.data = centred.data - item_mean[centred.indices]
    try:
        left, sv, right = svds(
            centred, k=1, v0=rng.normal(0.0, 1.0, min(nu, ni)), random_state=0, maxiter=500
        )
    except Exception:  # ARPACK may not converge; a random start is still a valid start
        return rng.normal(0.0, 0.1, nu), rng.normal(0.0, 0.1, ni)
    scale = float(np.sqrt(max(float(sv[0]), 1e-12)))
    return left[:, 0] * scale + rng.normal(0.0, 1e-3, nu), right[0, :] * scale + rng.normal(0.0, 1e-3, ni)


def factorise(
    m: Sparse,
    p: Penalties,
    *,
    seed: int = 0,
    init: str = "svd",
    start: tuple[FloatArray, FloatArray] | None = None,
    max_sweeps: int = 300,
    tol: float = 1e-5,
) -> Factorisation:
    """Fit from the SVD start (or `start` = (f_u, f_n), a warm start) until no parameter moves more than `tol`."""
    nu, ni = m.values_by_rater.shape
    rng = np.random.default_rng(seed)
    mu = m.total / (m.size + p.mu) if m.size else 0.0
    f, g = start if start is not None else _start(m, mu, rng, init)
    f, g = np.array(f, dtype=np.float64), np.array(g, dtype=np.float64)
    a, b = np.zeros(nu), np.zeros(ni)
    converged, sweep = False, 0
    for sweep in range(1, max_sweeps + 1):  # noqa: B007 - reported after the loop
        prev = (mu, a, f, b, g)
        b, g, _ = ridge_rows(
            m.ones_by_item,
            m.values_by_item,
            m.count_item,
            m.sum_item,
            f,
            a,
            mu,
            p.item_intercept,
            p.item_factor,
        )
        a, f, g_sums = ridge_rows(
            m.ones_by_rater,
            m.values_by_rater,
            m.count_rater,
            m.sum_rater,
            g,
            b,
            mu,
            p.rater_intercept,
            p.rater_factor,
        )
        if m.size:
            mu = (m.total - float(m.count_rater @ a) - float(m.count_item @ b) - float(f @ g_sums)) / (
                m.size + p.mu
            )
        mu, a, f, b, g = _gauge(mu, a, f, b, g, p)
        delta = max(abs(mu - prev[0]), *(_maxabs(x - y) for x, y in zip((a, f, b, g), prev[1:], strict=True)))
        if delta < tol:
            converged = True
            break
    if f.size and f[int(np.argmax(np.abs(f)))] < 0:  # the axis has no sign: fix one for repeatability
        f, g = -f, -g
    return Factorisation(mu, a, f, b, g, _loss(m, mu, a, f, b, g, p), sweep, converged)


def _loss(
    m: Sparse, mu: float, a: FloatArray, f: FloatArray, b: FloatArray, g: FloatArray, p: Penalties
) -> float:
    coo = m.values_by_rater.tocoo()
    err = coo.data - (mu + a[coo.row] + b[coo.col] + f[coo.row] * g[coo.col])
    return (
        float(err @ err)
        + p.mu * mu * mu
        + p.rater_intercept * float(a @ a)
        + p.rater_factor * float(f @ f)
        + p.item_intercept * float(b @ b)
        + p.item_factor * float(g @ g)
    )


def _maxabs(x: FloatArray) -> float:
    return float(np.max(np.abs(x))) if x.size else 0.0


def best_of(m: Sparse, p: Penalties, *, seed: int, restarts: int, **kw: Any) -> Factorisation:
    """The objective is not convex: on small data try the SVD start and seeded random ones; lowest loss wins."""
    best: Factorisation | None = None
    for k in range(max(1, restarts)):
        fit = factorise(m, p, seed=seed + k, init="svd" if k == 0 else "random", **kw)
        if best is None or fit.loss < best.loss - 1e-9:
            best = fit
    assert best is not None
    return best
